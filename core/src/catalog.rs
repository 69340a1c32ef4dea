//! The catalog model: what a chart's parameters, secrets, commands and rules are, read from the YAML data files in `catalog/`.
//!
//! The structs here mirror `docs/catalog-format.md` one to one. Unknown fields are rejected so that a typo
//! in a data file is an error at load time rather than a silently ignored fact.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

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

/// How bad a finding is. Errors block the exports in the app; warnings never block.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A cross-field rule, cited to the guide line that states it. Exactly one verb field holds its
/// instances; `validation/rules.rs` interprets every verb for every chart, so a chart's rules are
/// data and adding one needs no Rust (see `docs/catalog-format.md`, "Rules").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub doc: String,
    #[serde(default)]
    pub severity: Severity,
    /// Replaces the verb's message; `{path}`, `{value}`, `{when}`… are filled in per finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub source: Source,
    /// How a guide ambiguity behind the rule was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requires>,
    /// Groups of paths that are given together or not at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub together: Vec<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<References>,
    /// Paths (`list[].field`) whose values may not repeat.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<String>,
    /// Groups of paths whose given values must be identical.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equal: Vec<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pattern: Vec<Pattern>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compare: Vec<Compare>,
    /// Paths that hold a priority class of the platform guide (or nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority_class: Vec<String>,
    /// Paths that hold a version-4 UUID.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uuid_v4: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forbidden_keys: Option<ForbiddenKeys>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_egress: Vec<OpenEgress>,
}

/// The verbs of the rule vocabulary, by the field name the catalog uses.
pub const RULE_VERBS: [&str; 11] = [
    "requires",
    "together",
    "references",
    "unique",
    "equal",
    "pattern",
    "compare",
    "priority_class",
    "uuid_v4",
    "forbidden_keys",
    "open_egress",
];

impl Rule {
    /// The verbs this rule fills in; a valid rule has exactly one.
    pub fn verbs(&self) -> Vec<&'static str> {
        let filled = [
            !self.requires.is_empty(),
            !self.together.is_empty(),
            !self.references.is_empty(),
            !self.unique.is_empty(),
            !self.equal.is_empty(),
            !self.pattern.is_empty(),
            !self.compare.is_empty(),
            !self.priority_class.is_empty(),
            !self.uuid_v4.is_empty(),
            self.forbidden_keys.is_some(),
            !self.open_egress.is_empty(),
        ];
        RULE_VERBS
            .iter()
            .zip(filled)
            .filter(|(_, on)| *on)
            .map(|(verb, _)| *verb)
            .collect()
    }

    /// Every values path the rule reads, as written (`list[].field` included; `release` is the
    /// release name). The lint checks each against the parameters, and the listings show the
    /// rule as "checked by" on each parameter.
    pub fn paths(&self) -> Vec<&str> {
        fn conditions<'r>(list: &'r [Condition], paths: &mut Vec<&'r str>) {
            paths.extend(list.iter().map(Condition::path));
        }
        let mut paths: Vec<&str> = Vec::new();
        for r in &self.requires {
            conditions(&r.when, &mut paths);
            conditions(&r.all, &mut paths);
            conditions(&r.any, &mut paths);
            paths.extend(r.warns_if_set.iter().map(String::as_str));
        }
        for group in self.together.iter().chain(&self.equal) {
            paths.extend(group.iter().map(String::as_str));
        }
        for r in &self.references {
            conditions(&r.when, &mut paths);
            paths.extend(r.from.iter().map(String::as_str));
            for target in &r.to {
                paths.push(target.path());
                if let Target::Gated { when, .. } = target {
                    conditions(when, &mut paths);
                }
            }
        }
        paths.extend(self.unique.iter().map(String::as_str));
        for p in &self.pattern {
            paths.push(&p.path);
            conditions(&p.when, &mut paths);
            for pattern in &p.any_of {
                paths.extend(pattern_paths(pattern));
            }
        }
        for c in &self.compare {
            paths.push(&c.path);
            conditions(&c.when, &mut paths);
            for operand in [&c.le, &c.ge].into_iter().flatten() {
                if let Operand::Path(path) = operand {
                    paths.push(path);
                }
            }
        }
        paths.extend(self.priority_class.iter().map(String::as_str));
        paths.extend(self.uuid_v4.iter().map(String::as_str));
        for e in &self.open_egress {
            paths.push(&e.path);
        }
        paths.sort_unstable();
        paths.dedup();
        paths
    }
}

/// The values paths named by `{path}` and `{short:path}` placeholders of a pattern.
pub fn pattern_paths(pattern: &str) -> impl Iterator<Item = &str> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(inside, _)| inside))
        .map(|inside| inside.strip_prefix("short:").unwrap_or(inside))
        .filter(|path| *path != "release")
}

/// What a condition asks of a path's merged value.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Not absent, null, blank text, an empty list or map (for `list[].field`: some item has it).
    #[default]
    Set,
    /// The opposite of `set`.
    Empty,
    /// `true`, or the text `"true"` several charts use as a flag.
    On,
    /// The opposite of `on` (false, `"false"`, absent).
    Off,
}

/// A path and what its value must be; a bare path means `is: set`. With `equals`, `set` means
/// "some value there is this one" (a list holds it) and `empty` means none is.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Condition {
    Set(String),
    Is {
        path: String,
        #[serde(default)]
        is: State,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<Value>,
    },
}

impl Condition {
    pub fn path(&self) -> &str {
        match self {
            Condition::Set(path) | Condition::Is { path, .. } => path,
        }
    }

    pub fn state(&self) -> State {
        match self {
            Condition::Set(_) => State::Set,
            Condition::Is { is, .. } => *is,
        }
    }

    pub fn equals(&self) -> Option<&Value> {
        match self {
            Condition::Set(_) => None,
            Condition::Is { equals, .. } => equals.as_ref(),
        }
    }
}

/// `when` every condition holds, every `all` condition, one `any` condition must hold, and each
/// `warns_if_set` path must be empty.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub when: Vec<Condition>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub all: Vec<Condition>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub any: Vec<Condition>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub warns_if_set: Vec<String>,
}

/// How a referring value must match a declared one.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// The same text.
    #[default]
    Equal,
    /// The same folder, trailing slashes aside.
    Folder,
    /// A file path (starting with `/`) inside one of the declared folders; other values pass.
    Under,
}

/// Each value of `from` (text split at `split` when given) is declared by one of `to`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct References {
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub when: Vec<Condition>,
    #[serde(deserialize_with = "one_or_many")]
    pub from: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Target>,
    #[serde(default, rename = "match")]
    pub matching: Match,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
}

/// A path whose values declare names, counted only while its `when` holds.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Target {
    Path(String),
    Gated {
        path: String,
        #[serde(deserialize_with = "one_or_many")]
        when: Vec<Condition>,
    },
}

impl Target {
    pub fn path(&self) -> &str {
        match self {
            Target::Path(path) | Target::Gated { path, .. } => path,
        }
    }
}

/// The value at `path` (`release`: the release name given) matches one of the patterns:
/// `{release}` is the derived release name, `{a.b}` the text at a values path, `{short:a.b}` its
/// last four characters in lower case, `*` any non-empty text.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub path: String,
    #[serde(deserialize_with = "one_or_many")]
    pub any_of: Vec<String>,
    /// Each part of the text split at this separator must match (a comma-separated list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub when: Vec<Condition>,
}

/// A number (or a Kubernetes quantity, when `path` is a quantity) compared with another path or a
/// constant.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Compare {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le: Option<Operand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<Operand>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Operand {
    Number(f64),
    Path(String),
}

/// No key anywhere in the merged values whose name, lower-cased with only letters and digits
/// kept, contains `contains` (unless it ends with one of `except_suffixes`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenKeys {
    pub contains: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_suffixes: Vec<String>,
    /// Where the value belongs instead (shown in the message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
}

/// An `object_list` of network rules: an item open to every address (`0.0.0.0/0`, `::/0`) in
/// `cidr` without a `port` is reported.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpenEgress {
    pub path: String,
    pub cidr: String,
    pub port: String,
}

/// A single item or a list of them.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(items) => items,
        OneOrMany::One(item) => vec![item],
    })
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

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    pub fn guide_for<'a>(&'a self, source: &'a Source) -> &'a str {
        source.guide.as_deref().unwrap_or(&self.guide)
    }
}
