//! The environment catalog (`catalog/environment.yaml`): the facts an environment gives once for every chart, the platform guide's install order, the labels a guide puts on namespaces, and the checks across charts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Kind, Severity, Source};

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
    /// A field of a secret fact left empty takes the value of another fact (`registry:
    /// image_registry`: the pull secret's registry is the image registry unless given).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_defaults: BTreeMap<String, String>,
    /// The fact names the environment's own image registry: the registry a public image
    /// should have been mirrored to, and where the mirror pushes chart archives.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_registry: bool,
    /// Fields of a secret fact that hold a credential: a form hides what is typed there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credential_fields: Vec<String>,
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
    /// The severity in an environment marked `air_gapped: true`, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_gapped_severity: Option<Severity>,
    /// The verb, written as its key, and its instances.
    #[serde(flatten)]
    pub verb: CrossVerb,
}

/// The vocabulary of checks across the charts of an environment: one variant per verb.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum CrossVerb {
    /// Groups of `chart:path` references whose given values must be identical.
    Equal(Vec<Vec<String>>),
    /// Entries of a list-like text that must match a pattern built from other charts' values.
    Entries(Vec<Entries>),
    /// Groups of `chart:secret/key` JSON keys whose common fields must agree.
    SecretFields(Vec<Vec<String>>),
    /// Each chart's namespace is the platform table's for it (`namespace_table: true`).
    NamespaceTable(bool),
    /// `chart:path` references (and `shared:<fact>`) that hold a platform priority class.
    PriorityClass(Vec<String>),
    /// A check of the images the charts pull (`mirror/checks.rs` interprets it).
    Images(ImageCheck),
    /// While the environment gives a shared fact, each `chart:path` of a member chart must hold a
    /// value (a chart whose own value is empty does not take the fact).
    FilledWhenShared(Vec<FilledWhenShared>),
}

/// An instance of `filled_when_shared`: the fact, and the values that must not be empty while it
/// is given. Each reference is checked when its chart is in the environment.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FilledWhenShared {
    pub fact: String,
    pub refs: Vec<String>,
}

/// The `images` verb: one check of the images an environment's charts pull, by their inventory.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum ImageCheck {
    /// A registry, repository or tag the image reference grammar refuses (`reference: true`).
    Reference(bool),
    /// An image pulled from a public registry (`mirror.public_registries`) while the environment
    /// names a registry of its own (its `own_registry` fact) or is air-gapped.
    PublicRegistry(bool),
    /// An image whose tag is missing or one of these (a tag that moves).
    FloatingTags(Vec<String>),
    /// Images pulled from more than one registry host across the charts (`one_registry: true`).
    OneRegistry(bool),
}

impl CrossVerb {
    pub fn name(&self) -> &'static str {
        match self {
            CrossVerb::Equal(_) => "equal",
            CrossVerb::Entries(_) => "entries",
            CrossVerb::SecretFields(_) => "secret_fields",
            CrossVerb::NamespaceTable(_) => "namespace_table",
            CrossVerb::PriorityClass(_) => "priority_class",
            CrossVerb::Images(_) => "images",
            CrossVerb::FilledWhenShared(_) => "filled_when_shared",
        }
    }
}

impl CrossRule {
    /// Every `chart:…` reference the rule reads.
    pub fn refs(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = Vec::new();
        match &self.verb {
            CrossVerb::Equal(groups) | CrossVerb::SecretFields(groups) => {
                for group in groups {
                    refs.extend(group.iter().map(String::as_str));
                }
            }
            CrossVerb::Entries(list) => {
                for entries in list {
                    refs.push(&entries.from);
                    for pattern in &entries.any_of {
                        refs.extend(pattern_refs(pattern));
                    }
                }
            }
            CrossVerb::PriorityClass(list) => refs.extend(list.iter().map(String::as_str)),
            CrossVerb::FilledWhenShared(list) => {
                for instance in list {
                    refs.extend(instance.refs.iter().map(String::as_str));
                }
            }
            CrossVerb::NamespaceTable(_) | CrossVerb::Images(_) => {}
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
            crate::catalog::registry::compiled_environment()
                .map_err(|error| format!("catalog/environment.yaml: {error}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl EnvironmentCatalog {
    /// The facts as charts receive them: a field a secret fact leaves empty filled from the fact
    /// its `field_defaults` names (the pull secret's registry from the image registry).
    pub fn facts_for_charts(
        &self,
        given: &BTreeMap<String, serde_yaml::Value>,
    ) -> BTreeMap<String, serde_yaml::Value> {
        let mut facts = given.clone();
        for fact in &self.shared_facts {
            let Some(serde_yaml::Value::Mapping(fields)) = facts.get_mut(&fact.id) else {
                continue;
            };
            for (field, from) in &fact.field_defaults {
                let empty = fields
                    .get(field.as_str())
                    .is_none_or(|value| value.is_null());
                let source = given.get(from).filter(|value| !value.is_null());
                if let (true, Some(source)) = (empty, source) {
                    fields.insert(serde_yaml::Value::from(field.as_str()), source.clone());
                }
            }
        }
        facts
    }

    /// The environment's own image registry, as its facts give it (the fact marked
    /// `own_registry`).
    pub fn own_registry<'f>(
        &self,
        given: &'f BTreeMap<String, serde_yaml::Value>,
    ) -> Option<&'f str> {
        let fact = self.shared_facts.iter().find(|fact| fact.own_registry)?;
        given.get(&fact.id).and_then(serde_yaml::Value::as_str)
    }

    /// Whether a given fact is read by another given fact's `field_defaults`.
    pub fn feeds_another(&self, id: &str, given: &BTreeMap<String, serde_yaml::Value>) -> bool {
        self.shared_facts.iter().any(|fact| {
            given.contains_key(&fact.id) && fact.field_defaults.values().any(|from| from == id)
        })
    }
}
