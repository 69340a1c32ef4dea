//! values.yaml: the overrides (default) or every parameter with its doc (full), in the chart's key order.

use std::sync::OnceLock;

use serde_yaml::Value;

use super::{ExportContext, ValuesMode};
use crate::catalog::registry::{registered, registry_len};
use crate::catalog::{Chart, Kind, Param};
use crate::path::{parse_path, Segment};
use crate::validation::Evaluated;
use crate::values::{defaults_ref, overrides_only};
use crate::yaml::write::{node_from_value, to_yaml, Entry, Node};

/// Width the doc comments are wrapped to (the indentation comes on top).
const COMMENT_WIDTH: usize = 96;

const LIST_NOTE: &str =
    "This list replaces the chart's whole list (Helm does not merge lists): every item is here.";

/// The catalog's key order as a tree: map keys in param order, and one shared node for the
/// items of a list (`a.list[0].x` and `a.list[3].y` both describe `a.list`'s items).
#[derive(Debug, Default)]
struct Order<'c> {
    keys: Vec<(String, Order<'c>)>,
    items: Option<Box<Order<'c>>>,
    /// The parameters whose path ends here (normally one).
    params: Vec<&'c Param>,
}

impl<'c> Order<'c> {
    fn of_chart(chart: &'c Chart) -> Order<'c> {
        let mut root = Order::default();
        for param in &chart.params {
            let Ok(segments) = parse_path(&param.path) else {
                continue;
            };
            let node = root.walk_mut(&segments);
            if param.kind == Kind::ObjectList {
                let items = node.items.get_or_insert_with(Default::default);
                for field in &param.item {
                    items.child_mut(&field.name);
                }
            }
            node.params.push(param);
        }
        root
    }

    fn walk_mut(&mut self, segments: &[Segment]) -> &mut Order<'c> {
        let mut node = self;
        for segment in segments {
            node = match segment {
                Segment::Key(key) => node.child_mut(key),
                Segment::Index(_) => node.items.get_or_insert_with(Default::default),
            };
        }
        node
    }

    fn child_mut(&mut self, key: &str) -> &mut Order<'c> {
        if !self.keys.iter().any(|(name, _)| name == key) {
            self.keys.push((key.to_string(), Order::default()));
        }
        // Found by name, so the search cannot miss; the fallback only satisfies the type.
        match self.keys.iter_mut().find(|(name, _)| name == key) {
            Some((_, child)) => child,
            None => self.items.get_or_insert_with(Default::default),
        }
    }

    fn child(&self, key: &Value) -> Option<&Order<'c>> {
        let key = key.as_str()?;
        self.keys
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, order)| order)
    }

    fn is_template(&self) -> bool {
        self.params.iter().any(|param| param.kind == Kind::Template)
    }

    /// Every parameter at or under this node, in catalog order.
    fn all_params(&self, out: &mut Vec<&'c Param>) {
        out.extend(self.params.iter().copied());
        for (_, child) in &self.keys {
            child.all_params(out);
        }
        if let Some(items) = &self.items {
            items.all_params(out);
        }
    }
}

/// The key order of a chart of the registry, built once: the preview writes values.yaml on every
/// keystroke, and building the order walks every parameter's path (a cost that grew with the
/// catalog). A chart from elsewhere (a test's, `pecfg lint`'s) gets its order built each time.
fn with_order<T>(chart: &Chart, write: impl FnOnce(&Order) -> T) -> T {
    static ORDERS: OnceLock<Vec<OnceLock<Order<'static>>>> = OnceLock::new();
    let cached = registered(chart).and_then(|(index, known)| {
        let orders = ORDERS.get_or_init(|| (0..registry_len()).map(|_| OnceLock::new()).collect());
        Some((orders.get(index)?, known))
    });
    match cached {
        Some((slot, known)) => write(slot.get_or_init(|| Order::of_chart(known))),
        None => write(&Order::of_chart(chart)),
    }
}

/// The text of values.yaml.
pub fn values_yaml(it: &Evaluated, mode: ValuesMode) -> String {
    with_order(it.chart, |order| write_values_yaml(it, mode, order, false))
}

/// values.yaml as a preview shows it: every `sensitive` value masked (`mask::MASK`), in the
/// overrides and in the merged values alike, from the same evaluation.
pub fn values_yaml_masked(it: &Evaluated, mode: ValuesMode) -> String {
    with_order(it.chart, |order| write_values_yaml(it, mode, order, true))
}

fn write_values_yaml(it: &Evaluated, mode: ValuesMode, order: &Order, masked: bool) -> String {
    let (chart, answers) = (it.chart, it.answers);
    let context = ExportContext::new(it);
    fn shown<'t>(chart: &Chart, tree: &'t Value, masked: bool) -> std::borrow::Cow<'t, Value> {
        if masked {
            std::borrow::Cow::Owned(crate::mask::mask_sensitive(chart, tree))
        } else {
            std::borrow::Cow::Borrowed(tree)
        }
    }
    let overrides = overrides_only(defaults_ref(chart), &answers.values);
    // The tree the file holds: the header says what it holds, read from this same tree (the real
    // one, so a masked preview's header is the file's own).
    let (written, body) = match mode {
        ValuesMode::OverridesOnly => {
            let shown_overrides = overrides.as_ref().map(|value| shown(chart, value, masked));
            let node = match &shown_overrides {
                Some(value) => ordered(value, Some(order), true),
                None => Node::Map(Vec::new()),
            };
            (overrides.clone().unwrap_or(Value::Null), to_yaml(&node))
        }
        ValuesMode::Full => {
            let shown_overrides = overrides.as_ref().map(|value| shown(chart, value, masked));
            let merged = shown(chart, it.merged(), masked);
            let body = to_yaml(&Node::Map(full_entries(
                merged.as_mapping(),
                order,
                shown_overrides.as_deref(),
            )));
            (it.merged().clone(), body)
        }
    };
    let mut out = header(chart, &context, mode, &credentials_in(chart, &written));
    out.push_str(&body);
    out
}

/// The paths of the `sensitive` parameters whose value in `written` is a credential (what the
/// previews mask and drafts leave out: `mask::holds_credential`), in catalog order.
pub(crate) fn credentials_in(chart: &Chart, written: &Value) -> Vec<String> {
    chart
        .params
        .iter()
        .filter(|param| crate::mask::holds_credential(param, written))
        .map(|param| param.path.clone())
        .collect()
}

/// What the header says about secrets, from what the file holds: the credentials it carries
/// (named), or that it carries none the catalog knows of; and that the chart's Secrets, when it
/// has any, are files of their own.
fn secrets_note(chart: &Chart, credentials: &[String]) -> String {
    let held = match credentials {
        [] => "This file holds no value the catalog marks as a credential.".to_string(),
        [one] => format!(
            "This file holds 1 credential the chart reads from its values ({one}): keep it \
             private, out of Git."
        ),
        many => format!(
            "This file holds {} credentials the chart reads from its values ({}): keep it \
             private, out of Git.",
            many.len(),
            many.join(", ")
        ),
    };
    if chart.secrets.is_empty() {
        held
    } else {
        format!(
            "{held} The chart's Secrets are not in it: create them first (the secrets file or \
             script written next to it)."
        )
    }
}

fn header(
    chart: &Chart,
    context: &ExportContext,
    mode: ValuesMode,
    credentials: &[String],
) -> String {
    let what = match mode {
        ValuesMode::OverridesOnly => {
            "Only the values that differ from the chart defaults documented in the guide."
        }
        ValuesMode::Full => {
            "Every documented parameter with its doc (`# --`) and default, your overrides applied; \
             parameters without a documented default are commented out."
        }
    };
    let prose = [
        format!(
            "Helm values for {} (chart {}), release {}, namespace {}.",
            chart.name, chart.id, context.release, context.namespace
        ),
        format!("Written by pe-configurator. {what}"),
        secrets_note(chart, credentials),
    ];
    let mut lines: Vec<String> = prose
        .iter()
        .flat_map(|line| wrap(line, COMMENT_WIDTH))
        .collect();
    // The command stays on one line so that it can be copied; a name holding a line break (which
    // validation refuses) still cannot end the comment: `wrap` breaks at every kind of newline.
    lines.extend(wrap(
        &format!(
            "Use: helm upgrade --install {} <chart> -n {} -f {}",
            context.release,
            context.namespace,
            super::values_file_name(chart)
        ),
        usize::MAX,
    ));
    let mut out: String = lines.iter().map(|line| format!("# {line}\n")).collect();
    out.push('\n');
    out
}

/// A value tree as a node, keys in catalog order (unknown keys after, in the user's order).
/// `note_lists`: put the list-replacement note above the lists of this tree (not nested ones).
fn ordered(value: &Value, order: Option<&Order>, note_lists: bool) -> Node {
    match value {
        Value::Mapping(map) => {
            let mut entries = Vec::new();
            if let Some(order) = order {
                for (key, child_order) in &order.keys {
                    if let Some(child) = map.get(key.as_str()) {
                        entries.push(entry(
                            Value::String(key.clone()),
                            child,
                            Some(child_order),
                            note_lists,
                        ));
                    }
                }
            }
            for (key, child) in map {
                if order.and_then(|order| order.child(key)).is_none() {
                    entries.push(entry(key.clone(), child, None, note_lists));
                }
            }
            Node::Map(entries)
        }
        Value::Sequence(items) => {
            let item_order = order.and_then(|order| order.items.as_deref());
            Node::Seq(
                items
                    .iter()
                    .map(|item| ordered(item, item_order, false))
                    .collect(),
            )
        }
        Value::String(text) if order.is_some_and(Order::is_template) => Node::Literal(text.clone()),
        Value::Tagged(tagged) => ordered(&tagged.value, order, note_lists),
        scalar => Node::Scalar(scalar.clone()),
    }
}

fn entry(key: Value, value: &Value, order: Option<&Order>, note_lists: bool) -> Entry {
    let mut comments = Vec::new();
    if note_lists && value.is_sequence() {
        comments.push(LIST_NOTE.to_string());
    }
    Entry {
        key,
        comments,
        node: ordered(value, order, note_lists),
        commented_out: false,
    }
}

/// The full file's map entries: every catalog key (commented out when it has no value), then the
/// user's unknown keys.
fn full_entries(
    map: Option<&serde_yaml::Mapping>,
    order: &Order,
    overrides: Option<&Value>,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (key, child_order) in &order.keys {
        let value = map.and_then(|map| map.get(key.as_str()));
        let child_overrides = overrides.and_then(|overrides| overrides.get(key.as_str()));
        let mut comments = docs(child_order);
        match value {
            Some(value) => {
                if value.is_sequence() && child_overrides.is_some() {
                    comments.push(LIST_NOTE.to_string());
                }
                let node = match value {
                    Value::Mapping(inner) if child_order.params.is_empty() => {
                        Node::Map(full_entries(Some(inner), child_order, child_overrides))
                    }
                    other => ordered(
                        &with_deletions(other, child_overrides),
                        Some(child_order),
                        false,
                    ),
                };
                entries.push(Entry {
                    key: Value::String(key.clone()),
                    comments,
                    node,
                    commented_out: false,
                });
            }
            // An explicit `null` deletes the chart's default: it must stay in the file.
            None if child_overrides.is_some_and(Value::is_null) => entries.push(Entry {
                key: Value::String(key.clone()),
                comments,
                node: Node::Scalar(Value::Null),
                commented_out: false,
            }),
            None => entries.push(absent_entry(key, child_order, comments)),
        }
    }
    if let Some(map) = map {
        for (key, value) in map {
            if order.child(key).is_none() {
                entries.push(Entry {
                    key: key.clone(),
                    comments: Vec::new(),
                    node: node_from_value(value),
                    commented_out: false,
                });
            }
        }
    }
    entries
}

/// A parameter's merged value with the overrides' explicit nulls put back inside it: in a map
/// parameter (`securityContext: {fsGroup: null}`) the null deletes a chart default, and the
/// full file must say so, or Helm merges the default back in. The overrides here are
/// `overrides_only`'s, which keep a null only where it deletes a default.
fn with_deletions(merged: &Value, overrides: Option<&Value>) -> Value {
    match (merged, overrides) {
        (Value::Mapping(map), Some(Value::Mapping(over))) => {
            let mut out: serde_yaml::Mapping = map
                .iter()
                .map(|(key, value)| (key.clone(), with_deletions(value, over.get(key))))
                .collect();
            for (key, value) in over {
                if value.is_null() && !map.contains_key(key) {
                    out.insert(key.clone(), Value::Null);
                }
            }
            Value::Mapping(out)
        }
        (other, _) => other.clone(),
    }
}

/// A key without value, written as a comment: a leaf with its first example, or a map whose
/// keys are all commented out.
fn absent_entry(key: &str, order: &Order, comments: Vec<String>) -> Entry {
    let node = if order.keys.is_empty() {
        let example = order
            .params
            .iter()
            .find_map(|param| param.examples.first())
            .filter(|example| !example.is_mapping() && !example.is_sequence())
            .cloned()
            .unwrap_or(Value::Null);
        Node::Scalar(example)
    } else {
        Node::Map(
            order
                .keys
                .iter()
                .map(|(child, child_order)| absent_entry(child, child_order, docs(child_order)))
                .collect(),
        )
    };
    Entry {
        key: Value::String(key.to_string()),
        comments,
        node,
        commented_out: true,
    }
}

/// The `# --` doc of a key: its parameter's doc, and for a list the docs of its items' fields.
fn docs(order: &Order) -> Vec<String> {
    let mut lines = Vec::new();
    for param in &order.params {
        lines.extend(doc_lines(param.doc.trim()));
    }
    if let Some(items) = &order.items {
        let mut item_params = Vec::new();
        items.all_params(&mut item_params);
        if !item_params.is_empty() {
            if lines.is_empty() {
                lines.extend(doc_lines("List items:"));
            }
            for param in item_params {
                let field = param
                    .path
                    .split_once('[')
                    .and_then(|(_, rest)| rest.split_once(']'))
                    .map(|(_, field)| field.trim_start_matches('.'))
                    .unwrap_or(param.path.as_str());
                for line in wrap(&format!("{field}: {}", param.doc.trim()), COMMENT_WIDTH - 2) {
                    lines.push(format!("  {line}"));
                }
            }
        }
    }
    lines
}

/// helm-docs style: `-- ` before the first line, continuation lines bare.
fn doc_lines(text: &str) -> Vec<String> {
    wrap(text, COMMENT_WIDTH - 3)
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            if index == 0 {
                format!("-- {line}")
            } else {
                line
            }
        })
        .collect()
}

/// Greedy word wrap; a word longer than the width stays whole on its own line.
/// Every line break any reader knows (`\r`, NEL, LS, PS) splits too, and control characters become
/// spaces, so no text can end the comment it is written into (a YAML or shell `#` line).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let text: String = text
        .chars()
        .map(|c| {
            // U+FFFE and U+FFFF are not YAML characters either: a YAML reader refuses the whole
            // file for one in a comment (found by the export_answers fuzz target).
            if c != '\n' && (c.is_control() || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Answers;
    use crate::catalog::parse_chart;

    fn chart() -> Chart {
        parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: ns, lines: [1, 1]}
release: {pattern: "t-{short_tenant_id}", from_path: tenant.id, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params:
  - {path: b.port, kind: port, section: s, default: 7120, doc: The port., lines: [1, 1]}
  - {path: b.tpl, kind: template, section: s, doc: A template., lines: [1, 1]}
  - {path: "a.list[0].x", kind: string, section: s, default: "9200", doc: The x., lines: [1, 1]}
  - {path: a.list2, kind: string_list, section: s, default: [p], doc: Paths., lines: [1, 1]}
  - {path: tenant.id, kind: uuid, section: s, examples: [e], doc: Tenant., lines: [1, 1]}
"#,
        )
        .unwrap()
    }

    fn answers(values: &str) -> Answers {
        let mut answers = Answers::new("t");
        answers.values = serde_yaml::from_str(values).unwrap();
        answers
    }

    fn body(text: &str) -> &str {
        text.split_once("\n\n").unwrap().1
    }

    #[test]
    fn overrides_follow_catalog_order_then_unknown_keys() {
        let text = values_yaml(
            &crate::validation::Evaluated::of(
                &chart(),
                &answers("{zz: 1, a: {list2: [q, 'on']}, b: {tpl: x, port: 7120, new: 2}}"),
            ),
            ValuesMode::OverridesOnly,
        );
        assert_eq!(
            body(&text),
            "b:\n  tpl: |-\n    x\n  new: 2\na:\n  # This list replaces the chart's whole list (Helm does not merge lists): every item is here.\n  list2:\n    - q\n    - \"on\"\nzz: 1\n"
        );
    }

    #[test]
    fn no_overrides_is_an_empty_map() {
        let text = values_yaml(
            &crate::validation::Evaluated::of(&chart(), &answers("{b: {port: 7120}}")),
            ValuesMode::OverridesOnly,
        );
        assert_eq!(body(&text), "{}\n");
        assert!(text.contains("release RELEASE, namespace ns"), "{text}");
    }

    #[test]
    fn full_mode_documents_every_parameter() {
        let text = values_yaml(
            &crate::validation::Evaluated::of(
                &chart(),
                &answers("{b: {port: 1}, a: {list2: null}}"),
            ),
            ValuesMode::Full,
        );
        assert_eq!(
            body(&text),
            "b:\n  # -- The port.\n  port: 1\n  # -- A template.\n  # tpl:\na:\n  # -- List items:\n  #   x: The x.\n  list:\n    - x: \"9200\"\n  # -- Paths.\n  list2: null\n# tenant:\n  # -- Tenant.\n  # id: e\n"
        );
    }

    #[test]
    fn comments_hold_only_yaml_characters() {
        assert_eq!(wrap("a\u{FFFF}b\u{FFFE}c\u{1}d", 80), ["a b c d"]);
    }

    #[test]
    fn full_mode_keeps_a_null_that_deletes_a_default_inside_a_map_parameter() {
        // Found by the import_values fuzz target: `securityContext: {fsGroup: null}` was
        // written as `securityContext: {}`, and Helm merged the chart's fsGroup back in.
        let chart = parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: ns, lines: [1, 1]}
release: {pattern: t, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params:
  - {path: sc, kind: yaml, section: s, default: {fsGroup: 500, runAsUser: 1}, doc: d, lines: [1, 1]}
"#,
        )
        .unwrap();
        let text = values_yaml(
            &crate::validation::Evaluated::of(&chart, &answers("{sc: {fsGroup: null}}")),
            ValuesMode::Full,
        );
        assert!(
            body(&text).contains("sc:\n  runAsUser: 1\n  fsGroup: null\n"),
            "{text}"
        );
    }
}
