//! Environments: several charts deployed together for one tenant or site, with the shared facts given once — the environment file, the environment catalog (`catalog/environment.yaml`), and how shared facts become each chart's answers.
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
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::catalog::{Chart, Kind, SecretFormat, Severity, Source};
use crate::state::{field_state, set_value, Answers, FieldState, SecretValues};

pub use checks::{validate_environment, EnvDiagnostic, ENV_RULE_IDS};
pub use gitops::{gitops_files, gitops_files_sealed, GitOps, ARGOCD_NAMESPACE, GITOPS_DIR};
pub use picture::{plan_svg, plan_svg_data_url, xml_text, PLAN_SVG};
pub use plan::{
    install_ps1, install_sh, plan_blocking_reasons, plan_files, plan_files_sealed, plan_report,
    plan_zip_name, seal_plan, sealed_secrets_file_name, secrets_file_name, PlanOptions,
    INSTALL_PS1, INSTALL_SH, REPORT_FILE,
};
pub use session::{
    carriers, chart_answers, check_environment, decode_environment_fragment, deployment_order,
    encode_environment_fragment, environment_draft_json, environment_file, environment_yaml,
    parse_environment_draft, setup_of, shared_answers, without_secrets, Setup,
    ENVIRONMENT_FRAGMENT_PREFIX,
};

/// The environment catalog, compiled in like the chart files.
pub const ENVIRONMENT_FILE: &str = include_str!("../../../catalog/environment.yaml");

/// `catalog/environment.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentCatalog {
    pub guide: String,
    pub shared_facts: Vec<SharedFact>,
    pub install_order: Vec<InstallStep>,
    #[serde(default)]
    pub namespace_labels: Vec<NamespaceLabels>,
    #[serde(default)]
    pub cross_chart: Vec<CrossRule>,
}

/// A fact an environment gives once for every chart that carries it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SharedFact {
    pub id: String,
    /// The kind of a value fact (checked like a parameter of that kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// A secret fact: a map of `fields`, written into Secrets only, never into values.
    #[serde(default)]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// Where a chart stands in the platform guide's deployment order.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstallStep {
    pub chart: String,
    pub step: u32,
    #[serde(default)]
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
}

/// Labels a guide puts on a namespace it creates.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NamespaceLabels {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    #[serde(flatten)]
    pub source: Source,
}

/// A check across the charts of an environment; exactly one verb is filled in.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CrossRule {
    pub id: String,
    pub doc: String,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
    /// Groups of `chart:path` references whose given values must be identical.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equal: Vec<Vec<String>>,
    /// Entries of a list-like text that must match a pattern built from other charts' values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<Entries>,
    /// Groups of `chart:secret/key` JSON keys whose common fields must agree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_fields: Vec<Vec<String>>,
    /// Each chart's namespace is the platform table's for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub namespace_table: bool,
    /// `chart:path` references (and the shared priority class) that hold a platform priority class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority_class: Vec<String>,
    /// While the environment gives a shared fact, each `chart:path` of a member chart must hold a
    /// value (a chart whose own value is empty does not take the fact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filled_when_shared: Vec<FilledWhenShared>,
}

/// An instance of `filled_when_shared`: the fact, and the values that must not be empty while it
/// is given. Each reference is checked when its chart is in the environment.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FilledWhenShared {
    pub fact: String,
    pub refs: Vec<String>,
}

impl CrossRule {
    pub fn verbs(&self) -> Vec<&'static str> {
        [
            ("equal", !self.equal.is_empty()),
            ("entries", !self.entries.is_empty()),
            ("secret_fields", !self.secret_fields.is_empty()),
            ("namespace_table", self.namespace_table),
            ("priority_class", !self.priority_class.is_empty()),
            ("filled_when_shared", !self.filled_when_shared.is_empty()),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(verb, _)| verb)
        .collect()
    }

    /// Every `chart:…` reference the rule reads.
    pub fn refs(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = Vec::new();
        for group in self.equal.iter().chain(&self.secret_fields) {
            refs.extend(group.iter().map(String::as_str));
        }
        for entries in &self.entries {
            refs.push(&entries.from);
            for pattern in &entries.any_of {
                refs.extend(pattern_refs(pattern));
            }
        }
        refs.extend(self.priority_class.iter().map(String::as_str));
        for instance in &self.filled_when_shared {
            refs.extend(instance.refs.iter().map(String::as_str));
        }
        refs
    }
}

/// `{chart:path}` placeholders of an `entries` pattern.
pub fn pattern_refs(pattern: &str) -> impl Iterator<Item = &str> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(inside, _)| inside))
}

/// Each part of `from` (split at `split`) that matches `select` must match one of `any_of`, whose
/// `{chart:path}` placeholders are other charts' merged values.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entries {
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    pub select: String,
    pub any_of: Vec<String>,
}

/// The parsed environment catalog, or why it does not parse (a build defect every test shows).
pub fn environment_catalog() -> Result<&'static EnvironmentCatalog, String> {
    static CATALOG: OnceLock<Result<EnvironmentCatalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            crate::charts::compiled_environment()
                .map_err(|error| format!("catalog/environment.yaml: {error}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The environment catalog checked against the charts: every chart has a place in the install
/// order, every `shared:` of a chart names a fact of the right sort, every rule has one verb and
/// reads known charts and parameters.
pub fn lint_environment(catalog: &EnvironmentCatalog, charts: &[&Chart]) -> Vec<String> {
    let mut problems = Vec::new();
    for chart in charts {
        if !catalog
            .install_order
            .iter()
            .any(|step| step.chart == chart.id)
        {
            problems.push(format!("chart {} has no place in install_order", chart.id));
        }
        let fact = |id: &str| catalog.shared_facts.iter().find(|fact| fact.id == id);
        for param in &chart.params {
            if let Some(id) = &param.shared {
                match fact(id) {
                    None => problems.push(format!(
                        "{}: {}: unknown shared fact {id}",
                        chart.id, param.path
                    )),
                    Some(fact) if fact.secret => problems.push(format!(
                        "{}: {}: {id} is a secret fact; it can only fill a Secret",
                        chart.id, param.path
                    )),
                    Some(_) => {}
                }
            }
        }
        for spec in &chart.secrets {
            let keys = spec.keys.iter().filter_map(|key| key.shared.as_deref());
            for id in spec.shared.as_deref().into_iter().chain(keys) {
                if !fact(id).is_some_and(|fact| fact.secret) {
                    problems.push(format!(
                        "{}: secret {}: {id} is not a secret fact",
                        chart.id, spec.name
                    ));
                }
            }
        }
    }
    for step in &catalog.install_order {
        if !charts.iter().any(|chart| chart.id == step.chart) {
            problems.push(format!("install_order names unknown chart {}", step.chart));
        }
    }
    for rule in &catalog.cross_chart {
        if rule.verbs().len() != 1 {
            problems.push(format!("rule {}: give exactly one verb", rule.id));
        }
        for instance in &rule.filled_when_shared {
            let known = catalog
                .shared_facts
                .iter()
                .any(|fact| fact.id == instance.fact && !fact.secret);
            if !known {
                problems.push(format!(
                    "rule {}: {} is not a value fact of shared_facts",
                    rule.id, instance.fact
                ));
            }
        }
        for reference in rule.refs() {
            let Some((chart_id, rest)) = reference.split_once(':') else {
                problems.push(format!("rule {}: `{reference}` is not chart:path", rule.id));
                continue;
            };
            let Some(chart) = charts.iter().find(|chart| chart.id == chart_id) else {
                problems.push(format!("rule {}: unknown chart {chart_id}", rule.id));
                continue;
            };
            let known = match rest.split_once('/') {
                Some((secret, key)) => chart
                    .secrets
                    .iter()
                    .any(|spec| spec.name == secret && spec.keys.iter().any(|k| k.key == key)),
                None => chart.param(rest).is_some(),
            };
            if !known {
                problems.push(format!(
                    "rule {}: {reference} is not in the catalog",
                    rule.id
                ));
            }
        }
    }
    problems
}

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

/// Where a chart comes from, for the plan and the GitOps sources.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartSource {
    /// What `helm` installs as it is (a folder, a .tgz, `repo/chart`, `oci://…/chart`).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A chart repository: `https://…` (a Helm repository) or `oci://…` (the chart's parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The chart's name in `repository` (default: the catalog's chart reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
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
}

/// Reads an environment file through the input boundary (size, aliases, keys, Helm's YAML 1.1
/// reading of every value), then checks its structure: known charts, known shared facts of the
/// right shape. Messages name places, never values.
pub fn parse_environment(text: &str) -> Result<EnvironmentFile, String> {
    let read =
        crate::input::read_yaml(text).map_err(|error| format!("environment file: {error}"))?;
    let file: EnvironmentFile = serde_yaml::from_value(read.value.clone())
        .map_err(|error| format!("environment file: {error}"))?;
    check_file(file, true)
}

/// The structural checks of an environment file, whatever it came from: known charts, values Helm
/// can read, sources of listed charts, known shared facts of the right shape. With `kinds`, a value
/// fact must also be of its kind (a file for `pecfg plan`); without, a draft or link keeps a value
/// the user is still typing, and the page reports it (`Setup::fact_problems`) and blocks the plan.
fn check_file(mut file: EnvironmentFile, kinds: bool) -> Result<EnvironmentFile, String> {
    for (id, body) in &mut file.charts {
        if crate::charts::chart(id).is_none() {
            return Err(format!(
                "environment file: `charts` names unknown chart `{}`; charts: {}",
                shorten(id),
                crate::charts::chart_ids().join(", ")
            ));
        }
        let values = std::mem::take(&mut body.values);
        let values = if values.is_null() {
            Value::Mapping(Mapping::new())
        } else {
            values
        };
        body.values =
            crate::input::check_values(values, "`values` of a chart in the environment file")
                .map_err(|error| format!("environment file: charts.{id}: {error}"))?;
    }
    for id in file.sources.keys() {
        if !file.charts.contains_key(id) {
            return Err(format!(
                "environment file: `sources` names `{}`, which is not among `charts`",
                shorten(id)
            ));
        }
    }
    let catalog = environment_catalog()?;
    for (id, value) in file.shared.iter_mut() {
        if let Some(fact) = catalog.shared_facts.iter().find(|fact| &fact.id == id) {
            if !fact.secret {
                *value = fact_value(fact.kind, std::mem::take(value));
            }
        }
    }
    for (id, value) in &file.shared {
        let Some(fact) = catalog.shared_facts.iter().find(|fact| &fact.id == id) else {
            return Err(format!(
                "environment file: `shared` has unknown fact `{}`; facts: {}",
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
                    "environment file: shared.{id} is a map of {}",
                    fact.fields.join(", ")
                ));
            };
            for (field, field_value) in fields {
                let name = field.as_str().unwrap_or_default();
                if !fact.fields.iter().any(|known| known == name) {
                    return Err(format!(
                        "environment file: shared.{id} has unknown field `{}`; fields: {}",
                        shorten(name),
                        fact.fields.join(", ")
                    ));
                }
                if field_value.is_mapping() || field_value.is_sequence() {
                    return Err(format!(
                        "environment file: shared.{id}.{name} must be a single value"
                    ));
                }
            }
        } else if value.is_mapping() || value.is_sequence() {
            return Err(format!(
                "environment file: shared.{id} must be a single value"
            ));
        } else if let Some(kind) = fact.kind.filter(|_| kinds) {
            // The value is not quoted: it may be a registry password's neighbour, but value facts
            // are names and ids, and the message names the fact only.
            crate::kinds::check_kind(kind, value, &[])
                .map_err(|_| format!("environment file: shared.{id} is not a {}", kind.as_str()))?;
        }
    }
    Ok(file)
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

fn shorten(text: &str) -> String {
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

/// Where a shared fact went, or where a chart kept its own value instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub chart: String,
    /// A values path, or `secret/key` for a Secret.
    pub target: String,
    pub fact: String,
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
}

/// The shared facts applied to every chart of the file, in the platform guide's order.
pub fn resolve(file: &EnvironmentFile) -> Result<Resolved, String> {
    let catalog = environment_catalog()?;
    let mut resolved = Resolved {
        name: file.environment.clone(),
        charts: Vec::new(),
        applied: Vec::new(),
        overridden: Vec::new(),
        unused: Vec::new(),
        shared: file.shared.clone(),
    };
    for step in &catalog.install_order {
        let Some(body) = file.charts.get(&step.chart) else {
            continue;
        };
        let Some(chart) = crate::charts::chart(&step.chart) else {
            continue;
        };
        let mut answers = body.answers(&chart.id);
        apply_shared(chart, &mut answers, &file.shared, &mut resolved);
        resolved.charts.push(ResolvedChart {
            chart,
            answers,
            step: step.step,
            source: file.sources.get(&step.chart).cloned().unwrap_or_default(),
        });
    }
    for id in file.shared.keys() {
        let used = resolved.applied.iter().chain(&resolved.overridden).any(|a| &a.fact == id)
            // The registry also fills the pull secret's missing registry field.
            || (id == "image_registry" && file.shared.contains_key("pull_secret"));
        if !used {
            resolved.unused.push(id.clone());
        }
    }
    Ok(resolved)
}

/// A value fact in the shape a parameter of `kind` takes: a pull-secret name becomes a list of
/// `{name}` for an `object_list`, a port becomes text for a string parameter.
fn adapt(kind: Kind, value: &Value) -> Value {
    let text = crate::kinds::display_value(value);
    match kind {
        Kind::ObjectList => {
            let mut item = Mapping::new();
            item.insert(Value::from("name"), Value::String(text));
            Value::Sequence(vec![Value::Mapping(item)])
        }
        Kind::StringList => Value::Sequence(vec![Value::String(text)]),
        Kind::Port | Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| value.clone()),
        kind if kind.is_string_like() => Value::String(text),
        _ => value.clone(),
    }
}

fn apply_shared(
    chart: &Chart,
    answers: &mut Answers,
    shared: &BTreeMap<String, Value>,
    resolved: &mut Resolved,
) {
    let record = |target: String, fact: &str| Applied {
        chart: chart.id.clone(),
        target,
        fact: fact.to_string(),
    };
    for param in &chart.params {
        let Some(fact) = param.shared.as_deref() else {
            continue;
        };
        let Some(value) = shared.get(fact).filter(|value| !value.is_null()) else {
            continue;
        };
        let wanted = adapt(param.kind, value);
        if field_state(&answers.values, &param.path) != FieldState::Default {
            let own = crate::path::parse_path(&param.path)
                .ok()
                .and_then(|segments| crate::path::get(&answers.values, &segments));
            if own != Some(&wanted) {
                resolved.overridden.push(record(param.path.clone(), fact));
            }
            continue;
        }
        if set_value(&mut answers.values, &param.path, wanted).is_ok() {
            resolved.applied.push(record(param.path.clone(), fact));
        }
    }
    for spec in &chart.secrets {
        for key in &spec.keys {
            let fact = match (key.shared.as_deref(), spec.shared.as_deref(), key.format) {
                (Some(fact), _, _) => fact,
                (None, Some(fact), SecretFormat::DockerConfigJson) => fact,
                _ => continue,
            };
            let Some(Value::Mapping(fields)) = shared.get(fact) else {
                continue;
            };
            // Only the fields the chart's key declares: GES reads three of ORS Redis's four.
            let mut fields: Mapping = fields
                .iter()
                .filter(|(name, _)| {
                    key.fields.is_empty()
                        || key
                            .fields
                            .iter()
                            .any(|field| Some(field.name.as_str()) == name.as_str())
                })
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            if key.format == SecretFormat::DockerConfigJson
                && fields.get("registry").is_none_or(Value::is_null)
            {
                if let Some(registry) = shared.get("image_registry").filter(|v| !v.is_null()) {
                    fields.insert(Value::from("registry"), registry.clone());
                }
            }
            let target = format!("{}/{}", spec.name, key.key);
            let given = answers
                .secrets
                .get(&spec.name)
                .and_then(|keys| keys.get(&key.key))
                .filter(|value| !value.is_null());
            if let Some(own) = given {
                if own != &Value::Mapping(fields) {
                    resolved.overridden.push(record(target, fact));
                }
                continue;
            }
            answers
                .secrets
                .entry(spec.name.clone())
                .or_default()
                .insert(key.key.clone(), Value::Mapping(fields));
            resolved.applied.push(record(target, fact));
        }
    }
}

/// A short human report of a resolved environment: charts in order, where the shared facts went,
/// which charts kept their own value. Names only, never a value.
pub fn resolution_report(resolved: &Resolved) -> String {
    let mut out = format!("environment {}\n", shorten(&resolved.name));
    for entry in &resolved.charts {
        let context = crate::export::ExportContext::new(entry.chart, &entry.answers);
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
