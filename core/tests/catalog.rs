//! Tests of the catalog files themselves: they parse, pass the lint, and yield a schema that accepts their own defaults.

mod common;

use std::path::Path;

use common::check_snapshot;

use pecfg_core::catalog::parse_chart;
use pecfg_core::catalog::platform::parse_platform;
use pecfg_core::catalog::registry::{
    all_charts, chart, chart_ids, chart_summaries, platform, registered, CHART_FILES, PLATFORM_FILE,
};
use pecfg_core::environment::{environment_catalog, EnvironmentCatalog, ENVIRONMENT_FILE};
use pecfg_core::lint::{lint_chart, lint_platform, load_guides};
use pecfg_core::listing::catalog_json;
use pecfg_core::schema::{values_schema, yaml_to_json};
use pecfg_core::values::defaults_tree;

fn seeds_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds")
}

#[test]
fn every_chart_file_parses_and_is_registered_under_its_own_id() {
    let ids = chart_ids();
    assert_eq!(
        ids,
        ["ges", "ixn", "middleware", "tenant", "tenant-monitor"],
        "the chart files of catalog/, by id (core/build.rs lists them)"
    );
    for (chart, id) in all_charts().iter().zip(&ids) {
        assert_eq!(&chart.id, id);
        assert!(!chart.params.is_empty(), "{id} has parameters");
    }
}

/// The picker draws from summaries build.rs wrote, without parsing the charts: they must say what
/// the charts say, one per chart, in the picker's order.
#[test]
fn chart_summaries_are_the_charts_names_and_parameter_counts() {
    let from_charts: Vec<(&str, &str, &str, usize)> = all_charts()
        .iter()
        .map(|chart| {
            (
                chart.id.as_str(),
                chart.name.as_str(),
                chart.description.trim(),
                chart.params.len(),
            )
        })
        .collect();
    let summaries: Vec<(&str, &str, &str, usize)> = chart_summaries()
        .into_iter()
        .map(|summary| {
            (
                summary.id,
                summary.name,
                summary.description,
                summary.params,
            )
        })
        .collect();
    assert_eq!(summaries, from_charts);
}

/// A chart is parsed when first asked for, once: the same chart comes back each time, and the
/// registry knows it (its validator and key order are cached by that), but not a copy of it.
#[test]
fn charts_are_parsed_once_and_known_by_identity() {
    let ixn = chart("ixn").expect("ixn");
    assert!(std::ptr::eq(ixn, chart("ixn").expect("ixn")));
    assert!(all_charts().iter().any(|known| std::ptr::eq(*known, ixn)));
    assert_eq!(
        registered(ixn).map(|(index, _)| chart_ids()[index]),
        Some("ixn")
    );
    let copy = ixn.clone();
    assert!(
        registered(&copy).is_none(),
        "a copy is not the registry's chart"
    );
    assert!(chart("no-such-chart").is_none());
}

/// The binaries read the catalog as JSON compiled by core/build.rs; the authors write YAML, and
/// `pecfg lint` reads that. Both readings must be the same catalog, field for field.
#[test]
fn the_compiled_catalog_is_the_yaml_catalog() {
    assert_eq!(CHART_FILES.len(), all_charts().len());
    for ((id, yaml), compiled) in CHART_FILES.iter().zip(all_charts()) {
        let read = parse_chart(yaml).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"));
        // Caches (filled by whichever test came first) are not compared: ChartCache's PartialEq.
        assert!(
            &read == *compiled,
            "catalog/{id}.yaml reads differently from its compiled form"
        );
    }
    let read = parse_platform(PLATFORM_FILE).expect("catalog/platform.yaml parses");
    assert!(
        Some(&read) == platform(),
        "catalog/platform.yaml reads differently compiled"
    );
    let read: EnvironmentCatalog =
        serde_yaml::from_str(ENVIRONMENT_FILE).expect("catalog/environment.yaml parses");
    assert!(
        &read == environment_catalog().expect("compiled"),
        "catalog/environment.yaml reads differently compiled"
    );
    let read: pecfg_core::catalog::group::GroupCatalog =
        serde_yaml::from_str(pecfg_core::catalog::group::GROUP_FILE)
            .expect("catalog/group.yaml parses");
    assert!(
        &read == pecfg_core::catalog::group::group_catalog().expect("compiled"),
        "catalog/group.yaml reads differently compiled"
    );
}

#[test]
fn catalog_lint_is_clean() {
    let guides = load_guides(&seeds_dir());
    match &guides {
        Some(_) => eprintln!("checking source lines against {}", seeds_dir().display()),
        None => eprintln!("SKIPPED the source-line checks: {} is not there (it is only in CI and the developers' checkouts)", seeds_dir().display()),
    }
    let mut problems = lint_platform(platform().expect("embedded"), &chart_ids(), guides.as_ref());
    for chart in all_charts() {
        problems.extend(lint_chart(chart, guides.as_ref()));
    }
    problems.extend(
        pecfg_core::lint::lint_group(
            pecfg_core::catalog::group::group_catalog().expect("compiled"),
            all_charts(),
            guides.as_ref(),
        )
        .into_iter()
        .map(|problem| format!("catalog/group.yaml: {problem}")),
    );
    assert!(
        problems.is_empty(),
        "catalog problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn each_chart_sits_in_the_platform_namespace_table_or_says_why_not() {
    for chart in all_charts() {
        match platform().expect("embedded").namespace_for_chart(&chart.id) {
            Some(namespace) => assert_eq!(namespace, chart.namespace.value, "{}", chart.id),
            None => assert!(
                !chart.namespace.doc.is_empty(),
                "{}: a namespace outside the table needs a reason",
                chart.id
            ),
        }
    }
}

#[test]
fn generated_schema_accepts_the_chart_defaults() {
    for chart in all_charts() {
        let schema = values_schema(chart);
        let validator = jsonschema::draft7::new(&schema)
            .unwrap_or_else(|error| panic!("{}: schema does not compile: {error}", chart.id));
        let defaults = yaml_to_json(&defaults_tree(chart));
        let errors: Vec<String> = validator
            .iter_errors(&defaults)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: defaults rejected by the schema:\n{}",
            chart.id,
            errors.join("\n")
        );
    }
}

#[test]
fn generated_schema_rejects_a_wrongly_typed_value() {
    for chart in all_charts() {
        let Some(port) = chart.params.iter().find(|param| {
            param.kind == pecfg_core::catalog::Kind::Port && !param.path.contains('[')
        }) else {
            continue;
        };
        let schema = values_schema(chart);
        let validator = jsonschema::draft7::new(&schema).unwrap();
        let mut tree = serde_yaml::Value::Mapping(Default::default());
        pecfg_core::path::set(
            &mut tree,
            &pecfg_core::path::parse_path(&port.path).unwrap(),
            serde_yaml::Value::from("not a port"),
        );
        assert!(
            !validator.is_valid(&yaml_to_json(&tree)),
            "{}: `{}` accepted a string",
            chart.id,
            port.path
        );
    }
}

#[test]
fn catalog_listing_has_the_documented_fields_for_every_input() {
    for chart in all_charts() {
        let listing = catalog_json(chart);
        let entries = listing.as_array().unwrap();
        assert!(entries.len() >= chart.params.len());
        for entry in entries {
            for field in [
                "path", "kind", "default", "required", "secret", "doc", "source",
            ] {
                assert!(
                    entry.get(field).is_some(),
                    "{}: entry {entry} lacks {field}",
                    chart.id
                );
            }
        }
    }
}

#[test]
fn snapshots_of_the_catalog_listing_and_docs() {
    let mut failures = Vec::new();
    for chart in all_charts() {
        let mut listing = serde_json::to_string_pretty(&catalog_json(chart)).unwrap();
        listing.push('\n');
        check_snapshot(&chart.id, "catalog.json", &listing, &mut failures);
        check_snapshot(
            &chart.id,
            "docs.md",
            &pecfg_core::docs::chart_markdown(chart),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
