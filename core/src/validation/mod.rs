//! Validation: catalog + answers → diagnostics, on the merged values (defaults + overrides).
//!
//! What Helm will render with is the chart defaults merged with the user's overrides, so that is
//! what is checked, never the overrides alone. A [`Validator`] precomputes, once per chart, the
//! defaults tree, the parameters' parsed paths (as a tree of shared prefixes) and the paths the
//! cross-field rules need; [`validate`] keeps one per catalog chart. Each run reads every
//! parameter's merged value in one walk of the defaults and the overrides, following
//! `values::merge` (maps merge, anything else replaces, `null` deletes) without copying the
//! trees; map keys of the overrides are read as strings, as Helm does (`1:` is `"1":`). Parsed
//! YAML blocks (`template` values) are kept by the validator, since the form revalidates on every
//! change and the blocks rarely change.
//!
//! Every diagnostic names the values path (or `namespace`, `release`, `secret/key[/field]`), its
//! severity, a message that says what is wrong, the value, what is expected and how to fix it, the
//! rule id, and the guide line (`source`, also written at the end of the message). Errors first,
//! then catalog order. Warnings never block.
//!
//! # Rule ids
//!
//! Built-in checks, run for every chart ([`BUILTIN_RULE_IDS`]):
//!
//! | id | severity | what |
//! | --- | --- | --- |
//! | `field.required` | error | a `required: true` parameter (or a required `object_list` item field) is absent, null or `""` |
//! | `field.kind` | error | the value does not fit the parameter's kind (a string kind given a number says to quote it, a number given as text says to unquote it, maps hold text values) |
//! | `field.allowed` | error | not one of the parameter's `allowed` values |
//! | `field.range` | error | below `min`, above `max`, or a port outside 1–65535 |
//! | `field.label-key` | error | a key of a labels/nodeSelector map or an annotations map is not a Kubernetes label key |
//! | `field.label-value` | error | a value of a labels/nodeSelector map is not a Kubernetes label value |
//! | `field.yaml` | error | a `template` block (without `{{ }}`) is not valid YAML |
//! | `field.placeholder` | warning | the value still holds an envsubst placeholder such as `${TENANT_ID}` (its other checks are skipped) |
//! | `field.secret-name` | error | a value that names a Secret (`name_param`) is not a DNS-1123 subdomain |
//! | `namespace.name` | error | the namespace is not a DNS-1123 label |
//! | `release.name` | error | the release name is not a DNS-1123 label of at most 53 characters (Helm's limit) |
//! | `release.pending` | warning | the release name cannot be derived yet (e.g. the tenant id is missing) |
//! | `secret.required` | warning | a required secret key or field is empty (the user may create the Secret separately) |
//! | `secret.kind` | error | a secret field value does not fit its kind (e.g. a port) |
//! | `secret.unknown` | warning | the answers hold a secret or key the chart does not use |
//!
//! Cross-field rules ([`RULE_IDS`]) run only for the charts whose catalog file lists them under
//! `rules:`, and cite that entry's lines; `rules.rs` documents what each one checks.

mod fields;
mod inputs;
mod rules;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::catalog::{Chart, Param, Source};
use crate::charts::all_charts;
use crate::listing::source_text;
use crate::path::{parse_path, Segment};
use crate::state::Answers;
use crate::values::{defaults_tree, merge};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
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

/// One finding: where, how bad, what (in words a person understands), which rule, which guide line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Values path, `secret-name/key[/field]` for secret inputs, or `release`/`namespace`.
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub rule: String,
    /// `guide.txt:first-last` of the line that states the rule, when there is one.
    pub source: Option<String>,
}

/// Ids of the cross-field rules implemented here; the catalog lint rejects any other id.
pub const RULE_IDS: &[&str] = &[
    "ges.volumes-enabled-needs-list",
    "ges.volume-mounts-name-declared-volumes",
    "ges.config-folders-mounted",
    "common.requests-within-limits",
    "common.hpa-min-le-max",
    "common.priority-class-documented",
    "middleware.no-client-secret-in-values",
    "middleware.cpu-target-too-low",
    "middleware.open-egress",
    "ixn.replica-count-0-or-1",
    "ixn.release-from-short-tenant-id",
    "ixn.tenant-sid",
    "tenant.short-id-from-uuid",
    "tenant.uuid-v4",
    "tenant.volumes-concatenated",
    "tenant.secret-flag-needs-secret",
    "tenant.fluentbit-needs-configmap-volume",
    "tenant-monitor.create-sc-needs-storage-class",
];

/// Ids of the checks every chart gets (field kinds, names, secrets); see the module docs.
pub const BUILTIN_RULE_IDS: &[&str] = &[
    "field.required",
    "field.kind",
    "field.allowed",
    "field.range",
    "field.label-key",
    "field.label-value",
    "field.yaml",
    "field.placeholder",
    "field.secret-name",
    "namespace.name",
    "release.name",
    "release.pending",
    "secret.required",
    "secret.kind",
    "secret.unknown",
];

/// Validates `answers` against `chart`. Catalog charts reuse a validator built once; any other
/// chart (a test's own) gets one built for this call.
pub fn validate(chart: &Chart, answers: &Answers) -> Vec<Diagnostic> {
    static VALIDATORS: OnceLock<Vec<Validator<'static>>> = OnceLock::new();
    let charts = all_charts();
    match charts.iter().position(|known| std::ptr::eq(known, chart)) {
        Some(index) => VALIDATORS.get_or_init(|| charts.iter().map(Validator::new).collect())
            [index]
            .validate(answers),
        None => Validator::new(chart).validate(answers),
    }
}

/// Everything about a chart that validation needs and that does not depend on the answers.
pub struct Validator<'c> {
    chart: &'c Chart,
    plan: Plan,
    /// YAML blocks (`template` values) already parsed, by text: the form revalidates on every
    /// change, and the blocks rarely change. Bounded; cleared when full.
    blocks: Mutex<HashMap<String, Arc<ParsedBlock>>>,
}

/// A YAML block parsed, or the parser's first line of error.
pub(crate) type ParsedBlock = Result<Value, String>;

/// How many parsed blocks a validator keeps.
const BLOCK_CACHE: usize = 64;

/// How a `map` parameter's keys and values are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MapStyle {
    /// Labels and node selectors: label keys and label values.
    Labels,
    /// Annotations: label-style keys, any text value.
    Annotations,
    /// Any other map of text values.
    Plain,
}

pub(crate) struct Plan {
    defaults: Value,
    /// The parameters' paths as a tree of shared prefixes, read in one walk per run.
    paths: Vec<PathNode>,
    pub(crate) secret_sources: Vec<String>,
    pub(crate) map_styles: Vec<MapStyle>,
    pub(crate) sources: Vec<String>,
    /// Parameter path → index.
    index: HashMap<String, usize>,
    /// Per `chart.rules` entry.
    pub(crate) rule_sources: Vec<String>,
    pub(crate) derived: rules::Derived,
}

impl<'c> Validator<'c> {
    pub fn new(chart: &'c Chart) -> Validator<'c> {
        let mut paths = Vec::new();
        for (at, param) in chart.params.iter().enumerate() {
            if let Ok(segments) = parse_path(&param.path) {
                PathNode::insert(&mut paths, &segments, at);
            }
        }
        let secret_sources = chart
            .secrets
            .iter()
            .map(|secret| source_text(chart, &secret.source))
            .collect();
        let map_styles = chart.params.iter().map(map_style).collect();
        let sources = chart
            .params
            .iter()
            .map(|param| source_text(chart, &param.source))
            .collect();
        let index = chart
            .params
            .iter()
            .enumerate()
            .map(|(at, param)| (param.path.clone(), at))
            .collect();
        let rule_sources = chart
            .rules
            .iter()
            .map(|rule| source_text(chart, &rule.source))
            .collect();
        let plan = Plan {
            defaults: defaults_tree(chart),
            paths,
            secret_sources,
            map_styles,
            sources,
            index,
            rule_sources,
            derived: rules::Derived::new(chart),
        };
        Validator {
            chart,
            plan,
            blocks: Mutex::new(HashMap::new()),
        }
    }

    pub fn chart(&self) -> &'c Chart {
        self.chart
    }

    pub fn validate(&self, answers: &Answers) -> Vec<Diagnostic> {
        let overrides = string_keys(&answers.values);
        let mut values = vec![None; self.chart.params.len()];
        let base = Some(&self.plan.defaults);
        let top = Some(overrides.as_ref());
        PathNode::read_all(
            &self.plan.paths,
            keep_base(base, top),
            top,
            true,
            &mut values,
        );
        let ctx = Ctx {
            chart: self.chart,
            plan: &self.plan,
            answers,
            overrides: &overrides,
            merged: OnceCell::new(),
            values,
            blocks: &self.blocks,
        };
        let mut out = Out::default();
        inputs::check_namespace_and_release(&ctx, &mut out);
        fields::check_params(&ctx, &mut out);
        inputs::check_secret_names(&ctx, &mut out);
        inputs::check_secrets(&ctx, &mut out);
        rules::run(&ctx, &mut out);
        self.finish(out.diagnostics)
    }

    /// Drops field findings a cross-field rule already reports more precisely, then sorts: errors
    /// first, then catalog order (namespace, release, parameters, secrets), stable otherwise.
    fn finish(&self, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let covered: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && !d.rule.starts_with("field."))
            .map(|d| d.path.clone())
            .collect();
        diagnostics.retain(|d| {
            !(matches!(d.rule.as_str(), "field.allowed" | "field.range")
                && covered.contains(&d.path))
        });
        let mut keyed: Vec<(Severity, usize, Diagnostic)> = diagnostics
            .into_iter()
            .map(|d| (d.severity, self.order_of(&d.path), d))
            .collect();
        keyed.sort_by_key(|(severity, order, _)| (*severity, *order));
        keyed.into_iter().map(|(_, _, d)| d).collect()
    }

    fn order_of(&self, path: &str) -> usize {
        match path {
            "namespace" => return 0,
            "release" => return 1,
            _ => {}
        }
        let params = self.chart.params.len();
        let mut candidate = path;
        loop {
            if let Some(at) = self.plan.index.get(candidate) {
                return 2 + at;
            }
            match candidate.rfind(['.', '[']) {
                Some(cut) if cut > 0 => candidate = &candidate[..cut],
                _ => break,
            }
        }
        let secret = path.split('/').next().unwrap_or(path);
        match self.chart.secrets.iter().position(|s| s.name == secret) {
            Some(at) => 2 + params + at,
            None => 2 + params + self.chart.secrets.len(),
        }
    }
}

fn map_style(param: &Param) -> MapStyle {
    let leaf = crate::path::leaf_key(&param.path).to_ascii_lowercase();
    if leaf.ends_with("labels") || leaf == "nodeselector" {
        MapStyle::Labels
    } else if leaf.ends_with("annotations") {
        MapStyle::Annotations
    } else {
        MapStyle::Plain
    }
}

/// Helm reads every map key as a string, so `1:` and `"1":` are the same key (the IXN sample's
/// `jvmOptions`). The overrides are normalised the same way before merging, when they need it.
fn string_keys(values: &Value) -> Cow<'_, Value> {
    fn needs(value: &Value) -> bool {
        match value {
            Value::Mapping(map) => map
                .iter()
                .any(|(key, value)| !key.is_string() || needs(value)),
            Value::Sequence(items) => items.iter().any(needs),
            Value::Tagged(tagged) => needs(&tagged.value),
            _ => false,
        }
    }
    fn normalise(value: &Value) -> Value {
        match value {
            Value::Mapping(map) => Value::Mapping(
                map.iter()
                    .map(|(key, value)| {
                        let key = match key {
                            Value::Number(number) => Value::String(number.to_string()),
                            Value::Bool(flag) => Value::String(flag.to_string()),
                            other => other.clone(),
                        };
                        (key, normalise(value))
                    })
                    .collect::<Mapping>(),
            ),
            Value::Sequence(items) => Value::Sequence(items.iter().map(normalise).collect()),
            other => other.clone(),
        }
    }
    if needs(values) {
        Cow::Owned(normalise(values))
    } else {
        Cow::Borrowed(values)
    }
}

/// One step of a parameter path, with the parameters below it.
pub(crate) struct PathNode {
    segment: Segment,
    /// The parameter whose path ends here.
    param: Option<usize>,
    children: Vec<PathNode>,
}

impl PathNode {
    fn insert(nodes: &mut Vec<PathNode>, segments: &[Segment], param: usize) {
        let Some((first, rest)) = segments.split_first() else {
            return;
        };
        let at = match nodes.iter().position(|node| &node.segment == first) {
            Some(at) => at,
            None => {
                nodes.push(PathNode {
                    segment: first.clone(),
                    param: None,
                    children: Vec::new(),
                });
                nodes.len() - 1
            }
        };
        if rest.is_empty() {
            nodes[at].param = Some(param);
        } else {
            PathNode::insert(&mut nodes[at].children, rest, param);
        }
    }

    /// Reads the merged value of every parameter below `nodes`, `b` and `o` being the base's and
    /// the overrides' node above them (see [`merged_at`] for the merge rules).
    fn read_all<'a>(
        nodes: &[PathNode],
        b: Option<&'a Value>,
        o: Option<&'a Value>,
        strip: bool,
        values: &mut [Option<Cow<'a, Value>>],
    ) {
        for node in nodes {
            let Some((b, o, strip)) = step(b, o, strip, &node.segment) else {
                continue;
            };
            if let Some(param) = node.param {
                values[param] = settle(b, o, strip);
            }
            if !node.children.is_empty() {
                PathNode::read_all(&node.children, b, o, strip, values);
            }
        }
    }
}

/// The base's node takes part in the merge only while both sides are maps; otherwise the
/// overrides' node replaces it.
fn keep_base<'a>(b: Option<&'a Value>, o: Option<&'a Value>) -> Option<&'a Value> {
    match o {
        Some(o) if !(o.is_mapping() && b.is_some_and(Value::is_mapping)) => None,
        _ => b,
    }
}

/// One step down both trees; `None` when the merged value has nothing there.
#[allow(clippy::type_complexity)]
fn step<'a>(
    b: Option<&'a Value>,
    o: Option<&'a Value>,
    strip: bool,
    segment: &Segment,
) -> Option<(Option<&'a Value>, Option<&'a Value>, bool)> {
    let (b, o, strip) = match segment {
        Segment::Key(key) => {
            let o_child = o
                .and_then(Value::as_mapping)
                .and_then(|m| m.get(key.as_str()));
            if o_child.is_some_and(Value::is_null) {
                return None;
            }
            let b_child = b
                .and_then(Value::as_mapping)
                .and_then(|m| m.get(key.as_str()));
            (b_child, o_child, strip)
        }
        Segment::Index(index) => match o {
            Some(o) => (None, Some(o.as_sequence()?.get(*index)?), false),
            None => (
                b.and_then(Value::as_sequence)
                    .and_then(|items| items.get(*index)),
                None,
                strip,
            ),
        },
    };
    let b = keep_base(b, o);
    if b.is_none() && o.is_none() {
        return None;
    }
    Some((b, o, strip))
}

/// The merged value once both trees are read down to a path.
fn settle<'a>(b: Option<&'a Value>, o: Option<&'a Value>, strip: bool) -> Option<Cow<'a, Value>> {
    match (b, o) {
        (b, None) => b.map(Cow::Borrowed),
        (Some(b), Some(o)) => Some(Cow::Owned(merge(b, o))),
        (None, Some(o)) if strip && has_map_nulls(o) => Some(Cow::Owned(merge(&Value::Null, o))),
        (None, Some(o)) => Some(Cow::Borrowed(o)),
    }
}

/// The value that Helm's merge of `overrides` onto `base` (`values::merge`: maps merge key by key,
/// anything else replaces, `null` deletes, nulls inside a new map are dropped up to a list) holds
/// at `segments`, read without building the merged tree. Borrowed unless both sides hold a map.
#[cfg(test)]
pub(crate) fn merged_at<'a>(
    base: &'a Value,
    overrides: &'a Value,
    segments: &[Segment],
) -> Option<Cow<'a, Value>> {
    let (mut b, mut o, mut strip) = (
        keep_base(Some(base), Some(overrides)),
        Some(overrides),
        true,
    );
    for segment in segments {
        (b, o, strip) = step(b, o, strip, segment)?;
    }
    settle(b, o, strip)
}

/// Whether a map (or a map inside it) holds a null, which Helm's merge drops.
fn has_map_nulls(value: &Value) -> bool {
    value
        .as_mapping()
        .is_some_and(|map| map.values().any(|v| v.is_null() || has_map_nulls(v)))
}

/// One validation run: the chart, its plan, the answers and the merged values.
pub(crate) struct Ctx<'a> {
    pub(crate) chart: &'a Chart,
    pub(crate) plan: &'a Plan,
    pub(crate) answers: &'a Answers,
    overrides: &'a Value,
    merged: OnceCell<Value>,
    /// Per parameter: its merged value, if the path exists.
    pub(crate) values: Vec<Option<Cow<'a, Value>>>,
    blocks: &'a Mutex<HashMap<String, Arc<ParsedBlock>>>,
}

impl Ctx<'_> {
    /// The merged value of a catalog parameter; `None` when absent or null (or not a parameter).
    pub(crate) fn get(&self, path: &str) -> Option<&Value> {
        let at = *self.plan.index.get(path)?;
        self.values[at].as_deref().filter(|value| !value.is_null())
    }

    pub(crate) fn has_param(&self, path: &str) -> bool {
        self.plan.index.contains_key(path)
    }

    /// The whole merged tree, built on first use (only rules that walk every key need it).
    pub(crate) fn merged(&self) -> &Value {
        self.merged
            .get_or_init(|| merge(&self.plan.defaults, self.overrides))
    }

    pub(crate) fn source(&self, source: &Source) -> String {
        source_text(self.chart, source)
    }

    /// A YAML block parsed, from the validator's cache when the same text was seen before.
    pub(crate) fn parse_block(&self, text: &str) -> Arc<ParsedBlock> {
        let mut blocks = self
            .blocks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(parsed) = blocks.get(text) {
            return Arc::clone(parsed);
        }
        let parsed = Arc::new(serde_yaml::from_str::<Value>(text).map_err(|error| {
            error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        }));
        if blocks.len() >= BLOCK_CACHE {
            blocks.clear();
        }
        blocks.insert(text.to_string(), Arc::clone(&parsed));
        parsed
    }
}

/// The diagnostics of a run, in the order the checks find them.
#[derive(Default)]
pub(crate) struct Out {
    diagnostics: Vec<Diagnostic>,
}

impl Out {
    /// Records a finding; the guide line is appended to the message as ` (guide.txt:n).`.
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        path: impl Into<String>,
        rule: &str,
        message: impl AsRef<str>,
        source: &str,
    ) {
        let text = message.as_ref().trim_end().trim_end_matches('.');
        let message = if source.is_empty() {
            format!("{text}.")
        } else {
            format!("{text} ({source}).")
        };
        self.diagnostics.push(Diagnostic {
            path: path.into(),
            severity,
            message,
            rule: rule.to_string(),
            source: (!source.is_empty()).then(|| source.to_string()),
        });
    }

    pub(crate) fn error(
        &mut self,
        path: impl Into<String>,
        rule: &str,
        message: impl AsRef<str>,
        source: &str,
    ) {
        self.push(Severity::Error, path, rule, message, source);
    }

    pub(crate) fn warning(
        &mut self,
        path: impl Into<String>,
        rule: &str,
        message: impl AsRef<str>,
        source: &str,
    ) {
        self.push(Severity::Warning, path, rule, message, source);
    }
}

/// Helpers shared by the checks.
pub(crate) mod util {
    use serde_yaml::Value;

    use crate::kinds::display_value;

    /// Absent, null, or text with nothing but spaces.
    pub(crate) fn is_blank(value: Option<&Value>) -> bool {
        match value {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.trim().is_empty(),
            Some(_) => false,
        }
    }

    /// Like [`is_blank`], and also an empty list or map.
    pub(crate) fn is_empty(value: Option<&Value>) -> bool {
        match value {
            Some(Value::Sequence(items)) => items.is_empty(),
            Some(Value::Mapping(map)) => map.is_empty(),
            other => is_blank(other),
        }
    }

    /// `true`, or the string `"true"` that several charts use as a flag.
    pub(crate) fn is_on(value: Option<&Value>) -> bool {
        match value {
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => text.trim().eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// The first envsubst placeholder (`${NAME}`) anywhere in a value.
    pub(crate) fn placeholder(value: &Value) -> Option<&str> {
        match value {
            Value::String(text) => {
                let bytes = text.as_bytes();
                let start = (0..bytes.len().saturating_sub(1))
                    .find(|&at| bytes[at] == b'$' && bytes[at + 1] == b'{')?;
                let end = text[start..].find('}')?;
                Some(&text[start..start + end + 1])
            }
            Value::Sequence(items) => items.iter().find_map(placeholder),
            Value::Mapping(map) => map.values().find_map(placeholder),
            Value::Tagged(tagged) => placeholder(&tagged.value),
            _ => None,
        }
    }

    /// A value as a message shows it: text quoted, numbers and flags bare, collections named.
    pub(crate) fn shown(value: &Value) -> String {
        match value {
            Value::String(text) => {
                let text = text.trim_end();
                if text.chars().count() > 60 || text.contains('\n') {
                    let first_line = text.lines().next().unwrap_or("");
                    let cut: String = first_line.chars().take(50).collect();
                    format!("\"{cut}…\"")
                } else {
                    format!("\"{text}\"")
                }
            }
            Value::Null => "empty".into(),
            Value::Sequence(items) => match items.len() {
                0 => "an empty list".into(),
                1 => "a list of 1 item".into(),
                n => format!("a list of {n} items"),
            },
            Value::Mapping(map) if map.is_empty() => "an empty map".into(),
            Value::Mapping(_) => "a map".into(),
            other => display_value(other),
        }
    }

    /// A number from a number, or from text holding one (some charts type counts as strings).
    pub(crate) fn number(value: &Value) -> Option<f64> {
        match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// Text of a scalar (numbers and flags as written), `None` for collections and null.
    pub(crate) fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(_) | Value::Bool(_) => Some(display_value(value)),
            _ => None,
        }
    }

    /// `a, b and c`, each quoted with backticks.
    pub(crate) fn code_list<S: AsRef<str>>(items: &[S]) -> String {
        let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
        match quoted.len() {
            0 => String::new(),
            1 => quoted[0].clone(),
            n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_exactly_the_implemented_rules() {
        let implemented: Vec<&str> = rules::RULES.iter().map(|(id, _)| *id).collect();
        assert_eq!(implemented, RULE_IDS);
        for id in BUILTIN_RULE_IDS {
            assert!(!RULE_IDS.contains(id), "{id} is both built in and a rule");
        }
    }

    #[test]
    fn string_keys_only_copies_when_needed() {
        let plain: Value = serde_yaml::from_str("{a: {b: 1}}").unwrap();
        assert!(matches!(string_keys(&plain), Cow::Borrowed(_)));
        let numbered: Value = serde_yaml::from_str("{a: {1: x, true: y}}").unwrap();
        let expect: Value = serde_yaml::from_str("{a: {'1': x, 'true': y}}").unwrap();
        assert_eq!(string_keys(&numbered).into_owned(), expect);
    }

    #[test]
    fn merged_at_reads_what_helm_merges() {
        let yaml = |text: &str| serde_yaml::from_str::<Value>(text).unwrap();
        let cases = [
            ("{a: {b: 1, c: 2}}", "{a: {b: 3}}"),
            ("{a: [1, {x: 2}]}", "{a: [{y: null}]}"),
            ("{a: {b: 1, c: 2}}", "{a: {b: null}}"),
            ("{a: 1}", "{b: {c: null, d: {e: null, f: 1}}}"),
            ("{a: {b: 1}}", "{a: 5}"),
            ("{a: {b: null, m: {k: v}}}", "{a: {m: {j: w, k: null}}}"),
            ("{l: [{m: {n: 1}}]}", "{}"),
        ];
        let paths = [
            "a", "a.b", "a.c", "a[0]", "a[0].x", "a[0].y", "a[1]", "b", "b.c", "b.d", "b.d.e",
            "b.d.f", "a.m", "a.m.k", "a.m.j", "l[0].m.n", "l[1]", "z.y",
        ];
        for (base, overrides) in cases {
            let (base, overrides) = (yaml(base), yaml(overrides));
            let merged = merge(&base, &overrides);
            for path in paths {
                let segments = parse_path(path).unwrap();
                let expect = crate::path::get(&merged, &segments).filter(|v| !v.is_null());
                let got = merged_at(&base, &overrides, &segments);
                assert_eq!(
                    got.as_deref().filter(|v| !v.is_null()),
                    expect,
                    "{path} in {base:?} + {overrides:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders_are_found_inside_text() {
        let value = Value::from("ixn-db-secret-${TENANT_ID}");
        assert_eq!(util::placeholder(&value), Some("${TENANT_ID}"));
        assert_eq!(
            util::placeholder(&Value::from("{{ $.Values.tenantid }}")),
            None
        );
    }
}
