//! Environments: the environment catalog against the charts, shared facts applied (and overridden
//! visibly), the cross-chart checks, refusals at the input boundary, and the GitOps manifests
//! against the CRD schemas of `fixtures/gitops/` with no secret value in them.

use std::path::PathBuf;

use pecfg_core::catalog::registry::all_charts;
use pecfg_core::catalog::Severity;
use pecfg_core::environment::{
    environment_catalog, gitops_files, parse_environment, plan_files, resolve,
    validate_environment, EnvDiagnostic, EnvironmentFile, GitOps, PlanOptions, Resolved,
};
use pecfg_core::export::filled_secrets;
use pecfg_core::lint::lint_environment;
use pecfg_core::validation::Evaluated;
use serde_yaml::Value;

fn example_text() -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/environments/all-charts.yaml"),
    )
    .unwrap()
}

fn example() -> EnvironmentFile {
    parse_environment(&example_text()).unwrap()
}

fn resolved(file: &EnvironmentFile) -> Resolved {
    resolve(file).unwrap()
}

fn chart_answers<'r>(resolved: &'r Resolved, id: &str) -> &'r pecfg_core::answers::Answers {
    &resolved
        .charts
        .iter()
        .find(|entry| entry.chart.id == id)
        .unwrap()
        .answers
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn with_rule<'d>(diagnostics: &'d [EnvDiagnostic], rule: &str) -> Vec<&'d EnvDiagnostic> {
    diagnostics.iter().filter(|d| d.rule == rule).collect()
}

#[test]
fn the_environment_catalog_fits_the_charts() {
    let catalog = environment_catalog().unwrap();
    let problems = lint_environment(catalog, all_charts());
    assert!(problems.is_empty(), "{problems:#?}");
    // Every shared fact is carried by some chart, and every rule cites a guide line.
    for fact in &catalog.shared_facts {
        let carried = all_charts().iter().any(|chart| {
            chart
                .params
                .iter()
                .any(|p| p.shared.as_deref() == Some(&fact.id))
                || chart.secrets.iter().any(|s| {
                    s.shared.as_deref() == Some(&fact.id)
                        || s.keys.iter().any(|k| k.shared.as_deref() == Some(&fact.id))
                })
        });
        assert!(carried, "no chart carries shared fact {}", fact.id);
    }
    for rule in &catalog.cross_chart {
        assert!(rule.source.lines[0] > 0, "{}", rule.id);
    }
}

#[test]
fn shared_facts_are_written_once_into_every_chart_that_carries_them() {
    let resolved = resolved(&example());
    let order: Vec<&str> = resolved
        .charts
        .iter()
        .map(|e| e.chart.id.as_str())
        .collect();
    assert_eq!(
        order,
        ["tenant", "tenant-monitor", "ges", "ixn", "middleware"]
    );
    let tenant = chart_answers(&resolved, "tenant");
    let ixn = chart_answers(&resolved, "ixn");
    let ges = chart_answers(&resolved, "ges");
    assert_eq!(tenant.values["tenantid"], ixn.values["tenant"]["id"]);
    assert_eq!(ixn.values["tenant"]["sid"], Value::from("100"));
    assert_eq!(
        tenant.values["images"]["imagePullSecrets"],
        Value::from("pullsecret")
    );
    assert_eq!(
        ixn.values["image"]["imagePullSecrets"],
        yaml("[{name: pullsecret}]")
    );
    assert_eq!(
        ixn.values["image"]["registry"],
        Value::from("registry.example.com")
    );
    assert_eq!(
        ixn.values["ixnService"]["priorityClassName"],
        Value::from("genesysengage-high-priority")
    );
    // The port is text for GES and a number for IXN, as each chart types it.
    assert_eq!(
        ges.values["ges"]["configMap"]["integrations"]["vmcs"]["redis_port"],
        Value::from("6379")
    );
    assert_eq!(
        ixn.values["ixnService"]["ixnNode"]["redis"][0]["port"],
        Value::from(6379)
    );
    // Release names follow each chart's own rule from the shared ids.
    assert_eq!(
        pecfg_core::export::release_name(&Evaluated::of(resolved.charts[0].chart, tenant)),
        "t80dd"
    );
    assert_eq!(
        pecfg_core::export::release_name(&Evaluated::of(resolved.charts[3].chart, ixn)),
        "ixn-100"
    );
    // The pull secret lands in every namespace under the shared name, with the shared registry.
    for id in ["tenant", "ges", "ixn"] {
        let entry = resolved.charts.iter().find(|e| e.chart.id == id).unwrap();
        let pull: Vec<_> = filled_secrets(&Evaluated::of(entry.chart, &entry.answers))
            .into_iter()
            .filter(|s| s.secret_type.as_str() == "kubernetes.io/dockerconfigjson")
            .collect();
        assert_eq!(pull.len(), 1, "{id}");
        assert_eq!(pull[0].name, "pullsecret", "{id}");
        assert!(
            pull[0].keys[0].value.contains("\"registry.example.com\""),
            "{id}"
        );
    }
    // ORS Redis: GES gets the three fields its key declares, IXN all four.
    let ges_ors = &ges.secrets["ges-secrets"]["voice-redis-ors-stream"];
    assert!(ges_ors.get("port").is_none());
    assert_eq!(
        ixn.secrets["redis-ors-secret"]["voice-redis-ors-stream"]["port"],
        Value::from("6379")
    );
    assert!(resolved.overridden.is_empty());
    let diagnostics = validate_environment(&resolved);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(with_rule(&diagnostics, "env.tenant-upstream-ixn-server").is_empty());
}

#[test]
fn a_charts_own_value_wins_and_is_reported() {
    let mut file = example();
    let ixn = file.charts.get_mut("ixn").unwrap();
    pecfg_core::answers::set_value(
        &mut ixn.values,
        "image.registry",
        Value::from("mirror.example.com"),
    )
    .unwrap();
    let resolved = resolved(&file);
    assert_eq!(
        chart_answers(&resolved, "ixn").values["image"]["registry"],
        Value::from("mirror.example.com")
    );
    assert_eq!(resolved.overridden.len(), 1);
    assert_eq!(resolved.overridden[0].chart, "ixn");
    let diagnostics = validate_environment(&resolved);
    let overrides = with_rule(&diagnostics, "env.shared-override");
    assert_eq!(overrides.len(), 1);
    assert_eq!(overrides[0].severity, Severity::Warning);
    assert!(overrides[0].message.contains("image.registry"));
}

#[test]
fn breaking_the_ixn_port_is_reported_on_both_charts() {
    let mut file = example();
    let ixn = file.charts.get_mut("ixn").unwrap();
    pecfg_core::answers::set_value(
        &mut ixn.values,
        "ixnService.ixnServer.ports.default",
        Value::from(13130),
    )
    .unwrap();
    let diagnostics = validate_environment(&resolved(&file));
    let found = with_rule(&diagnostics, "env.tenant-upstream-ixn-server");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0].charts, ["tenant", "ixn"]);
    assert!(
        found[0]
            .message
            .contains("ixn-server-9350e2fc-a1dd-4c65-8d40-1f75a2e080dd:7120"),
        "{}",
        found[0].message
    );
    assert!(found[0].message.contains(":13130"), "{}", found[0].message);
    assert!(found[0]
        .message
        .contains("002_b54c037d8a312232.txt:1685-1686"));
}

#[test]
fn one_tenant_id_one_ors_redis_one_vocabulary_and_the_namespace_table() {
    let mut file = example();
    let ixn = file.charts.get_mut("ixn").unwrap();
    pecfg_core::answers::set_value(
        &mut ixn.values,
        "tenant.id",
        Value::from("11111111-2222-4333-8444-555555555555"),
    )
    .unwrap();
    pecfg_core::answers::set_value(
        &mut ixn.values,
        "ixnVQNode.priorityClassName",
        Value::from("gold"),
    )
    .unwrap();
    ixn.namespace = Some("interactions".into());
    pecfg_core::answers::set_secret(
        &mut file.charts.get_mut("ges").unwrap().secrets,
        "ges-secrets",
        "voice-redis-ors-stream",
        Some("password"),
        "a-different-secret-value",
    );
    // set_secret starts an empty map: give GES's other fields as the shared ones.
    let ges = file.charts.get_mut("ges").unwrap();
    let key = ges
        .secrets
        .get_mut("ges-secrets")
        .unwrap()
        .get_mut("voice-redis-ors-stream")
        .unwrap();
    key.as_mapping_mut()
        .unwrap()
        .insert("rejectUnauthorized".into(), "false".into());
    let diagnostics = validate_environment(&resolved(&file));
    let tenant_id = with_rule(&diagnostics, "env.one-tenant-id");
    assert_eq!(tenant_id.len(), 1);
    assert_eq!(tenant_id[0].severity, Severity::Error);
    assert_eq!(tenant_id[0].charts, ["tenant", "ixn"]);
    let ors = with_rule(&diagnostics, "env.ors-redis-secret-fields");
    assert_eq!(ors.len(), 1, "{diagnostics:#?}");
    assert!(ors[0].message.contains("password"));
    for diagnostic in &diagnostics {
        assert!(
            !diagnostic.message.contains("a-different-secret-value"),
            "{diagnostic:?}"
        );
        assert!(!diagnostic.message.contains("ors 'pw'"), "{diagnostic:?}");
    }
    let vocabulary = with_rule(&diagnostics, "env.priority-class-vocabulary");
    assert_eq!(vocabulary.len(), 1);
    assert!(vocabulary[0].message.contains("gold"));
    let table = with_rule(&diagnostics, "env.namespace-table");
    assert_eq!(table.len(), 1);
    assert!(table[0].message.contains("interactions") && table[0].message.contains("ixn"));
    // The overrides are visible too.
    assert!(!with_rule(&diagnostics, "env.shared-override").is_empty());
}

#[test]
fn conflicts_between_charts_in_one_namespace() {
    let mut file = example();
    // tenant-monitor installed under the Tenant's release name in the same namespace.
    file.charts.get_mut("tenant-monitor").unwrap().release = Some("t80dd".into());
    let diagnostics = validate_environment(&resolved(&file));
    assert_eq!(with_rule(&diagnostics, "env.release-conflict").len(), 1);
    // Two charts in one namespace writing one Secret name with different contents.
    let mut file = example();
    file.charts.get_mut("ges").unwrap().namespace = Some("ixn".into());
    let diagnostics = validate_environment(&resolved(&file));
    let conflict = with_rule(&diagnostics, "env.secret-conflict");
    assert!(conflict.iter().all(|d| !d.message.contains("tok€n")));
    // ges-secrets vs redis-ors-secret differ in name; the pull secrets are equal: no conflict.
    assert!(conflict.is_empty(), "{conflict:#?}");
}

#[test]
fn the_input_boundary_refuses_what_it_cannot_take() {
    let refused = |text: &str, wanted: &str| {
        let error = parse_environment(text).unwrap_err();
        assert!(error.contains(wanted), "{error}");
    };
    refused("environment: e\ncharts: {nope: {}}\n", "unknown chart");
    refused(
        "environment: e\nshared: {tenant_uid: x}\n",
        "unknown fact `tenant_uid`",
    );
    refused(
        "environment: e\nshared: {tenant_uuid: not-a-uuid}\n",
        "shared.tenant_uuid is not a uuid",
    );
    refused(
        "environment: e\nshared: {pull_secret: {user: x}}\n",
        "unknown field `user`",
    );
    refused("environment: e\nshared: {pull_secret: pw}\n", "is a map of");
    refused(
        "environment: e\ncharts: {ixn: {chart: ixn}}\n",
        "unknown field",
    );
    refused(
        "environment: e\ncharts: {ixn: {values: {~: 1}}}\n",
        "null key",
    );
    refused(
        "environment: e\nsources: {ixn: {ref: x}}\n",
        "not among `charts`",
    );
    let bomb = format!(
        "environment: e\na: &a [{}]\nb: [{}]\n",
        vec!["x"; 600].join(","),
        vec!["*a"; 600].join(",")
    );
    refused(&bomb, "more than");
    // A password never shows in a refusal.
    let error =
        parse_environment("environment: e\nshared: {tenant_uuid: [\"hunter2\"]}\n").unwrap_err();
    assert!(!error.contains("hunter2"), "{error}");
    // YAML 1.1 as Helm reads it: a plain `0100` short id would be the number 64.
    let file = parse_environment("environment: e\nshared: {tenant_sid: \"0100\"}\ncharts: {ixn: {values: {replicaCount: 1}}}\n").unwrap();
    assert_eq!(file.shared["tenant_sid"], Value::from("0100"));
}

#[test]
fn a_name_with_a_line_break_is_blocked_and_stays_in_comments_and_quotes() {
    let text = example_text().replace(
        "environment: tenant-100",
        "environment: \"tenant-100\\nreboot\"",
    );
    let file = parse_environment(&text).unwrap();
    let resolved = resolved(&file);
    let diagnostics = validate_environment(&resolved);
    assert!(with_rule(&diagnostics, "env.name")
        .iter()
        .any(|d| d.severity == Severity::Error));
    let files = plan_files(
        &resolved,
        &PlanOptions {
            gitops: Some(GitOps::Flux),
            ..PlanOptions::default()
        },
    );
    for (name, text) in &files {
        assert!(
            !text
                .lines()
                .any(|line| line.trim_start().starts_with("reboot")),
            "{name} starts a line with the payload:\n{text}"
        );
    }
    assert_eq!(
        pecfg_core::environment::plan_zip_name(&resolved),
        "environment-plan.zip"
    );
}

// ------------------------------------------------------------------------------- GitOps

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

fn check_against_schemas(files: &[(String, String)]) -> usize {
    let mut checked = 0;
    for (name, text) in files.iter().filter(|(name, _)| name.starts_with("gitops/")) {
        for document in documents(text) {
            let kind = document["kind"].as_str().unwrap().to_ascii_lowercase();
            let validator = schema(&kind);
            let errors: Vec<String> = validator
                .iter_errors(&document)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} ({kind}): {errors:#?}\n{text}");
            checked += 1;
        }
    }
    checked
}

/// Every secret value of the environment: filled Secret keys (and each JSON field) and the
/// `sensitive` values.
fn secret_values(resolved: &Resolved) -> Vec<String> {
    let mut values = Vec::new();
    for entry in &resolved.charts {
        for secret in filled_secrets(&Evaluated::of(entry.chart, &entry.answers)) {
            for key in secret.keys {
                values.push(key.value.clone());
                if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&key.value) {
                    for value in fields.values() {
                        if let Some(text) = value.as_str() {
                            values.push(text.to_string());
                        }
                    }
                }
                if let Some(login) = key.docker {
                    values.push(login.password);
                }
            }
        }
        for param in entry.chart.params.iter().filter(|p| p.sensitive) {
            let segments = pecfg_core::path::parse_path(&param.path).unwrap();
            if let Some(Value::String(text)) =
                pecfg_core::path::get(&entry.answers.values, &segments)
            {
                values.push(text.clone());
            }
        }
    }
    values
        .retain(|value| value.len() >= 6 && !value.starts_with('/') && !value.ends_with(".local"));
    values
}

#[test]
fn gitops_manifests_validate_and_hold_no_secret_value() {
    let mut file = example();
    // One chart from a Helm repository, one from an OCI registry, the rest without a source.
    file.sources.insert(
        "ixn".into(),
        serde_yaml::from_str("{repository: https://charts.example.com/genesys, version: 100.0.1}")
            .unwrap(),
    );
    file.sources.insert(
        "tenant".into(),
        serde_yaml::from_str("{repository: oci://registry.example.com/charts, chart: voice-tenant, version: 100.0.2}").unwrap(),
    );
    let resolved = resolved(&file);
    let secrets = secret_values(&resolved);
    assert!(
        secrets.iter().any(|s| s.contains("ixn-pa$$")),
        "the sensitive IXN password is among them"
    );
    for flavor in [GitOps::ArgoCd, GitOps::Flux] {
        let files = gitops_files(&resolved, flavor);
        let checked = check_against_schemas(&files);
        assert!(checked >= 5, "{flavor:?}: {checked} documents");
        for (name, text) in &files {
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{flavor:?}: {name} holds a secret value"
                );
            }
            assert!(
                !documents(text).iter().any(|d| d["kind"] == "Secret"),
                "{name}"
            );
        }
        let kustomization = &files.last().unwrap().1;
        for (name, _) in files
            .iter()
            .filter(|(n, _)| !n.ends_with("kustomization.yaml"))
        {
            assert!(
                kustomization.contains(name.trim_start_matches("gitops/")),
                "{name}"
            );
        }
    }
    let flux = gitops_files(&resolved, GitOps::Flux);
    let text = |name: &str| flux.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert!(text("gitops/ixn.yaml").contains("kind: HelmRepository"));
    assert!(text("gitops/tenant.yaml").contains("kind: OCIRepository"));
    assert!(
        text("gitops/tenant.yaml").contains("url: oci://registry.example.com/charts/voice-tenant")
    );
    // dependsOn follows the deployment order, among the charts written (GES has no source).
    let ixn = documents(&text("gitops/ixn.yaml"));
    let release = ixn.iter().find(|d| d["kind"] == "HelmRelease").unwrap();
    assert_eq!(release["spec"]["dependsOn"][0]["name"], "tenant-100-tenant");
    assert!(
        release["spec"]["values"]["ixnService"]["ixnServer"]["secrets"]["db"]
            .get("password")
            .is_none()
    );
    // Argo CD: sync waves in order.
    let argo = gitops_files(&resolved, GitOps::ArgoCd);
    let waves: Vec<String> = argo
        .iter()
        .filter(|(n, _)| !n.ends_with("namespaces.yaml") && !n.ends_with("kustomization.yaml"))
        .map(|(_, t)| {
            documents(t)[0]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // Only the charts with a source get an Application; waves keep the deployment order.
    assert_eq!(waves, ["1", "4"]);
}

#[test]
fn the_schemas_catch_a_wrong_manifest() {
    let validator = schema("helmrelease");
    let bad: serde_json::Value = serde_json::json!({
        "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "x", "namespace": "y"},
        "spec": {"interval": "soon", "chart": {"spec": {"chart": "c"}}, "valus": {}}
    });
    assert!(validator.iter_errors(&bad).count() >= 3);
}

#[test]
fn the_picture_shows_namespaces_charts_in_order_and_what_is_missing() {
    let mut file = example();
    // Break something: the IXN Kafka Secret left out, and an error on the tenant id.
    file.charts
        .get_mut("ixn")
        .unwrap()
        .secrets
        .remove("kafka-shared-secret");
    pecfg_core::answers::set_value(
        &mut file.charts.get_mut("ixn").unwrap().values,
        "tenant.id",
        Value::from("11111111-2222-4333-8444-555555555555"),
    )
    .unwrap();
    let resolved = resolved(&file);
    let diagnostics = validate_environment(&resolved);
    let svg = pecfg_core::environment::plan_svg(&resolved, &diagnostics);
    // Well-formed: one root, every text escaped (the example's passwords hold quotes and `$`).
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    let boxes: Vec<usize> = [
        "namespace voice",
        "namespace ges",
        "namespace ixn",
        "namespace genesys-middleware",
    ]
    .iter()
    .map(|label| svg.find(label).unwrap_or_else(|| panic!("{label} missing")))
    .collect();
    assert!(
        boxes.windows(2).all(|pair| pair[0] < pair[1]),
        "boxes in deployment order"
    );
    assert!(svg.contains("4. ixn (step 8)"));
    assert!(svg.contains("class=\"missing\">○ Secret kafka-shared-secret not filled in"));
    assert!(svg.contains("class=\"error\">✗"));
    assert!(svg.contains("tenant_uuid → tenant"));
    for secret in secret_values(&resolved) {
        assert!(
            !svg.contains(secret.as_str()),
            "the picture holds a secret value"
        );
    }
    // A hostile name is text, not markup.
    let mut hostile = example();
    hostile.environment = "<script>alert(1)</script>".into();
    let svg = pecfg_core::environment::plan_svg(&resolve(&hostile).unwrap(), &[]);
    assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
}

#[test]
fn flux_reads_the_sensitive_values_from_a_secret_the_plan_creates() {
    let resolved = resolved(&example_with_sources());
    let options = PlanOptions {
        gitops: Some(GitOps::Flux),
        ..PlanOptions::default()
    };
    let files = plan_files(&resolved, &options);
    let file = |name: &str| files.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let release = documents(&file("gitops/ixn.yaml"))
        .into_iter()
        .find(|d| d["kind"] == "HelmRelease")
        .unwrap();
    assert_eq!(
        release["spec"]["valuesFrom"],
        serde_json::json!([{"kind": "Secret", "name": "ixn-100-sensitive-values", "valuesKey": "values.yaml"}])
    );
    // The Secret is in ixn-secrets.yaml and created by install.sh, holding both passwords.
    let secrets = documents(&file("ixn-secrets.yaml"));
    let sensitive = secrets
        .iter()
        .find(|d| d["metadata"]["name"] == "ixn-100-sensitive-values")
        .unwrap();
    let text = String::from_utf8(
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            sensitive["data"]["values.yaml"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let values: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(
        values["ixnService"]["ixnServer"]["secrets"]["db"]["password"],
        Value::from("ixn-pa$$")
    );
    assert_eq!(
        values["ixnService"]["ixnNode"]["secrets"]["db"]["password"],
        Value::from("node pw")
    );
    assert!(file("install.sh").contains("kubectl create secret generic ixn-100-sensitive-values"));
    assert!(file("install.ps1").contains("ixn-100-sensitive-values"));
    // Without Flux there is no such Secret, and Argo CD's manifest says where the values went.
    let plain = plan_files(&resolved, &PlanOptions::default());
    assert!(!plain
        .iter()
        .any(|(_, text)| text.contains("sensitive-values")));
    let argo = gitops_files(&resolved, GitOps::ArgoCd);
    assert!(argo.iter().any(|(_, text)| text
        .replace("\n# ", " ")
        .contains("Argo CD must get them from outside Git")));
}

#[test]
fn a_flag_like_chart_source_blocks_the_plan_and_is_never_written() {
    let mut file = example();
    file.sources.insert(
        "ixn".into(),
        serde_yaml::from_str("{ref: \"--post-renderer=/bin/sh\"}").unwrap(),
    );
    let resolved = resolved(&file);
    let reasons =
        pecfg_core::environment::plan_blocking_reasons(&resolved, &validate_environment(&resolved));
    assert!(
        reasons.iter().any(|r| r.contains("sources.ixn.ref")),
        "{reasons:#?}"
    );
    // Forced, the refused reference is never written: the script asks for one, and helm only
    // ever gets the variable after `--`.
    let sh = pecfg_core::environment::install_sh(&resolved, &PlanOptions::default());
    assert!(!sh.contains("--post-renderer"), "{sh}");
    assert!(
        sh.contains("CHART_REF_IXN=\"${CHART_REF_IXN:-}\"\n"),
        "{sh}"
    );
    let ps1 = pecfg_core::environment::install_ps1(&resolved, &PlanOptions::default());
    assert!(!ps1.contains("--post-renderer"));
    for line in sh.lines().filter(|line| {
        line.trim_start().starts_with("helm ") && line.contains("\"$CHART_REF_IXN\"")
    }) {
        let (flags, positionals) = line.split_once(" -- ").unwrap();
        assert!(!flags.contains("CHART_REF"), "{line}");
        assert!(positionals.contains("\"$CHART_REF_IXN\""), "{line}");
    }
}

fn comment_head(text: &str) -> String {
    text.lines()
        .skip_while(|line| line.starts_with("#!"))
        .take_while(|line| line.starts_with('#'))
        .map(|line| line.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn plan_headers_say_what_each_file_holds() {
    // Issue 30: every header is read from what its file holds. install.sh said "It holds secret
    // values" with none filled in; with Flux, ixn-secrets.yaml said nothing of the
    // sensitive-values Secret appended after its header.
    let full = resolved(&example());
    let flux = PlanOptions {
        gitops: Some(GitOps::Flux),
        ..PlanOptions::default()
    };
    let files = plan_files(&full, &flux);
    let file = |name: &str| files.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let ixn_secrets = file("ixn-secrets.yaml");
    let count = documents(&ixn_secrets).len();
    assert!(
        comment_head(&ixn_secrets).contains(&format!("It holds the values of {count} Secrets")),
        "{}",
        comment_head(&ixn_secrets)
    );
    assert!(comment_head(&ixn_secrets).contains("kubectl apply -f ixn-secrets.yaml"));
    assert!(comment_head(&file("install.sh")).contains("It holds the values of"));
    // Nothing filled in: no file claims to hold a secret value.
    let mut bare = example();
    bare.shared.remove("pull_secret");
    bare.shared.remove("ors_redis");
    for body in bare.charts.values_mut() {
        body.secrets.clear();
    }
    pecfg_core::answers::reset_value(
        &mut bare.charts.get_mut("ixn").unwrap().values,
        "ixnService",
    )
    .unwrap();
    pecfg_core::answers::reset_value(
        &mut bare.charts.get_mut("ges").unwrap().values,
        "ges.configMap.env.decrypt_password",
    )
    .unwrap();
    let bare = resolved(&bare);
    for (name, text) in plan_files(&bare, &PlanOptions::default()) {
        if name.ends_with(".svg") || name.ends_with(".txt") {
            continue;
        }
        let head = comment_head(&text);
        assert!(!head.contains("It holds secret values"), "{name}: {head}");
        assert!(!head.contains("It holds the values of"), "{name}: {head}");
    }
    let install = comment_head(&pecfg_core::environment::install_sh(
        &bare,
        &PlanOptions::default(),
    ));
    assert!(install.contains("It holds no secret value"), "{install}");
    // The environment file's first line too.
    let with = pecfg_core::environment::environment_yaml(&example());
    assert!(
        with.lines().next().unwrap().contains("with secret values"),
        "{}",
        with.lines().next().unwrap()
    );
    let without = pecfg_core::environment::environment_yaml(
        &pecfg_core::environment::without_secrets(&example()),
    );
    assert!(without
        .lines()
        .next()
        .unwrap()
        .contains("(no secret values)"));
    // A GitOps manifest says which of the chart's Secrets the plan creates and which it does not.
    let mut sourced = example_with_sources();
    sourced.charts.get_mut("ixn").unwrap().secrets.clear();
    sourced.shared.remove("ors_redis");
    let files = gitops_files(&resolved(&sourced), GitOps::ArgoCd);
    let ixn = comment_head(&gitops_text(&files, "gitops/ixn.yaml").unwrap());
    assert!(
        ixn.contains("no Secret and no value the catalog marks as a credential"),
        "{ixn}"
    );
    assert!(
        ixn.contains(
            "not filled in, so to be created before the sync if the chart needs them: \
             redis-ors-secret, kafka-shared-secret"
        ),
        "{ixn}"
    );
    assert!(!ixn.contains("the Secrets it names are created"), "{ixn}");
}

/// The example with a source for every chart GitOps can install (a Helm repository for IXN, an
/// OCI registry for the Tenant).
fn example_with_sources() -> EnvironmentFile {
    let mut file = example();
    file.sources.insert(
        "ixn".into(),
        serde_yaml::from_str("{repository: https://charts.example.com/genesys, version: 100.0.1}")
            .unwrap(),
    );
    file.sources.insert(
        "tenant".into(),
        serde_yaml::from_str(
            "{repository: oci://registry.example.com/charts, chart: voice-tenant, version: 100.0.2}",
        )
        .unwrap(),
    );
    file
}

#[test]
fn gitops_values_keep_mount_paths_and_say_what_they_withhold() {
    // Issue 30: the Argo CD values of the Tenant silently dropped the `sensitive` secret
    // references that hold a mount path (`/opt/genesys/dbpassword/dbpassword`): a file path is
    // not a credential (`mask::holds_credential`), and nothing said they were gone.
    let mut file = example_with_sources();
    pecfg_core::answers::set_value(
        &mut file.charts.get_mut("tenant").unwrap().values,
        "tenant.secrets.gws.pwd.secretName",
        Value::from("/opt/genesys/gauth-client-secret/clientsecret"),
    )
    .unwrap();
    let resolved = resolved(&file);
    let tenant = all_charts().iter().find(|c| c.id == "tenant").unwrap();
    let answers = chart_answers(&resolved, "tenant");
    let paths: Vec<(String, Value)> = tenant
        .params
        .iter()
        .filter(|param| param.sensitive)
        .filter_map(|param| {
            let segments = pecfg_core::path::parse_path(&param.path).ok()?;
            let value = pecfg_core::path::get(&answers.values, &segments)?.clone();
            Some((param.path.clone(), value))
        })
        .collect();
    assert!(paths.len() >= 3, "{paths:?}");
    let read = |document: &serde_json::Value, path: &str| {
        path.split('.')
            .fold(document.clone(), |node, key| node[key].clone())
    };
    for flavor in [GitOps::ArgoCd, GitOps::Flux] {
        let files = gitops_files(&resolved, flavor);
        let text = |name: &str| files.iter().find(|(n, _)| n == name).unwrap().1.clone();
        let tenant_text = text("gitops/tenant.yaml");
        let documents = documents(&tenant_text);
        let values = match flavor {
            GitOps::ArgoCd => documents[0]["spec"]["source"]["helm"]["valuesObject"].clone(),
            GitOps::Flux => documents
                .iter()
                .find(|d| d["kind"] == "HelmRelease")
                .unwrap()["spec"]["values"]
                .clone(),
        };
        for (path, value) in &paths {
            assert_eq!(
                read(&values, path),
                serde_json::to_value(value).unwrap(),
                "{flavor:?}: {path} is kept"
            );
        }
        assert!(!tenant_text.contains("Left out"), "{tenant_text}");
        assert!(!tenant_text.contains("valuesFrom"), "{tenant_text}");
        // IXN's passwords are withheld, and the file says which and where they come from.
        let ixn = text("gitops/ixn.yaml").replace("\n# ", " ");
        assert!(
            ixn.contains(
                "Left out of these values, as credentials the chart reads from its values: \
                 ixnService.ixnServer.secrets.db.password, ixnService.ixnNode.secrets.db.password;"
            ),
            "{ixn}"
        );
        // The plan's report says the same.
        let options = PlanOptions {
            gitops: Some(flavor),
            ..PlanOptions::default()
        };
        let report = pecfg_core::environment::plan_report(&resolved, &options);
        let line = report
            .lines()
            .find(|line| line.contains(": ixn: Left out"))
            .unwrap_or_else(|| panic!("{flavor:?}: {report}"));
        assert!(
            line.contains("ixnService.ixnNode.secrets.db.password"),
            "{line}"
        );
        assert!(!report.contains(": tenant: Left out"), "{report}");
        let plan = plan_files(&resolved, &options);
        let report_file = &plan
            .iter()
            .find(|(n, _)| n == "environment-report.txt")
            .unwrap()
            .1;
        assert_eq!(report_file, &report);
        // No Secret is made for values that stay inline.
        let tenant_secrets = &plan
            .iter()
            .find(|(n, _)| n == "tenant-secrets.yaml")
            .unwrap()
            .1;
        assert!(!tenant_secrets.contains("sensitive-values"), "{flavor:?}");
    }
}

fn gitops_text(files: &[(String, String)], name: &str) -> Option<String> {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
}

#[test]
fn gitops_writes_no_manifest_that_cannot_sync_and_says_why() {
    // Issue 30: the Tenant's Application had `repoURL: REPLACE-WITH-CHART-REPOSITORY`, the guide's
    // URL template as its chart and `targetRevision: "*"`.
    let resolved_bare = resolved(&example());
    for (flavor, kind) in [
        (GitOps::ArgoCd, "Application"),
        (GitOps::Flux, "HelmRelease"),
    ] {
        let files = gitops_files(&resolved_bare, flavor);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["gitops/namespaces.yaml", "gitops/kustomization.yaml"],
            "{flavor:?}: no chart has a source"
        );
        for (name, text) in &files {
            for bad in ["REPLACE-WITH", "<jfrog-repository>", "\"*\"", "semver"] {
                assert!(!text.contains(bad), "{flavor:?}: {name} holds {bad}");
            }
        }
        let options = PlanOptions {
            gitops: Some(flavor),
            ..PlanOptions::default()
        };
        let report = pecfg_core::environment::plan_report(&resolved_bare, &options);
        for id in ["tenant", "tenant-monitor", "ges", "ixn", "middleware"] {
            assert!(
                report.contains(&format!(": {id}: no {kind} written, it could not sync")),
                "{id}: {report}"
            );
        }
        let tenant = report
            .lines()
            .find(|line| line.contains(": tenant: no"))
            .unwrap();
        assert!(
            tenant.contains("https://<jfrog-repository>/tenant-<version>.tgz")
                && tenant.contains("give sources.tenant in the environment file"),
            "{tenant}"
        );
    }

    // A .tgz URL is not a repository: reported, with the split to give if its folder is one.
    let mut file = example();
    file.sources.insert(
        "tenant".into(),
        yaml_source("{ref: https://jfrog.example.com/artifactory/helm/tenant-100.0.2.tgz}"),
    );
    file.sources.insert(
        "ixn".into(),
        yaml_source("{repository: https://charts.example.com/genesys}"),
    );
    file.sources.insert(
        "middleware".into(),
        yaml_source("{ref: ./genesys-middleware-stack, version: 1.0.0}"),
    );
    let report = pecfg_core::environment::plan_report(
        &resolved(&file),
        &PlanOptions {
            gitops: Some(GitOps::ArgoCd),
            ..PlanOptions::default()
        },
    );
    assert!(
        report.contains(
            "sources.tenant.ref is a chart archive URL, not a chart repository (if \
         https://jfrog.example.com/artifactory/helm is a Helm repository, that is {repository: \
         https://jfrog.example.com/artifactory/helm, chart: tenant, version: 100.0.2})"
        ),
        "{report}"
    );
    assert!(
        report.contains("no chart version is given: give sources.ixn.version"),
        "{report}"
    );
    assert!(
        report.contains("sources.middleware.ref is a local folder or file"),
        "{report}"
    );
    assert!(gitops_files(&resolved(&file), GitOps::Flux)
        .iter()
        .all(|(name, _)| !name.ends_with("tenant.yaml") && !name.ends_with("ixn.yaml")));

    // That split given: the archive's name is the chart's name, the version is pinned, and the
    // repository's login (the guide's JFrog) is named.
    let mut file = example();
    file.sources.insert(
        "tenant".into(),
        yaml_source("{repository: https://jfrog.example.com/artifactory/helm, version: 100.0.2}"),
    );
    file.sources.insert(
        "ixn".into(),
        yaml_source("{ref: oci://registry.example.com/charts/ixn, version: 100.0.1}"),
    );
    let resolved = resolved(&file);
    let argo = gitops_files(&resolved, GitOps::ArgoCd);
    let tenant = documents(&gitops_text(&argo, "gitops/tenant.yaml").unwrap());
    assert_eq!(
        tenant[0]["spec"]["source"]["repoURL"],
        "https://jfrog.example.com/artifactory/helm"
    );
    assert_eq!(tenant[0]["spec"]["source"]["chart"], "tenant");
    assert_eq!(tenant[0]["spec"]["source"]["targetRevision"], "100.0.2");
    assert!(gitops_text(&argo, "gitops/tenant.yaml")
        .unwrap()
        .replace("\n# ", " ")
        .contains("The chart repository asks for a login"));
    let ixn = documents(&gitops_text(&argo, "gitops/ixn.yaml").unwrap());
    assert_eq!(
        ixn[0]["spec"]["source"]["repoURL"],
        "registry.example.com/charts"
    );
    assert_eq!(ixn[0]["spec"]["source"]["chart"], "ixn");
    let flux = gitops_files(&resolved, GitOps::Flux);
    check_against_schemas(&flux);
    check_against_schemas(&argo);
    let tenant = documents(&gitops_text(&flux, "gitops/tenant.yaml").unwrap());
    assert_eq!(tenant[0]["kind"], "HelmRepository");
    assert_eq!(
        tenant[0]["spec"]["secretRef"]["name"],
        "tenant-100-tenant-repository"
    );
    assert_eq!(tenant[1]["spec"]["chart"]["spec"]["chart"], "tenant");
    assert_eq!(tenant[1]["spec"]["chart"]["spec"]["version"], "100.0.2");
    let ixn = documents(&gitops_text(&flux, "gitops/ixn.yaml").unwrap());
    assert_eq!(
        ixn[0]["spec"]["url"],
        "oci://registry.example.com/charts/ixn"
    );
    assert_eq!(ixn[0]["spec"]["ref"]["tag"], "100.0.1");
    // IXN's HelmRelease depends on the last chart written before it, the Tenant.
    assert_eq!(ixn[1]["spec"]["dependsOn"][0]["name"], "tenant-100-tenant");
}

fn yaml_source(text: &str) -> pecfg_core::environment::ChartSource {
    serde_yaml::from_str(text).unwrap()
}

#[test]
fn a_shared_port_typed_as_text_is_a_port_and_the_saved_file_reads_back() {
    // Issue 30: 6379 typed for ors_redis_port gave "shared ors_redis_port is not a port", and the
    // saved file's `ors_redis_port: "6379"` was refused by `pecfg validate --environment`.
    use pecfg_core::environment::{environment_file, environment_yaml, without_secrets, Setup};
    let mut setup = Setup::new("tenant-100");
    setup.set_member("ixn", true);
    setup.set_member("ges", true);
    setup.set_fact("ors_redis_port", None, Some("6379"));
    assert_eq!(setup.fact_problems(), Vec::<(String, String)>::new());
    assert_eq!(setup.fact_text("ors_redis_port", None), "6379");
    let file = environment_file(&setup, &std::collections::BTreeMap::new(), |id| {
        pecfg_core::catalog::registry::chart(id).map(pecfg_core::values::new_answers)
    });
    let saved = environment_yaml(&without_secrets(&file));
    assert!(saved.contains("\n  ors_redis_port: 6379\n"), "{saved}");
    let read = parse_environment(&saved).unwrap();
    assert_eq!(read.shared["ors_redis_port"], Value::from(6379));
    // The quoted form is accepted too, and written back as a number.
    let quoted = saved.replace("ors_redis_port: 6379", "ors_redis_port: \"6379\"");
    let read = parse_environment(&quoted).unwrap();
    assert_eq!(read.shared["ors_redis_port"], Value::from(6379));
    assert!(environment_yaml(&read).contains("\n  ors_redis_port: 6379\n"));
    // Each chart gets its own type: GES text, IXN a number.
    let resolved = resolved(&read);
    assert_eq!(
        chart_answers(&resolved, "ges").values["ges"]["configMap"]["integrations"]["vmcs"]
            ["redis_port"],
        Value::from("6379")
    );
    assert_eq!(
        chart_answers(&resolved, "ixn").values["ixnService"]["ixnNode"]["redis"][0]["port"],
        Value::from(6379)
    );
    // What is not a port stays refused, the page and the file alike.
    for bad in ["\"63a\"", "70000", "\"06379\""] {
        let text = saved.replace("ors_redis_port: 6379", &format!("ors_redis_port: {bad}"));
        assert!(
            parse_environment(&text)
                .is_err_and(|e| e.contains("shared.ors_redis_port is not a port")),
            "{bad}"
        );
        setup.set_fact("ors_redis_port", None, Some(bad.trim_matches('"')));
        assert_eq!(setup.fact_problems().len(), 1, "{bad}");
    }
}
