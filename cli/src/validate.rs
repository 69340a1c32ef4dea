//! `pecfg validate <chart> --answers FILE`: the same diagnostics the browser shows.
//!
//! One line per diagnostic (`error <path>: <message> [<rule>]`), errors first, then a summary
//! line. Errors make the command fail (exit 1); warnings never do.

use pecfg_core::answers::parse_answers;
use pecfg_core::validation::{validate, Diagnostic, Severity};

const USAGE: &str = "usage: pecfg validate <chart> --answers FILE";

pub fn run(args: &[&str]) -> Result<String, String> {
    let mut chart_id = None;
    let mut answers_file = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--answers" => {
                answers_file =
                    Some(*rest.next().ok_or_else(|| {
                        format!("pecfg validate: --answers needs a file\n{USAGE}")
                    })?)
            }
            other if other.starts_with("--") => {
                return Err(format!("pecfg validate: unknown option `{other}`\n{USAGE}"))
            }
            other if chart_id.is_none() => chart_id = Some(other),
            other => return Err(format!("pecfg validate: unexpected `{other}`\n{USAGE}")),
        }
    }
    let (Some(chart_id), Some(answers_file)) = (chart_id, answers_file) else {
        return Err(format!("pecfg validate: missing arguments\n{USAGE}"));
    };
    let chart = crate::find_chart(chart_id)?;
    let text = std::fs::read_to_string(answers_file)
        .map_err(|error| format!("pecfg validate: cannot read {answers_file}: {error}"))?;
    let answers =
        parse_answers(&text).map_err(|error| format!("pecfg validate: {answers_file}: {error}"))?;
    if answers.chart != chart.id {
        return Err(format!(
            "pecfg validate: {answers_file} holds answers for chart `{}`, not `{}`",
            answers.chart, chart.id
        ));
    }
    let diagnostics = validate(chart, &answers);
    let report = report(&diagnostics);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(report.trim_end().to_string())
    } else {
        Ok(report)
    }
}

/// The printed report: one line per diagnostic, then `N errors, M warnings`.
fn report(diagnostics: &[Diagnostic]) -> String {
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
    let warnings = diagnostics.len() - errors;
    text.push_str(&format!(
        "{} {}, {} {}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    ));
    text
}
