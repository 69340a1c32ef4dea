//! Rule cases as data: `core/tests/rules/<rule id>.yaml` holds answers files, and the findings of
//! that rule for each are compared with `core/tests/snapshots/rules/<rule id>.txt`
//! (UPDATE_SNAPSHOTS=1 rewrites them). Every catalog rule id and every built-in check has a file,
//! with at least one case that finds something and one that finds nothing. A cross-chart rule's
//! cases are environment files (`environment:` instead of `chart:` and `answers:`).

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use pecfg_core::charts::{all_charts, chart};
use pecfg_core::state::parse_answers;
use pecfg_core::validation::{validate, BUILTIN_RULE_IDS};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// A chart case: the chart and an answers file without its `chart:` line.
    #[serde(default)]
    chart: Option<String>,
    #[serde(default)]
    answers: Option<String>,
    /// An environment case (a cross-chart rule of `catalog/environment.yaml`): an environment
    /// file, whose whole check runs (`validate_environment`).
    #[serde(default)]
    environment: Option<String>,
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

/// Every rule id: the catalog's rules and the built-in checks.
fn rule_ids() -> BTreeSet<String> {
    all_charts()
        .iter()
        .flat_map(|chart| chart.rules.iter().map(|rule| rule.id.clone()))
        .chain(BUILTIN_RULE_IDS.iter().map(|id| id.to_string()))
        .collect()
}

/// The cross-chart rules of `catalog/environment.yaml`: a case file may name them (environment
/// cases); the older ones are checked in `tests/environment.rs`.
fn cross_chart_ids() -> BTreeSet<String> {
    pecfg_core::environment::environment_catalog()
        .unwrap()
        .cross_chart
        .iter()
        .map(|rule| rule.id.clone())
        .collect()
}

/// The findings of rule `id` for one case, as `severity path: message` lines.
fn findings(id: &str, case: &Case) -> Vec<String> {
    if let Some(text) = &case.environment {
        let file = pecfg_core::environment::parse_environment(text)
            .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
        let resolved = pecfg_core::environment::resolve(&file).unwrap();
        return pecfg_core::environment::validate_environment(&resolved)
            .into_iter()
            .filter(|d| d.rule == id)
            .map(|d| format!("{} {}: {}", d.severity.as_str(), d.path, d.message))
            .collect();
    }
    let (Some(chart_id), Some(body)) = (&case.chart, &case.answers) else {
        panic!(
            "{id}: `{}` needs chart and answers, or environment",
            case.name
        )
    };
    let chart_def =
        chart(chart_id).unwrap_or_else(|| panic!("{id}: `{}` names no chart", case.name));
    let answers = parse_answers(&format!("chart: {chart_id}\n{body}"))
        .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
    validate(chart_def, &answers)
        .into_iter()
        .filter(|d| d.rule == id)
        .map(|d| format!("{} {}: {}", d.severity.as_str(), d.path, d.message))
        .collect()
}

#[test]
fn every_rule_case_gives_its_snapshot() {
    let mut failures = Vec::new();
    let ids = rule_ids();
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let path = entry.unwrap().path();
        let Some(id) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".yaml"))
        else {
            continue;
        };
        files.insert(id.to_string());
        if !ids.contains(id) && !cross_chart_ids().contains(id) {
            failures.push(format!("{}: no rule has the id `{id}`", path.display()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file: CaseFile = serde_yaml::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let mut snapshot = String::new();
        let (mut finding, mut clean) = (false, false);
        for case in &file.cases {
            let found = findings(id, case);
            let what = case.chart.as_deref().unwrap_or("environment");
            snapshot.push_str(&format!("## {} ({what})\n", case.name));
            if found.is_empty() {
                clean = true;
                snapshot.push_str("no finding\n");
            } else {
                finding = true;
                for line in found {
                    snapshot.push_str(&line);
                    snapshot.push('\n');
                }
            }
            snapshot.push('\n');
        }
        if !(finding && clean) {
            failures.push(format!(
                "{id}: needs a case that finds something ({finding}) and one that finds nothing ({clean})"
            ));
        }
        common::check_snapshot("rules", &format!("{id}.txt"), &snapshot, &mut failures);
    }
    for id in ids.difference(&files) {
        failures.push(format!(
            "rule `{id}` has no case file core/tests/rules/{id}.yaml"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn snapshot_diffs_show_the_changed_lines() {
    let diff = common::line_diff("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
    assert!(diff.contains("- b\n+ B\n"), "{diff}");
    assert!(diff.contains("+ e\n"), "{diff}");
}
