//! Rule cases as data: `core/tests/rules/<rule id>.yaml` holds answers files (or, for the rules
//! of an environment, environment files), and the findings of that rule for each are compared
//! with `core/tests/snapshots/rules/<rule id>.txt` (UPDATE_SNAPSHOTS=1 rewrites them); the rules
//! across units (`group.*`) take unit-group files. Every
//! catalog rule id, every cross-chart rule id and every built-in check has a file, with at least
//! one case that finds something and one that finds nothing.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use pecfg_core::answers::parse_answers;
use pecfg_core::catalog::registry::{all_charts, chart};
use pecfg_core::diagnostic::Check;
use pecfg_core::validation::validate;
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
    #[serde(default)]
    chart: Option<String>,
    /// An answers file without its `chart:` line.
    #[serde(default)]
    answers: Option<String>,
    /// An environment file, for the rules of an environment (`env.*`).
    #[serde(default)]
    environment: Option<String>,
    /// A unit-group file, for the rules across units (`group.*`).
    #[serde(default)]
    group: Option<String>,
}

/// The findings of rule `id` for one case, one line each.
fn findings(id: &str, case: &Case) -> (String, Vec<String>) {
    if let Some(text) = &case.group {
        let file = pecfg_core::group::parse_group(text)
            .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
        let group = pecfg_core::group::resolve_group(&file)
            .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
        let found = pecfg_core::group::validate_group(&group)
            .into_iter()
            .filter(|d| d.rule == id)
            .map(|d| {
                format!(
                    "{} [{}] [{}] [{}] {}: {}",
                    d.severity.as_str(),
                    d.units.join(", "),
                    d.tenants.join(", "),
                    d.charts.join(", "),
                    d.path,
                    d.message
                )
            })
            .collect();
        return ("group".into(), found);
    }
    if let Some(text) = &case.environment {
        let file = pecfg_core::environment::parse_environment(text)
            .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
        let resolved = pecfg_core::environment::resolve(&file)
            .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
        let found = pecfg_core::environment::validate_environment(&resolved)
            .into_iter()
            .filter(|d| d.rule == id)
            .map(|d| {
                format!(
                    "{} [{}] {}: {}",
                    d.severity.as_str(),
                    d.charts.join(", "),
                    d.path,
                    d.message
                )
            })
            .collect();
        return ("environment".into(), found);
    }
    let (Some(chart_id), Some(answers)) = (&case.chart, &case.answers) else {
        panic!(
            "{id}: `{}` gives neither chart and answers nor environment",
            case.name
        );
    };
    let chart_def =
        chart(chart_id).unwrap_or_else(|| panic!("{id}: `{}` names no chart", case.name));
    let answers = parse_answers(&format!("chart: {chart_id}\n{answers}"))
        .unwrap_or_else(|error| panic!("{id}: `{}`: {error}", case.name));
    let found = validate(chart_def, &answers)
        .into_iter()
        .filter(|d| d.rule == id)
        .map(|d| format!("{} {}: {}", d.severity.as_str(), d.path, d.message))
        .collect();
    (chart_id.clone(), found)
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

/// Every rule id: the catalog's rules, the built-in checks, the environment's cross-chart rules
/// and built-in checks, and the unit group's cross-unit rules.
fn rule_ids() -> BTreeSet<String> {
    let cross_chart = pecfg_core::environment::environment_catalog()
        .unwrap()
        .cross_chart
        .iter()
        .map(|rule| rule.id.clone());
    let cross_unit = pecfg_core::catalog::group::group_catalog()
        .unwrap()
        .cross_unit
        .iter()
        .map(|rule| rule.id.clone());
    all_charts()
        .iter()
        .flat_map(|chart| chart.rules.iter().map(|rule| rule.id.clone()))
        // `env.catalog` reports a damaged build, which no answers can cause: it has no case.
        .chain(
            Check::ALL
                .iter()
                .filter(|check| !matches!(check, Check::EnvCatalog | Check::GroupCatalog))
                .map(|check| check.id().to_string()),
        )
        .chain(cross_chart)
        .chain(cross_unit)
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
        if !ids.contains(id) {
            failures.push(format!("{}: no rule has the id `{id}`", path.display()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file: CaseFile = serde_yaml::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let mut snapshot = String::new();
        let (mut finding, mut clean) = (false, false);
        for case in &file.cases {
            let (place, found) = findings(id, case);
            snapshot.push_str(&format!("## {} ({place})\n", case.name));
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
