//! The catalog model: what a chart's parameters, secrets, commands and rules are, read from the YAML data files in `catalog/`.
//!
//! The structs here mirror `docs/catalog-format.md` one to one. Unknown fields are rejected so that a typo
//! in a data file is an error at load time rather than a silently ignored fact.

pub mod environment;
pub mod group;
pub mod mirror;
pub mod platform;
pub mod registry;
pub mod rule;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

pub use crate::diagnostic::Severity;
use rule::one_or_many;
pub use rule::{
    pattern_paths, Compare, Condition, ForbiddenKeys, Match, OpenEgress, Operand, Pattern,
    References, Requires, Rule, State, Target, Verb,
};

/// One chart, as described by one file under `catalog/`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    /// Stable id used in URLs, the CLI and file names (`ges`, `tenant`, `tenant-monitor`, `ixn`, `middleware`).
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// One or two sentences on what the chart deploys.
    pub description: String,
    /// File name of the guide under `shared/seeds/` this chart is reconstructed from.
    pub guide: String,
    /// Default namespace, from the platform guide's namespace table.
    pub namespace: Fact,
    /// How the Helm release name is derived.
    pub release: ReleaseRule,
    /// The chart reference passed to `helm upgrade --install`, as documented.
    #[serde(default)]
    pub chart_ref: Option<Fact>,
    /// What the guide's own install command adds to `helm upgrade --install` for this chart.
    #[serde(default)]
    pub install: InstallSpec,
    /// Where the platform settings (shared across charts) live in this chart's values.
    #[serde(default)]
    pub platform: PlatformPaths,
    /// Form sections, in the guide's order.
    pub sections: Vec<Section>,
    /// Every documented parameter, in the guide's order (this is also the key order of exported values.yaml).
    pub params: Vec<Param>,
    /// Settings the guide describes without giving the chart's key: documented, never exported.
    #[serde(default)]
    pub concepts: Vec<Concept>,
    /// Kubernetes Secrets the chart needs.
    #[serde(default)]
    pub secrets: Vec<SecretSpec>,
    /// Commands the guide documents for this chart.
    #[serde(default)]
    pub commands: Vec<CommandSpec>,
    /// Cross-field rules of this chart, in the rule vocabulary (`validation/rules.rs` interprets it).
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The container images the chart pulls, and which values name them (`mirror/` reads it).
    #[serde(default)]
    pub images: Vec<ImageSpec>,
    /// What is derived from the parameters once, on first use.
    #[serde(skip)]
    pub cache: ChartCache,
}

/// What a chart's parameters yield that every keystroke needs, built once on first use: the
/// defaults tree every merge starts from (`values::defaults_ref`), and the index `Chart::param`
/// looks paths up in (a search through every parameter per lookup made the form's start-up
/// quadratic in the catalog). Not part of what the chart says: charts compare equal whatever
/// their caches hold.
#[derive(Debug, Clone, Default)]
pub struct ChartCache {
    pub(crate) defaults: std::sync::OnceLock<Value>,
    index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl PartialEq for ChartCache {
    fn eq(&self, _: &ChartCache) -> bool {
        true
    }
}

/// A single documented value with the guide lines that state it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub value: String,
    #[serde(default)]
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
}

/// Where in a guide something is stated.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Guide file name; absent means the chart's own guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<String>,
    /// First and last line (1-based, inclusive) in the guide.
    pub lines: [u32; 2],
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRule {
    /// Pattern with placeholders: `{short_tenant_id}` (last four characters of the tenant UUID),
    /// `{tenant_sid}`, `{chart}`. A pattern without placeholders is a fixed name.
    pub pattern: String,
    /// Values path the placeholders are read from (e.g. `tenant.id`).
    #[serde(default)]
    pub from_path: Option<String>,
    pub doc: String,
    /// How a guide ambiguity about the name was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// The guide's install command, beyond the release, chart, namespace and values file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct InstallSpec {
    /// Extra `helm upgrade --install` flags, one word each, as the guide writes them
    /// (`--wait`, `--timeout`, `600s`); the scripts quote every word.
    #[serde(default)]
    pub flags: Vec<String>,
    /// The chart reference lives in a repository that asks for a login: the scripts pass
    /// `--username`/`--password` from `HELM_REPO_USERNAME`/`HELM_REPO_PASSWORD` when those are set.
    #[serde(default)]
    pub repo_login: bool,
    /// Why, and which decision was taken where the guide's command has more (e.g. `--force`).
    #[serde(default)]
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
}

/// Paths of the shared platform settings inside this chart's values; absent when the chart has none.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct PlatformPaths {
    #[serde(default)]
    pub image_registry: Option<String>,
    #[serde(default)]
    pub image_pull_secrets: Option<String>,
    #[serde(default)]
    pub priority_class_name: Option<String>,
    #[serde(default)]
    pub security_context: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub doc: String,
}

/// The kind of a parameter: chooses the widget, the validation and the YAML/JSON Schema type.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Enum,
    Port,
    /// Kubernetes resource quantity; `unit` says cpu or memory.
    Quantity,
    Uuid,
    /// DNS-1123 label (63 chars, lower-case alphanumerics and `-`).
    DnsLabel,
    /// DNS-1123 subdomain (253 chars, labels joined by dots).
    DnsSubdomain,
    Url,
    /// Host name or IP address, optionally with `:port`.
    Host,
    /// Map of string to string (labels, annotations, nodeSelector).
    Map,
    StringList,
    /// List of objects; `item` describes the fields of one element.
    ObjectList,
    /// Free YAML object (affinity, securityContext…).
    Yaml,
    /// Multi-line string written as a `|-` block scalar (the IXN templates).
    Template,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::String,
        Kind::Integer,
        Kind::Number,
        Kind::Boolean,
        Kind::Enum,
        Kind::Port,
        Kind::Quantity,
        Kind::Uuid,
        Kind::DnsLabel,
        Kind::DnsSubdomain,
        Kind::Url,
        Kind::Host,
        Kind::Map,
        Kind::StringList,
        Kind::ObjectList,
        Kind::Yaml,
        Kind::Template,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Enum => "enum",
            Kind::Port => "port",
            Kind::Quantity => "quantity",
            Kind::Uuid => "uuid",
            Kind::DnsLabel => "dns_label",
            Kind::DnsSubdomain => "dns_subdomain",
            Kind::Url => "url",
            Kind::Host => "host",
            Kind::Map => "map",
            Kind::StringList => "string_list",
            Kind::ObjectList => "object_list",
            Kind::Yaml => "yaml",
            Kind::Template => "template",
        }
    }

    /// Kinds whose values are YAML strings (so a number-looking default like `"9200"` must stay quoted).
    pub fn is_string_like(self) -> bool {
        matches!(
            self,
            Kind::String
                | Kind::Enum
                | Kind::Quantity
                | Kind::Uuid
                | Kind::DnsLabel
                | Kind::DnsSubdomain
                | Kind::Url
                | Kind::Host
                | Kind::Template
        )
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QuantityUnit {
    Cpu,
    Memory,
    Storage,
}

/// How a `map` parameter's keys and values are checked: declared per parameter, never guessed
/// from its key name.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MapKeys {
    /// Any text keys and text values.
    #[default]
    Plain,
    /// Labels and node selectors: label keys and label values.
    Labels,
    /// Annotations: label-style keys, any text value.
    Annotations,
}

impl MapKeys {
    pub fn is_plain(&self) -> bool {
        *self == MapKeys::Plain
    }
}

/// One documented Helm value.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Full dotted path as it goes into values.yaml; `[n]` indexes a list (`ixnNode.redis[0].port`).
    pub path: String,
    pub kind: Kind,
    /// Section id (must exist in `sections`).
    pub section: String,
    /// Short label for the form; defaults to the last path segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The documented default, exactly as the guide gives it (type included). Absent: the guide gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// A value the guide tells the user to set (its sample override files), not a default the
    /// chart states: the form starts with it filled in and values.yaml writes it, unless the user
    /// removes it. `default` stays absent, since what the chart does without it is not documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<Value>,
    #[serde(default)]
    pub required: bool,
    /// Shown in the "essentials" view.
    #[serde(default)]
    pub essential: bool,
    /// Allowed values (enums, and any kind the guide restricts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<QuantityUnit>,
    /// `map` only: what its keys and values are (Kubernetes labels, annotations, or plain text).
    #[serde(default, skip_serializing_if = "MapKeys::is_plain")]
    pub map_keys: MapKeys,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
    /// For `object_list`: the fields of one list element.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<ItemField>,
    /// What the guide says, in our own words.
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
    /// When the value names a Secret (or a key of one) rather than holding secret data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<String>,
    /// A credential the chart itself reads from values.yaml (it builds the Secret). It is written
    /// to values.yaml, as the chart needs, but masked in the form and kept out of drafts and
    /// share links like a secret.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// The shared fact of an environment this value carries (`catalog/environment.yaml`,
    /// `shared_facts`): an environment file gives it once for every chart that has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<String>,
    /// How an ambiguity in the guide was resolved (table vs sample, garbled key…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

impl Param {
    pub fn label(&self) -> &str {
        match &self.label {
            Some(label) => label,
            None => self.path.rsplit('.').next().unwrap_or(&self.path),
        }
    }
}

/// A setting the guide describes (in a table it says holds no real keys) without documenting the
/// chart's key for it. It is shown in the docs apart from the parameters and is never written to
/// values.yaml, so no invented key reaches a cluster.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub name: String,
    /// The invented path an earlier catalog used, so imports and readers can be told where it went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
    pub decision: String,
}

/// A field of one element of an `object_list` parameter.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ItemField {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Value>,
    #[serde(default)]
    pub doc: String,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum SecretType {
    Opaque,
    #[serde(rename = "kubernetes.io/dockerconfigjson")]
    DockerConfigJson,
}

impl SecretType {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretType::Opaque => "Opaque",
            SecretType::DockerConfigJson => "kubernetes.io/dockerconfigjson",
        }
    }
}

/// A Kubernetes Secret the chart reads. Secret values live only here, never in values.yaml.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecretSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub secret_type: SecretType,
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
    /// Values path that carries this secret's name, when the chart lets the name be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_param: Option<String>,
    /// The shared fact whose credentials fill this Secret's docker config in an environment
    /// (`pull_secret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<String>,
    pub keys: Vec<SecretKey>,
}

impl SecretSpec {
    /// The Secret's name: the catalog's, unless the values name it through `name_param` (a name,
    /// or the first entry of an `imagePullSecrets` list). `merged` is the chart's merged values.
    pub fn effective_name(&self, merged: &Value) -> String {
        let named = self
            .name_param
            .as_deref()
            .and_then(|path| crate::path::get(merged, &crate::path::parse_path(path).ok()?))
            .and_then(|value| match value {
                Value::String(name) => Some(name.clone()),
                Value::Sequence(items) => items.first().and_then(|first| match first {
                    Value::String(name) => Some(name.clone()),
                    Value::Mapping(_) => first.get("name")?.as_str().map(str::to_string),
                    _ => None,
                }),
                _ => None,
            })
            .filter(|name| !name.trim().is_empty());
        named.unwrap_or_else(|| self.name.clone())
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SecretFormat {
    /// The key's value is the text the user types.
    #[default]
    Plain,
    /// The key's value is a JSON object assembled from `fields`.
    Json,
    /// `.dockerconfigjson` assembled from registry, username, password and email.
    DockerConfigJson,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecretKey {
    pub key: String,
    #[serde(default)]
    pub format: SecretFormat,
    /// The shared fact whose fields fill this key in an environment (`ors_redis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<SecretField>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
}

/// A named field of a JSON-valued (or docker-config) secret key.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecretField {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

/// A container image the chart pulls: which values form its registry, repository and tag, and
/// when it is pulled. `mirror/` composes the reference from the merged values as the chart does
/// (registry, `/`, repository, `:`, tag); the catalog knows the images, the code none.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    /// Short id, unique in the chart (a DNS label: it names the image in scripts and reports).
    pub id: String,
    pub doc: String,
    /// The registry part. Absent: the chart writes no registry before the repository, so the
    /// container runtime reads a registry host from the repository's first part or uses docker.io.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<ImagePart>,
    /// The repository part. Absent: the guide does not give it (the chart's own default applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<ImagePart>,
    /// The tag. Absent: the guide does not give it (the chart's own default applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<ImagePart>,
    /// Pulled while every condition holds (the rule vocabulary's conditions).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub when: Vec<Condition>,
    /// Not pulled while one of these holds.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unless: Vec<Condition>,
    /// The registry a mirror copies the image from, when it is not the vendor's (a third-party
    /// image such as Fluent Bit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_from: Option<String>,
    #[serde(flatten)]
    pub source: Source,
    /// How a guide ambiguity about the image was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// One part of an image reference: a values path (written bare) or a constant (`{value: …}`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum ImagePart {
    Path(String),
    Constant(ConstantPart),
}

/// A part of an image reference the chart fixes.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConstantPart {
    pub value: String,
}

impl ImagePart {
    /// The values path, for a part read from the values.
    pub fn path(&self) -> Option<&str> {
        match self {
            ImagePart::Path(path) => Some(path),
            ImagePart::Constant(_) => None,
        }
    }
}

impl ImageSpec {
    /// Every values path the image reads: its parts and its conditions.
    pub fn paths(&self) -> Vec<&str> {
        let parts = [&self.registry, &self.repository, &self.tag];
        parts
            .into_iter()
            .flatten()
            .filter_map(ImagePart::path)
            .chain(self.when.iter().chain(&self.unless).map(Condition::path))
            .collect()
    }
}

/// A command the guide documents, with placeholders in braces (`{namespace}`, `{release}`, `{chart_ref}`…).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CommandSpec {
    pub id: String,
    pub doc: String,
    pub template: String,
    #[serde(flatten)]
    pub source: Source,
}

/// Parses one catalog file.
pub fn parse_chart(yaml_text: &str) -> Result<Chart, serde_yaml::Error> {
    serde_yaml::from_str(yaml_text)
}

impl Chart {
    pub fn param(&self, path: &str) -> Option<&Param> {
        let index = self.cache.index.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(self.params.len());
            for (position, param) in self.params.iter().enumerate() {
                // The first parameter of a path wins, as a search from the start would find.
                index.entry(param.path.clone()).or_insert(position);
            }
            index
        });
        index
            .get(path)
            .and_then(|position| self.params.get(*position))
    }

    /// Ids of the rules that read `path` (a parameter; a rule's `list[].field` reads `list`), in
    /// catalog order: what `pecfg catalog` and `pecfg docs` show as "checked by".
    pub fn rules_checking(&self, path: &str) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|rule| {
                rule.paths()
                    .iter()
                    .any(|read| read.split_once("[]").map_or(*read, |(base, _)| base) == path)
            })
            .map(|rule| rule.id.as_str())
            .collect()
    }

    /// The parameter that owns a path: the path itself, or the nearest parameter it lies under
    /// (`list[2].name` belongs to `list`, `labels.app` to `labels`). Findings, counts per section
    /// and the order of findings all place a path this one way.
    pub fn owner_of(&self, path: &str) -> Option<&Param> {
        let mut candidate = path;
        loop {
            if let Some(param) = self.param(candidate) {
                return Some(param);
            }
            match candidate.rfind(['.', '[']) {
                Some(cut) if cut > 0 => candidate = candidate.get(..cut)?,
                _ => return None,
            }
        }
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    pub fn guide_for<'a>(&'a self, source: &'a Source) -> &'a str {
        source.guide.as_deref().unwrap_or(&self.guide)
    }
}
