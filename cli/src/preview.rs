//! `pecfg preview <chart> --answers FILE --file KIND`: one file as the page's preview shows it, from the same session call — secret and `sensitive` values hidden (and a guard line on top) unless `--reveal`.

use std::path::PathBuf;

use pecfg_core::session::{ChartSession, ExportFile};

use crate::files::read_answers;
use crate::render::ExportFlags;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(value_parser = crate::chart_id_parser())]
    chart: String,
    /// The answers file.
    #[arg(long, value_name = "FILE")]
    answers: PathBuf,
    /// Which file.
    #[arg(long, value_enum, default_value = "values")]
    file: FileKind,
    /// Show secret and sensitive values (the page's "Show secret values").
    #[arg(long)]
    reveal: bool,
    #[command(flatten)]
    export: ExportFlags,
}

/// The files a chart's export panel previews.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FileKind {
    Values,
    Secrets,
    Commands,
    Powershell,
    Schema,
}

impl FileKind {
    fn file(self) -> ExportFile {
        match self {
            FileKind::Values => ExportFile::Values,
            FileKind::Secrets => ExportFile::Secrets,
            FileKind::Commands => ExportFile::Commands,
            FileKind::Powershell => ExportFile::PowerShell,
            FileKind::Schema => ExportFile::Schema,
        }
    }
}

pub fn run(args: Args) -> Result<String, String> {
    let chart = crate::find_chart(&args.chart)?;
    let answers = read_answers("preview", &args.answers, chart)?;
    let session = ChartSession::new(chart, answers);
    let preview = session.preview(args.file.file(), &args.export.options(false), args.reveal);
    Ok(preview.text)
}
