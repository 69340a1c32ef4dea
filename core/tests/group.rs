//! Unit groups (`pecfg_core::group`): the example group (`tests/groups/example.yaml`: 3 regions,
//! 5 units, 2 tenants) read, derived level by level and checked; group files refused at the
//! boundary with messages that name places, never values; every ApplicationSet valid against
//! `fixtures/gitops/applicationset.schema.json`; every Flux cluster folder built by real
//! `kubectl kustomize` (skipped with a message when kubectl is absent, unless
//! PECFG_REQUIRE_TOOLS=1); each unit sealed with its own certificate, every Secret once; no secret
//! value in any GitOps file, the report or the picture.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use pecfg_core::environment::{GitOps, PlanOptions};
use pecfg_core::export::{filled_secrets, SealScope, SealingCert};
use pecfg_core::group::{
    group_plan_files, group_svg, parse_group, resolve_group, rollout, seal_group, validate_group,
    GroupDiagnostic, GroupSealed, Level, ResolvedGroup, Role,
};
use pecfg_core::validation::Evaluated;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example_text() -> String {
    std::fs::read_to_string(repo().join("tests/groups/example.yaml")).unwrap()
}

fn example() -> (ResolvedGroup, Vec<GroupDiagnostic>) {
    let file = parse_group(&example_text()).unwrap();
    let group = resolve_group(&file).unwrap();
    let diagnostics = validate_group(&group);
    (group, diagnostics)
}

fn options(gitops: Option<GitOps>) -> PlanOptions {
    PlanOptions {
        gitops,
        ..PlanOptions::default()
    }
}

#[test]
fn the_example_group_reads_resolves_and_passes_its_checks() {
    let (group, diagnostics) = example();
    assert_eq!(group.name, "acme");
    assert_eq!(group.units.len(), 5);
    let regions: Vec<(String, Vec<String>)> = group
        .regions()
        .into_iter()
        .map(|(region, units)| (region, units.iter().map(|u| u.name.clone()).collect()))
        .collect();
    assert_eq!(
        regions,
        [
            (
                "eu-west".to_string(),
                vec!["eu-west-a".to_string(), "eu-west-b".to_string()]
            ),
            (
                "us-east".to_string(),
                vec!["us-east-a".to_string(), "us-east-b".to_string()]
            ),
            ("ap-south".to_string(), vec!["ap-south-a".to_string()]),
        ]
    );
    assert_eq!(group.primaries().len(), 1);
    assert_eq!(group.primaries()[0].name, "eu-west-a");
    assert_eq!(group.tenants.len(), 2);
    let placements: usize = group.units.iter().map(|u| u.environments.len()).sum();
    assert_eq!(placements, 7);
    let errors: Vec<&GroupDiagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == pecfg_core::catalog::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The single-unit region is the one warning of the unit-pair rule; each unit's own findings
    // carry their unit and tenant.
    let pair: Vec<&GroupDiagnostic> = diagnostics
        .iter()
        .filter(|d| d.rule == "group.unit-pair")
        .collect();
    assert_eq!(pair.len(), 1);
    assert_eq!(pair[0].units, ["ap-south-a"]);
    assert!(diagnostics
        .iter()
        .filter(|d| !d.across_units)
        .all(|d| d.units.len() == 1 && d.tenants.len() == 1));
    assert!(diagnostics
        .iter()
        .any(|d| !d.across_units && d.rule == "env.namespace-table" && d.tenants == ["t200"]));
    // Every master first, then the others, each in the units' order.
    let order: Vec<String> = rollout(&group)
        .iter()
        .map(|step| format!("{}/{}", step.unit, step.tenant))
        .collect();
    assert_eq!(
        order,
        [
            "eu-west-a/t100",
            "us-east-a/t200",
            "eu-west-a/t200",
            "eu-west-b/t100",
            "us-east-a/t100",
            "us-east-b/t200",
            "ap-south-a/t100",
        ]
    );
}

#[test]
fn each_level_of_facts_is_visible_and_a_lower_one_wins() {
    let (group, diagnostics) = example();
    let unit = group.unit("ap-south-a").unwrap();
    assert_eq!(unit.role, Role::Secondary);
    let environment = &unit.environments[0];
    assert_eq!(environment.tenant, "t100");
    assert_eq!(environment.origins["image_registry"], Level::Unit);
    assert_eq!(environment.origins["pull_secret"], Level::Group);
    assert_eq!(environment.origins["tenant_uuid"], Level::Tenant);
    // The unit's registry reached the chart.
    let tenant = &environment.resolved.charts[0];
    assert_eq!(
        tenant.evaluation.merged["images"]["registry"],
        serde_yaml::Value::from("registry.ap-south.example.com")
    );
    let eu = &group.unit("eu-west-a").unwrap().environments[0];
    assert_eq!(
        eu.resolved.charts[0].evaluation.merged["images"]["registry"],
        serde_yaml::Value::from("registry.example.com")
    );
    assert!(diagnostics.iter().any(|d| d.rule == "group.fact-override"
        && d.units == ["ap-south-a"]
        && d.path == "shared.image_registry"));
    // A chart's own value over a tenant's fact is the environment's own override, per unit.
    let text = example_text().replace(
        "          tenant-monitor: {}\n  - name: t200",
        "          tenant-monitor: {}\n          ges: {values: {ges: {deployment: {image: {registry: own.example.com}}}}}\n  - name: t200",
    );
    let group = resolve_group(&parse_group(&text).unwrap()).unwrap();
    let found = validate_group(&group);
    assert!(
        found.iter().any(|d| d.rule == "env.shared-override"
            && d.units == ["ap-south-a"]
            && d.tenants == ["t100"]
            && d.charts == ["ges"]),
        "{found:#?}"
    );
}

/// A group file refused, with a message naming the place and never the value.
fn refused(text: &str, wanted: &str, never: &str) {
    let error = parse_group(text).expect_err(text);
    assert!(error.contains(wanted), "{error:?} lacks {wanted:?}");
    assert!(
        never.is_empty() || !error.contains(never),
        "{error:?} quotes {never:?}"
    );
}

const HEAD: &str = "group: g\nunits:\n";

#[test]
fn hostile_group_files_are_refused_by_place() {
    refused(
        &format!("{HEAD}  - {{name: \"a\\nreboot\", region: r, role: primary, cluster: {{context: c}}}}\n"),
        "units[0].name must be a DNS-1123 label",
        "reboot",
    );
    refused(
        &format!("{HEAD}  - {{name: ../x, region: r, role: primary, cluster: {{context: c}}}}\n"),
        "units[0].name must be a DNS-1123 label",
        "../x",
    );
    refused(
        &format!(
            "{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\n  - {{name: a, region: r, role: secondary, cluster: {{context: d}}}}\n"
        ),
        "units[1].name repeats unit `a`",
        "",
    );
    refused(
        &format!(
            "{HEAD}  - {{name: a, region: r, role: primary, cluster: {{server: --insecure}}}}\n"
        ),
        "units.a.cluster.server must not start with `-`",
        "insecure",
    );
    refused(
        &format!(
            "{HEAD}  - {{name: a, region: r, role: primary, cluster: {{server: not-a-url}}}}\n"
        ),
        "units.a.cluster.server must be an https:// URL",
        "not-a-url",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{server: \"http://k8s.example.com\"}}}}\n"),
        "must be an https:// URL",
        "k8s.example.com",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{server: \"https://admin:hunter2@k8s.example.com\"}}}}\n"),
        "must not hold a user name or password",
        "hunter2",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: \"ctx\\u0007x\"}}}}\n"),
        "units.a.cluster.context must not hold a control character",
        "ctx",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{}}}}\n"),
        "units.a.cluster names no cluster",
        "",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: leader, cluster: {{context: c}}}}\n"),
        "units.a.role must be primary or secondary",
        "leader",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\ntenants:\n  - {{name: t, units: {{b: {{}}}}}}\n"),
        "tenants.t.units names unknown unit `b`",
        "",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\ntenants:\n  - {{name: t, units: {{a: {{}}}}}}\n  - {{name: t, units: {{a: {{}}}}}}\n"),
        "tenants[1].name repeats tenant `t`",
        "",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}, shared: {{tenant_uuid: \"s3cret\"}}}}\n"),
        "units.a.shared.tenant_uuid is not a uuid",
        "s3cret",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}, facts: {{consul_datacenter: {{a: 1}}}}}}\n"),
        "units.a.facts.consul_datacenter must be text",
        "",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}, colour: blue}}\n"),
        "units[0] has unknown key `colour`",
        "blue",
    );
    refused(
        &format!("{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\ntenants:\n  - {{name: t, units: {{a: {{charts: {{sixth: {{}}}}}}}}}}\n"),
        "names unknown chart `sixth`",
        "",
    );
    let many: String = (0..1001)
        .map(|index| {
            format!("  - {{name: u{index}, region: r, role: secondary, cluster: {{context: c}}}}\n")
        })
        .collect();
    refused(
        &format!("{HEAD}{many}"),
        "lists 1001 units; a group file holds at most 1000",
        "",
    );
    let deep = format!(
        "{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\ntenants:\n  - {{name: t, units: {{a: {{charts: {{ixn: {{values: {}1{}}}}}}}}}}}\n",
        "{a: ".repeat(130),
        "}".repeat(130)
    );
    refused(&deep, "deeper than", "");
    // A byte-order mark is dropped, as at every entry point.
    let with_bom = format!(
        "\u{feff}{HEAD}  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\n"
    );
    assert!(parse_group(&with_bom).is_ok());
}

/// Every secret value of the group: filled Secret keys (and JSON fields), docker passwords and
/// `sensitive` values, long enough to look for.
fn secret_values(group: &ResolvedGroup) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for unit in &group.units {
        for environment in &unit.environments {
            for entry in &environment.resolved.charts {
                for secret in filled_secrets(&Evaluated::of(entry.chart, &entry.answers)) {
                    for key in secret.keys {
                        if let Ok(serde_json::Value::Object(fields)) =
                            serde_json::from_str(&key.value)
                        {
                            for value in fields.values() {
                                if let Some(text) = value.as_str() {
                                    values.insert(text.to_string());
                                }
                            }
                        }
                        if let Some(login) = key.docker {
                            values.insert(login.password);
                        }
                        values.insert(key.value);
                    }
                }
                for param in entry.chart.params.iter().filter(|p| p.sensitive) {
                    let segments = pecfg_core::path::parse_path(&param.path).unwrap();
                    if let Some(serde_yaml::Value::String(text)) =
                        pecfg_core::path::get(&entry.answers.values, &segments)
                    {
                        values.insert(text.clone());
                    }
                }
            }
        }
    }
    values.retain(|value| {
        value.len() >= 6
            && !value.starts_with('/')
            && !value.ends_with(".com")
            && !value.ends_with(".local")
            && !value.contains(".example.com")
    });
    values
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gitops")
        .join(format!("{name}.schema.json"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn documents(text: &str) -> Vec<serde_json::Value> {
    pecfg_core::yaml::read::read_yaml_documents(text)
        .unwrap()
        .into_iter()
        .filter(|document| !document.is_null())
        .map(|document| pecfg_core::schema::yaml_to_json(&document))
        .collect()
}

#[test]
fn every_applicationset_is_valid_and_orders_the_master_units_first() {
    let (group, diagnostics) = example();
    let files = group_plan_files(
        &group,
        &diagnostics,
        &options(Some(GitOps::ArgoCd)),
        &GroupSealed::default(),
    );
    let validator = schema("applicationset");
    let secrets = secret_values(&group);
    assert!(
        secrets.iter().any(|s| s.contains("ixn-pa$$")),
        "{secrets:?}"
    );
    let mut sets = BTreeMap::new();
    for (name, text) in files.iter().filter(|(name, _)| name.starts_with("argocd/")) {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{name} holds a secret value"
            );
        }
        if name.ends_with("kustomization.yaml") {
            continue;
        }
        for document in documents(text) {
            let errors: Vec<String> = validator
                .iter_errors(&document)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}\n{text}");
            sets.insert(name.clone(), document);
        }
    }
    assert_eq!(
        sets.keys().cloned().collect::<Vec<_>>(),
        [
            "argocd/ges.yaml",
            "argocd/ixn.yaml",
            "argocd/middleware.yaml",
            "argocd/tenant-monitor.yaml",
            "argocd/tenant.yaml",
        ]
    );
    // The schema catches a misspelt field.
    let mut wrong = sets["argocd/tenant.yaml"].clone();
    wrong["spec"]["strategy"]["rollingSync"]["step"] = serde_json::json!([]);
    assert!(!validator.is_valid(&wrong));
    let tenant = &sets["argocd/tenant.yaml"];
    let elements = tenant["spec"]["generators"][0]["list"]["elements"]
        .as_array()
        .unwrap();
    // One element per unit and tenant running the chart, each with its cluster.
    assert_eq!(elements.len(), 7);
    let first = &elements[0];
    assert_eq!(first["unit"], "eu-west-a");
    assert_eq!(first["server"], "https://eu-west-a.k8s.example.com:6443");
    assert_eq!(first["cluster"], "");
    let us_east_b = elements.iter().find(|e| e["unit"] == "us-east-b").unwrap();
    assert_eq!(us_east_b["server"], "");
    assert_eq!(
        us_east_b["cluster"], "us-east-b",
        "the context names the Argo CD cluster"
    );
    let masters: Vec<String> = elements
        .iter()
        .filter(|e| e["rollout"] == "master")
        .map(|e| {
            format!(
                "{}/{}",
                e["unit"].as_str().unwrap(),
                e["tenant"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(masters, ["eu-west-a/t100", "us-east-a/t200"]);
    let steps = &tenant["spec"]["strategy"]["rollingSync"]["steps"];
    assert_eq!(tenant["spec"]["strategy"]["type"], "RollingSync");
    assert_eq!(steps[0]["matchExpressions"][0]["values"][0], "master");
    assert_eq!(steps[1]["matchExpressions"][0]["values"][0], "other");
    assert!(tenant["spec"]["template"]["spec"]["syncPolicy"]["automated"].is_null());
    // The values are inline per element, as YAML the Application's helm.values takes.
    let values: serde_yaml::Value =
        serde_yaml::from_str(first["values"].as_str().unwrap()).unwrap();
    assert_eq!(
        values["tenantid"],
        serde_yaml::Value::from("9350e2fc-a1dd-4c65-8d40-1f75a2e080dd")
    );
    // Sync waves follow the platform guide's order; charts without the master-first rule sync
    // on their own.
    let wave = |name: &str| {
        sets[name]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
            .as_str()
            .unwrap()
            .parse::<u32>()
            .unwrap()
    };
    assert!(wave("argocd/tenant.yaml") < wave("argocd/ges.yaml"));
    assert!(wave("argocd/ges.yaml") < wave("argocd/ixn.yaml"));
    assert!(wave("argocd/ixn.yaml") < wave("argocd/middleware.yaml"));
    let ixn = &sets["argocd/ixn.yaml"];
    assert!(ixn["spec"]["strategy"].is_null());
    assert_eq!(
        ixn["spec"]["template"]["spec"]["syncPolicy"]["automated"]["selfHeal"],
        true
    );
    assert_eq!(
        ixn["spec"]["template"]["spec"]["syncPolicy"]["managedNamespaceMetadata"]["labels"]["name"],
        "ixn"
    );
    // IXN's database passwords (sensitive) are left out and named in the comment.
    let ixn_text = &files
        .iter()
        .find(|(n, _)| n == "argocd/ixn.yaml")
        .unwrap()
        .1;
    assert!(ixn_text.contains("ixnService.ixnServer.secrets.db.password"));
}

fn kubectl() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("kubectl"))
            .find(|path| path.is_file())
    });
    let in_repo = repo().join(".tools/bin/kubectl");
    on_path.or_else(|| in_repo.is_file().then_some(in_repo))
}

fn write_all(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const NOW: u64 = 1_900_000_000;

#[test]
fn every_flux_cluster_folder_builds_with_kustomize_and_seals_each_unit_once() {
    let (group, diagnostics) = example();
    let cert =
        SealingCert::parse(include_str!("fixtures/sealed/cert.pem"), NOW).expect("test cert");
    // Every unit but one has its controller's certificate.
    let certs: BTreeMap<String, SealingCert> = group
        .units
        .iter()
        .filter(|unit| unit.name != "us-east-b")
        .map(|unit| (unit.name.clone(), cert.clone()))
        .collect();
    let flux = options(Some(GitOps::Flux));
    let sealed = seal_group(
        &group,
        &flux,
        &certs,
        SealScope::Strict,
        &mut rand_core::OsRng,
    )
    .unwrap();
    assert!(sealed.units.contains_key("eu-west-a"));
    assert!(!sealed.units.contains_key("us-east-b"));
    let files = group_plan_files(&group, &diagnostics, &flux, &sealed);
    let names: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains("units/eu-west-a/t100/ixn-sealed-secrets.yaml"));
    assert!(!names.contains("units/us-east-b/t200/tenant-sealed-secrets.yaml"));
    assert!(names.contains("clusters/us-east-a/t200/tenant.yaml"));
    assert!(
        names.iter().all(|name| !name.contains("/gitops/")),
        "no environment GitOps folder"
    );
    let secrets = secret_values(&group);
    for (name, text) in files
        .iter()
        .filter(|(name, _)| name.starts_with("clusters/"))
    {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{name} holds a secret value"
            );
        }
        assert!(
            !documents(text).iter().any(|d| d["kind"] == "Secret"),
            "{name} holds a plain Secret"
        );
    }
    // Each unit's SealedSecrets name each (namespace, Secret) once, though two tenants share
    // the pull secret on eu-west-a and us-east-a.
    let eu = &sealed.units["eu-west-a"];
    let mut seen = BTreeSet::new();
    for document in documents(eu) {
        let key = format!(
            "{}/{}",
            document["metadata"]["namespace"].as_str().unwrap(),
            document["metadata"]["name"].as_str().unwrap()
        );
        assert!(seen.insert(key.clone()), "{key} sealed twice");
    }
    assert!(seen.contains("voice/pullsecret") && seen.contains("voice-t200/pullsecret"));
    assert!(seen.contains("ixn/ixn-100-sensitive-values"), "{seen:?}");

    let Some(kubectl) = kubectl() else {
        if std::env::var("PECFG_REQUIRE_TOOLS").is_ok_and(|value| value == "1") {
            panic!("kubectl missing and PECFG_REQUIRE_TOOLS=1");
        }
        println!("SKIPPED: kubectl kustomize of the Flux cluster folders: kubectl not found");
        return;
    };
    let dir = std::env::temp_dir().join(format!("pecfg-group-flux-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_all(&dir, &files);
    let mut built = 0;
    for unit in &group.units {
        let folder = dir.join("clusters").join(&unit.name);
        let output = Command::new(&kubectl)
            .arg("kustomize")
            .arg(&folder)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "kubectl kustomize {}: {}",
            folder.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        let kinds: Vec<String> = documents(&text)
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect();
        assert!(kinds.contains(&"HelmRelease".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"Namespace".to_string()));
        assert_eq!(
            kinds.contains(&"SealedSecret".to_string()),
            unit.name != "us-east-b",
            "{}",
            unit.name
        );
        built += 1;
    }
    assert_eq!(built, 5);
    // The ApplicationSets' kustomization builds too.
    let argo = group_plan_files(
        &group,
        &diagnostics,
        &options(Some(GitOps::ArgoCd)),
        &GroupSealed::default(),
    );
    write_all(&dir, &argo);
    let output = Command::new(&kubectl)
        .arg("kustomize")
        .arg(dir.join("argocd"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_picture_and_report_escape_every_name_and_hold_no_secret() {
    let (group, diagnostics) = example();
    let svg = group_svg(&group, &diagnostics);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!svg.contains("<script") && !svg.contains("href") && !svg.contains("url("));
    assert!(svg.contains("★ eu-west-a (primary)"));
    assert!(svg.contains("region ap-south"));
    assert!(svg.contains("group.unit-pair"));
    let files = group_plan_files(
        &group,
        &diagnostics,
        &options(None),
        &GroupSealed::default(),
    );
    let report = &files
        .iter()
        .find(|(name, _)| name == "group-report.txt")
        .unwrap()
        .1;
    assert!(report.contains("t100: dc-eu-west-a (eu-west-a's consul_datacenter)"));
    assert!(report.contains("1. units/eu-west-a/t100/install.sh (master of t100)"));
    let secrets = secret_values(&group);
    for secret in &secrets {
        assert!(!svg.contains(secret.as_str()) && !report.contains(secret.as_str()));
    }
    // A fact with markup is escaped in the picture.
    let text = example_text().replace("dc-eu-west-b", "\"dc<b>&x\"");
    let group = resolve_group(&parse_group(&text).unwrap()).unwrap();
    let svg = group_svg(&group, &validate_group(&group));
    assert!(svg.contains("dc&lt;b&gt;&amp;x") && !svg.contains("dc<b>"));
}

#[test]
fn every_unit_plan_is_the_environment_plan_of_its_tenant() {
    let (group, diagnostics) = example();
    let files = group_plan_files(
        &group,
        &diagnostics,
        &options(None),
        &GroupSealed::default(),
    );
    let unit = group.unit("us-east-b").unwrap();
    let environment = &unit.environments[0];
    let alone = pecfg_core::environment::plan_files(&environment.resolved, &options(None));
    for (name, text) in alone {
        let path = format!("units/us-east-b/t200/{name}");
        let found = files.iter().find(|(file, _)| file == &path);
        assert_eq!(found.map(|(_, t)| t), Some(&text), "{path}");
    }
}
