//! `pecfg`: the command-line face of pe-configurator's core (list charts, print the catalog, schema and docs, lint the catalog).

mod group;
mod images;
mod import;
mod plan;
mod render;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use pecfg_core::catalog::parse_chart;
use pecfg_core::catalog::platform::parse_platform;
use pecfg_core::catalog::registry::{chart, chart_ids, CHART_FILES, PLATFORM_FILE};
use pecfg_core::docs::chart_markdown;
use pecfg_core::lint::{lint_chart, lint_platform, load_guides};
use pecfg_core::listing::catalog_json;
use pecfg_core::schema::values_schema;

const USAGE: &str = "\
pecfg: configurator for the Helm charts of Genesys Multicloud CX private edition

Usage:
  pecfg charts                 list chart ids
  pecfg catalog <chart>        the chart's parameters and secret inputs as JSON
  pecfg schema <chart>         values.schema.json (JSON Schema draft-07) for the chart
  pecfg docs <chart>           Markdown reference of the chart
  pecfg validate <chart> --answers FILE
                               print the diagnostics of an answers file; exit 1 on errors
  pecfg render <chart> --answers FILE --out DIR [--force]
                               write <chart>-values.yaml, secrets.yaml, commands.sh and
                               values.schema.json (the browser's download-all); refused
                               while validation reports errors, unless --force
  pecfg images <chart> --answers FILE [--out DIR] [--source-registry R] [--target-registry R]
                               the container images the answers pull (where each part comes
                               from, what is missing); --out writes images.txt, mirror.sh and
                               mirror.ps1 (copy the images and chart into your registry)
  pecfg validate --environment FILE
                               per-chart and cross-chart checks of an environment file
  pecfg plan --environment FILE --out DIR [--zip] [--gitops argocd|flux] [--force]
                               the environment's install plan: install.sh, install.ps1,
                               every chart's values and secrets file (and GitOps manifests),
                               images.txt, mirror.sh and mirror.ps1
  pecfg validate --group FILE   checks of a unit group: each unit's environments, across units
  pecfg plan --group FILE --out DIR [--gitops argocd|flux] [--sealed-cert UNIT=PEM]... [--force]
                               a unit group's plan: a folder per unit and tenant, the group
                               report and picture, ApplicationSets or a Flux folder per cluster
  pecfg import <chart> FILE [--out answers.yaml]
                               read an old values.yaml as Helm reads it and report
                               retyped scalars, merges, unknown keys and defaults
  pecfg lint [<chart>|platform|all] [--seeds DIR]
                               check the catalog; with the guides (default ../shared/seeds
                               next to the repository) also check every source line

Chart ids: ges, tenant, tenant-monitor, ixn, middleware";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["charts"] => Ok(chart_ids().iter().map(|id| format!("{id}\n")).collect()),
        ["catalog", id] => Ok(pretty_json(&catalog_json(find_chart(id)?))),
        ["schema", id] => Ok(pretty_json(&values_schema(find_chart(id)?))),
        ["docs", id] => Ok(chart_markdown(find_chart(id)?)),
        ["lint", rest @ ..] => lint(rest),
        ["validate", "--environment", rest @ ..] => plan::validate(rest),
        ["validate", rest @ ..] if rest.contains(&"--group") => group::validate(rest),
        ["plan", rest @ ..] if rest.contains(&"--group") => group::run(rest),
        ["validate", rest @ ..] => validate::run(rest),
        ["plan", rest @ ..] => plan::run(rest),
        ["render", rest @ ..] => render::run(rest),
        ["images", rest @ ..] => images::run(rest),
        ["import", rest @ ..] => import::run(rest),
        ["help" | "--help" | "-h"] | [] => Ok(format!("{USAGE}\n")),
        _ => Err(format!(
            "pecfg: unknown command `{}`\n\n{USAGE}",
            words.join(" ")
        )),
    }
}

pub(crate) fn find_chart(id: &str) -> Result<&'static pecfg_core::catalog::Chart, String> {
    chart(id).ok_or_else(|| {
        format!(
            "pecfg: unknown chart `{id}`; charts: {}",
            chart_ids().join(", ")
        )
    })
}

fn pretty_json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn lint(args: &[&str]) -> Result<String, String> {
    let mut target = "all";
    let mut seeds: Option<PathBuf> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--seeds" => {
                seeds = Some(
                    rest.next()
                        .ok_or("pecfg lint: --seeds needs a folder")?
                        .into(),
                )
            }
            other => target = other,
        }
    }
    let seeds = seeds
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds"));
    let guides = load_guides(&seeds);
    let mut report = match &guides {
        Some(_) => format!("checking sources against {}\n", seeds.display()),
        None => format!(
            "skipped the source-line checks: {} is not there\n",
            seeds.display()
        ),
    };
    let ids = chart_ids();
    if target != "all" && target != "platform" && !ids.contains(&target) {
        return Err(format!("pecfg lint: unknown chart `{target}`"));
    }
    // Parse the files here rather than through the registry, so that a broken file is reported, not a panic.
    let mut problems = Vec::new();
    if target == "platform" || target == "all" {
        match parse_platform(PLATFORM_FILE) {
            Ok(platform) => problems.extend(lint_platform(&platform, &ids, guides.as_ref())),
            Err(error) => problems.push(format!("catalog/platform.yaml: {error}")),
        }
    }
    let mut parsed = Vec::new();
    for (id, text) in CHART_FILES
        .iter()
        .filter(|(id, _)| target == "all" || *id == target)
    {
        match parse_chart(text) {
            Ok(chart) if chart.id != *id => {
                problems.push(format!("catalog/{id}.yaml: id is `{}`", chart.id))
            }
            Ok(chart) => {
                problems.extend(lint_chart(&chart, guides.as_ref()));
                parsed.push(chart);
            }
            Err(error) => problems.push(format!("catalog/{id}.yaml: {error}")),
        }
    }
    // The environment catalog against every chart: install order, `shared:` marks, cross-chart rules.
    if target == "all" && parsed.len() == CHART_FILES.len() {
        match pecfg_core::environment::environment_catalog() {
            Ok(catalog) => problems.extend(
                pecfg_core::lint::lint_environment(catalog, &parsed.iter().collect::<Vec<_>>())
                    .into_iter()
                    .map(|problem| format!("catalog/environment.yaml: {problem}")),
            ),
            Err(error) => problems.push(error),
        }
        match pecfg_core::catalog::group::group_catalog() {
            Ok(catalog) => problems.extend(
                pecfg_core::lint::lint_group(
                    catalog,
                    &parsed.iter().collect::<Vec<_>>(),
                    guides.as_ref(),
                )
                .into_iter()
                .map(|problem| format!("catalog/group.yaml: {problem}")),
            ),
            Err(error) => problems.push(error),
        }
    }
    if problems.is_empty() {
        report.push_str("catalog is clean\n");
        Ok(report)
    } else {
        Err(format!(
            "{report}{}\n{} problem(s)",
            problems.join("\n"),
            problems.len()
        ))
    }
}
