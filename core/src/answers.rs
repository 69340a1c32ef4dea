//! The form state and its transitions (set, clear, reset, list add/remove), and the answers file that carries it.
//!
//! The state keeps three cases apart for every parameter: absent from `overrides` means "left at
//! the default"; present means "explicitly set" (even to the default's value); `null` means
//! "explicitly cleared", which in Helm deletes the default. Secret values live beside the values,
//! never inside them, so no exporter of values can reach them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::catalog::Chart;
use crate::path::{get, parse_path, set, Segment};

/// Secret name → key → value. A plain key holds a string; a JSON key may hold a map of its fields.
pub type SecretValues = BTreeMap<String, BTreeMap<String, Value>>;

/// Everything the user entered for one chart. Serialized, it is the answers file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Chart id: ges | tenant | tenant-monitor | ixn | middleware.
    pub chart: String,
    /// Release name; derived by the chart's rule when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Namespace; the platform guide's namespace when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Overrides, nested exactly as in values.yaml.
    #[serde(default = "empty_mapping", skip_serializing_if = "is_empty_mapping")]
    pub values: Value,
    /// Secret values: never written to values.yaml.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: SecretValues,
}

fn empty_mapping() -> Value {
    Value::Mapping(Mapping::new())
}

fn is_empty_mapping(value: &Value) -> bool {
    value.as_mapping().is_some_and(Mapping::is_empty) || value.is_null()
}

impl Answers {
    pub fn new(chart_id: &str) -> Answers {
        Answers {
            chart: chart_id.to_string(),
            release: None,
            namespace: None,
            values: empty_mapping(),
            secrets: SecretValues::new(),
        }
    }
}

/// Reads an answers file. The input boundary reads it first (size, aliases, keys), and its
/// `values` are taken as Helm reads them (YAML 1.1: `enabled: no` is false); the other fields are
/// the product's own and read as written.
pub fn parse_answers(text: &str) -> Result<Answers, String> {
    let read =
        crate::yaml::read::read_yaml(text).map_err(|error| format!("answers file: {error}"))?;
    let written = crate::yaml::read::read_yaml_as_written(text)
        .map_err(|error| format!("answers file: {error}"))?;
    let mut answers: Answers =
        serde_yaml::from_value(written.value).map_err(|error| format!("answers file: {error}"))?;
    let values = read.value.get("values").cloned().unwrap_or(Value::Null);
    answers.values = crate::yaml::read::check_values(values, "`values`")
        .map_err(|error| format!("answers file: {error}"))?;
    Ok(answers)
}

/// The answers file of these answers (what `parse_answers` reads back), written by the product's
/// own YAML writer, so a value Helm would retype (`no`, `0755`) is quoted as in values.yaml.
pub fn answers_yaml(answers: &Answers) -> String {
    let tree = serde_yaml::to_value(answers).unwrap_or(Value::Null);
    crate::yaml::write::value_to_yaml(&tree)
}

/// How a parameter stands in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldState {
    /// Not in the overrides: the chart default applies.
    Default,
    /// In the overrides with a value (possibly equal to the default).
    Set,
    /// In the overrides as `null`: the default is deleted.
    Cleared,
}

pub fn field_state(overrides: &Value, path: &str) -> FieldState {
    match parse_path(path)
        .ok()
        .and_then(|segments| get(overrides, &segments).cloned())
    {
        None => FieldState::Default,
        Some(Value::Null) => FieldState::Cleared,
        Some(_) => FieldState::Set,
    }
}

/// Sets a parameter explicitly.
pub fn set_value(overrides: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segments = parse_path(path)?;
    set(overrides, &segments, value);
    Ok(())
}

/// Sets a catalog parameter from the form. A path through a list (`redis[0].port`) first copies
/// the chart's default list into the overrides when they hold none there: Helm replaces a list
/// as a whole, so setting one field of one item must not drop the defaults of the rest.
pub fn set_param_value(
    defaults: &Value,
    overrides: &mut Value,
    path: &str,
    value: Value,
) -> Result<(), String> {
    let segments = parse_path(path)?;
    for (at, segment) in segments.iter().enumerate() {
        let (Segment::Index(_), Some(list_path)) = (segment, segments.get(..at)) else {
            continue;
        };
        if get(overrides, list_path).is_none() {
            if let Some(list @ Value::Sequence(_)) = get(defaults, list_path) {
                set(overrides, list_path, list.clone());
            }
        }
    }
    set(overrides, &segments, value);
    Ok(())
}

/// Clears a parameter explicitly (`null`: Helm deletes the chart default).
pub fn clear_value(overrides: &mut Value, path: &str) -> Result<(), String> {
    set_value(overrides, path, Value::Null)
}

/// Returns a parameter to its default by removing it from the overrides, and prunes the maps
/// that become empty, so a reset leaves no trace in the exported values.yaml.
pub fn reset_value(overrides: &mut Value, path: &str) -> Result<(), String> {
    let segments = parse_path(path)?;
    remove_at(overrides, &segments);
    Ok(())
}

fn remove_at(node: &mut Value, segments: &[Segment]) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return false;
    };
    match (first, node) {
        (Segment::Key(key), Value::Mapping(map)) => {
            if rest.is_empty() {
                map.remove(key.as_str());
            } else if let Some(child) = map.get_mut(key.as_str()) {
                if remove_at(child, rest) {
                    map.remove(key.as_str());
                }
            }
            map.is_empty()
        }
        // Inside a list an element cannot be "absent"; resetting a field of one element resets
        // that field only, and a list that holds nothing but nulls is dropped as a whole.
        (Segment::Index(index), Value::Sequence(items)) => {
            if let Some(child) = items.get_mut(*index) {
                if rest.is_empty() || remove_at(child, rest) {
                    *child = Value::Null;
                }
            }
            items.iter().all(Value::is_null)
        }
        _ => false,
    }
}

/// Resets every parameter of a section.
pub fn reset_section(chart: &Chart, overrides: &mut Value, section_id: &str) {
    for param in chart
        .params
        .iter()
        .filter(|param| param.section == section_id)
    {
        let _ = reset_value(overrides, &param.path);
    }
}

/// Appends an element to a list parameter, starting from the merged list (so the new list
/// keeps what the default had: a list override replaces the whole list in Helm).
pub fn list_push(
    overrides: &mut Value,
    current: &Value,
    path: &str,
    item: Value,
) -> Result<(), String> {
    let mut items = current.as_sequence().cloned().unwrap_or_default();
    items.push(item);
    set_value(overrides, path, Value::Sequence(items))
}

/// Removes element `index` of a list parameter, starting from the merged list.
pub fn list_remove(
    overrides: &mut Value,
    current: &Value,
    path: &str,
    index: usize,
) -> Result<(), String> {
    let mut items = current.as_sequence().cloned().unwrap_or_default();
    if index >= items.len() {
        return Err(format!("`{path}` has no item {index}"));
    }
    items.remove(index);
    set_value(overrides, path, Value::Sequence(items))
}

/// Sets one secret value (a plain key, or one field of a JSON key); an empty text removes it.
pub fn set_secret(
    secrets: &mut SecretValues,
    name: &str,
    key: &str,
    field: Option<&str>,
    text: &str,
) {
    let keys = secrets.entry(name.to_string()).or_default();
    match field {
        None if text.is_empty() => {
            keys.remove(key);
        }
        None => {
            keys.insert(key.to_string(), Value::String(text.to_string()));
        }
        Some(field) => {
            let entry = keys.entry(key.to_string()).or_insert_with(empty_mapping);
            if !entry.is_mapping() {
                *entry = empty_mapping();
            }
            let Value::Mapping(fields) = entry else {
                return;
            };
            if text.is_empty() {
                fields.remove(field);
            } else {
                fields.insert(
                    Value::String(field.to_string()),
                    Value::String(text.to_string()),
                );
            }
            if fields.is_empty() {
                keys.remove(key);
            }
        }
    }
    if keys.is_empty() {
        secrets.remove(name);
    }
}

/// Reads one secret value back as text (empty when unset).
pub fn secret_text(secrets: &SecretValues, name: &str, key: &str, field: Option<&str>) -> String {
    let value = secrets.get(name).and_then(|keys| keys.get(key));
    let value = match field {
        None => value,
        Some(field) => value.and_then(|fields| fields.get(field)),
    };
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => crate::yaml::display_value(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn set_clear_and_reset_are_three_different_states() {
        let mut overrides = yaml("{}");
        assert_eq!(field_state(&overrides, "a.b"), FieldState::Default);
        set_value(&mut overrides, "a.b", Value::from(1)).unwrap();
        assert_eq!(field_state(&overrides, "a.b"), FieldState::Set);
        clear_value(&mut overrides, "a.b").unwrap();
        assert_eq!(field_state(&overrides, "a.b"), FieldState::Cleared);
        assert_eq!(overrides, yaml("{a: {b: null}}"));
        reset_value(&mut overrides, "a.b").unwrap();
        assert_eq!(field_state(&overrides, "a.b"), FieldState::Default);
        assert_eq!(overrides, yaml("{}"), "reset prunes the emptied parents");
    }

    #[test]
    fn setting_a_field_of_a_default_list_item_keeps_the_rest_of_the_list() {
        let chart = crate::catalog::parse_chart(
            "id: t\nname: T\ndescription: d\nguide: g.txt\nnamespace: {value: t, lines: [1, 1]}\nrelease: {pattern: t, doc: d, lines: [1, 1]}\nsections: [{id: s, title: S}]\nparams:\n  - {path: 'redis[0].host', section: s, kind: string, default: h, doc: d, lines: [1, 1]}\n  - {path: 'redis[0].port', section: s, kind: port, default: 6379, doc: d, lines: [1, 1]}\n",
        );
        let Ok(chart) = chart else {
            // The minimal chart must parse; if the format grew a required field, say which.
            panic!("{chart:?}");
        };
        let mut overrides = yaml("{}");
        let defaults = crate::values::defaults_ref(&chart);
        set_param_value(defaults, &mut overrides, "redis[0].host", Value::from("db")).unwrap();
        assert_eq!(overrides, yaml("{redis: [{host: db, port: 6379}]}"));
        set_param_value(defaults, &mut overrides, "redis[0].port", Value::from(1)).unwrap();
        assert_eq!(overrides, yaml("{redis: [{host: db, port: 1}]}"));
    }

    #[test]
    fn reset_keeps_siblings() {
        let mut overrides = yaml("{a: {b: 1, c: 2}}");
        reset_value(&mut overrides, "a.b").unwrap();
        assert_eq!(overrides, yaml("{a: {c: 2}}"));
    }

    #[test]
    fn reset_inside_a_list_element() {
        let mut overrides = yaml("{r: [{host: h, port: 1}]}");
        reset_value(&mut overrides, "r[0].port").unwrap();
        assert_eq!(overrides, yaml("{r: [{host: h}]}"));
        reset_value(&mut overrides, "r[0].host").unwrap();
        assert_eq!(overrides, yaml("{}"));
    }

    #[test]
    fn list_add_and_remove_start_from_the_merged_list() {
        let mut overrides = yaml("{}");
        let current = yaml("[{name: a}]");
        list_push(&mut overrides, &current, "pull", yaml("{name: b}")).unwrap();
        assert_eq!(overrides, yaml("{pull: [{name: a}, {name: b}]}"));
        let current = yaml("[{name: a}, {name: b}]");
        list_remove(&mut overrides, &current, "pull", 0).unwrap();
        assert_eq!(overrides, yaml("{pull: [{name: b}]}"));
        assert!(list_remove(&mut overrides, &yaml("[]"), "pull", 3).is_err());
    }

    #[test]
    fn secrets_hold_plain_and_json_field_values() {
        let mut secrets = SecretValues::new();
        set_secret(
            &mut secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            Some("bootstrap"),
            "kafka:9092",
        );
        set_secret(&mut secrets, "db", "DB-USER", None, "admin");
        assert_eq!(
            secret_text(
                &secrets,
                "kafka-shared-secret",
                "kafka-secrets",
                Some("bootstrap")
            ),
            "kafka:9092"
        );
        assert_eq!(secret_text(&secrets, "db", "DB-USER", None), "admin");
        set_secret(&mut secrets, "db", "DB-USER", None, "");
        set_secret(
            &mut secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            Some("bootstrap"),
            "",
        );
        assert!(secrets.is_empty(), "emptied secrets leave nothing behind");
    }

    #[test]
    fn answers_file_round_trips() {
        let text = r#"
chart: ixn
release: ixn-0100
namespace: ixn
values:
  replicaCount: 1
  tenant: {id: "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd", sid: "0100"}
secrets:
  kafka-shared-secret:
    kafka-secrets: {bootstrap: "kafka.infra.svc:9092"}
"#;
        let answers = parse_answers(text).unwrap();
        assert_eq!(answers.chart, "ixn");
        assert_eq!(answers.values["tenant"]["sid"], Value::from("0100"));
        let again = parse_answers(&answers_yaml(&answers)).unwrap();
        assert_eq!(again, answers);
        assert!(parse_answers("chart: ixn\nvalues: [1]\n").is_err());
        assert!(parse_answers("chart: ixn\nunknown: 1\n").is_err());
    }

    #[test]
    fn answers_fields_are_read_as_written_and_values_as_helm_reads_them() {
        let answers = parse_answers(
            "chart: ixn\nrelease: 0755\nnamespace: no\nvalues: {a: no, b: 0755}\nsecrets: {s: {password: 0755, token: yes, none: ~}}\n",
        )
        .unwrap();
        assert_eq!(answers.release.as_deref(), Some("0755"));
        assert_eq!(answers.namespace.as_deref(), Some("no"));
        assert_eq!(answers.values["a"], Value::Bool(false));
        assert_eq!(answers.values["b"], Value::from(493));
        assert_eq!(answers.secrets["s"]["password"], Value::from("0755"));
        assert_eq!(answers.secrets["s"]["token"], Value::from("yes"));
        assert_eq!(answers.secrets["s"]["none"], Value::Null);
        // Written back, the same answers come out, values quoted where Helm would retype them.
        let text = answers_yaml(&answers);
        assert_eq!(parse_answers(&text).unwrap(), answers);
        let release: Option<String> = None;
        assert_eq!(
            parse_answers("chart: ixn\nrelease:\n").unwrap().release,
            release
        );
    }
}
