//! `pecfg`: the command-line face of pe-configurator's core — every command, flag and help text defined once (clap), every answer taken from the core's session API, as the page takes it.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod files;
mod group;
mod images;
mod import;
mod plan;
mod preview;
mod render;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use pecfg_core::catalog::parse_chart;
use pecfg_core::catalog::platform::parse_platform;
use pecfg_core::catalog::registry::{chart, chart_ids, CHART_FILES, PLATFORM_FILE};
use pecfg_core::docs::chart_markdown;
use pecfg_core::lint::{lint_chart, lint_platform, load_guides};
use pecfg_core::listing::catalog_json;
use pecfg_core::schema::values_schema;

/// Configurator for the Helm charts of Genesys Multicloud CX private edition: the same checks,
/// files and plans as the page, on the command line.
#[derive(Parser)]
#[command(
    name = "pecfg",
    version,
    disable_help_subcommand = true,
    term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the chart ids of the catalog.
    Charts,
    /// Print a chart's parameters and secret inputs as JSON.
    Catalog {
        #[arg(value_parser = chart_id_parser())]
        chart: String,
    },
    /// Print values.schema.json (JSON Schema draft-07) for a chart.
    Schema {
        #[arg(value_parser = chart_id_parser())]
        chart: String,
    },
    /// Print the Markdown reference of a chart.
    Docs {
        #[arg(value_parser = chart_id_parser())]
        chart: String,
    },
    /// Print the findings of an answers file (or of an environment or unit group); exit 1 on errors.
    Validate(validate::Args),
    /// Write the files of the page's "download all" for an answers file.
    Render(render::Args),
    /// Print one file as the page previews it: secret and sensitive values hidden unless --reveal.
    Preview(preview::Args),
    /// The container images an answers file pulls; --out writes images.txt, mirror.sh, mirror.ps1.
    Images(images::Args),
    /// Write an environment's install plan (scripts, values, secrets, GitOps, mirror), or a unit group's.
    Plan(plan::Args),
    /// Read a values.yaml, answers file or Secret manifests as the page's Import does.
    Import(import::Args),
    /// Check the catalog; with the guides at hand, also every cited source line.
    Lint {
        /// A chart id, `platform`, or `all`.
        #[arg(default_value = "all")]
        target: String,
        /// The guides' folder (default: ../shared/seeds next to the repository).
        #[arg(long, value_name = "DIR")]
        seeds: Option<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The chart ids the catalog has: help and completions list them, a typo is refused with them.
pub(crate) fn chart_id_parser() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(chart_ids())
}

fn main() -> ExitCode {
    // clap prints its own help, version and usage errors (exit 0 or 2).
    let cli = Cli::parse();
    match run(cli.command) {
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

fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Charts => Ok(chart_ids().iter().map(|id| format!("{id}\n")).collect()),
        Command::Catalog { chart } => Ok(pretty_json(&catalog_json(find_chart(&chart)?))),
        Command::Schema { chart } => Ok(pretty_json(&values_schema(find_chart(&chart)?))),
        Command::Docs { chart } => Ok(chart_markdown(find_chart(&chart)?)),
        Command::Validate(args) => validate::run(args),
        Command::Render(args) => render::run(args),
        Command::Preview(args) => preview::run(args),
        Command::Images(args) => images::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Import(args) => import::run(args),
        Command::Lint { target, seeds } => lint(&target, seeds),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "pecfg", &mut out);
            String::from_utf8(out).map_err(|error| format!("pecfg completions: {error}"))
        }
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
    // A serde_json tree always serializes; the fallback only satisfies the type.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

fn lint(target: &str, seeds: Option<PathBuf>) -> Result<String, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
