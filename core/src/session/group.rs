//! A unit group as a front end holds it: the group file read once through the boundary, resolved and checked once, and everything a Unit group view draws — the units by region (the primary marked, each unit's cluster, tenants and charts, its finding counts), the tenants and their master units, the findings placed on units and tenants, the rollout, the picture and the plan's files. The CLI prints the same data.

use serde::{Deserialize, Serialize};

use super::Refusal;
use crate::diagnostic::{RuleId, Severity};
use crate::environment::PlanOptions;
use crate::group::{
    group_blocking_reasons, group_plan_files, group_report, group_svg, group_svg_data_url,
    parse_group, resolve_group, rollout, unit_plan_dir, validate_group, GroupDiagnostic, GroupFile,
    GroupSealed, ResolvedGroup, ResolvedUnit, Role, RolloutStep, GROUP_REPORT, GROUP_SVG,
};

/// (errors, warnings) among some findings.
fn count<'d>(findings: impl Iterator<Item = &'d GroupDiagnostic>) -> (usize, usize) {
    findings.fold((0, 0), |(errors, warnings), d| match d.severity {
        Severity::Error => (errors + 1, warnings),
        Severity::Warning => (errors, warnings + 1),
    })
}

/// One tenant on one unit, as the unit's box lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementView {
    pub tenant: String,
    /// The unit is this tenant's master location.
    pub master: bool,
    /// Its charts on the unit, in deployment order.
    pub charts: Vec<String>,
    /// Where its plan goes (`units/<unit>/<tenant>`).
    pub folder: String,
    pub errors: usize,
    pub warnings: usize,
}

/// One unit, as its box shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub name: String,
    pub region: String,
    pub role: Role,
    pub primary: bool,
    /// The cluster as shown: its server, else its Argo CD name, else its context.
    pub cluster: String,
    pub server: Option<String>,
    pub argocd_name: Option<String>,
    pub context: Option<String>,
    /// The unit's facts (`consul_datacenter`), as text.
    pub facts: Vec<(String, String)>,
    pub tenants: Vec<PlacementView>,
    /// Every chart the unit runs, each once.
    pub charts: Vec<String>,
    /// Findings that concern the unit (its environments' and the checks across units').
    pub errors: usize,
    pub warnings: usize,
}

/// A region and its units, in the order the file lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionView {
    pub region: String,
    pub units: Vec<UnitView>,
    /// The region holds a unit pair (two units or more).
    pub pair: bool,
}

/// A tenant and where it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantView {
    pub name: String,
    /// Its master unit (named, or its only unit).
    pub master: Option<String>,
    pub units: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// A finding of the group, placed on the units, tenants and charts it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFinding {
    pub severity: Severity,
    pub units: Vec<String>,
    pub tenants: Vec<String>,
    pub charts: Vec<String>,
    pub path: String,
    pub message: String,
    pub rule: RuleId,
    /// A check across units (else one unit's environment found it).
    pub across_units: bool,
    /// `unit/tenant` for one environment's finding, the units for one across units.
    pub shown_at: String,
}

/// One file of the plan, as a listing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFileView {
    pub name: String,
    pub unit: Option<String>,
    pub tenant: Option<String>,
    pub bytes: usize,
    /// The file holds secret values in the clear (a secrets file or an install script with
    /// filled-in Secrets): a preview masks it, and it never goes into Git.
    pub holds_secrets: bool,
}

/// A unit group, read, resolved and checked once.
#[derive(Debug, Clone)]
pub struct GroupSession {
    file: GroupFile,
    group: ResolvedGroup,
    findings: Vec<GroupDiagnostic>,
}

impl GroupSession {
    /// A group file's text, through the boundary; a refusal names places, never values.
    pub fn from_text(text: &str) -> Result<GroupSession, Refusal> {
        let file = parse_group(text).map_err(Refusal)?;
        GroupSession::from_file(file)
    }

    /// A group file already read.
    pub fn from_file(file: GroupFile) -> Result<GroupSession, Refusal> {
        let group = resolve_group(&file).map_err(Refusal)?;
        let findings = validate_group(&group);
        Ok(GroupSession {
            file,
            group,
            findings,
        })
    }

    pub fn file(&self) -> &GroupFile {
        &self.file
    }

    pub fn group(&self) -> &ResolvedGroup {
        &self.group
    }

    /// Every finding: each unit's environments', then the checks across units; errors first.
    pub fn diagnostics(&self) -> &[GroupDiagnostic] {
        &self.findings
    }

    /// (errors, warnings) of the whole group.
    pub fn counts(&self) -> (usize, usize) {
        count(self.findings.iter())
    }

    fn unit_view(&self, unit: &ResolvedUnit) -> UnitView {
        let mine = |d: &&GroupDiagnostic| d.units.contains(&unit.name);
        let (errors, warnings) = count(self.findings.iter().filter(mine));
        UnitView {
            name: unit.name.clone(),
            region: unit.region.clone(),
            role: unit.role,
            primary: unit.role == Role::Primary,
            cluster: unit.cluster.shown(),
            server: unit.cluster.server.clone(),
            argocd_name: unit.cluster.name.clone(),
            context: unit.cluster.context.clone(),
            facts: unit
                .facts
                .iter()
                .map(|(fact, value)| (fact.clone(), crate::kinds::display_value(value)))
                .collect(),
            tenants: unit
                .environments
                .iter()
                .map(|environment| {
                    let (errors, warnings) = count(self.findings.iter().filter(|d| {
                        d.units.contains(&unit.name) && d.tenants.contains(&environment.tenant)
                    }));
                    PlacementView {
                        tenant: environment.tenant.clone(),
                        master: environment.master,
                        charts: environment
                            .resolved
                            .charts
                            .iter()
                            .map(|entry| entry.chart.id.clone())
                            .collect(),
                        folder: unit_plan_dir(&unit.name, &environment.tenant),
                        errors,
                        warnings,
                    }
                })
                .collect(),
            charts: unit.charts(),
            errors,
            warnings,
        }
    }

    /// The units by region, regions in the order their first unit is listed.
    pub fn regions(&self) -> Vec<RegionView> {
        self.group
            .regions()
            .into_iter()
            .map(|(region, units)| RegionView {
                pair: units.len() >= 2,
                units: units.into_iter().map(|unit| self.unit_view(unit)).collect(),
                region,
            })
            .collect()
    }

    /// Every unit, in the file's order.
    pub fn units(&self) -> Vec<UnitView> {
        self.group
            .units
            .iter()
            .map(|unit| self.unit_view(unit))
            .collect()
    }

    /// Every tenant, with its master unit and units.
    pub fn tenants(&self) -> Vec<TenantView> {
        self.group
            .tenants
            .iter()
            .map(|tenant| {
                let (errors, warnings) = count(
                    self.findings
                        .iter()
                        .filter(|d| d.tenants.contains(&tenant.name)),
                );
                TenantView {
                    name: tenant.name.clone(),
                    master: tenant.master_unit().map(str::to_string),
                    units: tenant.units.clone(),
                    errors,
                    warnings,
                }
            })
            .collect()
    }

    fn finding(diagnostic: &GroupDiagnostic) -> GroupFinding {
        GroupFinding {
            severity: diagnostic.severity,
            units: diagnostic.units.clone(),
            tenants: diagnostic.tenants.clone(),
            charts: diagnostic.charts.clone(),
            path: diagnostic.path.clone(),
            message: diagnostic.message.clone(),
            rule: diagnostic.rule.clone(),
            across_units: diagnostic.across_units,
            shown_at: diagnostic.where_shown(),
        }
    }

    /// Every finding, placed.
    pub fn findings(&self) -> Vec<GroupFinding> {
        self.findings.iter().map(GroupSession::finding).collect()
    }

    /// The findings of the checks across units (what the group view lists first).
    pub fn findings_across_units(&self) -> Vec<GroupFinding> {
        self.findings
            .iter()
            .filter(|d| d.across_units)
            .map(GroupSession::finding)
            .collect()
    }

    /// The findings that concern one unit (its environments' and the checks across units that
    /// name it).
    pub fn findings_for_unit(&self, unit: &str) -> Vec<GroupFinding> {
        self.findings
            .iter()
            .filter(|d| d.units.iter().any(|u| u == unit))
            .map(GroupSession::finding)
            .collect()
    }

    /// The order the plans are installed in: every tenant's master unit first.
    pub fn rollout(&self) -> Vec<RolloutStep> {
        rollout(&self.group)
    }

    /// The picture (`group.svg`).
    pub fn picture(&self) -> String {
        group_svg(&self.group, &self.findings)
    }

    /// The picture as a `data:` URL for an `<img>`.
    pub fn picture_data_url(&self) -> String {
        group_svg_data_url(&self.group, &self.findings)
    }

    /// group-report.txt.
    pub fn report(&self, options: &PlanOptions) -> String {
        group_report(&self.group, &self.findings, options)
    }

    /// Why the plan may not be written; empty: writing is allowed.
    pub fn blocking_reasons(&self) -> Vec<String> {
        group_blocking_reasons(&self.group, &self.findings)
    }

    /// Every file of the plan (`pecfg plan --group`'s bytes).
    pub fn files(&self, options: &PlanOptions, sealed: &GroupSealed) -> Vec<(String, String)> {
        group_plan_files(&self.group, &self.findings, options, sealed)
    }

    /// The plan's files as a listing shows them, in the plan's order.
    pub fn file_views(&self, options: &PlanOptions, sealed: &GroupSealed) -> Vec<PlanFileView> {
        // Which unit and tenant's scripts create filled-in Secrets (and so hold their values).
        let flux = options.gitops == Some(crate::environment::GitOps::Flux);
        let mut with_secrets = std::collections::HashSet::new();
        for unit in &self.group.units {
            for environment in &unit.environments {
                let (pull, own) = crate::environment::planned_secrets(&environment.resolved, flux);
                if !pull.is_empty() || !own.is_empty() {
                    with_secrets.insert((unit.name.clone(), environment.tenant.clone()));
                }
            }
        }
        self.files(options, sealed)
            .into_iter()
            .map(|(name, text)| {
                let mut parts = name.split('/');
                let (unit, tenant) = match (parts.next(), parts.next(), parts.next()) {
                    (Some(crate::group::UNITS_DIR), Some(unit), Some(tenant)) => {
                        (Some(unit.to_string()), Some(tenant.to_string()))
                    }
                    (Some(crate::group::CLUSTERS_DIR), Some(unit), _) => {
                        (Some(unit.to_string()), None)
                    }
                    _ => (None, None),
                };
                let file = name.rsplit('/').next().unwrap_or_default();
                let script = file == crate::environment::INSTALL_SH
                    || file == crate::environment::INSTALL_PS1;
                let holds_secrets =
                    (file.ends_with("-secrets.yaml") && !file.ends_with("-sealed-secrets.yaml"))
                        || (script
                            && unit.as_ref().zip(tenant.as_ref()).is_some_and(|(u, t)| {
                                with_secrets.contains(&(u.clone(), t.clone()))
                            }));
                PlanFileView {
                    bytes: text.len(),
                    holds_secrets,
                    name,
                    unit,
                    tenant,
                }
            })
            .collect()
    }

    /// The names of the two group-level files.
    pub fn group_files() -> [&'static str; 2] {
        [GROUP_REPORT, GROUP_SVG]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: &str = "group: g
units:
  - {name: eu-1, region: eu, role: primary, cluster: {server: \"https://eu-1.example.com\"}, facts: {consul_datacenter: dc1}}
  - {name: eu-2, region: eu, role: secondary, cluster: {context: eu-2}}
  - {name: us-1, region: us, role: secondary, cluster: {name: us-1}}
tenants:
  - name: t1
    master: eu-1
    shared: {tenant_uuid: 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd, tenant_sid: \"100\"}
    units:
      eu-1: {charts: {tenant: {}, ixn: {}}}
      us-1: {facts: {master_location: dc1}, charts: {tenant: {}, ixn: {}}}
";

    #[test]
    fn the_view_data_places_units_by_region_and_findings_on_units() {
        let session = GroupSession::from_text(GROUP).expect("reads");
        let regions = session.regions();
        assert_eq!(regions.len(), 2);
        assert_eq!(regions[0].region, "eu");
        assert!(regions[0].pair && !regions[1].pair);
        let eu1 = &regions[0].units[0];
        assert!(eu1.primary);
        assert_eq!(eu1.cluster, "https://eu-1.example.com");
        assert_eq!(
            eu1.facts,
            [("consul_datacenter".to_string(), "dc1".to_string())]
        );
        assert_eq!(eu1.tenants[0].tenant, "t1");
        assert!(eu1.tenants[0].master);
        assert_eq!(eu1.tenants[0].folder, "units/eu-1/t1");
        assert_eq!(regions[0].units[1].charts, Vec::<String>::new());
        // IXN on a secondary unit: found, across units, on us-1 and t1.
        let across = session.findings_across_units();
        let ixn = across
            .iter()
            .find(|f| f.rule == "group.primary-only-service")
            .expect("the placement finding");
        assert_eq!(ixn.units, ["us-1"]);
        assert_eq!(ixn.tenants, ["t1"]);
        assert!(session
            .findings_for_unit("us-1")
            .iter()
            .any(|f| f.rule == "group.unit-pair"));
        let us1 = &regions[1].units[0];
        assert!(us1.errors >= 1);
        assert_eq!(session.tenants()[0].master.as_deref(), Some("eu-1"));
        assert!(!session.blocking_reasons().is_empty());
        assert!(session.picture().contains("★ eu-1 (primary)"));
        assert!(session
            .picture_data_url()
            .starts_with("data:image/svg+xml;base64,"));
        let views = session.file_views(&PlanOptions::default(), &GroupSealed::default());
        assert!(views
            .iter()
            .any(|v| v.name == "units/us-1/t1/install.sh" && v.unit.as_deref() == Some("us-1")));
        assert!(views
            .iter()
            .any(|v| v.name == GROUP_REPORT && v.unit.is_none()));
        // No Secret is filled in: the scripts hold no secret value; a secrets file is flagged.
        assert!(views
            .iter()
            .filter(|v| v.name.ends_with("install.sh"))
            .all(|v| !v.holds_secrets));
        assert!(views
            .iter()
            .filter(|v| v.name.ends_with("-secrets.yaml"))
            .all(|v| v.holds_secrets));
        assert_eq!(
            session.rollout().first().map(|step| step.folder.as_str()),
            Some("units/eu-1/t1")
        );
    }

    #[test]
    fn a_refused_text_is_a_refusal_by_place() {
        let refusal = GroupSession::from_text("group: g\nunits: []\n").expect_err("refused");
        assert!(refusal.0.contains("units is empty"), "{refusal}");
    }
}
