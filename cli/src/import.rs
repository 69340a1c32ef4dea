//! `pecfg import <chart> FILE [--out answers.yaml]`: any file the page's Import takes (a values.yaml, an answers file, Secret manifests), read by the same core function that decides what it is, with the same report.
//!
//! The file is read as Helm reads it (YAML 1.1), so the report names the scalars that mean
//! something other than they look (`enabled: no` is false), the merge keys applied, the unknown
//! keys with suggestions, and the values equal to the default. `--out` writes the answers the
//! import gives (without secret values), as the page's "Save answers" does.

use std::path::PathBuf;

use pecfg_core::answers::answers_yaml;
use pecfg_core::session::{read_import, ChartSession};
use pecfg_core::share::without_secrets;

use crate::files::read_text;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chart to import into (an answers file may name another: it is imported into that one).
    #[arg(value_parser = crate::chart_id_parser())]
    chart: String,
    /// The file: a values.yaml, an answers file or Secret manifests.
    file: PathBuf,
    /// Write the answers the import gives (no secret values) to this file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<String, String> {
    let chart = crate::find_chart(&args.chart)?;
    let text = read_text("import", &args.file)?;
    let imported = read_import(chart, &text)
        .map_err(|error| format!("pecfg import: {}: refused: {error}", args.file.display()))?;
    let mut printed = format!("taken as {}: {}\n", imported.kind.label(), imported.summary);
    for line in &imported.lines {
        printed.push_str(&format!("{} {}\n", line.kind.word(), line.text));
    }
    printed.push_str(&imported.counts());
    printed.push('\n');
    if let Some(out) = &args.out {
        let target = crate::find_chart(&imported.chart)?;
        let mut session = ChartSession::new(target, pecfg_core::answers::Answers::new(&target.id));
        session
            .apply(imported.change)
            .map_err(|refusal| format!("pecfg import: {refusal}"))?;
        let body = answers_yaml(&without_secrets(session.own_answers()));
        std::fs::write(out, body)
            .map_err(|error| format!("pecfg import: {}: {error}", out.display()))?;
        printed.push_str(&format!("wrote {}\n", out.display()));
    }
    Ok(printed)
}
