//! The rule vocabulary of the chart files: a rule is an id, a doc, a guide citation and one verb with its instances (`Verb`); the conditions, targets and patterns the verbs take.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::{Severity, Source};

/// A cross-field rule, cited to the guide line that states it, with one verb and its instances;
/// `validation/rules.rs` interprets every verb for every chart, so a chart's rules are data and
/// adding one needs no Rust (see `docs/catalog-format.md`, "Rules").
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
    /// The verb, written as its key (`requires: [...]`), and its instances.
    #[serde(flatten)]
    pub verb: Verb,
}

/// The rule vocabulary: each verb is one variant, with the instances the rule checks. The
/// catalog writes a verb as a key of the rule (`unique: [list[].name]`); a rule with no verb or
/// two is refused when the file is read.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    /// When the `when` conditions hold, the `all`/`any` conditions must too.
    Requires(Vec<Requires>),
    /// Groups of paths that are given together or not at all.
    Together(Vec<Vec<String>>),
    /// Each value of `from` is declared by one of `to`.
    References(Vec<References>),
    /// Paths (`list[].field`) whose values may not repeat.
    Unique(Vec<String>),
    /// Groups of paths whose given values must be identical.
    Equal(Vec<Vec<String>>),
    /// The value at a path matches one of the patterns.
    Pattern(Vec<Pattern>),
    /// A number (or quantity) compared with another path or a constant.
    Compare(Vec<Compare>),
    /// Paths that hold a priority class of the platform guide (or nothing).
    PriorityClass(Vec<String>),
    /// Paths that hold a version-4 UUID.
    UuidV4(Vec<String>),
    /// No key anywhere in the merged values whose name contains a word.
    ForbiddenKeys(ForbiddenKeys),
    /// A list of network rules with an item open to every address and port.
    OpenEgress(Vec<OpenEgress>),
}

impl Verb {
    /// The verb's name as the catalog writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Requires(_) => "requires",
            Verb::Together(_) => "together",
            Verb::References(_) => "references",
            Verb::Unique(_) => "unique",
            Verb::Equal(_) => "equal",
            Verb::Pattern(_) => "pattern",
            Verb::Compare(_) => "compare",
            Verb::PriorityClass(_) => "priority_class",
            Verb::UuidV4(_) => "uuid_v4",
            Verb::ForbiddenKeys(_) => "forbidden_keys",
            Verb::OpenEgress(_) => "open_egress",
        }
    }

    /// A verb given with no instance checks nothing: the lint reports it.
    pub fn is_empty(&self) -> bool {
        match self {
            Verb::Requires(list) => list.is_empty(),
            Verb::Together(list) | Verb::Equal(list) => list.is_empty(),
            Verb::References(list) => list.is_empty(),
            Verb::Unique(list) | Verb::PriorityClass(list) | Verb::UuidV4(list) => list.is_empty(),
            Verb::Pattern(list) => list.is_empty(),
            Verb::Compare(list) => list.is_empty(),
            Verb::ForbiddenKeys(_) => false,
            Verb::OpenEgress(list) => list.is_empty(),
        }
    }
}

impl Rule {
    /// Every values path the rule reads, as written (`list[].field` included; `release` is the
    /// release name). The lint checks each against the parameters, and the listings show the
    /// rule as "checked by" on each parameter.
    pub fn paths(&self) -> Vec<&str> {
        fn conditions<'r>(list: &'r [Condition], paths: &mut Vec<&'r str>) {
            paths.extend(list.iter().map(Condition::path));
        }
        let mut paths: Vec<&str> = Vec::new();
        match &self.verb {
            Verb::Requires(list) => {
                for r in list {
                    conditions(&r.when, &mut paths);
                    conditions(&r.all, &mut paths);
                    conditions(&r.any, &mut paths);
                    paths.extend(r.warns_if_set.iter().map(String::as_str));
                }
            }
            Verb::Together(groups) | Verb::Equal(groups) => {
                for group in groups {
                    paths.extend(group.iter().map(String::as_str));
                }
            }
            Verb::References(list) => {
                for r in list {
                    conditions(&r.when, &mut paths);
                    paths.extend(r.from.iter().map(String::as_str));
                    for target in &r.to {
                        paths.push(target.path());
                        if let Target::Gated { when, .. } = target {
                            conditions(when, &mut paths);
                        }
                    }
                }
            }
            Verb::Unique(list) | Verb::PriorityClass(list) | Verb::UuidV4(list) => {
                paths.extend(list.iter().map(String::as_str));
            }
            Verb::Pattern(list) => {
                for p in list {
                    paths.push(&p.path);
                    conditions(&p.when, &mut paths);
                    for pattern in &p.any_of {
                        paths.extend(pattern_paths(pattern));
                    }
                }
            }
            Verb::Compare(list) => {
                for c in list {
                    paths.push(&c.path);
                    conditions(&c.when, &mut paths);
                    for operand in [&c.le, &c.ge].into_iter().flatten() {
                        if let Operand::Path(path) = operand {
                            paths.push(path);
                        }
                    }
                }
            }
            Verb::ForbiddenKeys(_) => {}
            Verb::OpenEgress(list) => paths.extend(list.iter().map(|e| e.path.as_str())),
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
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
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
