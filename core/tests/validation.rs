//! Validation tests: the chart defaults give only the documented `field.required` errors, the
//! guides' sample values files (tests/fixtures) give sensible diagnostics, and findings are sorted
//! and cite their guide lines. Each rule's own cases are data (`rules.rs`, `core/tests/rules/`).

use std::collections::BTreeSet;
use std::path::Path;

use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::parse_chart;
use pecfg_core::catalog::registry::{all_charts, chart, CHART_FILES};
use pecfg_core::validation::{validate, Diagnostic, Severity, Validator};
use pecfg_core::values::new_answers;
use serde_yaml::Value;

const UUID: &str = "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd";

/// Answers for `chart_id` from the rest of an answers file (`values:`, `release:`, `secrets:`…).
fn answers(chart_id: &str, body: &str) -> Answers {
    parse_answers(&format!("chart: {chart_id}\n{body}"))
        .unwrap_or_else(|error| panic!("{chart_id}: {error}\n{body}"))
}

fn run(chart_id: &str, body: &str) -> Vec<Diagnostic> {
    validate(
        chart(chart_id).expect("known chart"),
        &answers(chart_id, body),
    )
}

/// Required parameters the guide leaves without a default.
fn required_without_default(chart_id: &str) -> BTreeSet<String> {
    chart(chart_id)
        .unwrap()
        .params
        .iter()
        .filter(|param| param.required)
        .filter(
            |param| match param.default.as_ref().or(param.prefill.as_ref()) {
                None | Some(Value::Null) => true,
                Some(Value::String(text)) => text.trim().is_empty(),
                Some(_) => false,
            },
        )
        .map(|param| param.path.clone())
        .collect()
}

#[test]
fn fresh_answers_give_only_the_required_fields_the_guide_leaves_empty() {
    for chart in all_charts() {
        // What the form starts with: the chart defaults and the guide's values to set.
        let found = validate(chart, &new_answers(chart));
        let errors: BTreeSet<(String, String)> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.path.clone(), d.rule.to_string()))
            .collect();
        let expected: BTreeSet<(String, String)> = required_without_default(&chart.id)
            .into_iter()
            .map(|path| (path, "field.required".to_string()))
            .collect();
        assert_eq!(
            errors, expected,
            "{}: errors of the chart defaults",
            chart.id
        );
    }
    assert_eq!(
        required_without_default("tenant"),
        BTreeSet::from(["tenantid".to_string()])
    );
    // The values to set are not defaults: answers without them miss them.
    let bare = validate(chart("tenant").unwrap(), &Answers::new("tenant"));
    assert!(bare
        .iter()
        .any(|d| d.path == "tenant.pgdb.dbhost" && d.rule == "field.required"));
    assert_eq!(required_without_default("ges").len(), 15);
    // The IXN guide's "key entries" to configure (lines 1983-2056) that it leaves empty.
    let ixn = required_without_default("ixn");
    assert_eq!(ixn.len(), 18, "{ixn:#?}");
    for path in ["tenant.id", "tenant.sid", "ixnService.ixnServer.db.host"] {
        assert!(ixn.contains(path), "{path}");
    }
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fixture_answers(chart_id: &str, name: &str) -> Answers {
    let mut answers = Answers::new(chart_id);
    answers.values = fixture(name);
    answers
}

/// Values paths of the fixture's `${VAR}` placeholders, as catalog parameters.
fn placeholder_params(chart_id: &str, values: &Value) -> BTreeSet<String> {
    chart(chart_id)
        .unwrap()
        .params
        .iter()
        .filter(|param| {
            let segments = pecfg_core::path::parse_path(&param.path).unwrap();
            pecfg_core::path::get(values, &segments)
                .and_then(Value::as_str)
                .is_some_and(|text| text.contains("${"))
        })
        .map(|param| param.path.clone())
        .collect()
}

#[test]
fn ixn_sample_has_no_errors_and_flags_its_placeholders() {
    let answers = fixture_answers("ixn", "ixn-override_values.yaml");
    let found = validate(chart("ixn").unwrap(), &answers);
    let errors: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "ixn sample errors: {errors:#?}");
    let flagged: BTreeSet<String> = found
        .iter()
        .filter(|d| d.rule == "field.placeholder")
        .map(|d| d.path.clone())
        .collect();
    let expected = placeholder_params("ixn", &answers.values);
    assert_eq!(flagged, expected);
    assert!(
        expected.contains("tenant.id") && expected.contains("ixnService.ixnNode.redis[0].port")
    );
    // The release is built from the placeholder short id: pending, not an invalid name.
    assert!(found
        .iter()
        .any(|d| d.rule == "release.pending" && d.message.contains("${TENANT_ID}")));
    // Only placeholders, the release and the unfilled secrets are reported.
    for diagnostic in &found {
        assert!(
            ["field.placeholder", "release.pending", "secret.required"]
                .contains(&diagnostic.rule.as_str()),
            "unexpected: {diagnostic:?}"
        );
    }
}

#[test]
fn ixn_sample_after_envsubst_is_clean_except_the_numeric_short_id() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ixn-override_values.yaml"),
    )
    .unwrap();
    // The guide's envsubst example values (lines 2556-2570).
    let substituted = text
        .replace("${TENANT_ID}", "100")
        .replace("${TENANT_UUID}", UUID)
        .replace("${POSTGRES_USER}", "postgres")
        .replace("${POSTGRES_PASSWORD}", "password")
        .replace("${POSTGRES_ADDR}", "postgres.infra")
        .replace("${REDIS_ADDR}", "infra-redis-redis-cluster.infra")
        .replace("${REDIS_PORT}", "6379");
    let mut answers = Answers::new("ixn");
    answers.values = serde_yaml::from_str(&substituted).unwrap();
    let found = validate(chart("ixn").unwrap(), &answers);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.as_str(), d.rule.as_str()))
        .collect();
    // `sid: ${TENANT_ID}` is unquoted in the sample, so envsubst leaves the number 100.
    assert_eq!(errors, [("tenant.sid", "field.kind")]);
    let sid = found.iter().find(|d| d.path == "tenant.sid").unwrap();
    assert!(sid.message.contains(
        "is the number 100; this value must be a string: put the text you mean in quotes (\"100\" \
         if you mean 100)"
    ));
}

#[test]
fn an_imported_scalar_helm_reads_as_another_type_is_explained_with_the_text_as_written() {
    // Issue 30: `sid: 0100` is the number 64 for Helm; the page said nothing of it and the only
    // message said `write "64"`. `pecfg import` and the page both print `explain_retyped`.
    let chart = chart("ixn").unwrap();
    let text = "tenant:\n  id: 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd\n  sid: 0100\nreplicaCount: 0\nextra: on\n";
    let (values, report) = pecfg_core::import::import_values(chart, text).unwrap();
    let lines = pecfg_core::import::retyped_explanations(chart, &values, &report);
    assert_eq!(
        lines,
        [
            "tenant.sid: `0100` is read by Helm as the number 64, which the chart does not take \
             here: to keep the text as written, write \"0100\"",
            "extra: `on` is read by Helm as the boolean true; if you meant the text as written, \
             write \"on\"",
        ]
    );
    let mut answers = Answers::new("ixn");
    answers.values = values;
    for diagnostic in validate(chart, &answers) {
        assert!(
            !diagnostic.message.contains("write \"64\""),
            "{}",
            diagnostic.message
        );
    }
    // A scalar read as the type the chart wants is said to be fine.
    let (values, report) = pecfg_core::import::import_values(
        chart,
        "ixnService:\n  ixnServer:\n    secrets:\n      db:\n        enabled: yes\n",
    )
    .unwrap();
    assert_eq!(
        pecfg_core::import::retyped_explanations(chart, &values, &report),
        ["ixnService.ixnServer.secrets.db.enabled: `yes` is read by Helm as the boolean true, which \
          the chart takes here"]
    );
}

#[test]
fn tenant_sample_only_misses_the_tenant_id() {
    let answers = fixture_answers("tenant", "tenant-values.yaml");
    let found = validate(chart("tenant").unwrap(), &answers);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.as_str(), d.rule.as_str()))
        .collect();
    // The sample leaves `tenantid:` empty for the reader to fill in.
    assert_eq!(errors, [("tenantid", "field.required")]);
    assert!(!found.iter().any(|d| d.rule == "field.kind"));
    assert!(found.iter().any(|d| d.rule == "release.pending"));

    // With a tenant id and the secret-usage flags on, the sample's mounts satisfy every rule.
    let mut answers = answers;
    let values = answers.values.as_mapping_mut().unwrap();
    values.insert("tenantid".into(), UUID.into());
    answers.release = Some("t80dd".into());
    let found = validate(chart("tenant").unwrap(), &answers);
    let not_secrets: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.rule != "secret.required")
        .collect();
    assert!(not_secrets.is_empty(), "{not_secrets:#?}");
}

#[test]
fn tenant_monitor_sample_is_clean() {
    let answers = fixture_answers("tenant-monitor", "tenant-monitor-values.yaml");
    let found = validate(chart("tenant-monitor").unwrap(), &answers);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn rules_run_only_for_charts_that_list_them() {
    // A copy of ixn without its rules runs none of them; the catalog chart runs them.
    let text = CHART_FILES.iter().find(|(id, _)| *id == "ixn").unwrap().1;
    let mut bare = parse_chart(text).unwrap();
    let rule_ids: Vec<String> = bare.rules.iter().map(|rule| rule.id.clone()).collect();
    bare.rules.clear();
    let answers = answers(
        "ixn",
        "values: {replicaCount: 2, ixnService: {priorityClassName: x}}",
    );
    let found = Validator::new(&bare).validate(&answers);
    assert!(
        found
            .iter()
            .all(|d| !rule_ids.contains(&d.rule.to_string())),
        "{found:#?}"
    );
    let listed = validate(chart("ixn").unwrap(), &answers);
    assert!(listed
        .iter()
        .any(|d| d.rule == "ixn.priority-class-documented"));
    // replicaCount is checked by its allowed values alone.
    let at_replicas: Vec<&str> = listed
        .iter()
        .filter(|d| d.path == "replicaCount")
        .map(|d| d.rule.as_str())
        .collect();
    assert_eq!(at_replicas, ["field.allowed"]);
}

#[test]
fn diagnostics_are_sorted_errors_first_then_catalog_order() {
    let found = run(
        "ges",
        "release: Bad\nvalues: {ges: {deployment: {replicas: 9}, resources: {requests: {cpu: '5'}}, configMap: {env: {log: {level: X}}}}}",
    );
    let severities: Vec<Severity> = found.iter().map(|d| d.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted, "errors first");
    let errors: Vec<&str> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.path.as_str())
        .collect();
    let position = |path: &str| errors.iter().position(|p| *p == path).unwrap();
    assert_eq!(errors[0], "release");
    assert!(
        position("ges.configMap.env.log.level")
            < position("ges.configMap.env.server.internal_port")
    );
    assert!(position("ges.deployment.image.registry") < position("ges.resources.requests.cpu"));
    let warnings: Vec<&str> = found
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        warnings.first(),
        Some(&"ges.deployment.replicas"),
        "parameters before secrets"
    );
}

#[test]
fn every_message_ends_with_its_guide_line() {
    let bodies = [
        ("ixn", "release: X\nvalues: {replicaCount: 3, podLabels: {-x: y}}"),
        ("middleware", "values: {genesys: {client_secret: x}, autoscaling: {targetCPUUtilizationPercentage: 5}}"),
        ("tenant", "values: {tenantid: 9350e2fc-a1dd-1c65-8d40-1f75a2e080dd, images: {fluentBit: {enable: 'true'}}}"),
    ];
    for (chart_id, body) in bodies {
        for diagnostic in run(chart_id, body) {
            let source = diagnostic
                .source
                .as_deref()
                .unwrap_or_else(|| panic!("{diagnostic:?} has no source"));
            assert!(
                diagnostic.message.ends_with(&format!("({source}).")),
                "{diagnostic:?}"
            );
        }
    }
}

#[test]
fn filled_answers_of_every_chart_are_clean() {
    for chart in all_charts() {
        let answers = filled_answers(chart);
        let found = validate(chart, &answers);
        assert!(found.is_empty(), "{}: {found:#?}", chart.id);
    }
}

/// Answers with every input filled: examples where the guide gives them, otherwise a value of the
/// parameter's kind, and every secret input.
fn filled_answers(chart: &pecfg_core::catalog::Chart) -> Answers {
    use pecfg_core::catalog::{Kind, SecretFormat};
    let mut answers = Answers::new(&chart.id);
    for param in &chart.params {
        let pull_list = param.kind == Kind::ObjectList
            && param.secret_ref.is_some()
            && chart.platform.image_pull_secrets.as_deref() == Some(param.path.as_str());
        let value = match (param.examples.first(), &param.default) {
            // A list that names the chart's pull secret names it (`*.pull-secret-listed`).
            _ if pull_list => {
                let mut item = serde_yaml::Mapping::new();
                item.insert(
                    Value::from("name"),
                    Value::from(param.secret_ref.clone().unwrap_or_default()),
                );
                Value::Sequence(vec![Value::Mapping(item)])
            }
            (Some(example), _) if !example.is_null() => example.clone(),
            _ if param.prefill.is_some() => param.prefill.clone().unwrap_or_default(),
            // An override of one list element replaces the whole default list (Helm replaces
            // lists), so the other defaults of that element are given again.
            (_, Some(default)) if !default.is_null() && param.path.contains('[') => default.clone(),
            (_, Some(default)) if !default.is_null() => continue,
            _ => match param.kind {
                Kind::Uuid => Value::from(UUID),
                Kind::Port => Value::from(3050),
                Kind::Integer | Kind::Number => Value::from(param.min.unwrap_or(1.0) as i64),
                Kind::Boolean => Value::from(true),
                Kind::Host => Value::from("host.example.com"),
                Kind::Url => Value::from("https://host.example.com"),
                Kind::DnsLabel | Kind::DnsSubdomain => Value::from("name"),
                Kind::Quantity => Value::from("1Gi"),
                Kind::Enum => param.allowed[0].clone(),
                Kind::Map => serde_yaml::from_str("{app: value}").unwrap(),
                Kind::StringList => serde_yaml::from_str("[a]").unwrap(),
                Kind::ObjectList | Kind::Yaml => continue,
                Kind::Template => Value::from("- name: extra\n  emptyDir: {}\n"),
                Kind::String if param.path.ends_with("sid") => Value::from("80dd"),
                // The prose spelling of config_folders: one spelling is enough, and no folder is
                // mounted in these answers.
                Kind::String if param.path == "ges.secrets.configFolders" => continue,
                Kind::String if param.path.ends_with("ixnServer.serviceAccount.name") => {
                    Value::from("ixn-server-value")
                }
                Kind::String => Value::from("value"),
            },
        };
        pecfg_core::answers::set_value(&mut answers.values, &param.path, value).unwrap();
    }
    for secret in &chart.secrets {
        for key in &secret.keys {
            let text = |kind: Kind| match kind {
                Kind::Host => "host.example.com",
                Kind::Port => "6379",
                _ => "value",
            };
            match key.format {
                SecretFormat::Plain => pecfg_core::answers::set_secret(
                    &mut answers.secrets,
                    &secret.name,
                    &key.key,
                    None,
                    "value",
                ),
                _ if key.fields.is_empty() => pecfg_core::answers::set_secret(
                    &mut answers.secrets,
                    &secret.name,
                    &key.key,
                    None,
                    "{}",
                ),
                _ => {
                    for field in &key.fields {
                        pecfg_core::answers::set_secret(
                            &mut answers.secrets,
                            &secret.name,
                            &key.key,
                            Some(&field.name),
                            text(field.kind),
                        );
                    }
                }
            }
        }
    }
    answers
}
