//! Environments: several charts deployed together for one tenant or site, with the shared facts given once — the environment file and how shared facts become each chart's answers (the environment catalog itself is `catalog::environment`).
//!
//! An environment file names the environment, gives `shared` facts (tenant UUID, registry and pull
//! secret, priority class, ORS Redis…) and, per chart, an answers body as the answers file has it
//! (without `chart:`). Which parameter or secret of which chart carries a fact is catalog data:
//! `shared: <fact id>` on the parameter, the secret or the secret key. [`resolve`] turns the file
//! into one [`Answers`] per chart, in the platform guide's deployment order; a chart's own value
//! wins over the shared one and is reported ([`Resolved::overridden`]).
//!
//! - `checks.rs` — the cross-chart rules of the environment catalog and the built-in environment
//!   checks, next to each chart's own validation.
//! - `plan.rs` — install.sh and install.ps1 for the whole environment, and the plan's file set.
//! - `gitops.rs` — Argo CD Applications, Flux HelmReleases and their sources, kustomization.yaml.
//! - `picture.rs` — the plan as an SVG: namespaces, charts in order, Secrets, findings.

mod checks;
mod gitops;
mod picture;
mod plan;
mod session;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::answers::{Answers, SecretValues};
pub use crate::catalog::environment::{
    environment_catalog, CrossRule, CrossVerb, Entries, EnvironmentCatalog, InstallStep,
    NamespaceLabels, SharedFact, ENVIRONMENT_FILE,
};
use crate::catalog::{Chart, Kind};
pub use crate::shared::Applied;
use crate::validation::{Evaluated, Evaluation};

pub use crate::diagnostic::{EnvDiagnostic, Place};
pub use crate::export::ChartSource;
pub use checks::validate_environment;
pub(crate) use gitops::namespaces_file;
pub use gitops::{gitops_files, gitops_files_sealed, GitOps, ARGOCD_NAMESPACE, GITOPS_DIR};
// What a unit group (the group module) builds its files from, so it reuses them rather than copies.
pub(crate) use gitops::{gitops_source, inline_values, login_note, withheld_note, GitSource};
pub(crate) use picture::xml_text_within;
pub use picture::{plan_svg, plan_svg_data_url, xml_text, PLAN_SVG};
pub use plan::{
    environment_inventory, environment_mirror, install_ps1, install_sh, plan_blocking_reasons,
    plan_files, plan_files_sealed, plan_report, plan_zip_name, seal_plan, sealed_secrets_file_name,
    secrets_file_name, PlanOptions, INSTALL_PS1, INSTALL_SH, REPORT_FILE,
};
pub(crate) use plan::{planned_namespaces, planned_secrets};
pub use session::{
    carriers, chart_answers, check_environment, decode_environment_fragment, deployment_order,
    encode_environment_fragment, environment_draft_json, environment_file, environment_yaml,
    parse_environment_draft, setup_of, shared_answers, without_secrets, Setup,
    ENVIRONMENT_FRAGMENT_PREFIX,
};

/// One chart's part of an environment file: an answers body without `chart:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub values: Value,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: SecretValues,
}

impl ChartBody {
    /// The chart's answers as this body gives them, before any shared fact.
    pub fn answers(&self, chart_id: &str) -> Answers {
        Answers {
            chart: chart_id.to_string(),
            release: self.release.clone(),
            namespace: self.namespace.clone(),
            values: self.values.clone(),
            secrets: self.secrets.clone(),
        }
    }
}

/// An environment file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentFile {
    pub environment: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shared: BTreeMap<String, Value>,
    #[serde(default)]
    pub charts: BTreeMap<String, ChartBody>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, ChartSource>,
    /// The cluster reaches no registry outside its network: an image pulled from a public
    /// registry is an error, not a warning (`mirror/checks.rs`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub air_gapped: bool,
}

/// Reads an environment file through the input boundary (size, aliases, keys, Helm's YAML 1.1
/// reading of every value), then checks its structure: known charts, known shared facts of the
/// right shape. Messages name places, never values.
pub fn parse_environment(text: &str) -> Result<EnvironmentFile, String> {
    let read =
        crate::yaml::read::read_yaml(text).map_err(|error| format!("environment file: {error}"))?;
    let file: EnvironmentFile = serde_yaml::from_value(read.value.clone())
        .map_err(|error| format!("environment file: {error}"))?;
    check_file(file, true)
}

/// The structural checks of an environment file, whatever it came from: known charts, values Helm
/// can read, sources of listed charts, known shared facts of the right shape. With `kinds`, a value
/// fact must also be of its kind (a file for `pecfg plan`); without, a draft or link keeps a value
/// the user is still typing, and the page reports it (`Setup::fact_problems`) and blocks the plan.
fn check_file(mut file: EnvironmentFile, kinds: bool) -> Result<EnvironmentFile, String> {
    check_charts(&mut file.charts, "environment file", "charts")?;
    for id in file.sources.keys() {
        if !file.charts.contains_key(id) {
            return Err(format!(
                "environment file: `sources` names `{}`, which is not among `charts`",
                shorten(id)
            ));
        }
    }
    check_shared(&mut file.shared, kinds, "environment file", "shared")?;
    Ok(file)
}

/// The chart bodies of a file (`what`, at `place`): known charts, values Helm can read (read
/// through the input boundary's `check_values`). A unit group's placements are checked the same.
pub(crate) fn check_charts(
    charts: &mut BTreeMap<String, ChartBody>,
    what: &str,
    place: &str,
) -> Result<(), String> {
    for (id, body) in charts.iter_mut() {
        if crate::catalog::registry::chart(id).is_none() {
            return Err(format!(
                "{what}: `{place}` names unknown chart `{}`; charts: {}",
                shorten(id),
                crate::catalog::registry::chart_ids().join(", ")
            ));
        }
        let values = std::mem::take(&mut body.values);
        let values = if values.is_null() {
            Value::Mapping(Mapping::new())
        } else {
            values
        };
        body.values =
            crate::yaml::read::check_values(values, "`values` of a chart in the environment file")
                .map_err(|error| format!("{what}: {place}.{id}: {error}"))?;
    }
    Ok(())
}

/// Shared facts as a file gives them (`what`, at `place`): known facts of the right shape; with
/// `kinds`, a value fact of its kind. A unit group's levels (group, unit, tenant) are checked the
/// same. Messages name the fact, never its value.
pub(crate) fn check_shared(
    shared: &mut BTreeMap<String, Value>,
    kinds: bool,
    what: &str,
    place: &str,
) -> Result<(), String> {
    let catalog = environment_catalog()?;
    for (id, value) in shared.iter_mut() {
        if let Some(fact) = catalog.shared_facts.iter().find(|fact| &fact.id == id) {
            if !fact.secret {
                *value = fact_value(fact.kind, std::mem::take(value));
            }
        }
    }
    for (id, value) in shared.iter() {
        let Some(fact) = catalog.shared_facts.iter().find(|fact| &fact.id == id) else {
            return Err(format!(
                "{what}: `{place}` has unknown fact `{}`; facts: {}",
                shorten(id),
                catalog
                    .shared_facts
                    .iter()
                    .map(|fact| fact.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        if fact.secret {
            let Value::Mapping(fields) = value else {
                return Err(format!(
                    "{what}: {place}.{id} is a map of {}",
                    fact.fields.join(", ")
                ));
            };
            for (field, field_value) in fields {
                let name = field.as_str().unwrap_or_default();
                if !fact.fields.iter().any(|known| known == name) {
                    return Err(format!(
                        "{what}: {place}.{id} has unknown field `{}`; fields: {}",
                        shorten(name),
                        fact.fields.join(", ")
                    ));
                }
                if field_value.is_mapping() || field_value.is_sequence() {
                    return Err(format!(
                        "{what}: {place}.{id}.{name} must be a single value"
                    ));
                }
            }
        } else if value.is_mapping() || value.is_sequence() {
            return Err(format!("{what}: {place}.{id} must be a single value"));
        } else if let Some(kind) = fact.kind.filter(|_| kinds) {
            // The value is not quoted: it may be a registry password's neighbour, but value facts
            // are names and ids, and the message names the fact only.
            crate::kinds::check_kind(kind, value, &[])
                .map_err(|_| format!("{what}: {place}.{id} is not a {}", kind.as_str()))?;
        }
    }
    Ok(())
}

/// A value fact as the environment keeps it: a port or whole number given as text (`"6379"`, what
/// a form's text input gives and what a file may quote) is that number, so the fact is the same
/// whether it came from the page, a link, a draft or a file, is checked as a number, and is
/// written back as one. Other text (`"06379"`, `"63a"`) stays as given, and the kind check says
/// it is not a port.
pub(crate) fn fact_value(kind: Option<Kind>, value: Value) -> Value {
    match (kind, &value) {
        (Some(Kind::Port | Kind::Integer), Value::String(text)) => match text.parse::<i64>() {
            Ok(number) if number.to_string() == *text => Value::from(number),
            _ => value,
        },
        _ => value,
    }
}

pub(crate) fn shorten(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(60)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().count() > 60 {
        shown.push('…');
    }
    shown
}

/// One chart of a resolved environment.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedChart {
    pub chart: &'static Chart,
    /// The chart's answers with the shared facts applied.
    pub answers: Answers,
    /// The platform guide's deployment step.
    pub step: u32,
    pub source: ChartSource,
    /// The one evaluation of these answers (merged values, findings, release), which the checks,
    /// the plan and the GitOps files all read.
    pub evaluation: Evaluation,
}

impl ResolvedChart {
    /// The answers with their evaluation, as the exporters take them.
    pub fn evaluated(&self) -> Evaluated<'_> {
        Evaluated::new(self.chart, &self.answers, &self.evaluation)
    }
}

/// An environment file turned into per-chart answers, in deployment order.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub name: String,
    pub charts: Vec<ResolvedChart>,
    /// Shared facts written into a chart.
    pub applied: Vec<Applied>,
    /// Charts whose own value differs from the shared fact and wins.
    pub overridden: Vec<Applied>,
    /// Shared facts no chart of the environment carries.
    pub unused: Vec<String>,
    pub shared: BTreeMap<String, Value>,
    /// The environment file's `air_gapped`.
    pub air_gapped: bool,
}

/// The shared facts applied to every chart of the file, in the platform guide's order.
pub fn resolve(file: &EnvironmentFile) -> Result<Resolved, String> {
    let catalog = environment_catalog()?;
    let facts = catalog.facts_for_charts(&file.shared);
    let mut resolved = Resolved {
        name: file.environment.clone(),
        charts: Vec::new(),
        applied: Vec::new(),
        overridden: Vec::new(),
        unused: Vec::new(),
        shared: file.shared.clone(),
        air_gapped: file.air_gapped,
    };
    for step in &catalog.install_order {
        let Some(body) = file.charts.get(&step.chart) else {
            continue;
        };
        let Some(chart) = crate::catalog::registry::chart(&step.chart) else {
            continue;
        };
        let (answers, report) = crate::shared::apply_facts(chart, &body.answers(&chart.id), &facts);
        resolved.applied.extend(report.applied);
        resolved.overridden.extend(report.overridden);
        let evaluation = crate::validation::evaluate(chart, &answers);
        resolved.charts.push(ResolvedChart {
            chart,
            answers,
            evaluation,
            step: step.step,
            source: file.sources.get(&step.chart).cloned().unwrap_or_default(),
        });
    }
    for id in file.shared.keys() {
        let used = resolved.applied.iter().chain(&resolved.overridden).any(|a| &a.fact == id)
            // A fact may fill another's empty field (the registry of the pull secret).
            || catalog.feeds_another(id, &file.shared);
        if !used {
            resolved.unused.push(id.clone());
        }
    }
    Ok(resolved)
}

/// A short human report of a resolved environment: charts in order, where the shared facts went,
/// which charts kept their own value. Names only, never a value.
pub fn resolution_report(resolved: &Resolved) -> String {
    let mut out = format!("environment {}\n", shorten(&resolved.name));
    for entry in &resolved.charts {
        let context = crate::export::ExportContext::new(&entry.evaluated());
        out.push_str(&format!(
            "  step {}: {} as release {} in namespace {}\n",
            entry.step,
            entry.chart.id,
            shorten(&context.release),
            shorten(&context.namespace)
        ));
    }
    for applied in &resolved.applied {
        out.push_str(&format!(
            "shared {} -> {}: {}\n",
            applied.fact, applied.chart, applied.target
        ));
    }
    for overridden in &resolved.overridden {
        out.push_str(&format!(
            "override: {} keeps its own {} instead of shared {}\n",
            overridden.chart, overridden.target, overridden.fact
        ));
    }
    for unused in &resolved.unused {
        out.push_str(&format!(
            "unused: no chart of the environment carries shared {unused}\n"
        ));
    }
    out
}
