//! `pecfg plan` and `pecfg validate --environment` with real tools: the plan of all five charts
//! renders with real `helm template` (the test chart), every namespace and Secret is made by real
//! `kubectl … --dry-run=client -o yaml`, install.sh passes `bash -n`; run against a stand-in
//! cluster (`tests/environments/stub-cluster.py` as kubectl and helm) it creates exactly the
//! expected namespaces and Secrets in the documented order, a second run changes nothing,
//! `--dry-run` changes nothing, and a failing chart stops it before any install. A hostile
//! environment (a line break in names) is refused, and forced, stays harmless.
//!
//! The tools come from PATH or `<repo>/.tools/bin`; without them a test prints `SKIPPED: …`
//! (a failure under PECFG_REQUIRE_TOOLS=1).

mod common;

use common::{pecfg, ps1_command_lines, repo, temp_dir, text};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_yaml::Value;

struct Tools {
    helm: PathBuf,
    kubectl: PathBuf,
    python: PathBuf,
}

fn find_tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    let in_repo = repo().join(".tools/bin").join(name);
    on_path
        .or_else(|| in_repo.is_file().then_some(in_repo))
        .map(|path| path.canonicalize().unwrap_or(path))
}

fn tools(test: &str) -> Option<Tools> {
    let python = find_tool("python3").filter(|python| {
        Command::new(python)
            .args(["-c", "import yaml"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    match (find_tool("helm"), find_tool("kubectl"), python) {
        (Some(helm), Some(kubectl), Some(python)) => Some(Tools {
            helm,
            kubectl,
            python,
        }),
        _ => {
            if std::env::var("PECFG_REQUIRE_TOOLS").is_ok_and(|value| value == "1") {
                panic!("{test}: helm, kubectl or python3 with PyYAML missing and PECFG_REQUIRE_TOOLS=1");
            }
            println!("SKIPPED: {test}: helm, kubectl or python3 with PyYAML not found");
            None
        }
    }
}

const CHART_IDS: [&str; 5] = ["tenant", "tenant-monitor", "ges", "ixn", "middleware"];

/// The README's example environment with every chart installed from a copy of the test chart.
fn environment_with_test_chart(dir: &Path) -> PathBuf {
    let source = repo().join("tests/helm-chart");
    let chart = dir.join("chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    for name in ["Chart.yaml", "values.yaml", "templates/values.yaml"] {
        std::fs::copy(source.join(name), chart.join(name)).unwrap();
    }
    let mut text =
        std::fs::read_to_string(repo().join("tests/environments/all-charts.yaml")).unwrap();
    text.push_str("sources:\n");
    for id in CHART_IDS {
        text.push_str(&format!(
            "  {id}: {{ref: {:?}}}\n",
            chart.display().to_string()
        ));
    }
    let file = dir.join("environment.yaml");
    std::fs::write(&file, text).unwrap();
    file
}

fn plan(dir: &Path, environment: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("plan");
    let mut args = vec![
        "plan",
        "--environment",
        environment.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = pecfg(&args);
    assert!(output.status.success(), "{}", text(&output));
    out
}

struct Cluster {
    bin: PathBuf,
    state: PathBuf,
    log: PathBuf,
}

fn cluster(tools: &Tools, dir: &Path) -> Cluster {
    let bin = dir.join("stub-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let stub = repo().join("tests/environments/stub-cluster.py");
    for name in ["kubectl", "helm"] {
        let path = bin.join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\nPECFG_TOOL={name} exec '{}' '{}' \"$@\"\n",
                tools.python.display(),
                stub.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    Cluster {
        bin,
        state: dir.join("state"),
        log: dir.join("calls.log"),
    }
}

/// Runs install.sh against the stand-in cluster; returns the run and the calls it logged.
fn install(
    tools: &Tools,
    cluster: &Cluster,
    plan: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Output, Vec<String>) {
    let _ = std::fs::remove_file(&cluster.log);
    let path = format!(
        "{}:{}",
        cluster.bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg(plan.join("install.sh"))
        .args(args)
        .env("PATH", path)
        .env("PECFG_STATE", &cluster.state)
        .env("PECFG_LOG", &cluster.log)
        .env("PECFG_KUBECTL", &tools.kubectl)
        .env("PECFG_HELM", &tools.helm);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let calls = std::fs::read_to_string(&cluster.log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    (output, calls)
}

/// The objects the stand-in cluster holds: `Kind ns/name` → manifest.
fn stored(cluster: &Cluster) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    let root = cluster.state.join("objects");
    let Ok(kinds) = std::fs::read_dir(&root) else {
        return out;
    };
    for kind in kinds.flatten() {
        for namespace in std::fs::read_dir(kind.path()).unwrap().flatten() {
            for object in std::fs::read_dir(namespace.path()).unwrap().flatten() {
                let ns = namespace.file_name().to_string_lossy().replace('_', "");
                let key = format!(
                    "{} {ns}/{}",
                    kind.file_name().to_string_lossy(),
                    object.file_name().to_string_lossy()
                );
                let body = std::fs::read_to_string(object.path()).unwrap();
                out.insert(key, serde_json::from_str(&body).unwrap());
            }
        }
    }
    out
}

fn expected_applies() -> Vec<&'static str> {
    vec![
        "Namespace /voice",
        "Namespace /ges",
        "Namespace /ixn",
        "Namespace /genesys-middleware",
        // The pull secret, into every namespace that pulls images, before any chart's Secrets.
        "Secret voice/pullsecret",
        "Secret ges/pullsecret",
        "Secret ixn/pullsecret",
        "Secret voice/dbserver",
        "Secret voice/dbname",
        "Secret voice/dbuser",
        "Secret voice/dbpassword",
        "Secret ges/ges-secrets",
        "Secret ixn/redis-ors-secret",
        "Secret ixn/kafka-shared-secret",
        "Secret genesys-middleware/genesys-integration-secrets",
    ]
}

const RELEASES: [(&str, &str); 5] = [
    ("voice", "t80dd"),
    ("voice", "tenant-monitor"),
    ("ges", "ges"),
    ("ixn", "ixn-100"),
    ("genesys-middleware", "genesys-middleware-stack"),
];

fn calls_of(calls: &[String], verb: &str) -> Vec<String> {
    calls
        .iter()
        .filter(|call| call.starts_with(verb))
        .cloned()
        .collect()
}

#[test]
fn the_plan_of_five_charts_installs_in_order_and_a_second_run_changes_nothing() {
    let Some(tools) =
        tools("the_plan_of_five_charts_installs_in_order_and_a_second_run_changes_nothing")
    else {
        return;
    };
    let dir = temp_dir("install");
    let environment = environment_with_test_chart(&dir);
    let plan = plan(&dir, &environment, &["--zip"]);
    let status = Command::new("bash")
        .arg("-n")
        .arg(plan.join("install.sh"))
        .status()
        .unwrap();
    assert!(status.success(), "bash -n install.sh");

    // Every chart renders with real helm from its values file, and the values arrive.
    for (id, (namespace, release)) in CHART_IDS.iter().zip(RELEASES) {
        let output = Command::new(&tools.helm)
            .args(["template", "-n", namespace, "-f"])
            .arg(plan.join(format!("{id}-values.yaml")))
            .arg("--")
            .arg(release)
            .arg(dir.join("chart"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{id}: {}", text(&output));
        let rendered: Value = serde_yaml::from_slice(&output.stdout).unwrap();
        let encoded = rendered["data"]["values.json.b64"].as_str().unwrap();
        let values: serde_json::Value =
            serde_json::from_slice(&BASE64.decode(encoded).unwrap()).unwrap();
        match *id {
            "tenant" => assert_eq!(values["tenantid"], "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd"),
            "ixn" => {
                assert_eq!(
                    values["tenant"]["id"],
                    "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd"
                );
                assert_eq!(values["tenant"]["sid"], "100");
                assert_eq!(values["image"]["imagePullSecrets"][0]["name"], "pullsecret");
            }
            "ges" => assert_eq!(
                values["ges"]["deployment"]["image"]["registry"],
                "registry.example.com"
            ),
            _ => {}
        }
    }

    // First run: everything created, in the documented order.
    let cluster = cluster(&tools, &dir);
    let (output, calls) = install(&tools, &cluster, &plan, &[], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let applies: Vec<String> = calls_of(&calls, "apply ");
    let expected: Vec<String> = expected_applies()
        .iter()
        .map(|object| format!("apply {object} created"))
        .collect();
    assert_eq!(applies, expected);
    let templates = calls_of(&calls, "template ");
    let upgrades = calls_of(&calls, "upgrade ");
    assert_eq!(
        templates,
        RELEASES
            .iter()
            .map(|(_, release)| format!("template {release}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        upgrades,
        RELEASES
            .iter()
            .map(|(ns, release)| format!("upgrade {ns}/{release}"))
            .collect::<Vec<_>>()
    );
    // Every template comes before the first install: a chart that does not render stops the plan
    // before anything is installed.
    let last_template = calls
        .iter()
        .rposition(|c| c.starts_with("template "))
        .unwrap();
    let first_upgrade = calls
        .iter()
        .position(|c| c.starts_with("upgrade "))
        .unwrap();
    assert!(last_template < first_upgrade);

    // The cluster holds exactly those objects, made by real kubectl: the guide's label on ixn,
    // and Secrets byte for byte those of each chart's secrets file.
    let objects = stored(&cluster);
    let mut names: Vec<String> = expected_applies().iter().map(|s| s.to_string()).collect();
    names.sort();
    assert_eq!(objects.keys().cloned().collect::<Vec<_>>(), names);
    assert_eq!(
        objects["Namespace /ixn"]["metadata"]["labels"]["name"],
        "ixn"
    );
    for id in CHART_IDS {
        let file = std::fs::read_to_string(plan.join(format!("{id}-secrets.yaml"))).unwrap();
        for document in serde_yaml::Deserializer::from_str(&file) {
            let document: Value = serde::Deserialize::deserialize(document).unwrap();
            if document.is_null() {
                continue;
            }
            let key = format!(
                "Secret {}/{}",
                document["metadata"]["namespace"].as_str().unwrap(),
                document["metadata"]["name"].as_str().unwrap()
            );
            let made = &objects[&key];
            // kubectl leaves out `type` for a generic Secret, which Kubernetes reads as Opaque.
            assert_eq!(
                made["type"].as_str().unwrap_or("Opaque"),
                document["type"].as_str().unwrap(),
                "{key}"
            );
            let data: BTreeMap<String, String> =
                serde_yaml::from_value(document["data"].clone()).unwrap();
            let made_data: BTreeMap<String, String> =
                serde_json::from_value(made["data"].clone()).unwrap();
            assert_eq!(
                made_data, data,
                "{key}: kubectl's Secret equals the secrets file"
            );
        }
    }

    // Second run: nothing changes, no release is touched.
    let (output, calls) = install(&tools, &cluster, &plan, &[], &[]);
    assert!(output.status.success(), "{}", text(&output));
    let applies = calls_of(&calls, "apply ");
    assert_eq!(applies.len(), expected.len());
    assert!(
        applies.iter().all(|call| call.ends_with(" unchanged")),
        "{applies:#?}"
    );
    assert!(calls_of(&calls, "upgrade ").is_empty(), "{calls:#?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout)
            .matches("already installed from this plan, skipped")
            .count(),
        5
    );

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dry_run_changes_nothing_and_a_failure_stops_before_any_install() {
    let Some(tools) = tools("dry_run_changes_nothing_and_a_failure_stops_before_any_install")
    else {
        return;
    };
    let dir = temp_dir("dry-run");
    let environment = environment_with_test_chart(&dir);
    let plan = plan(&dir, &environment, &[]);
    let cluster = cluster(&tools, &dir);
    let (output, calls) = install(&tools, &cluster, &plan, &["--dry-run"], &[]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(stored(&cluster).is_empty(), "a dry run stores nothing");
    assert!(calls_of(&calls, "apply ")
        .iter()
        .all(|c| c.ends_with("(dry run)")));
    assert_eq!(calls_of(&calls, "upgrade ").len(), 5);
    assert!(calls_of(&calls, "upgrade ")
        .iter()
        .all(|c| c.ends_with(" dry-run")));

    let (output, calls) = install(
        &tools,
        &cluster,
        &plan,
        &[],
        &[("PECFG_FAIL_TEMPLATE", "ixn-100")],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("install.sh: stopped at: helm template ixn"),
        "{stderr}"
    );
    assert_eq!(calls.last().map(String::as_str), Some("template ixn-100"));
    assert!(calls_of(&calls, "upgrade ").is_empty());
    let (output, _) = install(&tools, &cluster, &plan, &["--force"], &[]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown option is refused"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pecfg_validate_environment_reports_cross_chart_findings() {
    let dir = temp_dir("validate");
    let ok = pecfg(&[
        "validate",
        "--environment",
        repo()
            .join("tests/environments/all-charts.yaml")
            .to_str()
            .unwrap(),
    ]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("shared tenant_uuid -> ixn: tenant.id"));
    let broken = std::fs::read_to_string(repo().join("tests/environments/all-charts.yaml"))
        .unwrap()
        .replace("ports: {default: 7120}", "ports: {default: 13130}")
        .replace("ports: {default: 7122}", "ports: {default: 13138}")
        .replace(
            "environment: tenant-100",
            "environment: tenant-100\nsources: {ixn: {ref: ./ixn}}",
        );
    let file = dir.join("broken.yaml");
    std::fs::write(&file, broken).unwrap();
    let output = pecfg(&["validate", "--environment", file.to_str().unwrap()]);
    let printed = text(&output);
    assert!(output.status.success(), "warnings only: {printed}");
    assert_eq!(
        printed.matches("[env.tenant-upstream-ixn-server]").count(),
        2,
        "{printed}"
    );
    assert!(printed.contains("warning [tenant, ixn]"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_line_break_in_a_name_is_refused_and_forced_stays_harmless() {
    let dir = temp_dir("hostile");
    let example =
        std::fs::read_to_string(repo().join("tests/environments/all-charts.yaml")).unwrap();
    // A pull secret name is a DNS name: refused at the boundary, with no value quoted.
    let file = dir.join("refused.yaml");
    std::fs::write(
        &file,
        example.replace(
            "pull_secret_name: pullsecret",
            "pull_secret_name: \"pullsecret\\nreboot\"",
        ),
    )
    .unwrap();
    let output = pecfg(&[
        "plan",
        "--environment",
        file.to_str().unwrap(),
        "--out",
        dir.join("never").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("shared.pull_secret_name is not a dns_subdomain"),
        "{}",
        text(&output)
    );
    assert!(!dir.join("never").exists());

    // The environment name and a namespace with a line break: blocked…
    let hostile = example
        .replace("environment: tenant-100", "environment: \"tenant-100\\nreboot\"")
        .replace("  ixn:\n    values:", "  ixn:\n    namespace: \"ixn\\nreboot\"\n    release: \"ixn-100\\n--post-renderer=/bin/sh\"\n    values:");
    let file = dir.join("hostile.yaml");
    std::fs::write(&file, &hostile).unwrap();
    let out = dir.join("out");
    let output = pecfg(&[
        "plan",
        "--environment",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("block the plan"),
        "{}",
        text(&output)
    );
    assert!(!out.exists());
    // …and written with --force, nothing runs but kubectl and helm, and no name starts a line.
    let output = pecfg(&[
        "plan",
        "--environment",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--force",
        "--gitops",
        "argocd",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let sh = std::fs::read_to_string(out.join("install.sh")).unwrap();
    let ps1 = std::fs::read_to_string(out.join("install.ps1")).unwrap();
    assert!(Command::new("bash")
        .arg("-n")
        .arg(out.join("install.sh"))
        .status()
        .unwrap()
        .success());
    // Outside the scripts (whose quoted strings may span lines, checked by bash -n, the stubs
    // and the PowerShell reader below), no name starts a line.
    for name in std::fs::read_dir(&out).unwrap().flatten() {
        if name.path().is_file() && !name.file_name().to_string_lossy().starts_with("install.") {
            let text = std::fs::read_to_string(name.path()).unwrap();
            assert!(
                !text
                    .lines()
                    .any(|line| line.starts_with("reboot") || line.starts_with("--post-renderer")),
                "{:?}",
                name.path()
            );
        }
    }
    for line in ps1_command_lines(&ps1) {
        let line = line.trim();
        let allowed = [
            "$",
            "kubectl ",
            "helm ",
            "if ",
            "if (",
            "@'",
            "'@ |",
            "#",
            "param(",
            "function ",
            "Write-Output ",
            "Assert-Step ",
            "}",
            "$Apply",
            "$HelmDry",
        ];
        assert!(
            line.is_empty() || allowed.iter().any(|start| line.starts_with(start)),
            "install.ps1 would run {line:?}"
        );
    }
    // Run with stubs that record every call on a PATH that holds nothing else.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("calls.log");
    for tool in ["kubectl", "helm"] {
        let stub = bin.join(tool);
        std::fs::write(
            &stub,
            format!(
                "#!/bin/bash\nprintf '%s\\n' \"{tool} $1\" >> '{}'\nexit 0\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for tool in ["dirname", "grep"] {
        let found = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap();
        std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
    }
    let env_file = dir.join("env.sh");
    std::fs::write(&env_file, format!("command_not_found_handle() {{ printf 'UNEXPECTED %s\\n' \"$1\" >> '{}'; return 127; }}\n", log.display())).unwrap();
    let run = Command::new("/bin/bash")
        .arg(out.join("install.sh"))
        .env_clear()
        .env("PATH", &bin)
        .env("BASH_ENV", &env_file)
        .env("CHART_REF_TENANT", "repo/tenant")
        .env("CHART_REF_TENANT_MONITOR", "repo/tenant-monitor")
        .env("CHART_REF_GES", "repo/ges")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    let record = std::fs::read_to_string(&log).unwrap();
    assert!(
        record
            .lines()
            .all(|l| l.starts_with("kubectl ") || l.starts_with("helm ")),
        "{record}\n{sh}"
    );
    assert_eq!(
        record.lines().filter(|l| *l == "helm upgrade").count(),
        5,
        "{record}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
