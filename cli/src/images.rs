//! `pecfg images <chart> --answers FILE`: the container images the answers pull (each reference
//! as the kubelet pulls it, where each part came from, what is missing), the chart archive, the
//! findings of the catalog's image checks, and with `--out` images.txt, mirror.sh and mirror.ps1.

use std::path::{Path, PathBuf};

use pecfg_core::answers::parse_answers;
use pecfg_core::mirror::{
    chart_image_diagnostics, chart_mirror, mirror_files, ImageInventory, MirrorOptions, MirrorPlan,
    Part,
};
use pecfg_core::validation::Evaluated;

const USAGE: &str = "\
Usage: pecfg images <chart> --answers FILE [--out DIR] [options]

Prints every container image the answers pull, as the kubelet pulls it (registry/repository:tag),
where each part comes from and what is missing, and the chart archive a mirror copies. With --out,
writes images.txt, mirror.sh and mirror.ps1 into DIR (refused while a registry, repository or tag
does not fit the image reference grammar).

Options:
  --out DIR                 write images.txt, mirror.sh and mirror.ps1
  --source-registry R       the vendor's registry to copy from (default: the platform guide's,
                            pureengageuse1-docker-multicloud.jfrog.io)
  --target-registry R       your registry to copy to (default: the registry the values pull each
                            image from)
  --helm-repository URL     the vendor's Helm repository (default: the platform guide's)
  --version V               the chart version to copy (default: the newest)";

/// The arguments of `pecfg images`, read in one place.
struct Args {
    chart: String,
    answers: PathBuf,
    out: Option<PathBuf>,
    options: MirrorOptions,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut chart = None;
    let mut answers = None;
    let mut out = None;
    let mut options = MirrorOptions::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("pecfg images: {flag} needs a value\n\n{USAGE}"))
        };
        match *arg {
            "--answers" => answers = Some(PathBuf::from(value("--answers")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--source-registry" => options.source_registry = Some(value("--source-registry")?),
            "--target-registry" => options.target_registry = Some(value("--target-registry")?),
            "--helm-repository" => options.helm_repository = Some(value("--helm-repository")?),
            "--version" => options.chart_version = Some(value("--version")?),
            "--help" | "-h" => return Err(USAGE.to_string()),
            flag if flag.starts_with('-') => {
                return Err(format!("pecfg images: unknown option `{flag}`\n\n{USAGE}"))
            }
            id if chart.is_none() => chart = Some(id.to_string()),
            extra => return Err(format!("pecfg images: unexpected `{extra}`\n\n{USAGE}")),
        }
    }
    Ok(Args {
        chart: chart.ok_or_else(|| format!("pecfg images: which chart?\n\n{USAGE}"))?,
        answers: answers.ok_or_else(|| format!("pecfg images: --answers is missing\n\n{USAGE}"))?,
        out,
        options,
    })
}

pub fn run(args: &[&str]) -> Result<String, String> {
    let args = parse_args(args)?;
    let problems = args.options.problems();
    if !problems.is_empty() {
        return Err(format!("pecfg images: {}", problems.join("; ")));
    }
    let chart = crate::find_chart(&args.chart)?;
    let text = std::fs::read_to_string(&args.answers)
        .map_err(|error| format!("pecfg images: {}: {error}", args.answers.display()))?;
    let answers = parse_answers(&text)
        .map_err(|error| format!("pecfg images: {}: {error}", args.answers.display()))?;
    if answers.chart != chart.id {
        return Err(format!(
            "pecfg images: {} is for chart `{}`, not `{}`",
            args.answers.display(),
            answers.chart,
            chart.id
        ));
    }
    let evaluated = Evaluated::of(chart, &answers);
    let plan = chart_mirror(&evaluated, &args.options);
    let mut report = inventory_report(&plan);
    let diagnostics = chart_image_diagnostics(&evaluated, args.options.target_registry.as_deref());
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
        let path = write_file(out, &name, text.as_bytes())?;
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok(report)
}

fn part_line(what: &str, part: &Part) -> String {
    match (part.known(), part.problem(what)) {
        (Some(text), _) => format!("  {what:<10} {text}  ({})\n", part.origin_text()),
        (None, Some(problem)) => format!("  {what:<10} missing: {problem}\n"),
        (None, None) => String::new(),
    }
}

fn image_report(image: &ImageInventory) -> String {
    let mut out = match (&image.skipped, &image.reference) {
        (Some(why), _) => format!("{}: not pulled, {why}\n", image.name()),
        (None, Some(reference)) => format!("{}: {reference}\n", image.name()),
        (None, None) => format!("{}: not complete\n", image.name()),
    };
    out.push_str(&part_line("registry", &image.registry));
    out.push_str(&part_line("repository", &image.repository));
    out.push_str(&part_line("tag", &image.tag));
    out.push_str(&format!("  (catalog: {})\n", image.lines));
    out
}

/// The inventory, then what a mirror copies and what it does not.
fn inventory_report(plan: &MirrorPlan) -> String {
    let pulled = plan.inventory.iter().filter(|image| image.pulled).count();
    let complete = plan
        .inventory
        .iter()
        .filter(|image| image.pulled && image.reference.is_some())
        .count();
    let mut out = format!(
        "{}: {} image(s) in the catalog, {pulled} pulled with these values, {complete} with a \
         known reference\n",
        plan.title,
        plan.inventory.len()
    );
    for image in &plan.inventory {
        out.push_str(&image_report(image));
    }
    out.push_str(&format!(
        "mirror from {} (Helm repository {}):\n",
        if plan.source_registry.is_empty() {
            "an unknown registry"
        } else {
            &plan.source_registry
        },
        plan.helm_repository
    ));
    for copy in &plan.images {
        match &copy.skipped {
            None => out.push_str(&format!(
                "  copy image {} -> {}\n",
                copy.source, copy.target
            )),
            Some(why) => out.push_str(&format!("  not copied: image {}: {why}\n", copy.image)),
        }
    }
    for copy in &plan.charts {
        match (&copy.skipped, &copy.name, &copy.target) {
            (None, Some(name), Some(target)) => out.push_str(&format!(
                "  copy chart {name} {} -> {target}\n",
                copy.version.as_deref().unwrap_or("(newest version)")
            )),
            (Some(why), _, _) => {
                out.push_str(&format!("  not copied: chart {}: {why}\n", copy.chart))
            }
            _ => {}
        }
    }
    out
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)
        .map_err(|error| format!("pecfg images: {}: {error}", path.display()))?;
    #[cfg(unix)]
    if name.ends_with(".sh") {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| format!("pecfg images: {}: {error}", path.display()))?;
    }
    Ok(path)
}
