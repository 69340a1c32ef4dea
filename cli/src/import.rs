//! `pecfg import <chart> FILE [--out answers.yaml]`: reads an old values.yaml through the input boundary, prints the report, and writes an answers file.
//!
//! The same function as the browser's Import: the file is read as Helm reads it (YAML 1.1), so the
//! report names the scalars that mean something other than they look (`enabled: no` is false),
//! the merge keys applied, the unknown keys with suggestions, and the values equal to the default.

use pecfg_core::answers::Answers;
use pecfg_core::import::{explain_merged, import_values, retyped_explanations};

const USAGE: &str = "usage: pecfg import <chart> FILE [--out answers.yaml]";

pub fn run(args: &[&str]) -> Result<String, String> {
    let mut words = Vec::new();
    let mut out = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--out" => {
                out = Some(
                    *rest
                        .next()
                        .ok_or_else(|| format!("pecfg import: --out needs a file\n{USAGE}"))?,
                )
            }
            flag if flag.starts_with("--") => {
                return Err(format!("pecfg import: unknown option `{flag}`\n{USAGE}"))
            }
            word => words.push(word),
        }
    }
    let [chart_id, file] = words.as_slice() else {
        return Err(format!("pecfg import: give a chart and a file\n{USAGE}"));
    };
    let chart = crate::find_chart(chart_id)?;
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("pecfg import: cannot read {file}: {error}"))?;
    let (values, report) = import_values(chart, &text)
        .map_err(|error| format!("pecfg import: {file}: refused: {error}"))?;
    let mut printed = String::new();
    for line in retyped_explanations(chart, &values, &report) {
        printed.push_str(&format!("retyped {line}\n"));
    }
    for path in &report.merged {
        printed.push_str(&format!("merged {}\n", explain_merged(path)));
    }
    for unknown in &report.unknown {
        match &unknown.suggestion {
            Some(best) => printed.push_str(&format!(
                "unknown {}: kept as it is (did you mean `{best}`?)\n",
                unknown.path
            )),
            None => printed.push_str(&format!("unknown {}: kept as it is\n", unknown.path)),
        }
    }
    for mismatch in &report.type_mismatches {
        printed.push_str(&format!(
            "type {}: expected {}\n",
            mismatch.path, mismatch.expected
        ));
    }
    for path in &report.equal_to_default {
        printed.push_str(&format!("default {path}: equal to the chart default\n"));
    }
    printed.push_str(&format!(
        "{} retyped, {} merged, {} unknown, {} type mismatches, {} equal to the default\n",
        report.retyped.len(),
        report.merged.len(),
        report.unknown.len(),
        report.type_mismatches.len(),
        report.equal_to_default.len()
    ));
    if let Some(out) = out {
        let mut answers = Answers::new(&chart.id);
        answers.values = values;
        let body = serde_yaml::to_string(&answers)
            .map_err(|error| format!("pecfg import: cannot write the answers: {error}"))?;
        std::fs::write(out, body).map_err(|error| format!("pecfg import: {out}: {error}"))?;
        printed.push_str(&format!("wrote {out}\n"));
    }
    Ok(printed)
}
