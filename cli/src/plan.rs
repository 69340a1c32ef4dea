//! `pecfg plan --environment FILE --out DIR`: an environment's install plan (install.sh, install.ps1, every chart's values and secrets file, GitOps manifests, the mirror's files), from the environment session the page keeps.

use std::path::PathBuf;

use pecfg_core::environment::{
    plan_blocking_reasons, plan_files_sealed, plan_report, plan_zip_name, seal_plan, GitOps,
    PlanOptions,
};
use pecfg_core::export::{zip_bytes, HelmFlavor, SealScope, SealingCert, SecretEncoding};

use crate::files::{listed, now_unix, read_text, write_file};

/// Writes install.sh, install.ps1, <chart>-values.yaml and <chart>-secrets.yaml for every chart
/// of the environment, environment-report.txt, plan.svg, and images.txt, mirror.sh and mirror.ps1
/// (the images and chart archives to copy into your registry), into DIR.
///
/// The environment file holds `environment: <name>`, `shared: {…}` (facts given once) and
/// `charts: {<chart id>: <answers body without chart:>}`, optionally `sources: {<chart id>:
/// {ref | repository, chart, version}}` and `air_gapped: true`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The environment file.
    #[arg(long, value_name = "FILE")]
    environment: PathBuf,
    /// The folder to write the plan into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write <environment>-plan.zip with every file.
    #[arg(long)]
    zip: bool,
    /// Also write gitops/ for argocd (Applications) or flux (HelmReleases and their
    /// HelmRepository/OCIRepository), with namespaces.yaml and kustomization.yaml; no secret value
    /// goes into them. Only charts whose `sources` give a repository (https:// or oci://) and a
    /// version get one; the report names the others and what to give.
    #[arg(long, value_parser = ["argocd", "flux"])]
    gitops: Option<String>,
    /// Scripts for Helm 3 (--atomic; default: Helm 4, --rollback-on-failure).
    #[arg(long)]
    helm3: bool,
    /// Secrets files with stringData (default: base64 data).
    #[arg(long)]
    string_data: bool,
    /// Also write <chart>-sealed-secrets.yaml for every chart: its Secrets sealed with this
    /// sealed-secrets controller certificate (kubeseal --fetch-cert); with --gitops they also go
    /// to gitops/sealed-secrets/, listed in kustomization.yaml.
    #[arg(long, value_name = "PEM")]
    sealed_cert: Option<PathBuf>,
    /// The sealing scope (with --sealed-cert).
    #[arg(long, value_parser = ["strict", "namespace-wide", "cluster-wide"], requires = "sealed_cert")]
    scope: Option<String>,
    /// Write the files even though the checks report errors.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<String, String> {
    let options = PlanOptions {
        helm: if args.helm3 {
            HelmFlavor::V3
        } else {
            HelmFlavor::V4
        },
        secret_encoding: if args.string_data {
            SecretEncoding::StringData
        } else {
            SecretEncoding::Data
        },
        gitops: args.gitops.as_deref().and_then(GitOps::parse),
    };
    let session = crate::validate::load_environment("plan", &args.environment)?;
    let Some(resolved) = session.resolved() else {
        return Err("pecfg plan: the environment could not be resolved".into());
    };
    let blocking = plan_blocking_reasons(resolved, session.diagnostics());
    let mut printed = plan_report(resolved, &options);
    if !blocking.is_empty() {
        if !args.force {
            return Err(format!(
                "{printed}pecfg plan: not written, {} problem(s) block the plan:\n{}fix them, or pass --force",
                blocking.len(),
                listed(&blocking)
            ));
        }
        printed.push_str(&format!(
            "written with --force despite {} problem(s):\n{}",
            blocking.len(),
            listed(&blocking)
        ));
    }
    // Sealed before anything is written, so a refused certificate leaves no half-done folder.
    let sealed = match &args.sealed_cert {
        Some(path) => {
            let pem = read_text("plan", path)?;
            let cert = SealingCert::parse(&pem, now_unix())
                .map_err(|error| format!("pecfg plan: {}: {error}", path.display()))?;
            let scope = args
                .scope
                .as_deref()
                .and_then(SealScope::parse)
                .unwrap_or_default();
            seal_plan(resolved, &options, &cert, scope, &mut rand_core::OsRng)
                .map_err(|error| format!("pecfg plan: {error}"))?
        }
        None => Vec::new(),
    };
    // The names are the plan's own (`gitops/<chart>.yaml` at most one folder deep), never a name
    // from the environment file.
    let files = plan_files_sealed(resolved, &options, &sealed);
    let mut written = Vec::new();
    for (name, text) in &files {
        written.push(write_file("plan", &args.out, name, text.as_bytes())?);
    }
    if args.zip {
        written.push(write_file(
            "plan",
            &args.out,
            &plan_zip_name(resolved),
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
