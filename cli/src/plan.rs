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
///
/// With --group FILE instead (docs/unit-groups.md): a unit group's plan, units/<unit>/<tenant>/
/// for every tenant on every unit (that environment's plan), group-report.txt (units by region,
/// the rollout with every tenant's master unit first, the findings across units) and group.svg.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The environment file.
    #[arg(long, value_name = "FILE", required_unless_present = "group")]
    pub(crate) environment: Option<PathBuf>,
    /// A unit group file instead: a plan per unit and tenant, ApplicationSets (argocd) or a
    /// folder per cluster (flux).
    #[arg(long, value_name = "FILE", conflicts_with = "environment")]
    pub(crate) group: Option<PathBuf>,
    /// The folder to write the plan into.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Also write <environment>-plan.zip (or <group>-plan.zip) with every file.
    #[arg(long)]
    pub(crate) zip: bool,
    /// Also write gitops/ for argocd (Applications) or flux (HelmReleases and their
    /// HelmRepository/OCIRepository), with namespaces.yaml and kustomization.yaml; no secret value
    /// goes into them. Only charts whose `sources` give a repository (https:// or oci://) and a
    /// version get one; the report names the others and what to give.
    /// With --group: argocd/<chart>.yaml, an ApplicationSet per chart (one element per unit and
    /// tenant, the master units first), or clusters/<unit>/ for Flux.
    #[arg(long, value_parser = ["argocd", "flux"])]
    pub(crate) gitops: Option<String>,
    /// Scripts for Helm 3 (--atomic; default: Helm 4, --rollback-on-failure).
    #[arg(long)]
    pub(crate) helm3: bool,
    /// Secrets files with stringData (default: base64 data).
    #[arg(long)]
    pub(crate) string_data: bool,
    /// Also write <chart>-sealed-secrets.yaml for every chart: its Secrets sealed with this
    /// sealed-secrets controller certificate (kubeseal --fetch-cert); with --gitops they also go
    /// to gitops/sealed-secrets/, listed in kustomization.yaml. With --group, UNIT=PEM seals that
    /// unit's Secrets (once per unit), and a PEM alone every unit not named otherwise.
    #[arg(long, value_name = "PEM")]
    pub(crate) sealed_cert: Vec<String>,
    /// The sealing scope (with --sealed-cert).
    #[arg(long, value_parser = ["strict", "namespace-wide", "cluster-wide"], requires = "sealed_cert")]
    pub(crate) scope: Option<String>,
    /// Write the files even though the checks report errors.
    #[arg(long)]
    pub(crate) force: bool,
}

impl Args {
    /// The plan options the flags give.
    pub(crate) fn options(&self) -> PlanOptions {
        PlanOptions {
            helm: if self.helm3 {
                HelmFlavor::V3
            } else {
                HelmFlavor::V4
            },
            secret_encoding: if self.string_data {
                SecretEncoding::StringData
            } else {
                SecretEncoding::Data
            },
            gitops: self.gitops.as_deref().and_then(GitOps::parse),
        }
    }
}

pub fn run(args: Args) -> Result<String, String> {
    if args.group.is_some() {
        return crate::group::run(args);
    }
    let options = args.options();
    let Some(environment) = &args.environment else {
        return Err("pecfg plan: give --environment FILE or --group FILE".into());
    };
    let session = crate::validate::load_environment("plan", environment)?;
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
    let sealed = match args.sealed_cert.as_slice() {
        [] => Vec::new(),
        [path] => {
            let path = PathBuf::from(path);
            let pem = read_text("plan", &path)?;
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
        _ => return Err(
            "pecfg plan: an environment is sealed with one certificate (several are for --group)"
                .into(),
        ),
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
