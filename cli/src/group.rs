//! `pecfg plan --group FILE --out DIR` and `pecfg validate --group FILE`: a unit group's plan (a folder per unit and tenant, the group report and picture, ApplicationSets or Flux cluster folders) and its checks, per unit and across units.
//!
//! The arguments are read by [`parse_args`] into [`GroupArgs`] and nothing else, so the command
//! moves to another argument parser by replacing that one function.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pecfg_core::catalog::Severity;
use pecfg_core::environment::{GitOps, PlanOptions};
use pecfg_core::export::{zip_bytes, SealScope, SealingCert};
use pecfg_core::group::{
    group_blocking_reasons, group_plan_files, group_report, parse_group, resolve_group, seal_group,
    validate_group, GroupDiagnostic, ResolvedGroup,
};

/// `--sealed-cert` words: `unit=file` when the text before `=` is a unit's name (a DNS label),
/// else a file for every unit not named otherwise.
fn certificates(words: &[String]) -> Vec<(Option<String>, PathBuf)> {
    words
        .iter()
        .map(|word| match word.split_once('=') {
            Some((unit, file)) if pecfg_core::kinds::is_dns1123_label(unit) && !file.is_empty() => {
                (Some(unit.to_string()), PathBuf::from(file))
            }
            _ => (None, PathBuf::from(word)),
        })
        .collect()
}

/// Reads (as bytes, decoded like every file the CLI reads), resolves and checks a group file.
fn load(file: &Path, command: &str) -> Result<(ResolvedGroup, Vec<GroupDiagnostic>), String> {
    let bytes = std::fs::read(file)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let text = pecfg_core::text::decode(&bytes)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let parsed = parse_group(&text)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let group = resolve_group(&parsed).map_err(|error| format!("pecfg {command}: {error}"))?;
    let diagnostics = validate_group(&group);
    Ok((group, diagnostics))
}

/// One line per finding (`error [unit/tenant] [charts] path: message [rule]`), then the counts.
fn findings(diagnostics: &[GroupDiagnostic]) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&format!(
            "{} [{}] [{}] {}: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.where_shown(),
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
    text.push_str(&format!(
        "{errors} error(s), {} warning(s)\n",
        diagnostics.len() - errors
    ));
    text
}

/// `pecfg validate --group FILE`: the group report and every finding; fails on an error.
pub fn validate(file: &Path) -> Result<String, String> {
    let (group, diagnostics) = load(file, "validate")?;
    let text = format!(
        "{}\n{}",
        group_report(&group, &diagnostics, &PlanOptions::default()),
        findings(&diagnostics)
    );
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(text.trim_end().to_string())
    } else {
        Ok(text)
    }
}

/// `pecfg plan --group FILE --out DIR`.
pub fn run(args: crate::plan::Args) -> Result<String, String> {
    let Some(file) = &args.group else {
        return Err("pecfg plan: --group is missing".into());
    };
    let out = args.out.clone();
    let options = args.options();
    let scope = args
        .scope
        .as_deref()
        .and_then(SealScope::parse)
        .unwrap_or_default();
    let named = certificates(&args.sealed_cert);
    let (group, diagnostics) = load(file, "plan")?;
    // Every certificate is read, and every named unit known, before anything is written.
    let mut certs: BTreeMap<String, SealingCert> = BTreeMap::new();
    let mut every_unit: Option<SealingCert> = None;
    for (unit, path) in &named {
        let pem = std::fs::read_to_string(path)
            .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
        let cert = SealingCert::parse(&pem, crate::files::now_unix())
            .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
        match unit {
            Some(unit) if group.unit(unit).is_none() => {
                return Err(format!(
                    "pecfg plan: --sealed-cert names unit `{unit}`, which the group does not have"
                ))
            }
            Some(unit) => {
                certs.insert(unit.clone(), cert);
            }
            None => every_unit = Some(cert),
        }
    }
    if let Some(cert) = every_unit {
        for unit in &group.units {
            certs
                .entry(unit.name.clone())
                .or_insert_with(|| cert.clone());
        }
    }
    let blocking = group_blocking_reasons(&group, &diagnostics);
    let mut printed = group_report(&group, &diagnostics, &options);
    if !blocking.is_empty() {
        let list: String = blocking
            .iter()
            .map(|reason| format!("  {reason}\n"))
            .collect();
        if !args.force {
            return Err(format!(
                "{printed}pecfg plan: not written, {} problem(s) block the plan:\n{list}fix them, or pass --force",
                blocking.len()
            ));
        }
        printed.push_str(&format!(
            "written with --force despite {} problem(s):\n{list}",
            blocking.len()
        ));
    }
    let unsealed: Vec<&str> = group
        .units
        .iter()
        .filter(|unit| !named.is_empty() && !certs.contains_key(&unit.name))
        .map(|unit| unit.name.as_str())
        .collect();
    if !unsealed.is_empty() {
        printed.push_str(&format!(
            "not sealed (no --sealed-cert for them): {}\n",
            unsealed.join(", ")
        ));
    }
    let sealed = seal_group(&group, &options, &certs, scope, &mut rand_core::OsRng)
        .map_err(|error| format!("pecfg plan: {error}"))?;
    let files = group_plan_files(&group, &diagnostics, &options, &sealed);
    for (name, text) in &files {
        write_file(&out, name, text.as_bytes())?;
    }
    printed.push_str(&format!(
        "wrote {} files into {}: group-report.txt, group.svg, units/<unit>/<tenant>/{}\n",
        files.len(),
        out.display(),
        match options.gitops {
            Some(GitOps::ArgoCd) => ", argocd/",
            Some(GitOps::Flux) => ", clusters/<unit>/",
            None => "",
        }
    ));
    if args.zip {
        let zip = format!("{}-plan.zip", group.name);
        write_file(&out, &zip, &zip_bytes(&files))?;
        printed.push_str(&format!("wrote {}\n", out.join(zip).display()));
    }
    Ok(printed)
}

/// Writes one file under `dir`. The names are the plan's own, built from the group's unit and
/// tenant names, which the group file's boundary only accepts as DNS-1123 labels.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("pecfg plan: {}: {error}", parent.display()))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
    #[cfg(unix)]
    if name.ends_with(".sh") {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_names_its_unit_or_serves_every_unit() {
        let words = ["eu-1=eu.pem", "./all=certs/x.pem", "plain.pem"].map(String::from);
        assert_eq!(
            certificates(&words),
            vec![
                (Some("eu-1".to_string()), PathBuf::from("eu.pem")),
                (None, PathBuf::from("./all=certs/x.pem")),
                (None, PathBuf::from("plain.pem")),
            ]
        );
    }
}
