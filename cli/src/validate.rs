//! `pecfg validate <chart> --answers FILE` and `pecfg validate --environment FILE`: the findings the page shows, from the same sessions.
//!
//! One line per finding (`error <path>: <message> [<rule>]`; an environment's with `[charts]`),
//! errors first, then a summary line. Errors make the command fail (exit 1); warnings never do.
//! With `--environment FILE --chart ID`, the findings a member chart's form shows: the
//! environment's findings placed on that chart's own fields.

use std::path::PathBuf;

use pecfg_core::diagnostic::{Diagnostic, EnvDiagnostic, Severity};
use pecfg_core::session::{ChartSession, EnvironmentSession};

use crate::files::{read_answers, read_text};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["answers", "environment", "group"])))]
pub struct Args {
    /// The chart of the answers file (or, with --environment, the member whose form to show).
    #[arg(value_parser = crate::chart_id_parser())]
    chart: Option<String>,
    /// An answers file.
    #[arg(long, value_name = "FILE", requires = "chart")]
    answers: Option<PathBuf>,
    /// An environment file: each chart's checks and the checks across charts.
    #[arg(long, value_name = "FILE", conflicts_with = "answers")]
    environment: Option<PathBuf>,
    /// A unit group file: each unit's environments, and the checks across units.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["answers", "environment", "chart"])]
    group: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<String, String> {
    if let Some(file) = &args.group {
        return crate::group::validate(file);
    }
    if let Some(file) = &args.environment {
        return environment(file, args.chart.as_deref());
    }
    let (Some(chart_id), Some(answers_file)) = (&args.chart, &args.answers) else {
        return Err(
            "pecfg validate: give <chart> --answers FILE, --environment FILE or --group FILE"
                .into(),
        );
    };
    let chart = crate::find_chart(chart_id)?;
    let session = ChartSession::new(chart, read_answers("validate", answers_file, chart)?);
    let report = report(session.diagnostics());
    if session.counts().0 > 0 {
        Err(report.trim_end().to_string())
    } else {
        Ok(report)
    }
}

/// Reads an environment file into its session (the same boundary as the page's Open).
pub fn load_environment(
    command: &str,
    file: &std::path::Path,
) -> Result<EnvironmentSession, String> {
    let text = read_text(command, file)?;
    let parsed = pecfg_core::environment::parse_environment(&text)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let session = EnvironmentSession::from_file(parsed);
    if let Some(why) = session.unresolved() {
        return Err(format!("pecfg {command}: {why}"));
    }
    Ok(session)
}

fn environment(file: &std::path::Path, member: Option<&str>) -> Result<String, String> {
    let session = load_environment("validate", file)?;
    let Some(resolved) = session.resolved() else {
        return Err("pecfg validate: the environment could not be resolved".into());
    };
    let text = match member {
        // What the member's form shows: its own checks, and the environment's placed on it.
        Some(chart_id) => {
            let Some(entry) = resolved
                .charts
                .iter()
                .find(|entry| entry.chart.id == chart_id)
            else {
                return Err(format!(
                    "pecfg validate: the environment has no chart `{chart_id}`"
                ));
            };
            let mut form = ChartSession::new(entry.chart, entry.answers.clone());
            form.set_outside_findings(session.findings_for(chart_id));
            report(form.diagnostics())
        }
        None => format!(
            "{}{}",
            pecfg_core::environment::resolution_report(resolved),
            environment_report(session.diagnostics())
        ),
    };
    if session.counts().0 > 0 {
        Err(text.trim_end().to_string())
    } else {
        Ok(text)
    }
}

/// One line per finding, then `N errors, M warnings`.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&format!(
            "{} {}: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.path,
            diagnostic.message,
            diagnostic.rule
        ));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    text.push_str(&summary(errors, diagnostics.len() - errors));
    text
}

/// One line per finding of an environment (`error [charts] path: message [rule]`), then the
/// summary.
pub fn environment_report(diagnostics: &[EnvDiagnostic]) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&format!(
            "{} [{}] {}: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.charts.join(", "),
            diagnostic.path,
            diagnostic.message,
            diagnostic.rule
        ));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    text.push_str(&summary(errors, diagnostics.len() - errors));
    text
}

fn summary(errors: usize, warnings: usize) -> String {
    format!(
        "{} {}, {} {}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    )
}
