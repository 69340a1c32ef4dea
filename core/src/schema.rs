//! `values.schema.json` (JSON Schema draft-07, the dialect Helm 3 and 4 accept) generated from a chart's catalog.

use serde_json::{json, Map, Value as Json};

use crate::catalog::{Chart, ItemField, Kind, Param};
use crate::path::{parse_path, Segment};

/// Kubernetes quantity grammar as a regular expression, for string quantities.
pub const QUANTITY_PATTERN: &str =
    r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$";

/// Builds the schema. Unknown keys stay allowed (the guides may not list every value a chart
/// accepts), and every leaf also accepts `null`, which Helm uses to delete a default.
pub fn values_schema(chart: &Chart) -> Json {
    let mut root = object_schema();
    for param in &chart.params {
        let Ok(segments) = parse_path(&param.path) else {
            continue;
        };
        insert_leaf(&mut root, &segments, param_schema(param));
    }
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    schema.insert("title".into(), json!(format!("{} values", chart.name)));
    schema.insert("description".into(), json!(chart.description));
    if let Json::Object(body) = root {
        schema.extend(body);
    }
    Json::Object(schema)
}

fn object_schema() -> Json {
    json!({"type": "object", "properties": {}})
}

fn insert_leaf(node: &mut Json, segments: &[Segment], leaf: Json) {
    let Some((first, rest)) = segments.split_first() else {
        *node = leaf;
        return;
    };
    let child = match first {
        Segment::Key(key) => {
            let properties = node
                .as_object_mut()
                .and_then(|object| object.get_mut("properties"))
                .and_then(Json::as_object_mut);
            let Some(properties) = properties else { return };
            let next_is_index = matches!(rest.first(), Some(Segment::Index(_)));
            properties.entry(key.clone()).or_insert_with(|| {
                if next_is_index {
                    json!({"type": "array", "items": {}})
                } else {
                    object_schema()
                }
            })
        }
        // Every element of a list shares one item schema: a path `list[0].port` describes the items.
        Segment::Index(_) => {
            let Some(items) = node
                .as_object_mut()
                .and_then(|object| object.get_mut("items"))
            else {
                return;
            };
            if rest.is_empty() {
                *items = leaf;
                return;
            }
            if !items.get("properties").is_some_and(Json::is_object) {
                *items = object_schema();
            }
            items
        }
    };
    if rest.is_empty() {
        *child = leaf;
    } else {
        insert_leaf(child, rest, leaf);
    }
}

fn param_schema(param: &Param) -> Json {
    let mut schema = kind_schema(param.kind, &param.item);
    // Every kind's schema is an object; the empty fallback only satisfies the type.
    let mut empty = Map::new();
    let object = schema.as_object_mut().unwrap_or(&mut empty);
    object.insert("description".into(), json!(param.doc));
    if let Some(default) = &param.default {
        object.insert("default".into(), yaml_to_json(default));
    }
    if !param.allowed.is_empty() {
        let mut allowed: Vec<Json> = param.allowed.iter().map(yaml_to_json).collect();
        allowed.push(Json::Null);
        object.insert("enum".into(), Json::Array(allowed));
    }
    if let Some(min) = param.min {
        object.insert("minimum".into(), json!(min));
    }
    if let Some(max) = param.max {
        object.insert("maximum".into(), json!(max));
    }
    schema
}

fn kind_schema(kind: Kind, item: &[ItemField]) -> Json {
    match kind {
        Kind::String | Kind::Template | Kind::Url | Kind::Host | Kind::DnsSubdomain => {
            json!({"type": ["string", "null"]})
        }
        Kind::DnsLabel => json!({"type": ["string", "null"], "maxLength": 63}),
        Kind::Uuid => json!({
            "type": ["string", "null"],
            "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        }),
        Kind::Enum => json!({"type": ["string", "number", "boolean", "null"]}),
        Kind::Integer => json!({"type": ["integer", "null"]}),
        Kind::Number => json!({"type": ["number", "null"]}),
        Kind::Boolean => json!({"type": ["boolean", "null"]}),
        Kind::Port => json!({"type": ["integer", "null"], "minimum": 1, "maximum": 65535}),
        Kind::Quantity => {
            json!({"type": ["string", "number", "null"], "pattern": QUANTITY_PATTERN})
        }
        Kind::Map => json!({
            "type": ["object", "null"],
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]}
        }),
        Kind::StringList => json!({"type": ["array", "null"], "items": {"type": "string"}}),
        Kind::ObjectList => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for field in item {
                let mut field_schema = kind_schema(field.kind, &[]);
                if let (false, Some(object)) = (field.doc.is_empty(), field_schema.as_object_mut())
                {
                    object.insert("description".into(), json!(field.doc));
                }
                properties.insert(field.name.clone(), field_schema);
                if field.required {
                    required.push(json!(field.name));
                }
            }
            let mut item_schema = Map::new();
            item_schema.insert("type".into(), json!("object"));
            item_schema.insert("properties".into(), Json::Object(properties));
            if !required.is_empty() {
                item_schema.insert("required".into(), Json::Array(required));
            }
            json!({"type": ["array", "null"], "items": item_schema})
        }
        Kind::Yaml => json!({"type": ["object", "array", "null"]}),
    }
}

/// Converts a YAML value to JSON (YAML's non-string keys become strings).
pub fn yaml_to_json(value: &serde_yaml::Value) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}
