//! Import of an existing values.yaml: every key is kept, and a report names unknown keys (with "did you mean" suggestions), type mismatches, values equal to the default, and keys the form cannot show.

use serde::Serialize;
use serde_yaml::Value;

use crate::catalog::{Chart, Kind};
use crate::kinds::check_param_value;
use crate::path::{get, parse_path};

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, Default)]
pub struct ImportReport {
    /// Keys the catalog does not know, with the closest known path when one is close enough.
    pub unknown: Vec<UnknownKey>,
    /// Known keys whose value does not fit the parameter's kind ("string vs number").
    pub type_mismatches: Vec<TypeMismatch>,
    /// Known keys whose value equals the chart default: they can be dropped.
    pub equal_to_default: Vec<String>,
    /// Keys the form has no field for (unknown, or inside a value it shows as a whole); they are
    /// kept and written back verbatim in the exported values.yaml.
    pub kept_verbatim: Vec<String>,
    /// Plain scalars Helm reads as YAML 1.1 (`no` is false, `0755` is 493): kept with Helm's
    /// meaning, and written back so that Helm still reads the same.
    pub retyped: Vec<crate::yaml::read::Retyped>,
    /// Maps whose `<<` merge keys were applied (written back merged).
    pub merged: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct UnknownKey {
    pub path: String,
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TypeMismatch {
    pub path: String,
    pub expected: String,
}

/// Parses a values.yaml through the input boundary, as Helm reads it. The whole tree becomes the
/// overrides (nothing is dropped); the report says what the catalog makes of each key and which
/// plain scalars Helm reads differently from how they look. A refusal names the place.
pub fn import_values(chart: &Chart, yaml_text: &str) -> Result<(Value, ImportReport), String> {
    let read = crate::yaml::read::read_values_yaml(yaml_text).map_err(|error| error.to_string())?;
    let mut report = report_on_values(chart, &read.value);
    report.retyped = read.retyped;
    report.merged = read.merged;
    Ok((read.value, report))
}

/// What one scalar Helm reads differently from how it looks means, as `pecfg import` prints it and
/// the page's import report shows it (one function, so both say the same): how Helm reads it, and
/// the fix when that is not what the chart wants there, or the key is unknown: the text as written,
/// in quotes (`sid: 0100` is the number 64; the fix is `"0100"`, never `"64"`).
pub fn explain_retyped(
    chart: &Chart,
    values: &Value,
    retyped: &crate::yaml::read::Retyped,
) -> String {
    let path = if retyped.path.is_empty() {
        "(top level)"
    } else {
        retyped.path.as_str()
    };
    let read = format!(
        "{path}: `{}` is read by Helm as {}",
        retyped.written, retyped.read_as
    );
    let quoted = format!(
        "\"{}\"",
        retyped.written.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let param = chart.param(&retyped.path);
    let value = parse_path(&retyped.path)
        .ok()
        .and_then(|segments| get(values, &segments).cloned());
    match (param, value) {
        (Some(param), Some(value)) if check_param_value(param, &value).is_ok() => {
            format!("{read}, which the chart takes here")
        }
        (Some(_), _) => format!(
            "{read}, which the chart does not take here: to keep the text as written, write \
             {quoted}"
        ),
        (None, _) => format!("{read}; if you meant the text as written, write {quoted}"),
    }
}

/// What a `<<` merge of an import did, as `pecfg import` prints it and the page shows it.
pub fn explain_merged(path: &str) -> String {
    let path = if path.is_empty() { "(top level)" } else { path };
    format!("{path}: its `<<` merge keys were applied")
}

/// [`explain_retyped`] for every retyped scalar of an import, in the file's order.
pub fn retyped_explanations(chart: &Chart, values: &Value, report: &ImportReport) -> Vec<String> {
    report
        .retyped
        .iter()
        .map(|retyped| explain_retyped(chart, values, retyped))
        .collect()
}

/// The report for a values tree already parsed.
pub fn report_on_values(chart: &Chart, values: &Value) -> ImportReport {
    let mut report = ImportReport::default();
    let defaults = crate::values::defaults_ref(chart);
    let mut leaves = Vec::new();
    collect_leaves(values, String::new(), chart, &mut leaves);
    for path in leaves {
        match chart.param(&path) {
            Some(param) => {
                let segments = parse_path(&path).unwrap_or_default();
                let Some(value) = get(values, &segments) else {
                    continue;
                };
                if let Err(expected) = check_param_value(param, value) {
                    report.type_mismatches.push(TypeMismatch {
                        path: path.clone(),
                        expected,
                    });
                } else if get(defaults, &segments) == Some(value) {
                    report.equal_to_default.push(path.clone());
                }
            }
            None => {
                report.unknown.push(UnknownKey {
                    suggestion: suggest_path(chart, &path),
                    path: path.clone(),
                });
                report.kept_verbatim.push(path);
            }
        }
    }
    report
}

/// How many keys of `values` the catalog does not know: what the YAML view shows on every
/// keystroke, without the suggestions (an edit distance to every parameter per unknown key).
pub fn unknown_key_count(chart: &Chart, values: &Value) -> usize {
    let mut leaves = Vec::new();
    collect_leaves(values, String::new(), chart, &mut leaves);
    leaves
        .iter()
        .filter(|path| chart.param(path).is_none())
        .count()
}

/// Walks the tree down to catalog parameters (a parameter's own value is not descended into:
/// a map or list parameter is one field) and to leaves no parameter covers.
fn collect_leaves(node: &Value, prefix: String, chart: &Chart, out: &mut Vec<String>) {
    if !prefix.is_empty() && chart.param(&prefix).is_some() {
        out.push(prefix);
        return;
    }
    match node {
        Value::Mapping(map) if !map.is_empty() => {
            for (key, child) in map {
                let key = match key {
                    Value::String(text) => text.clone(),
                    other => crate::kinds::display_value(other),
                };
                let path = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                collect_leaves(child, path, chart, out);
            }
        }
        // Lists are descended only where the catalog has indexed parameters (`redis[0].port`).
        Value::Sequence(items)
            if chart
                .params
                .iter()
                .any(|param| param.path.starts_with(&format!("{prefix}["))) =>
        {
            for (index, child) in items.iter().enumerate() {
                collect_leaves(child, format!("{prefix}[{index}]"), chart, out);
            }
        }
        // A null or empty parent of catalog parameters (a sample with every child commented out)
        // is not an unknown key.
        Value::Null | Value::Mapping(_)
            if chart
                .params
                .iter()
                .any(|param| param.path.starts_with(&format!("{prefix}."))) => {}
        _ if !prefix.is_empty() => out.push(prefix),
        _ => {}
    }
}

/// The catalog path a mistyped or misplaced key most likely meant: first a path with the same
/// last key at another level (mis-nesting), then the closest path by edit distance.
pub fn suggest_path(chart: &Chart, unknown: &str) -> Option<String> {
    let leaf = crate::path::leaf_key(unknown);
    let unknown_lower = unknown.to_lowercase();
    let same_leaf: Vec<&str> = chart
        .params
        .iter()
        .map(|param| param.path.as_str())
        .filter(|path| crate::path::leaf_key(path).eq_ignore_ascii_case(leaf))
        .collect();
    if let Some(best) = same_leaf
        .iter()
        .min_by_key(|path| strsim::levenshtein(&path.to_lowercase(), &unknown_lower))
    {
        return Some(best.to_string());
    }
    let (best, distance) = chart
        .params
        .iter()
        .map(|param| {
            (
                param.path.as_str(),
                strsim::levenshtein(&param.path.to_lowercase(), &unknown_lower),
            )
        })
        .min_by_key(|(_, distance)| *distance)?;
    // Close enough to be a typo: at most a third of the key's length, and at most 4 edits.
    let limit = (unknown.len() / 3).clamp(1, 4);
    (distance <= limit).then(|| best.to_string())
}

/// Whether the form shows this kind as a single field holding a whole structure.
pub fn kind_holds_structure(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Map | Kind::StringList | Kind::ObjectList | Kind::Yaml
    )
}

/// Reads Secret manifests (one or many YAML documents, `data` or `stringData`) back into secret
/// values for the chart's secrets, to refill the secret fields. JSON-valued keys come back as
/// their fields; a docker config comes back as registry, username, password and email.
pub fn secrets_from_manifests(
    chart: &Chart,
    text: &str,
) -> Result<crate::answers::SecretValues, String> {
    use base64::Engine;
    let mut secrets = crate::answers::SecretValues::new();
    // Through the input boundary too (bounded aliases, size, keys); kubectl reads manifests with
    // the same YAML 1.1 reader as Helm.
    let documents =
        crate::yaml::read::read_yaml_documents(text).map_err(|error| error.to_string())?;
    for manifest in documents {
        if manifest.get("kind").and_then(Value::as_str) != Some("Secret") {
            continue;
        }
        let Some(name) = manifest
            .get("metadata")
            .and_then(|meta| meta.get("name"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(spec) = chart.secrets.iter().find(|spec| spec.name == name) else {
            continue;
        };
        let mut entries: Vec<(String, String)> = Vec::new();
        if let Some(Value::Mapping(data)) = manifest.get("data") {
            for (key, value) in data {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(value.as_str().unwrap_or_default())
                    .map_err(|_| {
                        format!(
                            "Secret {name}: key {} is not base64",
                            crate::kinds::display_value(key)
                        )
                    })?;
                entries.push((
                    crate::kinds::display_value(key),
                    String::from_utf8_lossy(&decoded).into_owned(),
                ));
            }
        }
        if let Some(Value::Mapping(data)) = manifest.get("stringData") {
            for (key, value) in data {
                entries.push((
                    crate::kinds::display_value(key),
                    crate::kinds::display_value(value),
                ));
            }
        }
        for (key, text) in entries {
            let Some(key_spec) = spec.keys.iter().find(|candidate| candidate.key == key) else {
                continue;
            };
            let value = match key_spec.format {
                crate::catalog::SecretFormat::Plain => Value::String(text),
                crate::catalog::SecretFormat::Json => json_fields(&text),
                crate::catalog::SecretFormat::DockerConfigJson => docker_fields(&text),
            };
            secrets
                .entry(spec.name.clone())
                .or_default()
                .insert(key, value);
        }
    }
    Ok(secrets)
}

fn json_fields(text: &str) -> Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => Value::Mapping(
            map.into_iter()
                .map(|(field, value)| {
                    let text = match value {
                        serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    };
                    (Value::String(field), Value::String(text))
                })
                .collect(),
        ),
        _ => Value::String(text.to_string()),
    }
}

fn docker_fields(text: &str) -> Value {
    let parsed: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let Some((registry, login)) = parsed
        .get("auths")
        .and_then(|auths| auths.as_object())
        .and_then(|auths| auths.iter().next())
    else {
        return Value::Null;
    };
    let field = |name: &str| {
        login
            .get(name)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut fields = serde_yaml::Mapping::new();
    for (name, value) in [
        ("registry", registry.clone()),
        ("username", field("username")),
        ("password", field("password")),
        ("email", field("email")),
    ] {
        if !value.is_empty() {
            fields.insert(Value::String(name.into()), Value::String(value));
        }
    }
    Value::Mapping(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_chart;

    fn chart() -> Chart {
        parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: t, lines: [1, 1]}
release: {pattern: t, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params:
  - {path: ges.deployment.replicas, kind: integer, section: s, default: 2, doc: d, lines: [1, 1]}
  - {path: ges.configMap.env.log.level, kind: enum, allowed: [DEBUG, INFO], section: s, default: DEBUG, doc: d, lines: [1, 1]}
  - {path: ges.service.port, kind: string, section: s, default: "3050", doc: d, lines: [1, 1]}
  - {path: ges.labels.podLabels, kind: map, section: s, default: {}, doc: d, lines: [1, 1]}
  - {path: "redis[0].port", kind: port, section: s, default: 6379, doc: d, lines: [1, 1]}
"#,
        )
        .unwrap()
    }

    fn check(yaml: &str, expect: ImportReport) {
        let (values, report) = import_values(&chart(), yaml).unwrap();
        assert_eq!(report, expect, "{yaml}");
        assert_eq!(
            values,
            serde_yaml::from_str::<Value>(yaml).unwrap(),
            "nothing is dropped"
        );
    }

    fn unknown(path: &str, suggestion: Option<&str>) -> UnknownKey {
        UnknownKey {
            path: path.into(),
            suggestion: suggestion.map(Into::into),
        }
    }

    #[test]
    fn the_unknown_key_count_is_the_report_s() {
        let chart = crate::catalog::registry::chart("ixn").unwrap();
        let values: Value = serde_yaml::from_str(
            "{replicaCount: 1, replicaCont: 2, extra: {a: 1, b: [1]}, ixnService: {typo: x}}",
        )
        .unwrap();
        assert_eq!(
            unknown_key_count(chart, &values),
            report_on_values(chart, &values).unknown.len()
        );
        assert_eq!(unknown_key_count(chart, &values), 4);
    }

    #[test]
    fn a_typo_gets_the_closest_key() {
        check(
            "ges: {deployment: {replicsa: 3}}",
            ImportReport {
                unknown: vec![unknown(
                    "ges.deployment.replicsa",
                    Some("ges.deployment.replicas"),
                )],
                kept_verbatim: vec!["ges.deployment.replicsa".into()],
                ..Default::default()
            },
        );
    }

    #[test]
    fn a_key_at_the_wrong_level_is_found_by_its_name() {
        check(
            "ges: {replicas: 3}",
            ImportReport {
                unknown: vec![unknown("ges.replicas", Some("ges.deployment.replicas"))],
                kept_verbatim: vec!["ges.replicas".into()],
                ..Default::default()
            },
        );
    }

    #[test]
    fn far_away_keys_get_no_suggestion() {
        check(
            "somethingElse: {entirely: 1}",
            ImportReport {
                unknown: vec![unknown("somethingElse.entirely", None)],
                kept_verbatim: vec!["somethingElse.entirely".into()],
                ..Default::default()
            },
        );
    }

    #[test]
    fn type_mismatch_and_equal_to_default() {
        check(
            "ges: {service: {port: 3050}, deployment: {replicas: 2}, labels: {podLabels: {}}}\nredis: [{port: 6380}]",
            ImportReport {
                type_mismatches: vec![TypeMismatch {
                    path: "ges.service.port".into(),
                    expected: "text (quoted in YAML if it looks like a number or boolean)".into(),
                }],
                equal_to_default: vec!["ges.deployment.replicas".into(), "ges.labels.podLabels".into()],
                ..Default::default()
            },
        );
    }

    #[test]
    fn secret_manifests_refill_plain_json_and_docker_keys() {
        let chart = parse_chart(
            r#"
id: t
name: T
description: d
guide: g.txt
namespace: {value: t, lines: [1, 1]}
release: {pattern: t, doc: d, lines: [1, 1]}
sections: [{id: s, title: S}]
params: [{path: a, kind: string, section: s, doc: d, lines: [1, 1]}]
secrets:
  - name: kafka
    type: Opaque
    doc: d
    lines: [1, 1]
    keys:
      - {key: plain, doc: d}
      - {key: kafka-secrets, format: json, doc: d, fields: [{name: bootstrap, kind: host}, {name: port, kind: port}]}
  - name: pull
    type: kubernetes.io/dockerconfigjson
    doc: d
    lines: [1, 1]
    keys:
      - {key: .dockerconfigjson, format: docker_config_json, doc: d, fields: [{name: registry, kind: string}]}
"#,
        )
        .unwrap();
        let manifests = r#"
apiVersion: v1
kind: Secret
metadata: {name: kafka}
data:
  plain: aGVsbG8gd29ybGQ=
stringData:
  kafka-secrets: '{"bootstrap":"kafka:9092","port":9092}'
---
apiVersion: v1
kind: Secret
metadata: {name: pull}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"reg.example":{"username":"u","password":"p","auth":"dTpw"}}}'
---
kind: ConfigMap
metadata: {name: other}
"#;
        let secrets = secrets_from_manifests(&chart, manifests).unwrap();
        assert_eq!(secrets["kafka"]["plain"], Value::from("hello world"));
        assert_eq!(
            secrets["kafka"]["kafka-secrets"],
            serde_yaml::from_str::<Value>("{bootstrap: 'kafka:9092', port: '9092'}").unwrap()
        );
        assert_eq!(
            secrets["pull"][".dockerconfigjson"],
            serde_yaml::from_str::<Value>("{registry: reg.example, username: u, password: p}")
                .unwrap()
        );
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let error = import_values(&chart(), "a: b\n  c: d: e\n").unwrap_err();
        assert!(error.starts_with("line 2"), "{error}");
        assert!(import_values(&chart(), "- a\n- b\n").is_err());
    }
}
