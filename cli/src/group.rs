//! `pecfg plan --group FILE --out DIR` and `pecfg validate --group FILE`: a unit group's plan (a folder per unit and tenant, the group report and picture, ApplicationSets or Flux cluster folders) and its checks, per unit and across units.
//!
//! The arguments are read by [`parse_args`] into [`GroupArgs`] and nothing else, so the command
//! moves to another argument parser by replacing that one function.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pecfg_core::catalog::Severity;
use pecfg_core::environment::{GitOps, PlanOptions};
use pecfg_core::export::{zip_bytes, HelmFlavor, SealScope, SealingCert, SecretEncoding};
use pecfg_core::group::{
    group_blocking_reasons, group_plan_files, group_report, parse_group, resolve_group, seal_group,
    validate_group, GroupDiagnostic, ResolvedGroup,
};

const USAGE: &str = "\
Usage: pecfg plan --group FILE --out DIR [options]
       pecfg validate --group FILE

Writes, into DIR, units/<unit>/<tenant>/ for every tenant on every unit (that environment's
plan: install.sh, install.ps1, each chart's values and secrets file, environment-report.txt,
plan.svg, images.txt, mirror.sh, mirror.ps1), group-report.txt (units by region, the rollout
order with every tenant's master unit first, the master locations, the findings across units) and
group.svg.

Options:
  --gitops argocd    also write argocd/<chart>.yaml: an ApplicationSet per chart, one element per
                     unit and tenant running it (its cluster, release and values inline), sync
                     waves in the platform guide's order, the master units first
                     (RollingSync), and argocd/kustomization.yaml
  --gitops flux      also write clusters/<unit>/: each cluster's HelmReleases and sources, its
                     namespaces and kustomization.yaml, the folder its Flux bootstrap points at
  --sealed-cert UNIT=PEM
                     seal that unit's Secrets with its sealed-secrets controller's certificate
                     (kubeseal --fetch-cert against that cluster); once per unit. A PEM without
                     UNIT= is used for every unit not named otherwise (one controller key shared
                     by every cluster). With --gitops flux, clusters/<unit>/sealed-secrets.yaml
                     holds every Secret of the unit once
  --scope SCOPE      strict (default), namespace-wide or cluster-wide (with --sealed-cert)
  --zip              also write <group>-plan.zip with every file
  --helm3            scripts for Helm 3 (default: Helm 4)
  --string-data      secrets files with stringData (default: base64 data)
  --force            write the files even though the checks report errors

The group file: docs/unit-groups.md.";

/// The arguments of `pecfg plan --group` and `pecfg validate --group`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupArgs {
    pub file: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub zip: bool,
    pub force: bool,
    pub options: PlanOptions,
    /// `(unit, certificate file)`; no unit: every unit not named otherwise.
    pub certs: Vec<(Option<String>, PathBuf)>,
    pub scope: Option<SealScope>,
}

/// Reads the words after `plan` (or `validate`) into [`GroupArgs`].
pub fn parse_args(args: &[&str]) -> Result<GroupArgs, String> {
    let mut parsed = GroupArgs::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("pecfg: {flag} needs a value\n\n{USAGE}"))
        };
        match *arg {
            "--group" => parsed.file = Some(PathBuf::from(value("--group")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--gitops" => {
                let word = value("--gitops")?;
                parsed.options.gitops =
                    Some(GitOps::parse(&word).ok_or_else(|| {
                        format!("pecfg: --gitops is argocd or flux, not `{word}`")
                    })?);
            }
            "--sealed-cert" => {
                let word = value("--sealed-cert")?;
                // `unit=file` when the text before `=` is a unit's name (a DNS label), else a file.
                let cert = match word.split_once('=') {
                    Some((unit, file))
                        if pecfg_core::kinds::is_dns1123_label(unit) && !file.is_empty() =>
                    {
                        (Some(unit.to_string()), PathBuf::from(file))
                    }
                    _ => (None, PathBuf::from(word)),
                };
                parsed.certs.push(cert);
            }
            "--scope" => {
                let word = value("--scope")?;
                parsed.scope = Some(SealScope::parse(&word).ok_or_else(|| {
                    format!(
                        "pecfg: --scope is strict, namespace-wide or cluster-wide, not `{word}`"
                    )
                })?);
            }
            "--zip" => parsed.zip = true,
            "--force" => parsed.force = true,
            "--helm3" => parsed.options.helm = HelmFlavor::V3,
            "--string-data" => parsed.options.secret_encoding = SecretEncoding::StringData,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("pecfg: unexpected `{other}`\n\n{USAGE}")),
        }
    }
    if parsed.scope.is_some() && parsed.certs.is_empty() {
        return Err(format!("pecfg: --scope needs --sealed-cert\n\n{USAGE}"));
    }
    Ok(parsed)
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
pub fn validate(args: &[&str]) -> Result<String, String> {
    let parsed = parse_args(args)?;
    let file = parsed
        .file
        .ok_or_else(|| format!("pecfg validate: --group is missing\n\n{USAGE}"))?;
    let (group, diagnostics) = load(&file, "validate")?;
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
pub fn run(args: &[&str]) -> Result<String, String> {
    let parsed = parse_args(args)?;
    let file = parsed
        .file
        .ok_or_else(|| format!("pecfg plan: --group is missing\n\n{USAGE}"))?;
    let out = parsed
        .out
        .ok_or_else(|| format!("pecfg plan: --out is missing\n\n{USAGE}"))?;
    let (group, diagnostics) = load(&file, "plan")?;
    // Every certificate is read, and every named unit known, before anything is written.
    let mut certs: BTreeMap<String, SealingCert> = BTreeMap::new();
    let mut every_unit: Option<SealingCert> = None;
    for (unit, path) in &parsed.certs {
        let pem = std::fs::read_to_string(path)
            .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
        let cert = SealingCert::parse(&pem, crate::render::now_unix())
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
    let mut printed = group_report(&group, &diagnostics, &parsed.options);
    if !blocking.is_empty() {
        let list: String = blocking
            .iter()
            .map(|reason| format!("  {reason}\n"))
            .collect();
        if !parsed.force {
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
        .filter(|unit| !parsed.certs.is_empty() && !certs.contains_key(&unit.name))
        .map(|unit| unit.name.as_str())
        .collect();
    if !unsealed.is_empty() {
        printed.push_str(&format!(
            "not sealed (no --sealed-cert for them): {}\n",
            unsealed.join(", ")
        ));
    }
    let sealed = seal_group(
        &group,
        &parsed.options,
        &certs,
        parsed.scope.unwrap_or_default(),
        &mut rand_core::OsRng,
    )
    .map_err(|error| format!("pecfg plan: {error}"))?;
    let files = group_plan_files(&group, &diagnostics, &parsed.options, &sealed);
    for (name, text) in &files {
        write_file(&out, name, text.as_bytes())?;
    }
    printed.push_str(&format!(
        "wrote {} files into {}: group-report.txt, group.svg, units/<unit>/<tenant>/{}\n",
        files.len(),
        out.display(),
        match parsed.options.gitops {
            Some(GitOps::ArgoCd) => ", argocd/",
            Some(GitOps::Flux) => ", clusters/<unit>/",
            None => "",
        }
    ));
    if parsed.zip {
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
    fn the_arguments_are_read_into_one_struct() {
        let parsed = parse_args(&[
            "--group",
            "g.yaml",
            "--out",
            "plan",
            "--gitops",
            "flux",
            "--sealed-cert",
            "eu-1=eu.pem",
            "--sealed-cert",
            "./all=certs/x.pem",
            "--zip",
        ])
        .unwrap();
        assert_eq!(parsed.file, Some(PathBuf::from("g.yaml")));
        assert_eq!(parsed.options.gitops, Some(GitOps::Flux));
        assert_eq!(
            parsed.certs,
            vec![
                (Some("eu-1".to_string()), PathBuf::from("eu.pem")),
                (None, PathBuf::from("./all=certs/x.pem")),
            ]
        );
        assert!(parsed.zip);
        assert!(parse_args(&["--scope", "strict"]).is_err());
        assert!(parse_args(&["--gitops", "helm"]).is_err());
        assert!(parse_args(&["--bogus"]).is_err());
    }
}
