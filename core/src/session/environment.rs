//! Several charts as one environment, as a front end holds it: the setup (name, members, shared facts) over each member's own answers, resolved and checked once per change, with everything the environment view draws — the fact inputs, the members' rows, the findings placed on charts and fields — and the facts and findings a member chart's form shows.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_yaml::Value;

use crate::answers::Answers;
use crate::catalog::environment::environment_catalog;
use crate::catalog::registry::chart as registry_chart;
use crate::diagnostic::{Diagnostic, RuleId, Scope, Severity};
use crate::environment::{
    carriers, environment_file, resolve, validate_environment, EnvDiagnostic, EnvironmentFile,
    Resolved, Setup,
};
use crate::export::ExportContext;
use crate::values::new_answers;

/// One input of a shared fact (a value fact has one; a secret fact one per field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FactInput {
    /// The DOM id the page gives it (`shared-<fact>` or `shared-<fact>-<field>`).
    pub id: String,
    pub fact: String,
    pub field: Option<String>,
    pub label: String,
    /// A credential: the input hides what is typed.
    pub masked: bool,
    pub text: String,
}

/// A shared fact as the environment view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FactView {
    pub id: String,
    pub doc: String,
    /// A secret fact: written into Secrets only, never kept in drafts or links.
    pub secret: bool,
    pub inputs: Vec<FactInput>,
    /// Why the value given is not of the fact's kind (naming the fact, never the value).
    pub problem: Option<String>,
    /// Where it goes: `chart: target` for every chart that carries it.
    pub carriers: Vec<String>,
}

/// One chart the environment may deploy, in the platform guide's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MemberView {
    pub chart: String,
    pub name: String,
    pub step: u32,
    pub member: bool,
}

/// One member of the resolved environment, as its row shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RowView {
    pub chart: String,
    pub name: String,
    pub step: u32,
    pub release: String,
    pub namespace: String,
    /// Findings about this chart (its own and the environment's), by severity.
    pub errors: usize,
    pub warnings: usize,
    /// `target ← fact` for every shared fact written into it.
    pub applied: Vec<String>,
}

/// A finding of the environment, placed: the charts it concerns (the first is the one its
/// button opens) and the path as shown.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub charts: Vec<String>,
    pub path: String,
    pub message: String,
    pub rule: RuleId,
}

/// An environment over the members' own answers, resolved and checked once when made.
#[derive(Debug, Clone)]
pub struct EnvironmentSession {
    setup: Setup,
    file: EnvironmentFile,
    resolved: Result<Resolved, String>,
    findings: Vec<EnvDiagnostic>,
}

impl EnvironmentSession {
    /// The environment of a setup and the members' own answers (a member nobody touched yet
    /// starts as a new form does).
    pub fn new(setup: Setup, answers: &BTreeMap<String, Answers>) -> EnvironmentSession {
        let file = environment_file(&setup, answers, |id| registry_chart(id).map(new_answers));
        EnvironmentSession::of_file(setup, file)
    }

    /// The environment of a file (the CLI's `--environment`, an opened or linked file).
    pub fn from_file(file: EnvironmentFile) -> EnvironmentSession {
        let setup = crate::environment::setup_of(&file);
        EnvironmentSession::of_file(setup, file)
    }

    fn of_file(setup: Setup, file: EnvironmentFile) -> EnvironmentSession {
        let resolved = if setup.charts.is_empty() && file.charts.is_empty() {
            Err("the environment has no chart yet".to_string())
        } else {
            resolve(&file)
        };
        let findings = resolved
            .as_ref()
            .map(validate_environment)
            .unwrap_or_default();
        EnvironmentSession {
            setup,
            file,
            resolved,
            findings,
        }
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The environment file (secrets included: it stays in memory or goes to a private file).
    pub fn file(&self) -> &EnvironmentFile {
        &self.file
    }

    pub fn resolved(&self) -> Option<&Resolved> {
        self.resolved.as_ref().ok()
    }

    /// Why the environment could not be resolved, when it could not.
    pub fn unresolved(&self) -> Option<&str> {
        self.resolved.as_ref().err().map(String::as_str)
    }

    /// Every finding: the members' own, the built-in environment checks, the cross-chart rules.
    pub fn diagnostics(&self) -> &[EnvDiagnostic] {
        &self.findings
    }

    /// (errors, warnings).
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, self.findings.len() - errors)
    }

    /// The findings as the environment view lists them.
    pub fn findings(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|d| Finding {
                severity: d.severity,
                charts: d.charts.clone(),
                path: d.path.clone(),
                message: d.message.clone(),
                rule: d.rule.clone(),
            })
            .collect()
    }

    /// The environment's findings about one member chart, as its form shows them: a check of
    /// the environment (not the chart's own, which its session already has) that concerns the
    /// chart, on the chart's own path where the finding names one, else under the text the
    /// environment view shows.
    pub fn findings_for(&self, chart_id: &str) -> Vec<Diagnostic> {
        place_findings(&self.findings, chart_id)
    }

    /// The facts as a member chart's form applies them (a field one fact leaves empty filled
    /// from another), or None while the chart is not a member.
    pub fn facts_for(&self, chart_id: &str) -> Option<BTreeMap<String, Value>> {
        if !self.setup.has(chart_id) || self.setup.shared.is_empty() {
            return None;
        }
        Some(match environment_catalog() {
            Ok(catalog) => catalog.facts_for_charts(&self.setup.shared),
            Err(_) => self.setup.shared.clone(),
        })
    }

    /// Every chart the environment may deploy, in the platform guide's order.
    pub fn members(&self) -> Vec<MemberView> {
        crate::environment::deployment_order()
            .into_iter()
            .map(|(id, step)| MemberView {
                name: registry_chart(&id).map_or_else(|| id.clone(), |chart| chart.name.clone()),
                member: self.setup.has(&id),
                chart: id,
                step,
            })
            .collect()
    }

    /// The shared facts' inputs, problems and carriers.
    pub fn facts(&self) -> Vec<FactView> {
        let Ok(catalog) = environment_catalog() else {
            return Vec::new();
        };
        let charts = crate::catalog::registry::all_charts();
        let all_carriers = carriers(charts);
        let problems = self.setup.fact_problems();
        catalog
            .shared_facts
            .iter()
            .map(|fact| {
                let fields: Vec<Option<&String>> = if fact.secret {
                    fact.fields.iter().map(Some).collect()
                } else {
                    vec![None]
                };
                let inputs = fields
                    .into_iter()
                    .map(|field| FactInput {
                        id: match field {
                            Some(field) => format!("shared-{}-{field}", fact.id),
                            None => format!("shared-{}", fact.id),
                        },
                        fact: fact.id.clone(),
                        field: field.cloned(),
                        label: field.cloned().unwrap_or_else(|| fact.id.clone()),
                        masked: field.is_some_and(|field| fact.credential_fields.contains(field)),
                        text: self.setup.fact_text(&fact.id, field.map(String::as_str)),
                    })
                    .collect();
                FactView {
                    id: fact.id.clone(),
                    doc: fact.doc.clone(),
                    secret: fact.secret,
                    inputs,
                    problem: problems
                        .iter()
                        .find(|(id, _)| id == &fact.id)
                        .map(|(_, message)| message.clone()),
                    carriers: all_carriers
                        .iter()
                        .filter(|(id, _, _)| id == &fact.id)
                        .map(|(_, chart, target)| format!("{chart}: {target}"))
                        .collect(),
                }
            })
            .collect()
    }

    /// One row per member of the resolved environment, in deployment order.
    pub fn rows(&self) -> Vec<RowView> {
        let Some(resolved) = self.resolved() else {
            return Vec::new();
        };
        resolved
            .charts
            .iter()
            .map(|entry| {
                let id = &entry.chart.id;
                let context = ExportContext::new(&entry.evaluated());
                let (errors, warnings) = self
                    .findings
                    .iter()
                    .filter(|d| d.charts.contains(id))
                    .fold((0, 0), |(e, w), d| match d.severity {
                        Severity::Error => (e + 1, w),
                        Severity::Warning => (e, w + 1),
                    });
                RowView {
                    chart: id.clone(),
                    name: entry.chart.name.clone(),
                    step: entry.step,
                    release: context.release,
                    namespace: context.namespace,
                    errors,
                    warnings,
                    applied: resolved
                        .applied
                        .iter()
                        .filter(|applied| &applied.chart == id)
                        .map(|applied| format!("{} ← {}", applied.target, applied.fact))
                        .collect(),
                }
            })
            .collect()
    }

    /// Shared facts no member carries.
    pub fn unused_facts(&self) -> &[String] {
        self.resolved()
            .map(|resolved| resolved.unused.as_slice())
            .unwrap_or(&[])
    }
}

/// A file of the environment's plan shown in the plan panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanFile {
    InstallSh,
    InstallPs1,
    Report,
    /// The environment file as saved: without secret values.
    EnvironmentFile,
}

impl EnvironmentSession {
    /// Why the plan may not be downloaded: every error, a shared fact of the wrong kind, an
    /// unusable source. Empty: it may.
    pub fn plan_blocking_reasons(&self) -> Vec<String> {
        let mut reasons = match self.resolved() {
            None => vec![self
                .unresolved()
                .unwrap_or("the environment has no chart yet")
                .to_string()],
            Some(resolved) => crate::environment::plan_blocking_reasons(resolved, &self.findings),
        };
        reasons.extend(
            self.setup
                .fact_problems()
                .into_iter()
                .map(|(_, message)| message),
        );
        reasons
    }

    /// A file of the plan as the panel shows it: secret values redacted (and a guard line on
    /// top) unless `reveal`.
    pub fn plan_preview(
        &self,
        file: PlanFile,
        options: &crate::environment::PlanOptions,
        reveal: bool,
    ) -> crate::session::Preview {
        use crate::environment::{install_ps1, install_sh, plan_report, INSTALL_PS1, INSTALL_SH};
        use crate::mask::{guard_preview, redacted_secrets, PreviewKind};
        let text = |name: &str, text: String| crate::session::Preview {
            name: name.to_string(),
            text,
            masked: false,
        };
        if file == PlanFile::EnvironmentFile {
            return text(&self.saved_file_name(), self.saved_file());
        }
        let Some(resolved) = self.resolved() else {
            return text("", String::new());
        };
        let (name, kind, write): (
            &str,
            PreviewKind,
            fn(&Resolved, &crate::environment::PlanOptions) -> String,
        ) = match file {
            PlanFile::InstallSh => (INSTALL_SH, PreviewKind::Shell, install_sh),
            PlanFile::InstallPs1 => (INSTALL_PS1, PreviewKind::PowerShell, install_ps1),
            PlanFile::Report | PlanFile::EnvironmentFile => {
                return text(
                    crate::environment::REPORT_FILE,
                    plan_report(resolved, options),
                )
            }
        };
        let real = write(resolved, options);
        if reveal {
            return text(name, real);
        }
        // Every member's secrets redacted; the values (and so the evaluations) are the same.
        let mut masked = resolved.clone();
        for entry in &mut masked.charts {
            entry.answers = redacted_secrets(&entry.answers);
        }
        let shown = write(&masked, options);
        crate::session::Preview {
            name: name.to_string(),
            masked: shown != real,
            text: guard_preview(kind, shown, &real),
        }
    }

    /// The plan's files (sealed ones added) and its zip: `<environment>-plan.zip` and its bytes.
    pub fn plan_zip(
        &self,
        options: &crate::environment::PlanOptions,
        sealed: &[(String, String)],
    ) -> Option<(String, Vec<u8>)> {
        let resolved = self.resolved()?;
        let files = crate::environment::plan_files_sealed(resolved, options, sealed);
        Some((
            crate::environment::plan_zip_name(resolved),
            crate::export::zip_bytes(&files),
        ))
    }

    /// The plan as an SVG picture, as a `data:` URL an `<img>` shows (the CSP forbids inline
    /// style; the picture is the plan.svg file's own bytes).
    pub fn picture(&self) -> Option<String> {
        self.resolved()
            .map(|resolved| crate::environment::plan_svg_data_url(resolved, &self.findings))
    }

    /// The environment file as "Save environment file" writes it: no secret value.
    pub fn saved_file(&self) -> String {
        crate::environment::environment_yaml(&crate::environment::without_secrets(&self.file))
    }

    /// `<name>-environment.yaml`, or `environment.yaml` while the name is not a DNS label.
    pub fn saved_file_name(&self) -> String {
        if crate::kinds::is_dns1123_label(&self.file.environment) {
            format!("{}-environment.yaml", self.file.environment)
        } else {
            "environment.yaml".to_string()
        }
    }

    /// The `#e1.` share link's fragment: the environment without any secret.
    pub fn link_fragment(&self) -> Result<String, String> {
        crate::environment::encode_environment_fragment(&self.file)
    }

    /// The plan zip's name, for its button.
    pub fn plan_zip_name(&self) -> Option<String> {
        self.resolved().map(crate::environment::plan_zip_name)
    }
}

/// The findings of an environment about one chart, as that chart's form shows them (see
/// [`EnvironmentSession::findings_for`]).
pub fn place_findings(findings: &[EnvDiagnostic], chart_id: &str) -> Vec<Diagnostic> {
    findings
        .iter()
        .filter(|d| d.scope == Scope::Environment && d.charts.iter().any(|c| c == chart_id))
        .map(|d| {
            let local = d
                .places
                .iter()
                .find(|place| place.chart == chart_id)
                .and_then(|place| place.path.clone());
            Diagnostic {
                path: local.unwrap_or_else(|| d.path.clone()),
                severity: d.severity,
                message: d.message.clone(),
                rule: d.rule.clone(),
                source: d.source.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd";

    fn two_members(ixn_tenant: &str) -> EnvironmentSession {
        let mut setup = Setup::new("tenant-100");
        setup.set_member("tenant", true);
        setup.set_member("ixn", true);
        let mut answers = BTreeMap::new();
        let mut tenant = new_answers(registry_chart("tenant").expect("tenant"));
        crate::answers::set_value(&mut tenant.values, "tenantid", Value::from(UUID)).expect("set");
        answers.insert("tenant".to_string(), tenant);
        let mut ixn = new_answers(registry_chart("ixn").expect("ixn"));
        crate::answers::set_value(&mut ixn.values, "tenant.id", Value::from(ixn_tenant))
            .expect("set");
        answers.insert("ixn".to_string(), ixn);
        EnvironmentSession::new(setup, &answers)
    }

    #[test]
    fn a_cross_chart_finding_lands_on_each_charts_own_field() {
        let session = two_members("11111111-2222-4333-8444-555555555555");
        let on_ixn = session.findings_for("ixn");
        let on_tenant = session.findings_for("tenant");
        let differ = |found: &[Diagnostic], path: &str| {
            found
                .iter()
                .any(|d| d.rule == "env.one-tenant-id" && d.path == path)
        };
        assert!(differ(&on_ixn, "tenant.id"), "{on_ixn:#?}");
        assert!(differ(&on_tenant, "tenantid"), "{on_tenant:#?}");
        // A chart's own checks are not repeated: its session has them already.
        assert!(on_ixn
            .iter()
            .all(|d| !d.rule.as_str().starts_with("field.")));
        let agreed = two_members(UUID);
        assert!(!differ(&agreed.findings_for("ixn"), "tenant.id"));
    }

    #[test]
    fn the_rows_and_members_come_in_the_guides_order() {
        let session = two_members(UUID);
        let rows: Vec<String> = session.rows().into_iter().map(|row| row.chart).collect();
        assert_eq!(rows, ["tenant", "ixn"]);
        let members = session.members();
        assert!(members.iter().any(|m| m.chart == "ixn" && m.member));
        assert!(members.iter().any(|m| m.chart == "ges" && !m.member));
    }

    #[test]
    fn a_credential_field_is_masked_and_its_text_read_back() {
        let mut session = two_members(UUID);
        let mut setup = session.setup().clone();
        setup.set_fact("pull_secret", Some("password"), Some("hunter2"));
        session = EnvironmentSession::new(setup, &BTreeMap::new());
        let pull = session
            .facts()
            .into_iter()
            .find(|fact| fact.id == "pull_secret")
            .expect("the pull secret fact");
        let password = pull
            .inputs
            .iter()
            .find(|input| input.field.as_deref() == Some("password"))
            .expect("its password");
        assert!(password.masked);
        assert_eq!(password.text, "hunter2");
        assert!(pull
            .inputs
            .iter()
            .any(|input| input.field.as_deref() == Some("registry") && !input.masked));
    }
}
