//! `pecfg plan --environment FILE --out DIR` and `pecfg validate --environment FILE`: an environment's install plan (install.sh, install.ps1, every chart's values and secrets file, GitOps manifests) and its per-chart and cross-chart checks.

use std::path::{Path, PathBuf};

use pecfg_core::catalog::Severity;
use pecfg_core::environment::{
    parse_environment, plan_blocking_reasons, plan_files_sealed, plan_report, plan_zip_name,
    resolution_report, resolve, seal_plan, validate_environment, EnvDiagnostic, GitOps,
    PlanOptions, Resolved,
};
use pecfg_core::export::{zip_bytes, HelmFlavor, SealScope, SealingCert, SecretEncoding};

const USAGE: &str = "\
Usage: pecfg plan --environment FILE --out DIR [options]

Writes install.sh, install.ps1, <chart>-values.yaml and <chart>-secrets.yaml for every chart of
the environment, environment-report.txt, plan.svg, and images.txt, mirror.sh and mirror.ps1 (the
images and chart archives to copy into your registry), into DIR.

Options:
  --zip              also write <environment>-plan.zip with every file
  --gitops TOOL      also write gitops/ for argocd (Applications) or flux (HelmReleases and
                     their HelmRepository/OCIRepository), with namespaces.yaml and
                     kustomization.yaml; no secret value goes into them. Only charts whose
                     `sources` give a repository (https:// or oci://) and a version get one;
                     the report names the others and what to give
  --helm3            scripts for Helm 3 (--atomic; default: Helm 4, --rollback-on-failure)
  --string-data      secrets files with stringData (default: base64 data)
  --sealed-cert PEM  also write <chart>-sealed-secrets.yaml for every chart: its Secrets sealed
                     with this sealed-secrets controller certificate (kubeseal --fetch-cert);
                     with --gitops they also go to gitops/sealed-secrets/, listed in
                     kustomization.yaml
  --scope SCOPE      strict (default), namespace-wide or cluster-wide (with --sealed-cert)
  --force            write the files even though the checks report errors

The environment file holds `environment: <name>`, `shared: {…}` (facts given once) and
`charts: {<chart id>: <answers body without chart:>}`, optionally `sources: {<chart id>:
{ref | repository, chart, version}}`.";

/// Reads, resolves and checks an environment file.
fn load(file: &Path, command: &str) -> Result<(Resolved, Vec<EnvDiagnostic>), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let parsed = parse_environment(&text)
        .map_err(|error| format!("pecfg {command}: {}: {error}", file.display()))?;
    let resolved = resolve(&parsed).map_err(|error| format!("pecfg {command}: {error}"))?;
    let diagnostics = validate_environment(&resolved);
    Ok((resolved, diagnostics))
}

/// One line per diagnostic (`error [charts] path: message [rule]`), then `N errors, M warnings`.
fn report(diagnostics: &[EnvDiagnostic]) -> String {
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
    text.push_str(&format!(
        "{errors} {}, {} {}\n",
        if errors == 1 { "error" } else { "errors" },
        diagnostics.len() - errors,
        if diagnostics.len() - errors == 1 {
            "warning"
        } else {
            "warnings"
        }
    ));
    text
}

/// `pecfg validate --environment FILE`.
pub fn validate(args: &[&str]) -> Result<String, String> {
    let [file] = args else {
        return Err("usage: pecfg validate --environment FILE".into());
    };
    let (resolved, diagnostics) = load(Path::new(file), "validate")?;
    let text = format!("{}{}", resolution_report(&resolved), report(&diagnostics));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(text.trim_end().to_string())
    } else {
        Ok(text)
    }
}

pub fn run(args: &[&str]) -> Result<String, String> {
    let mut environment = None;
    let mut out = None;
    let mut zip = false;
    let mut force = false;
    let mut options = PlanOptions::default();
    let mut sealed_cert = None;
    let mut scope = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("pecfg plan: {flag} needs a value\n\n{USAGE}"))
        };
        match *arg {
            "--environment" => environment = Some(PathBuf::from(value("--environment")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--gitops" => {
                let word = value("--gitops")?;
                options.gitops = Some(GitOps::parse(&word).ok_or_else(|| {
                    format!("pecfg plan: --gitops is argocd or flux, not `{word}`")
                })?);
            }
            "--sealed-cert" => sealed_cert = Some(PathBuf::from(value("--sealed-cert")?)),
            "--scope" => {
                let word = value("--scope")?;
                scope = Some(SealScope::parse(&word).ok_or_else(|| {
                    format!(
                        "pecfg plan: --scope is strict, namespace-wide or cluster-wide, not `{word}`"
                    )
                })?);
            }
            "--zip" => zip = true,
            "--force" => force = true,
            "--helm3" => options.helm = HelmFlavor::V3,
            "--string-data" => options.secret_encoding = SecretEncoding::StringData,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("pecfg plan: unexpected `{other}`\n\n{USAGE}")),
        }
    }
    let environment =
        environment.ok_or_else(|| format!("pecfg plan: --environment is missing\n\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("pecfg plan: --out is missing\n\n{USAGE}"))?;
    if scope.is_some() && sealed_cert.is_none() {
        return Err(format!(
            "pecfg plan: --scope needs --sealed-cert\n\n{USAGE}"
        ));
    }
    let (resolved, diagnostics) = load(&environment, "plan")?;
    let blocking = plan_blocking_reasons(&resolved, &diagnostics);
    let mut printed = plan_report(&resolved, &options);
    if !blocking.is_empty() {
        let list: String = blocking
            .iter()
            .map(|reason| format!("  {reason}\n"))
            .collect();
        if !force {
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
    // Sealed before anything is written, so a refused certificate leaves no half-done folder.
    let sealed = match &sealed_cert {
        Some(path) => {
            let pem = std::fs::read_to_string(path)
                .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
            let cert = SealingCert::parse(&pem, crate::render::now_unix())
                .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
            seal_plan(
                &resolved,
                &options,
                &cert,
                scope.unwrap_or_default(),
                &mut rand_core::OsRng,
            )
            .map_err(|error| format!("pecfg plan: {error}"))?
        }
        None => Vec::new(),
    };
    let files = plan_files_sealed(&resolved, &options, &sealed);
    let mut written = Vec::new();
    for (name, text) in &files {
        written.push(write_file(&out, name, text.as_bytes())?);
    }
    if zip {
        written.push(write_file(
            &out,
            &plan_zip_name(&resolved),
            &zip_bytes(&files),
        )?);
    }
    printed.extend(
        written
            .iter()
            .map(|path| format!("wrote {}\n", path.display())),
    );
    Ok(printed)
}

/// Writes one file under `dir`; the names are the plan's own (`gitops/<chart>.yaml` at most one
/// folder deep), never a name from the environment file.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
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
    Ok(path)
}
