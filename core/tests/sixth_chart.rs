//! Adding a chart is adding a data file: a made-up sixth chart (tests/fixtures/sixth-chart.yaml)
//! with two cross-field rules of different verbs gets its form listing, validation, values.yaml,
//! secrets and commands from the core as it is, with no Rust written for it.

use pecfg_core::answers::parse_answers;
use pecfg_core::catalog::parse_chart;
use pecfg_core::export::{render_files, ExportOptions};
use pecfg_core::lint::lint_chart;
use pecfg_core::listing::catalog_json;
use pecfg_core::validation::Evaluated;
use pecfg_core::validation::{evaluate, Severity};

const CHART: &str = include_str!("fixtures/sixth-chart.yaml");

#[test]
fn a_sixth_chart_is_only_data() {
    let chart = parse_chart(CHART).expect("the fixture parses");
    assert_eq!(lint_chart(&chart, None), Vec::<String>::new());

    // The form listing: every parameter and the secret input, with the rules that check each.
    let listing = catalog_json(&chart);
    let entries = listing.as_array().expect("a list");
    let paths: Vec<&str> = entries
        .iter()
        .filter_map(|entry| entry["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "tenant.sid",
            "db.enabled",
            "db.host",
            "db.secretName",
            "autoscaling.minReplicas",
            "autoscaling.maxReplicas",
            "demo-db/password"
        ]
    );
    let host = entries
        .iter()
        .find(|entry| entry["path"] == "db.host")
        .expect("db.host listed");
    assert_eq!(
        host["checked_by"],
        serde_json::json!(["demo.database-needs-host"])
    );

    // Validation: both rules fire on the merged values, and the release follows the chart's rule.
    let broken = parse_answers(
        "chart: demo\nvalues: {tenant: {sid: '042'}, db: {enabled: true}, autoscaling: {minReplicas: 5}}\n",
    )
    .expect("answers parse");
    let evaluation = evaluate(&chart, &broken);
    let found: Vec<(&str, &str, Severity)> = evaluation
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_str().starts_with("demo."))
        .map(|d| (d.rule.as_str(), d.path.as_str(), d.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("demo.database-needs-host", "db.host", Severity::Error),
            (
                "demo.min-le-max",
                "autoscaling.minReplicas",
                Severity::Error
            ),
        ]
    );
    assert_eq!(evaluation.release.as_deref(), Some("demo-042"));
    assert!(evaluation
        .diagnostics
        .iter()
        .any(|d| d.path == "demo-db" && d.rule == "secret.required"));

    // A fixed answers file passes, and the exporters write its files.
    let fixed = parse_answers(
        "chart: demo\nvalues: {tenant: {sid: '042'}, db: {enabled: true, host: pg.demo.svc}}\nsecrets: {demo-db: {password: s3cret}}\n",
    )
    .expect("answers parse");
    assert_eq!(evaluate(&chart, &fixed).diagnostics, []);
    let files = render_files(&Evaluated::of(&chart, &fixed), &ExportOptions::default());
    let file = |name: &str| {
        files
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{name} is rendered"))
    };
    let values = file("demo-values.yaml");
    assert!(values.contains("host: pg.demo.svc"), "{values}");
    assert!(!values.contains("s3cret"), "no secret in values.yaml");
    let secrets = file("secrets.yaml");
    assert!(secrets.contains("name: demo-db"), "{secrets}");
    assert!(secrets.contains("namespace: demo"), "{secrets}");
    let commands = file("commands.sh");
    assert!(commands.contains("demo-042"), "{commands}");
    assert!(commands.contains("demo/demo"), "{commands}");
}

#[test]
fn a_rule_whose_paths_match_nothing_or_with_two_verbs_or_none_is_refused() {
    let typo = CHART.replace("all: db.host", "all: db.hots");
    let chart = parse_chart(&typo).expect("still parses");
    let problems = lint_chart(&chart, None);
    assert_eq!(
        problems,
        ["demo: rule demo.database-needs-host: `db.hots` matches no parameter"]
    );
    let two_verbs = CHART.replace(
        "    compare:\n",
        "    together: [[db.host, db.enabled]]\n    compare:\n",
    );
    // One verb per rule is in the type: a second one is refused when the file is read.
    let refused = parse_chart(&two_verbs).expect_err("two verbs are refused");
    assert!(
        refused
            .to_string()
            .contains("rules[1]: unknown field `compare`"),
        "{refused}"
    );
    let no_verb = CHART.replace("    compare:\n", "    nothing:\n");
    let refused = parse_chart(&no_verb).expect_err("no verb is refused");
    assert!(
        refused
            .to_string()
            .contains("rules[1]: no variant of enum Verb"),
        "{refused}"
    );
}
