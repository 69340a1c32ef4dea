//! `pecfg images <chart> --answers FILE`: the container images the answers pull (each reference
//! as the kubelet pulls it, where each part came from, what is missing), the chart archive, the
//! findings of the catalog's image checks, and with `--out` images.txt, mirror.sh and mirror.ps1.

use std::path::PathBuf;

use pecfg_core::mirror::{chart_image_diagnostics, chart_mirror, mirror_files, MirrorOptions};
use pecfg_core::session::ChartSession;

use crate::files::{read_answers, write_file};

/// Prints every container image the answers pull, as the kubelet pulls it
/// (registry/repository:tag), where each part comes from and what is missing, and the chart
/// archive a mirror copies. With --out, writes images.txt, mirror.sh and mirror.ps1 into DIR
/// (refused while a registry, repository or tag does not fit the image reference grammar).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(value_parser = crate::chart_id_parser())]
    chart: String,
    /// The answers file.
    #[arg(long, value_name = "FILE")]
    answers: PathBuf,
    /// Write images.txt, mirror.sh and mirror.ps1 into this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The vendor's registry to copy from (default: the platform guide's).
    #[arg(long, value_name = "R", allow_hyphen_values = true)]
    source_registry: Option<String>,
    /// Your registry to copy to (default: the registry the values pull each image from).
    #[arg(long, value_name = "R", allow_hyphen_values = true)]
    target_registry: Option<String>,
    /// The vendor's Helm repository (default: the platform guide's).
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    helm_repository: Option<String>,
    /// The chart version to copy (default: the newest).
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    version: Option<String>,
}

pub fn run(args: Args) -> Result<String, String> {
    let options = MirrorOptions {
        source_registry: args.source_registry.clone(),
        target_registry: args.target_registry.clone(),
        helm_repository: args.helm_repository.clone(),
        chart_version: args.version.clone(),
    };
    let problems = options.problems();
    if !problems.is_empty() {
        return Err(format!("pecfg images: {}", problems.join("; ")));
    }
    let chart = crate::find_chart(&args.chart)?;
    let session = ChartSession::new(chart, read_answers("images", &args.answers, chart)?);
    let evaluated = session.evaluated();
    let plan = chart_mirror(&evaluated, &options);
    let mut report = pecfg_core::mirror::inventory_report(&plan);
    let diagnostics = chart_image_diagnostics(&evaluated, options.target_registry.as_deref());
    for diagnostic in &diagnostics {
        report.push_str(&format!(
            "{} {}: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.path,
            diagnostic.message,
            diagnostic.rule
        ));
    }
    let Some(out) = &args.out else {
        return Ok(report);
    };
    if !plan.refused.is_empty() {
        return Err(format!(
            "{report}pecfg images: not written, {} value(s) cannot go into a script:\n{}",
            plan.refused.len(),
            plan.refused
                .iter()
                .map(|reason| format!("  {reason}\n"))
                .collect::<String>()
        ));
    }
    std::fs::create_dir_all(out)
        .map_err(|error| format!("pecfg images: {}: {error}", out.display()))?;
    for (name, text) in mirror_files(&plan) {
        let path = write_file("images", out, &name, text.as_bytes())?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok(report)
}
