//! The install plan of an environment: install.sh and install.ps1 (namespaces with the guides' labels, the pull secret in every namespace, each chart's Secrets, `helm template` of every chart, then `helm upgrade --install` in the platform guide's order), and the plan's file set.
//!
//! The scripts are built like commands.sh: every byte is fixed text, `sh_quote`/`ps_quote`, or
//! `comment_lines`; the Secrets are written by the same `secret_command`; helm's flags come before
//! `--` and its positionals after. Re-running changes nothing: namespaces and Secrets go through
//! `kubectl apply` (unchanged when equal), and a release is skipped when its description already
//! carries the digest of this plan's values, chart and version (`pecfg <digest>`). `--dry-run`
//! (`-DryRun`) runs kubectl and helm in their dry-run modes. The first failure stops the script and
//! names the step.

use sha2::{Digest as _, Sha256};

use super::{environment_catalog, Resolved, ResolvedChart};
use crate::catalog::SecretType;
use crate::export::{
    comment_lines, filled_secrets, helm_major, ps_quote, rollback_flag, secret_command,
    secret_manifest, secret_values_note, secrets_yaml_with, sh_quote, values_file_name,
    values_yaml, ChartRef, ExportContext, ExportOptions, FilledSecret, HelmFlavor, SecretEncoding,
    ValuesMode,
};

pub const INSTALL_SH: &str = "install.sh";
pub const INSTALL_PS1: &str = "install.ps1";
pub const REPORT_FILE: &str = "environment-report.txt";

/// Choices for the plan (`pecfg plan`'s flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanOptions {
    pub helm: HelmFlavor,
    pub secret_encoding: SecretEncoding,
    pub gitops: Option<super::GitOps>,
}

/// `<chart>-secrets.yaml`.
pub fn secrets_file_name(chart_id: &str) -> String {
    format!("{chart_id}-secrets.yaml")
}

/// `<environment>-plan.zip`; a name that is not a plain DNS label becomes `environment`, so the
/// file lands in the output folder whatever the name holds.
pub fn plan_zip_name(resolved: &Resolved) -> String {
    let name = if crate::kinds::is_dns1123_label(&resolved.name) {
        resolved.name.as_str()
    } else {
        "environment"
    };
    format!("{name}-plan.zip")
}

/// What helm installs for one chart.
pub(crate) struct Install {
    /// Shell variable suffix (`TENANT_MONITOR`) and PowerShell one (`TenantMonitor`).
    pub sh_suffix: String,
    pub ps_suffix: String,
    pub context: ExportContext,
    /// The chart reference, when known (else the user sets it; the script stops until then).
    pub chart_ref: Option<String>,
    /// Where the catalog says the chart comes from, when the reference is not known.
    pub hint: Option<String>,
    /// `--repo` for a chart from a Helm repository.
    pub repo: Option<String>,
    pub version: Option<String>,
    pub values_file: String,
    pub digest: String,
}

/// Why a text typed into the environment file cannot be a helm argument.
fn argument_problem(value: &str) -> bool {
    value.trim_start().starts_with('-') || value.chars().any(char::is_control)
}

/// A source field as given, when it can be a helm argument: one that would be a flag or hold a
/// control character is never written (the plan is blocked; with `--force` the script then asks
/// for the value as if it were not given).
fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty() && !argument_problem(text))
        .map(str::to_string)
}

pub(crate) fn install_of(entry: &ResolvedChart) -> Install {
    let chart = entry.chart;
    let context = ExportContext::new(&entry.evaluated());
    let source = &entry.source;
    let chart_name =
        given(&source.chart).or_else(|| chart.chart_ref.as_ref().map(|f| f.value.clone()));
    // A refused source is not replaced by the catalog's reference: the script stops and asks.
    let refused = [&source.reference, &source.repository, &source.chart]
        .iter()
        .any(|value| value.as_deref().is_some_and(argument_problem));
    let (chart_ref, repo, hint) = match (given(&source.reference), given(&source.repository)) {
        _ if refused => (
            None,
            None,
            Some(format!(
                "the environment file's sources.{} was refused (a helm flag or a control \
                 character)",
                chart.id
            )),
        ),
        (Some(reference), _) => (Some(reference), None, None),
        (None, Some(repository)) if repository.starts_with("oci://") => (
            chart_name.map(|name| format!("{}/{name}", repository.trim_end_matches('/'))),
            None,
            None,
        ),
        (None, Some(repository)) => (chart_name, Some(repository), None),
        (None, None) => match ChartRef::resolve(chart, &ExportOptions::default()) {
            ChartRef::Known { value, .. } => (Some(value), None, None),
            ChartRef::Unknown { hint } => (None, None, hint),
        },
    };
    let values_file = values_file_name(chart);
    let values = values_yaml(&entry.evaluated(), ValuesMode::OverridesOnly);
    let version = given(&source.version);
    let mut hasher = Sha256::new();
    for part in [
        values.as_str(),
        &context.release,
        &context.namespace,
        chart_ref.as_deref().unwrap_or(""),
        repo.as_deref().unwrap_or(""),
        version.as_deref().unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let words: Vec<String> = chart
        .id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect();
    Install {
        sh_suffix: words.join("_").to_ascii_uppercase(),
        ps_suffix: words
            .iter()
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect(),
        context,
        chart_ref,
        hint,
        repo,
        version,
        values_file,
        digest,
    }
}

/// Why the plan may not be written: every error of the environment's checks, and chart sources
/// that cannot be helm arguments. Empty means writing is allowed.
pub fn plan_blocking_reasons(
    resolved: &Resolved,
    diagnostics: &[super::EnvDiagnostic],
) -> Vec<String> {
    let mut reasons: Vec<String> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == crate::catalog::Severity::Error)
        .map(|diagnostic| {
            let charts = if diagnostic.charts.is_empty() {
                String::new()
            } else {
                format!("[{}] ", diagnostic.charts.join(", "))
            };
            format!("{charts}{}: {}", diagnostic.path, diagnostic.message)
        })
        .collect();
    for entry in &resolved.charts {
        let source = &entry.source;
        for (what, value) in [
            ("ref", &source.reference),
            ("repository", &source.repository),
            ("chart", &source.chart),
            ("version", &source.version),
        ] {
            if value.as_deref().is_some_and(argument_problem) {
                reasons.push(format!(
                    "sources.{}.{what} may not start with `-` or hold a control character",
                    entry.chart.id
                ));
            }
        }
    }
    reasons
}

/// The Secrets of every chart, each (namespace, name) once, pull secrets first: the docker-config
/// Secrets go into every namespace before any chart's own Secrets.
pub(crate) struct PlannedSecret {
    pub chart: String,
    pub namespace: String,
    pub secret: FilledSecret,
}

/// The name of the Secret that carries a chart's `sensitive` values for Flux's `valuesFrom`.
pub(crate) fn sensitive_secret_name(entry: &ResolvedChart) -> String {
    format!(
        "{}-sensitive-values",
        ExportContext::new(&entry.evaluated()).release
    )
}

/// The chart's `sensitive` values (credentials it reads from values.yaml, such as IXN's database
/// passwords) as a Secret with one key `values.yaml`, so a GitOps manifest can read them from the
/// cluster instead of holding them; `None` when none is set.
pub(crate) fn sensitive_values_secret(entry: &ResolvedChart) -> Option<FilledSecret> {
    let mut tree = serde_yaml::Value::Mapping(serde_yaml::Mapping::new());
    let mut any = false;
    for param in entry
        .chart
        .params
        .iter()
        .filter(|param| crate::mask::holds_credential(param, &entry.answers.values))
    {
        let value = crate::path::parse_path(&param.path)
            .ok()
            .and_then(|segments| crate::path::get(&entry.answers.values, &segments).cloned());
        if let Some(value) = value {
            any |= crate::answers::set_value(&mut tree, &param.path, value).is_ok();
        }
    }
    any.then(|| FilledSecret {
        name: sensitive_secret_name(entry),
        catalog_name: String::new(),
        secret_type: SecretType::Opaque,
        doc: String::new(),
        keys: vec![crate::export::FilledKey {
            key: "values.yaml".to_string(),
            value: crate::yaml::write::value_to_yaml(&tree),
            docker: None,
        }],
    })
}

/// With `sensitive` (Flux output), each chart's sensitive values Secret comes after its own.
pub(crate) fn planned_secrets(
    resolved: &Resolved,
    sensitive: bool,
) -> (Vec<PlannedSecret>, Vec<PlannedSecret>) {
    let mut pull = Vec::new();
    let mut own: Vec<PlannedSecret> = Vec::new();
    for entry in &resolved.charts {
        let namespace = ExportContext::new(&entry.evaluated()).namespace;
        let extra = sensitive.then(|| sensitive_values_secret(entry)).flatten();
        for secret in filled_secrets(&entry.evaluated()).into_iter().chain(extra) {
            let seen = pull
                .iter()
                .chain(own.iter())
                .any(|planned: &PlannedSecret| {
                    planned.namespace == namespace && planned.secret.name == secret.name
                });
            if seen {
                continue;
            }
            let planned = PlannedSecret {
                chart: entry.chart.id.clone(),
                namespace: namespace.clone(),
                secret,
            };
            if planned.secret.secret_type == SecretType::DockerConfigJson {
                pull.push(planned);
            } else {
                own.push(planned);
            }
        }
    }
    (pull, own)
}

/// The namespaces of the plan, in deployment order, each once, with the guides' labels.
pub(crate) fn planned_namespaces(resolved: &Resolved) -> Vec<(String, Vec<(String, String)>)> {
    let labels = environment_catalog()
        .map(|catalog| catalog.namespace_labels.as_slice())
        .unwrap_or_default();
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for entry in &resolved.charts {
        let namespace = ExportContext::new(&entry.evaluated()).namespace;
        if out.iter().any(|(known, _)| known == &namespace) {
            continue;
        }
        let given = labels
            .iter()
            .filter(|row| row.namespace == namespace)
            .flat_map(|row| row.labels.iter())
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        out.push((namespace, given));
    }
    out
}

fn header(resolved: &Resolved, options: &PlanOptions, prefix: &str, script: &str) -> String {
    let charts: Vec<String> = resolved
        .charts
        .iter()
        .map(|entry| format!("{} (step {})", entry.chart.id, entry.step))
        .collect();
    let mut out = comment_lines(
        &format!(
            "Installs environment {}: {} in the platform guide's deployment order.",
            resolved.name,
            charts.join(", ")
        ),
        prefix,
    );
    let (pull, own) = planned_secrets(resolved, options.gitops == Some(super::GitOps::Flux));
    out.push_str(&comment_lines(
        &format!(
            "Written by pe-configurator. {}",
            secret_values_note(
                pull.len() + own.len(),
                "keep it private and delete it after use"
            )
        ),
        prefix,
    ));
    out.push_str(&comment_lines(
        &format!(
            "Needs kubectl (connected to the cluster) and Helm {}; keep the <chart>-values.yaml \
             files next to this script.",
            helm_major(options.helm)
        ),
        prefix,
    ));
    out.push_str(&comment_lines(
        &format!(
            "{script} changes nothing when run again: namespaces and Secrets are applied, and a \
             release already installed from this plan's values, chart and version is skipped. \
             With {} kubectl and helm only check. The first failure stops it.",
            if script == INSTALL_SH {
                "--dry-run"
            } else {
                "-DryRun"
            }
        ),
        prefix,
    ));
    out
}

/// install.sh.
pub fn install_sh(resolved: &Resolved, options: &PlanOptions) -> String {
    let installs: Vec<Install> = resolved.charts.iter().map(install_of).collect();
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&header(resolved, options, "# ", INSTALL_SH));
    out.push_str("set -euo pipefail\n\n");
    out.push_str(
        "DRY_RUN=0\nfor arg in \"$@\"; do\n  case \"$arg\" in\n    --dry-run) DRY_RUN=1 ;;\n    \
         *) echo 'install.sh: the only option is --dry-run' >&2; exit 2 ;;\n  esac\ndone\n",
    );
    out.push_str("SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
    out.push_str("STEP='start'\ntrap 'echo \"install.sh: stopped at: $STEP\" >&2' ERR\n");
    out.push_str(
        "if [ \"$DRY_RUN\" = 1 ]; then\n  echo 'install.sh: dry run, nothing is changed'\n  \
         kubectl() { if [ \"${1:-}\" = apply ]; then shift; command kubectl apply --dry-run=client \"$@\"; else command kubectl \"$@\"; fi; }\n  \
         helm() { if [ \"${1:-}\" = upgrade ]; then shift; command helm upgrade --dry-run \"$@\"; else command helm \"$@\"; fi; }\nfi\n",
    );

    out.push_str("\n# The charts, in deployment order\n");
    let mut guards = Vec::new();
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        let s = &install.sh_suffix;
        out.push_str(&comment_lines(
            &format!(
                "{} (chart {}), step {} of the platform guide's order",
                entry.chart.name, entry.chart.id, entry.step
            ),
            "# ",
        ));
        out.push_str(&format!(
            "NAMESPACE_{s}={}\n",
            sh_quote(&install.context.namespace)
        ));
        if install.context.release_known {
            out.push_str(&format!(
                "RELEASE_{s}={}\n",
                sh_quote(&install.context.release)
            ));
        } else {
            out.push_str(&comment_lines(
                &format!(
                    "The release name is not known yet ({}): set it here or export RELEASE_{s}.",
                    entry.chart.release.doc.trim()
                ),
                "# ",
            ));
            out.push_str(&format!("RELEASE_{s}=\"${{RELEASE_{s}:-}}\"\n"));
            guards.push(format!("RELEASE_{s}"));
        }
        match &install.chart_ref {
            Some(reference) => {
                out.push_str(&format!("CHART_REF_{s}={}\n", sh_quote(reference)));
            }
            None => {
                out.push_str(&comment_lines(
                    &format!(
                        "The chart reference (repo/chart, oci://, .tgz URL or folder){}: set it \
                         here, export CHART_REF_{s}, or give sources.{} in the environment file.",
                        install
                            .hint
                            .as_deref()
                            .map(|hint| format!("; the guide installs it from {hint}"))
                            .unwrap_or_default(),
                        entry.chart.id
                    ),
                    "# ",
                ));
                out.push_str(&format!("CHART_REF_{s}=\"${{CHART_REF_{s}:-}}\"\n"));
                guards.push(format!("CHART_REF_{s}"));
            }
        }
        if let Some(version) = &install.version {
            out.push_str(&format!("VERSION_{s}={}\n", sh_quote(version)));
        }
        if let Some(repo) = &install.repo {
            out.push_str(&format!("REPO_{s}={}\n", sh_quote(repo)));
        }
        out.push_str(&format!(
            "VALUES_{s}=\"$SCRIPT_DIR\"/{}\nDIGEST_{s}={}\n",
            sh_quote(&install.values_file),
            sh_quote(&install.digest)
        ));
    }
    for variable in &guards {
        out.push_str(&format!(
            "if [ -z \"${variable}\" ]; then\n  echo {} >&2\n  exit 1\nfi\n",
            sh_quote(&format!(
                "install.sh: set {variable} at the top of this file or in the environment"
            ))
        ));
    }

    out.push_str("\n# 1. The namespaces (created when missing, with the labels the guides give)\n");
    for (namespace, labels) in planned_namespaces(resolved) {
        out.push_str(&format!(
            "STEP={}\n",
            sh_quote(&format!("namespace {namespace}"))
        ));
        let mut line = format!(
            "kubectl create namespace {} --dry-run=client -o yaml",
            sh_quote(&namespace)
        );
        if !labels.is_empty() {
            let pairs: Vec<String> = labels
                .iter()
                .map(|(key, value)| sh_quote(&format!("{key}={value}")))
                .collect();
            line.push_str(&format!(
                " | kubectl label --local -f - {} -o yaml",
                pairs.join(" ")
            ));
        }
        line.push_str(" | kubectl apply -f -\n");
        out.push_str(&line);
    }

    let (pull, own) = planned_secrets(resolved, options.gitops == Some(super::GitOps::Flux));
    out.push_str(
        "\n# 2. The image pull secret in every namespace that pulls images (a Secret serves one namespace)\n",
    );
    if pull.is_empty() {
        out.push_str("# No pull secret is filled in.\n");
    }
    write_sh_secrets(&mut out, &pull);
    out.push_str("\n# 3. Each chart's Secrets (created, or updated when they exist)\n");
    if own.is_empty() {
        out.push_str("# No other secret is filled in.\n");
    }
    write_sh_secrets(&mut out, &own);
    for entry in &resolved.charts {
        let filled = filled_secrets(&entry.evaluated());
        let missing: Vec<&str> = entry
            .chart
            .secrets
            .iter()
            .filter(|spec| !filled.iter().any(|secret| secret.catalog_name == spec.name))
            .map(|spec| spec.name.as_str())
            .collect();
        if !missing.is_empty() {
            out.push_str(&comment_lines(
                &format!(
                    "{}: not filled in, create them yourself if the chart needs them: {}.",
                    entry.chart.id,
                    missing.join(", ")
                ),
                "# ",
            ));
        }
    }

    out.push_str(
        "\n# 4. Render every chart with its values first (installs nothing; stops on an error)\n",
    );
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        let s = &install.sh_suffix;
        out.push_str(&format!(
            "STEP={}\nhelm template {} > /dev/null\n",
            sh_quote(&format!("helm template {}", entry.chart.id)),
            sh_helm_args(install, "")
        ));
        let _ = s;
    }
    out.push_str(
        "\n# 5. Install, or upgrade when the release exists (rolled back if it fails), in order\n",
    );
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        let s = &install.sh_suffix;
        out.push_str(&format!(
            "STEP={}\n",
            sh_quote(&format!("helm upgrade --install {}", entry.chart.id))
        ));
        out.push_str(&format!(
            "if helm status -n \"$NAMESPACE_{s}\" -o json -- \"$RELEASE_{s}\" 2>/dev/null | grep -F -q -- \"pecfg $DIGEST_{s}\"; then\n  echo {}\nelse\n  helm upgrade --install {}\nfi\n",
            sh_quote(&format!("{}: already installed from this plan, skipped", entry.chart.id)),
            sh_helm_args(
                install,
                &format!(
                    " {} --description \"pecfg $DIGEST_{s}\"",
                    rollback_flag(options.helm)
                )
            )
        ));
    }
    out.push_str("STEP='done'\necho 'install.sh: done'\n");
    out
}

/// `-n … -f … [--version …] [--repo …]{extra} -- RELEASE CHART_REF`, every part a variable.
fn sh_helm_args(install: &Install, extra: &str) -> String {
    let s = &install.sh_suffix;
    let mut args = format!("-n \"$NAMESPACE_{s}\" -f \"$VALUES_{s}\"");
    if install.version.is_some() {
        args.push_str(&format!(" --version \"$VERSION_{s}\""));
    }
    if install.repo.is_some() {
        args.push_str(&format!(" --repo \"$REPO_{s}\""));
    }
    args.push_str(extra);
    args.push_str(&format!(" -- \"$RELEASE_{s}\" \"$CHART_REF_{s}\""));
    args
}

fn write_sh_secrets(out: &mut String, secrets: &[PlannedSecret]) {
    let mut namespace: Option<&str> = None;
    for planned in secrets {
        if namespace != Some(planned.namespace.as_str()) {
            out.push_str(&format!("NAMESPACE={}\n", sh_quote(&planned.namespace)));
            namespace = Some(&planned.namespace);
        }
        out.push_str(&format!(
            "STEP={}",
            sh_quote(&format!(
                "secret {} in namespace {} (chart {})",
                planned.secret.name, planned.namespace, planned.chart
            ))
        ));
        out.push_str(&secret_command(&planned.secret, &planned.namespace, false));
    }
}

/// install.ps1: the same plan for PowerShell; Secrets go in as base64 manifests in here-strings,
/// so no value passes through PowerShell's argument quoting to a native program.
pub fn install_ps1(resolved: &Resolved, options: &PlanOptions) -> String {
    let installs: Vec<Install> = resolved.charts.iter().map(install_of).collect();
    let mut out = header(resolved, options, "# ", INSTALL_PS1);
    out.push_str("param([switch]$DryRun)\n$ErrorActionPreference = 'Stop'\n");
    out.push_str(
        "function Assert-Step([string]$Step) { if ($LASTEXITCODE -ne 0) { throw ('install.ps1: stopped at: ' + $Step) } }\n",
    );
    out.push_str(
        "$Apply = @('apply', '-f', '-')\n$HelmDry = @()\nif ($DryRun) {\n  Write-Output 'install.ps1: dry run, nothing is changed'\n  $Apply = @('apply', '--dry-run=client', '-f', '-')\n  $HelmDry = @('--dry-run')\n}\n",
    );
    out.push_str("\n# The charts, in deployment order\n");
    let mut guards = Vec::new();
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        let s = &install.ps_suffix;
        out.push_str(&comment_lines(
            &format!(
                "{} (chart {}), step {} of the platform guide's order",
                entry.chart.name, entry.chart.id, entry.step
            ),
            "# ",
        ));
        out.push_str(&format!(
            "$Namespace{s} = {}\n",
            ps_quote(&install.context.namespace)
        ));
        if install.context.release_known {
            out.push_str(&format!(
                "$Release{s} = {}\n",
                ps_quote(&install.context.release)
            ));
        } else {
            out.push_str(&format!(
                "# The release name is not known yet: set it here.\n$Release{s} = ''\n"
            ));
            guards.push(format!("$Release{s}"));
        }
        match &install.chart_ref {
            Some(reference) => out.push_str(&format!("$ChartRef{s} = {}\n", ps_quote(reference))),
            None => {
                out.push_str("# The chart reference is not known yet: set it here.\n");
                out.push_str(&format!("$ChartRef{s} = ''\n"));
                guards.push(format!("$ChartRef{s}"));
            }
        }
        out.push_str(&format!(
            "$Values{s} = Join-Path $PSScriptRoot {}\n$Digest{s} = {}\n",
            ps_quote(&install.values_file),
            ps_quote(&install.digest)
        ));
        if let Some(version) = &install.version {
            out.push_str(&format!("$Version{s} = {}\n", ps_quote(version)));
        }
        if let Some(repo) = &install.repo {
            out.push_str(&format!("$Repo{s} = {}\n", ps_quote(repo)));
        }
    }
    for variable in guards {
        out.push_str(&format!(
            "if (-not {variable}) {{ throw {} }}\n",
            ps_quote(&format!(
                "install.ps1: set {variable} at the top of this file"
            ))
        ));
    }
    out.push_str("\n# 1. The namespaces (created when missing, with the labels the guides give)\n");
    for (namespace, labels) in planned_namespaces(resolved) {
        let mut line = format!(
            "kubectl create namespace {} --dry-run=client -o yaml",
            ps_quote(&namespace)
        );
        if !labels.is_empty() {
            let pairs: Vec<String> = labels
                .iter()
                .map(|(key, value)| ps_quote(&format!("{key}={value}")))
                .collect();
            line.push_str(&format!(
                " | kubectl label --local -f - {} -o yaml",
                pairs.join(" ")
            ));
        }
        out.push_str(&format!(
            "{line} | kubectl @Apply\nAssert-Step {}\n",
            ps_quote(&format!("namespace {namespace}"))
        ));
    }
    let (pull, own) = planned_secrets(resolved, options.gitops == Some(super::GitOps::Flux));
    out.push_str("\n# 2. The image pull secret in every namespace that pulls images\n");
    write_ps_secrets(&mut out, &pull);
    out.push_str("\n# 3. Each chart's Secrets (created, or updated when they exist)\n");
    write_ps_secrets(&mut out, &own);
    out.push_str("\n# 4. Render every chart with its values first (installs nothing)\n");
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        out.push_str(&format!(
            "helm template {} | Out-Null\nAssert-Step {}\n",
            ps_helm_args(install, ""),
            ps_quote(&format!("helm template {}", entry.chart.id))
        ));
    }
    out.push_str(
        "\n# 5. Install, or upgrade when the release exists (rolled back if it fails), in order\n",
    );
    for (entry, install) in resolved.charts.iter().zip(&installs) {
        let s = &install.ps_suffix;
        out.push_str(&format!(
            "$ErrorActionPreference = 'Continue'\n$Status = (helm status -n $Namespace{s} -o json -- $Release{s} 2>$null) -join \"`n\"\n$Installed = ($LASTEXITCODE -eq 0) -and $Status.Contains('pecfg ' + $Digest{s})\n$ErrorActionPreference = 'Stop'\n"
        ));
        out.push_str(&format!(
            "if ($Installed) {{ Write-Output {} }} else {{\n  helm upgrade --install {}\n  Assert-Step {}\n}}\n",
            ps_quote(&format!("{}: already installed from this plan, skipped", entry.chart.id)),
            ps_helm_args(
                install,
                &format!(" {} --description ('pecfg ' + $Digest{s}) @HelmDry", rollback_flag(options.helm))
            ),
            ps_quote(&format!("helm upgrade --install {}", entry.chart.id))
        ));
    }
    out.push_str("Write-Output 'install.ps1: done'\n");
    out
}

fn ps_helm_args(install: &Install, extra: &str) -> String {
    let s = &install.ps_suffix;
    let mut args = format!("-n $Namespace{s} -f $Values{s}");
    if install.version.is_some() {
        args.push_str(&format!(" --version $Version{s}"));
    }
    if install.repo.is_some() {
        args.push_str(&format!(" --repo $Repo{s}"));
    }
    args.push_str(extra);
    args.push_str(&format!(" -- $Release{s} $ChartRef{s}"));
    args
}

fn write_ps_secrets(out: &mut String, secrets: &[PlannedSecret]) {
    if secrets.is_empty() {
        out.push_str("# None is filled in.\n");
    }
    for planned in secrets {
        out.push('\n');
        out.push_str(&comment_lines(
            &format!(
                "Secret {} in namespace {} (chart {})",
                planned.secret.name, planned.namespace, planned.chart
            ),
            "# ",
        ));
        out.push_str("@'\n");
        out.push_str(&secret_manifest(
            &FilledSecret {
                doc: String::new(),
                ..planned.secret.clone()
            },
            &planned.namespace,
            SecretEncoding::Data,
            false,
        ));
        out.push_str(&format!(
            "'@ | kubectl @Apply\nAssert-Step {}\n",
            ps_quote(&format!(
                "secret {} in namespace {}",
                planned.secret.name, planned.namespace
            ))
        ));
    }
}

/// `<chart>-sealed-secrets.yaml`.
pub fn sealed_secrets_file_name(chart_id: &str) -> String {
    format!("{chart_id}-sealed-secrets.yaml")
}

/// Every member's Secrets sealed for the controller whose certificate is `cert`: `(chart id,
/// sealed-secrets text)` per chart, in deployment order. With Flux, the `<release>-sensitive-values`
/// Secret the HelmRelease reads is sealed too, so a GitOps repository needs no plain Secret.
pub fn seal_plan<R: rand_core::CryptoRng + rand_core::RngCore + ?Sized>(
    resolved: &Resolved,
    options: &PlanOptions,
    cert: &crate::export::SealingCert,
    scope: crate::export::SealScope,
    rng: &mut R,
) -> Result<Vec<(String, String)>, String> {
    let mut sealed = Vec::new();
    for entry in &resolved.charts {
        let extra = if options.gitops == Some(super::GitOps::Flux) {
            sensitive_values_secret(entry).into_iter().collect()
        } else {
            Vec::new()
        };
        let text = crate::export::sealed_secrets_yaml_with(
            &entry.evaluated(),
            extra,
            cert,
            scope,
            rng,
            &secrets_file_name(&entry.chart.id),
        )?;
        sealed.push((entry.chart.id.clone(), text));
    }
    Ok(sealed)
}

/// environment-report.txt: the charts in order and where the shared facts went
/// (`resolution_report`), and with a GitOps option what its manifests leave out and why.
pub fn plan_report(resolved: &Resolved, options: &PlanOptions) -> String {
    let mut out = super::resolution_report(resolved);
    if let Some(flavor) = options.gitops {
        out.push_str(&super::gitops::gitops_report(resolved, flavor));
    }
    out
}

/// Every file of the plan: install.sh, install.ps1, each chart's values and secrets file, the
/// report, the picture (`plan.svg`), and with a GitOps option its manifests under `gitops/`.
pub fn plan_files(resolved: &Resolved, options: &PlanOptions) -> Vec<(String, String)> {
    plan_files_sealed(resolved, options, &[])
}

/// The plan's files, plus each chart's `<chart>-sealed-secrets.yaml` from [`seal_plan`] (and, with
/// a GitOps option, the same SealedSecrets under `gitops/sealed-secrets/`, listed in
/// kustomization.yaml).
pub fn plan_files_sealed(
    resolved: &Resolved,
    options: &PlanOptions,
    sealed: &[(String, String)],
) -> Vec<(String, String)> {
    let mut files = vec![
        (INSTALL_SH.to_string(), install_sh(resolved, options)),
        (INSTALL_PS1.to_string(), install_ps1(resolved, options)),
    ];
    for entry in &resolved.charts {
        files.push((
            values_file_name(entry.chart),
            values_yaml(&entry.evaluated(), ValuesMode::OverridesOnly),
        ));
        let extra = if options.gitops == Some(super::GitOps::Flux) {
            sensitive_values_secret(entry).into_iter().collect()
        } else {
            Vec::new()
        };
        let secrets = secrets_yaml_with(
            &entry.evaluated(),
            extra,
            options.secret_encoding,
            &secrets_file_name(&entry.chart.id),
        );
        files.push((secrets_file_name(&entry.chart.id), secrets));
        if let Some((_, text)) = sealed.iter().find(|(id, _)| id == &entry.chart.id) {
            files.push((sealed_secrets_file_name(&entry.chart.id), text.clone()));
        }
    }
    files.push((REPORT_FILE.to_string(), plan_report(resolved, options)));
    // images.txt, mirror.sh and mirror.ps1: the environment's images and chart archives.
    files.extend(crate::mirror::mirror_files(&environment_mirror(
        resolved,
        &crate::mirror::MirrorOptions::default(),
    )));
    let diagnostics = super::validate_environment(resolved);
    files.push((
        super::PLAN_SVG.to_string(),
        super::plan_svg(resolved, &diagnostics),
    ));
    if let Some(flavor) = options.gitops {
        files.extend(super::gitops_files_sealed(resolved, flavor, sealed));
    }
    files
}

/// The mirror of the environment (images.txt, mirror.sh, mirror.ps1): every member's images and
/// chart archives, read from its one evaluation, pushed to the environment's own registry.
pub fn environment_mirror(
    resolved: &Resolved,
    options: &crate::mirror::MirrorOptions,
) -> crate::mirror::MirrorPlan {
    let members: Vec<crate::mirror::MirrorMember> = resolved
        .charts
        .iter()
        .map(|entry| crate::mirror::MirrorMember {
            chart: entry.chart,
            merged: &entry.evaluation.merged,
            source: &entry.source,
        })
        .collect();
    let own = environment_catalog()
        .ok()
        .and_then(|catalog| catalog.own_registry(&resolved.shared));
    crate::mirror::environment_mirror(&resolved.name, &members, own, options)
}

/// Every image of every member, in deployment order, from each one's evaluation.
pub fn environment_inventory(resolved: &Resolved) -> Vec<crate::mirror::ImageInventory> {
    resolved
        .charts
        .iter()
        .flat_map(|entry| crate::mirror::inventory_of_merged(entry.chart, &entry.evaluation.merged))
        .collect()
}
