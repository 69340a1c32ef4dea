//! The values model: chart defaults as a tree, Helm's merge of overrides onto them, the overrides-only diff, and the derived release name.

use serde_yaml::{Mapping, Value};

use crate::catalog::Chart;
use crate::path::{get, parse_path, set, Segment};

/// The tree of every documented default, nested as in values.yaml in catalog order. Parameters
/// without a documented default are left out, so the tree holds only what the guide states.
pub fn defaults_tree(chart: &Chart) -> Value {
    defaults_ref(chart).clone()
}

/// The same tree, borrowed from the chart's cache.
pub fn defaults_ref(chart: &Chart) -> &Value {
    chart.cache.defaults.get_or_init(|| {
        let mut tree = Value::Mapping(Mapping::new());
        for param in &chart.params {
            if let (Some(default), Ok(segments)) = (&param.default, parse_path(&param.path)) {
                set(&mut tree, &segments, default.clone());
            }
        }
        tree
    })
}

/// The values the guide tells the user to set (`prefill`), nested as in values.yaml: the
/// overrides a chart's form starts with. They are not defaults, so values.yaml writes them.
pub fn prefilled_values(chart: &Chart) -> Value {
    let mut tree = Value::Mapping(Mapping::new());
    for param in &chart.params {
        if let (Some(value), Ok(segments)) = (&param.prefill, parse_path(&param.path)) {
            set(&mut tree, &segments, value.clone());
        }
    }
    tree
}

/// Fresh answers for a chart, as the form starts: nothing given but the guide's values to set.
pub fn new_answers(chart: &Chart) -> crate::answers::Answers {
    let mut answers = crate::answers::Answers::new(&chart.id);
    answers.values = prefilled_values(chart);
    answers
}

/// Merges `overrides` onto `base` the way Helm merges a values file onto the chart's values:
/// maps merge key by key, anything else (lists included) replaces, and `null` deletes the key.
pub fn merge(base: &Value, overrides: &Value) -> Value {
    match (base, overrides) {
        (Value::Mapping(base_map), Value::Mapping(override_map)) => {
            let mut merged = Mapping::with_capacity(base_map.len());
            for (key, base_value) in base_map {
                match same_key(override_map, key) {
                    Some(Value::Null) => {}
                    Some(value) => {
                        merged.insert(key.clone(), merge(base_value, value));
                    }
                    None => {
                        merged.insert(key.clone(), base_value.clone());
                    }
                }
            }
            for (key, value) in override_map {
                if same_key(base_map, key).is_none() && !value.is_null() {
                    merged.insert(helm_key(key), strip_nulls(value));
                }
            }
            Value::Mapping(merged)
        }
        (_, overrides) => strip_nulls(overrides),
    }
}

fn key_text(key: &Value) -> String {
    crate::kinds::display_value(key)
}

/// The entry of `map` for `key` as Helm reads keys: every key is a string, so `1:` and `"1":`
/// are the same key.
fn same_key<'m>(map: &'m Mapping, key: &Value) -> Option<&'m Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(other, _)| key_text(other) == key_text(key))
            .map(|(_, value)| value)
    })
}

/// Helm reads every map key as a string, so `1:` and `"1":` are the same key (the IXN sample's
/// `jvmOptions`): the merged tree holds them as text, and every reader of it sees one spelling.
fn helm_key(key: &Value) -> Value {
    match key {
        Value::Number(_) | Value::Bool(_) => Value::String(key_text(key)),
        other => other.clone(),
    }
}

/// Nulls inside a new map delete nothing, and Helm drops them from the result; its keys are
/// read as text.
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (helm_key(key), strip_nulls(value)))
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(strip_keys).collect()),
        other => other.clone(),
    }
}

/// Keys read as text inside a list item, whose nulls Helm keeps (lists are copied as they are).
fn strip_keys(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(key, value)| (helm_key(key), strip_keys(value)))
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(strip_keys).collect()),
        other => other.clone(),
    }
}

/// The merged value at one path, without merging the rest of the tree: `merge` decides each
/// top-level key from that key's entries alone, so the entries of the path's first key give the
/// same answer as the whole merge (`tests/merge.rs` checks it on random trees). What an export
/// reads for one name (the derived release) then costs one subtree, not the whole catalog.
pub fn merged_at(base: &Value, overrides: &Value, segments: &[Segment]) -> Option<Value> {
    let Some(Segment::Key(first)) = segments.first() else {
        return get(&merge(base, overrides), segments).cloned();
    };
    let only_first = |tree: &Value| match tree {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(key, _)| key_text(key) == *first)
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    get(&merge(&only_first(base), &only_first(overrides)), segments).cloned()
}

/// Brings `merged`, the merge of `base` with earlier overrides, up to date with `overrides`,
/// given where the overrides changed (`changed_paths` of the earlier and the new ones): the result
/// is `merge(base, overrides)`, key order included, and costs what changed instead of the whole
/// tree. Above a changed path the overrides are maps on both sides (that is where `changed_paths`
/// descends), so the merged maps there are walked into in place; the map holding a changed key is
/// rebuilt in merge's order from its own entries, moved, with only the changed ones merged anew.
/// `tests/merge.rs` checks it against the whole merge on random trees.
pub fn patch_merged(merged: &mut Value, base: &Value, overrides: &Value, changed: &[Vec<Segment>]) {
    let changed: Vec<&[Segment]> = changed.iter().map(Vec::as_slice).collect();
    patch_level(merged, Some(base), overrides, &changed);
}

/// What the merge holds for one entry: its base merged with its override, or the override alone.
fn merged_entry(base: Option<&Value>, overrides: &Value) -> Value {
    match base {
        Some(base) => merge(base, overrides),
        None => strip_nulls(overrides),
    }
}

/// The entry of `map` whose key reads as `text` (Helm reads `1:` and `"1":` as one key).
fn entry_of<'m>(map: &'m Mapping, text: &str) -> Option<&'m Value> {
    map.get(text).or_else(|| {
        map.iter()
            .find(|(key, _)| key_text(key) == text)
            .map(|(_, value)| value)
    })
}

fn patch_level(
    merged: &mut Value,
    base: Option<&Value>,
    overrides: &Value,
    changed: &[&[Segment]],
) {
    if changed.is_empty() {
        return;
    }
    let (Value::Mapping(over_map), Value::Mapping(_)) = (overrides, &*merged) else {
        *merged = merged_entry(base, overrides);
        return;
    };
    let base_map = match base {
        Some(Value::Mapping(map)) => Some(map),
        _ => None,
    };
    // Changes on a key of this map, and changes further down under one of its keys.
    let mut direct: Vec<&str> = Vec::new();
    let mut deeper: Vec<(&str, Vec<&[Segment]>)> = Vec::new();
    for path in changed {
        match path.split_first() {
            Some((Segment::Key(key), [])) => direct.push(key),
            Some((Segment::Key(key), rest)) => match deeper.iter_mut().find(|(k, _)| k == key) {
                Some((_, paths)) => paths.push(rest),
                None => deeper.push((key, vec![rest])),
            },
            // The whole map, or a list index, which `changed_paths` never reports inside a map.
            _ => {
                *merged = merged_entry(base, overrides);
                return;
            }
        }
    }
    for (key, paths) in deeper {
        if direct.contains(&key) {
            continue;
        }
        let over_child = entry_of(over_map, key);
        let child = match merged {
            Value::Mapping(map) => match map.get_mut(key) {
                Some(child) => Some(child),
                None => map
                    .iter_mut()
                    .find(|(other, _)| key_text(other) == key)
                    .map(|(_, child)| child),
            },
            _ => None,
        };
        match (child, over_child) {
            (Some(child), Some(over_child)) => patch_level(
                child,
                base_map.and_then(|map| entry_of(map, key)),
                over_child,
                &paths,
            ),
            // Not where the merge would have it: rebuild the key with the direct changes.
            _ => direct.push(key),
        }
    }
    if direct.is_empty() {
        return;
    }
    let Value::Mapping(mut old) = std::mem::take(merged) else {
        return;
    };
    let is_direct = |key: &Value| match key.as_str() {
        Some(text) => direct.contains(&text),
        None => direct.contains(&key_text(key).as_str()),
    };
    // The entry for `key`: merged anew when it changed, else moved from the old map.
    let mut take = |key: &Value, fresh: &dyn Fn() -> Value| -> Value {
        if is_direct(key) {
            fresh()
        } else {
            old.swap_remove(key).unwrap_or_else(fresh)
        }
    };
    let mut rebuilt = Mapping::with_capacity(over_map.len() + base_map.map_or(0, Mapping::len));
    // The order and the choices of `merge`: base keys in base order (a null override deletes),
    // then keys only the overrides have, in their order.
    match base_map {
        Some(base_map) => {
            for (key, base_value) in base_map {
                match same_key(over_map, key) {
                    Some(Value::Null) => {}
                    Some(value) => {
                        let entry = take(key, &|| merge(base_value, value));
                        rebuilt.insert(key.clone(), entry);
                    }
                    None => {
                        let entry = take(key, &|| base_value.clone());
                        rebuilt.insert(key.clone(), entry);
                    }
                }
            }
            for (key, value) in over_map {
                if same_key(base_map, key).is_none() && !value.is_null() {
                    let key = helm_key(key);
                    let entry = take(&key, &|| strip_nulls(value));
                    rebuilt.insert(key, entry);
                }
            }
        }
        None => {
            for (key, value) in over_map {
                if !value.is_null() {
                    let key = helm_key(key);
                    let entry = take(&key, &|| strip_nulls(value));
                    rebuilt.insert(key, entry);
                }
            }
        }
    }
    *merged = Value::Mapping(rebuilt);
}

/// Where two override trees differ: the shortest paths under which every difference lies.
/// A value at a path neither under nor on the way to one of them is the same in both trees, and
/// so is the merge onto any base there (`merge` decides a key from its own entries alone;
/// `tests/merge.rs` checks both on random trees). The form then revisits the fields a change can
/// reach instead of every field. Lists and maps with a key that is not text are compared whole:
/// a change inside one is reported at the list or the map (Helm matches `1:` with `"1":`).
pub fn changed_paths(old: &Value, new: &Value) -> Vec<Vec<Segment>> {
    let mut found = Vec::new();
    let string_maps =
        |value: &Value| matches!(value, Value::Mapping(map) if map.keys().all(Value::is_string));
    // Two maps are compared key by key below, which finds every difference: comparing them whole
    // first would walk both trees once more, on every keystroke.
    if string_maps(old) && string_maps(new) || old != new {
        collect_changes(old, new, &mut Vec::new(), &mut found);
    }
    found
}

/// `old` and `new` differ, or are both maps with text keys, whose entries are compared here (the
/// caller compared them; comparing again here would compare every subtree once per level above
/// it).
fn collect_changes(old: &Value, new: &Value, at: &mut Vec<Segment>, found: &mut Vec<Vec<Segment>>) {
    let (Value::Mapping(old_map), Value::Mapping(new_map)) = (old, new) else {
        found.push(at.clone());
        return;
    };
    if !old_map.keys().chain(new_map.keys()).all(Value::is_string) {
        found.push(at.clone());
        return;
    }
    let keys = old_map
        .keys()
        .chain(new_map.keys().filter(|key| !old_map.contains_key(*key)));
    for key in keys {
        let (before, after) = (old_map.get(key), new_map.get(key));
        if before == after {
            continue;
        }
        at.push(Segment::Key(key.as_str().unwrap_or_default().to_string()));
        match (before, after) {
            (Some(before), Some(after)) => collect_changes(before, after, at, found),
            // A key added or removed (a null added deletes a default): all of it changed.
            _ => found.push(at.clone()),
        }
        at.pop();
    }
}

/// The chart defaults merged with the user's overrides: what Helm will render with.
pub fn merged_values(chart: &Chart, overrides: &Value) -> Value {
    merge(defaults_ref(chart), overrides)
}

/// The part of `overrides` that differs from the defaults: a value equal to its default is
/// dropped; an explicit `null` is kept when there is a default to delete.
pub fn overrides_only(defaults: &Value, overrides: &Value) -> Option<Value> {
    match (defaults, overrides) {
        (Value::Mapping(default_map), Value::Mapping(override_map)) => {
            let kept: Mapping = override_map
                .iter()
                .filter_map(|(key, value)| match default_map.get(key) {
                    Some(default) => {
                        overrides_only(default, value).map(|value| (key.clone(), value))
                    }
                    None if value.is_null() => None,
                    None => Some((key.clone(), value.clone())),
                })
                .collect();
            (!kept.is_empty()).then_some(Value::Mapping(kept))
        }
        (default, value) if default == value => None,
        (_, value) => Some(value.clone()),
    }
}

/// One line of the diff against the defaults: a leaf whose value differs from the chart default.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiffEntry {
    pub path: String,
    /// `None` when the chart has no default there.
    pub default: Option<Value>,
    /// `Null` when the override deletes the default.
    pub current: Value,
}

/// Every key whose value differs from the chart default (default → current): exactly what the
/// overrides-only values.yaml contains. Catalog parameters are compared whole (a list or map
/// parameter is one entry); other keys down to their leaves.
pub fn diff_against_defaults(chart: &Chart, overrides: &Value) -> Vec<DiffEntry> {
    let defaults = defaults_ref(chart);
    let Some(changed) = overrides_only(defaults, overrides) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    collect_diff(chart, defaults, &changed, String::new(), &mut entries);
    entries
}

fn collect_diff(
    chart: &Chart,
    defaults: &Value,
    node: &Value,
    prefix: String,
    out: &mut Vec<DiffEntry>,
) {
    let is_param = !prefix.is_empty() && chart.param(&prefix).is_some();
    match node {
        Value::Mapping(map) if !is_param && !map.is_empty() => {
            for (key, child) in map {
                let key = crate::kinds::display_value(key);
                let path = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                collect_diff(chart, defaults, child, path, out);
            }
        }
        _ => {
            let default = parse_path(&prefix)
                .ok()
                .and_then(|segments| get(defaults, &segments).cloned());
            out.push(DiffEntry {
                path: prefix,
                default,
                current: node.clone(),
            });
        }
    }
}

/// The last four characters of a tenant id: the guides' "short tenant id".
pub fn short_tenant_id(tenant_id: &str) -> Option<&str> {
    let trimmed = tenant_id.trim();
    (trimmed.len() >= 4 && trimmed.is_ascii()).then(|| &trimmed[trimmed.len() - 4..])
}

/// The release name by the chart's rule, or `None` while the value it is built from is missing.
pub fn derived_release_name(chart: &Chart, merged: &Value) -> Option<String> {
    release_from(chart, |segments| get(merged, segments).cloned())
}

/// `derived_release_name` from the overrides, merging only the subtree the name is read from.
pub fn derived_release_name_of(chart: &Chart, overrides: &Value) -> Option<String> {
    release_from(chart, |segments| {
        merged_at(defaults_ref(chart), overrides, segments)
    })
}

fn release_from(chart: &Chart, read: impl FnOnce(&[Segment]) -> Option<Value>) -> Option<String> {
    let pattern = &chart.release.pattern;
    if !pattern.contains('{') {
        return Some(pattern.clone());
    }
    let source_path = chart.release.from_path.as_deref()?;
    let source = read(&parse_path(source_path).ok()?)?;
    let source_text = match &source {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let source_text = source_text.trim();
    let mut name = pattern.replace("{chart}", &chart.id);
    if name.contains("{short_tenant_id}") {
        let short = short_tenant_id(source_text)?.to_ascii_lowercase();
        name = name.replace("{short_tenant_id}", &short);
    }
    if source_text.is_empty() {
        return None;
    }
    Some(name.replace("{tenant_sid}", &source_text.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_chart;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn test_chart() -> Chart {
        parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: t, lines: [1, 1]}
release: {pattern: "ixn-{short_tenant_id}", from_path: tenant.id, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params:
  - {path: b.port, kind: port, section: s, default: 7120, doc: d, lines: [1, 1]}
  - {path: b.name, kind: string, section: s, doc: d, lines: [1, 1]}
  - {path: "a.list[1].x", kind: string, section: s, default: "9200", doc: d, lines: [1, 1]}
  - {path: tenant.id, kind: uuid, section: s, doc: d, lines: [1, 1]}
"#,
        )
        .unwrap()
    }

    #[test]
    fn defaults_nest_in_catalog_order_and_skip_params_without_default() {
        let tree = defaults_tree(&test_chart());
        assert_eq!(
            serde_yaml::to_string(&tree).unwrap(),
            "b:\n  port: 7120\na:\n  list:\n  - null\n  - x: '9200'\n"
        );
    }

    fn check_merge(base: &str, overrides: &str, expect: &str) {
        assert_eq!(
            merge(&yaml(base), &yaml(overrides)),
            yaml(expect),
            "{base} + {overrides}"
        );
    }

    #[test]
    fn merge_follows_helm() {
        check_merge("{a: {b: 1, c: 2}}", "{a: {b: 3}}", "{a: {b: 3, c: 2}}");
        check_merge("{a: [1, 2]}", "{a: [3]}", "{a: [3]}");
        check_merge("{a: {b: 1, c: 2}}", "{a: {b: null}}", "{a: {c: 2}}");
        check_merge("{a: 1}", "{b: {c: null, d: 1}}", "{a: 1, b: {d: 1}}");
        check_merge("{a: {b: 1}}", "{a: 5}", "{a: 5}");
        check_merge(
            "{j: {'1': x, '2': y}}",
            "{j: {1: z}}",
            "{j: {'1': z, '2': y}}",
        );
    }

    fn check_overrides(defaults: &str, overrides: &str, expect: Option<&str>) {
        assert_eq!(
            overrides_only(&yaml(defaults), &yaml(overrides)),
            expect.map(yaml),
            "{overrides}"
        );
    }

    #[test]
    fn overrides_only_keeps_what_differs() {
        check_overrides(
            "{a: {b: 1, c: 2}}",
            "{a: {b: 1, c: 3}}",
            Some("{a: {c: 3}}"),
        );
        check_overrides("{a: {b: 1}}", "{a: {b: 1}}", None);
        check_overrides("{a: {b: 1}}", "{a: {b: null}}", Some("{a: {b: null}}"));
        check_overrides("{a: 1}", "{z: null}", None);
        check_overrides("{a: [1]}", "{a: [1, 2]}", Some("{a: [1, 2]}"));
    }

    #[test]
    fn diff_lists_changed_leaves_with_their_defaults() {
        let chart = test_chart();
        let diff = diff_against_defaults(
            &chart,
            &yaml("{b: {port: 7121, name: x}, a: {list: null}, extra: {k: 1}}"),
        );
        let summary: Vec<(String, Option<Value>, Value)> = diff
            .into_iter()
            .map(|entry| (entry.path, entry.default, entry.current))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("b.port".into(), Some(Value::from(7120)), Value::from(7121)),
                ("b.name".into(), None, Value::from("x")),
                (
                    "a.list".into(),
                    Some(yaml("[null, {x: '9200'}]")),
                    Value::Null
                ),
                ("extra.k".into(), None, Value::from(1)),
            ]
        );
        assert!(diff_against_defaults(&chart, &yaml("{b: {port: 7120}}")).is_empty());
    }

    #[test]
    fn release_name_uses_the_last_four_characters_of_the_tenant_id() {
        let chart = test_chart();
        let merged = yaml("{tenant: {id: 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd}}");
        assert_eq!(
            derived_release_name(&chart, &merged).as_deref(),
            Some("ixn-80dd")
        );
        assert_eq!(derived_release_name(&chart, &yaml("{}")), None);
        assert_eq!(short_tenant_id("0100"), Some("0100"));
        assert_eq!(short_tenant_id("ab"), None);
    }
}
