//! The plan of a unit group: one folder per unit and tenant holding that environment's plan as `environment::plan_files` writes it, the rollout order (every tenant's master unit first), the group report, the picture, the GitOps files, and the sealing of every unit's Secrets with that unit's own controller certificate.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{GroupDiagnostic, ResolvedGroup};
use crate::catalog::Severity;
use crate::environment::{
    plan_blocking_reasons, plan_files_sealed, planned_secrets, seal_plan, GitOps, PlanOptions,
};
use crate::export::{comment_lines, sealed_secret_manifest, SealScope, SealingCert};

/// The group report's file name.
pub const GROUP_REPORT: &str = "group-report.txt";
/// The folder of the per-unit plans.
pub const UNITS_DIR: &str = "units";

/// `units/<unit>/<tenant>`: where one tenant's plan on one unit goes. Both names are DNS-1123
/// labels (the group file's boundary refuses anything else), so the path stays in the output.
pub fn unit_plan_dir(unit: &str, tenant: &str) -> String {
    format!("{UNITS_DIR}/{unit}/{tenant}")
}

/// One step of the rollout: a tenant's plan on a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolloutStep {
    pub unit: String,
    pub tenant: String,
    /// The unit is the tenant's master location.
    pub master: bool,
    /// The folder of its plan (`units/<unit>/<tenant>`).
    pub folder: String,
}

/// The order the plans are installed in: every tenant's plan on its master unit first (units in
/// the file's order), then every other plan (Tenant guide 002:1579-1589: the master region first).
/// Two phases, so tenants whose masters are in different regions never wait on each other.
pub fn rollout(group: &ResolvedGroup) -> Vec<RolloutStep> {
    let mut first = Vec::new();
    let mut then = Vec::new();
    for unit in &group.units {
        for environment in &unit.environments {
            let step = RolloutStep {
                unit: unit.name.clone(),
                tenant: environment.tenant.clone(),
                master: environment.master,
                folder: unit_plan_dir(&unit.name, &environment.tenant),
            };
            if environment.master {
                first.push(step);
            } else {
                then.push(step);
            }
        }
    }
    first.extend(then);
    first
}

/// What a group's plan was sealed with: per unit and tenant each chart's sealed-secrets text, and
/// per unit every tenant's Secrets once (the Flux cluster folder's `sealed-secrets.yaml`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupSealed {
    pub environments: BTreeMap<(String, String), Vec<(String, String)>>,
    pub units: BTreeMap<String, String>,
}

/// Seals every unit's Secrets for that unit's controller (`certs`, by unit name; a unit without
/// a certificate is not sealed): each tenant's charts as `environment::seal_plan` seals them, and
/// with Flux, every Secret of the unit once (namespace and name), with the `-sensitive-values`
/// Secrets the HelmReleases read.
pub fn seal_group<R: rand_core::CryptoRng + rand_core::RngCore + ?Sized>(
    group: &ResolvedGroup,
    options: &PlanOptions,
    certs: &BTreeMap<String, SealingCert>,
    scope: SealScope,
    rng: &mut R,
) -> Result<GroupSealed, String> {
    let mut sealed = GroupSealed::default();
    let environment_options = environment_options(options);
    for unit in &group.units {
        let Some(cert) = certs.get(&unit.name) else {
            continue;
        };
        for environment in &unit.environments {
            let texts = seal_plan(
                &environment.resolved,
                &environment_options,
                cert,
                scope,
                rng,
            )
            .map_err(|error| format!("unit {}: {error}", unit.name))?;
            sealed
                .environments
                .insert((unit.name.clone(), environment.tenant.clone()), texts);
        }
        if options.gitops == Some(GitOps::Flux) && !unit.environments.is_empty() {
            let mut seen: HashSet<(String, String)> = HashSet::new();
            let mut documents = Vec::new();
            for environment in &unit.environments {
                let (pull, own) = planned_secrets(&environment.resolved, true);
                for planned in pull.into_iter().chain(own) {
                    if !seen.insert((planned.namespace.clone(), planned.secret.name.clone())) {
                        continue;
                    }
                    documents.push(
                        sealed_secret_manifest(
                            rng,
                            cert,
                            &planned.secret,
                            &planned.namespace,
                            scope,
                        )
                        .map_err(|error| format!("unit {}: {error}", unit.name))?,
                    );
                }
            }
            let mut text = comment_lines(
                &format!(
                    "SealedSecrets of unit {} for its controller (certificate {}, SHA-256 {}), \
                     scope {}: every Secret of every tenant on the unit once. Written by \
                     pe-configurator; it holds {} sealed Secret(s) and no secret value in the \
                     clear, so it may go into Git.",
                    unit.name,
                    cert.subject,
                    cert.fingerprint,
                    scope.as_str(),
                    documents.len()
                ),
                "# ",
            );
            for document in documents {
                text.push_str("---\n");
                text.push_str(&document);
            }
            sealed.units.insert(unit.name.clone(), text);
        }
    }
    Ok(sealed)
}

/// The options of each unit's environment plan: with Flux, the plans create the
/// `<release>-sensitive-values` Secrets the HelmReleases read; the environment's own GitOps files
/// are not written (the group writes its own).
fn environment_options(options: &PlanOptions) -> PlanOptions {
    PlanOptions {
        gitops: options.gitops.filter(|flavor| *flavor == GitOps::Flux),
        ..*options
    }
}

/// Why the group's plan may not be written: every error of its checks (with its unit and
/// tenant), and each unit environment's chart sources that cannot be helm arguments.
pub fn group_blocking_reasons(
    group: &ResolvedGroup,
    diagnostics: &[GroupDiagnostic],
) -> Vec<String> {
    let mut reasons: Vec<String> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| {
            let charts = if diagnostic.charts.is_empty() {
                String::new()
            } else {
                format!(" [{}]", diagnostic.charts.join(", "))
            };
            format!(
                "{}{charts} {}: {}",
                diagnostic.where_shown(),
                diagnostic.path,
                diagnostic.message
            )
        })
        .collect();
    for unit in &group.units {
        for environment in &unit.environments {
            reasons.extend(
                plan_blocking_reasons(&environment.resolved, &[])
                    .into_iter()
                    .map(|reason| format!("{}/{}: {reason}", unit.name, environment.tenant)),
            );
        }
    }
    reasons
}

/// group-report.txt: the units by region, who runs what where, the rollout order, where the
/// shared facts came from, each tenant's master location, what the GitOps files leave out, and the
/// count of findings. Names and ids only, never a secret value.
pub fn group_report(
    group: &ResolvedGroup,
    diagnostics: &[GroupDiagnostic],
    options: &PlanOptions,
) -> String {
    let mut out = format!(
        "unit group {}: {} unit(s) in {} region(s), {} tenant(s)\n",
        group.name,
        group.units.len(),
        group.regions().len(),
        group.tenants.len()
    );
    out.push_str("\nunits by region:\n");
    for (region, units) in group.regions() {
        out.push_str(&format!("  {region}:\n"));
        for unit in units {
            out.push_str(&format!(
                "    {} ({}), cluster {}\n",
                unit.name,
                unit.role.as_str(),
                unit.cluster.shown()
            ));
            for (fact, value) in &unit.facts {
                out.push_str(&format!(
                    "      {fact}: {}\n",
                    crate::kinds::display_value(value)
                ));
            }
            for environment in &unit.environments {
                let charts: Vec<&str> = environment
                    .resolved
                    .charts
                    .iter()
                    .map(|entry| entry.chart.id.as_str())
                    .collect();
                out.push_str(&format!(
                    "      tenant {}{}: {}\n",
                    environment.tenant,
                    if environment.master { " (master)" } else { "" },
                    if charts.is_empty() {
                        "no chart".to_string()
                    } else {
                        charts.join(", ")
                    }
                ));
                for (fact, level) in &environment.origins {
                    if *level != super::Level::Group {
                        out.push_str(&format!(
                            "        shared {fact} from the {}\n",
                            level.as_str()
                        ));
                    }
                }
            }
        }
    }
    out.push_str(
        "\nrollout (each tenant's master unit first, Tenant guide 002:1579-1589; run each \
         folder's install.sh against its unit's cluster):\n",
    );
    for (index, step) in rollout(group).iter().enumerate() {
        out.push_str(&format!(
            "  {}. {}/install.sh{}\n",
            index + 1,
            step.folder,
            if step.master {
                format!(" (master of {})", step.tenant)
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&master_locations(group));
    for found in &group.overrides {
        out.push_str(&format!(
            "override: {} shared {} over the {}{}\n",
            match (&found.tenant, &found.unit) {
                (Some(tenant), _) => format!("tenant {tenant}"),
                (None, Some(unit)) => format!("unit {unit}"),
                (None, None) => found.level.as_str().to_string(),
            },
            found.fact,
            found.over.as_str(),
            match (&found.over, &found.unit) {
                (super::Level::Unit, Some(unit)) => format!(" {unit}"),
                _ => String::new(),
            }
        ));
    }
    if let Some(flavor) = options.gitops {
        out.push_str(&super::gitops::group_gitops_report(group, flavor));
    }
    let errors = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .count();
    let across = diagnostics.iter().filter(|d| d.across_units).count();
    out.push_str(&format!(
        "\nfindings: {errors} error(s), {} warning(s); {across} across units (each unit's own \
         are in its folders' environment-report.txt and plan.svg)\n",
        diagnostics.len() - errors
    ));
    for diagnostic in diagnostics.iter().filter(|d| d.across_units) {
        out.push_str(&format!(
            "  {} [{}] {}: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.where_shown(),
            diagnostic.path,
            diagnostic.message,
            diagnostic.rule
        ));
    }
    out
}

/// Per tenant running the master location's chart on several units: the value to set.
fn master_locations(group: &ResolvedGroup) -> String {
    let Ok(catalog) = super::group_catalog() else {
        return String::new();
    };
    let Some(spec) = catalog.cross_unit.iter().find_map(|rule| match &rule.verb {
        crate::catalog::group::UnitVerb::MasterLocation(spec) => Some(spec),
        _ => None,
    }) else {
        return String::new();
    };
    let mut out = String::new();
    for tenant in &group.tenants {
        let Some(master) = tenant.master_unit() else {
            continue;
        };
        if tenant.units.len() < 2 {
            continue;
        }
        let value = group
            .unit(master)
            .and_then(|unit| unit.facts.get(&spec.unit_fact))
            .map(crate::kinds::display_value);
        if out.is_empty() {
            out.push_str(&format!(
                "\nmaster locations (the {} chart's master location, set identically on every \
                 unit of the tenant, 002:1250-1273; the chart's key is not documented, see \
                 `pecfg docs {}`):\n",
                spec.chart, spec.chart
            ));
        }
        out.push_str(&format!(
            "  {}: {} ({master}'s {}) on {}\n",
            tenant.name,
            value.as_deref().unwrap_or("not known"),
            spec.unit_fact,
            tenant.units.join(", ")
        ));
    }
    out
}

/// Every file of the group's plan: each unit's environments as `units/<unit>/<tenant>/…` (the
/// environment plan's files, its own GitOps folder left out), the group report, the picture, and
/// with a GitOps option the ApplicationSets (`argocd/`) or the Flux cluster folders (`clusters/`).
pub fn group_plan_files(
    group: &ResolvedGroup,
    diagnostics: &[GroupDiagnostic],
    options: &PlanOptions,
    sealed: &GroupSealed,
) -> Vec<(String, String)> {
    let environment_options = environment_options(options);
    let mut files = Vec::new();
    for unit in &group.units {
        for environment in &unit.environments {
            let folder = unit_plan_dir(&unit.name, &environment.tenant);
            let sealed_texts = sealed
                .environments
                .get(&(unit.name.clone(), environment.tenant.clone()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (name, text) in
                plan_files_sealed(&environment.resolved, &environment_options, sealed_texts)
            {
                if name.starts_with(crate::environment::GITOPS_DIR) {
                    continue;
                }
                files.push((format!("{folder}/{name}"), text));
            }
        }
    }
    files.push((
        GROUP_REPORT.to_string(),
        group_report(group, diagnostics, options),
    ));
    files.push((
        super::GROUP_SVG.to_string(),
        super::group_svg(group, diagnostics),
    ));
    match options.gitops {
        Some(GitOps::ArgoCd) => files.extend(super::applicationset_files(group)),
        Some(GitOps::Flux) => files.extend(super::flux_cluster_files(group, sealed)),
        None => {}
    }
    files
}
