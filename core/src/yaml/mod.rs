//! YAML as Helm reads it and as the product writes it, side by side: `read` (the one boundary every tree of values enters through) and `write` (the YAML-1.1-safe emitter whose output `read` takes back unchanged).

pub mod read;
pub mod write;

use serde_yaml::Value;

/// A value as a person reads it in a message: strings bare, everything else as inline JSON.
pub fn display_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "null".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        other => serde_json::to_string(other).unwrap_or_else(|_| "…".into()),
    }
}
