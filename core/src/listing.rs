//! Flat listings of a chart's inputs (parameters and secret fields), as `pecfg catalog` prints them and the form counts them.

use serde_json::{json, Value as Json};

use crate::catalog::{Chart, SecretFormat};
use crate::schema::yaml_to_json;

/// One entry per form input: every parameter, then every secret key (or field of a JSON key).
pub fn catalog_json(chart: &Chart) -> Json {
    let mut entries = Vec::new();
    for param in &chart.params {
        entries.push(json!({
            "path": param.path,
            "label": param.label(),
            "kind": param.kind.as_str(),
            "section": param.section,
            "default": param.default.as_ref().map(yaml_to_json),
            "prefill": param.prefill.as_ref().map(yaml_to_json),
            "required": param.required,
            "allowed": param.allowed.iter().map(yaml_to_json).collect::<Vec<_>>(),
            "secret": false,
            "secret_ref": param.secret_ref,
            "sensitive": param.sensitive,
            "doc": param.doc,
            "source": source_text(chart, &param.source),
            "decision": param.decision,
            "checked_by": chart.rules_checking(&param.path),
        }));
    }
    for input in secret_inputs(chart) {
        entries.push(json!({
            "path": input.path,
            "label": input.label,
            "kind": input.kind,
            "section": "secrets",
            "default": Json::Null,
            "required": input.required,
            "allowed": [],
            "secret": true,
            "secret_name": input.secret_name,
            "secret_key": input.secret_key,
            "doc": input.doc,
            "source": input.source,
        }));
    }
    Json::Array(entries)
}

/// A secret value the user types: a plain key, or one field of a JSON/docker-config key.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretInput {
    /// `secret-name/key` or `secret-name/key/field`: never a values path.
    pub path: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    pub secret_name: String,
    pub secret_key: String,
    pub field: Option<String>,
    pub doc: String,
    pub source: String,
}

pub fn secret_inputs(chart: &Chart) -> Vec<SecretInput> {
    let mut inputs = Vec::new();
    for secret in &chart.secrets {
        for key in &secret.keys {
            let base = format!("{}/{}", secret.name, key.key);
            match key.format {
                SecretFormat::Plain => inputs.push(SecretInput {
                    path: base,
                    label: key.key.clone(),
                    kind: "secret",
                    required: key.required,
                    secret_name: secret.name.clone(),
                    secret_key: key.key.clone(),
                    field: None,
                    doc: key.doc.clone(),
                    source: source_text(chart, &secret.source),
                }),
                SecretFormat::Json | SecretFormat::DockerConfigJson => {
                    for field in &key.fields {
                        inputs.push(SecretInput {
                            path: format!("{base}/{}", field.name),
                            label: format!("{} {}", key.key, field.name),
                            kind: field.kind.as_str(),
                            required: field.required,
                            secret_name: secret.name.clone(),
                            secret_key: key.key.clone(),
                            field: Some(field.name.clone()),
                            doc: if field.doc.is_empty() {
                                key.doc.clone()
                            } else {
                                field.doc.clone()
                            },
                            source: source_text(chart, &secret.source),
                        });
                    }
                }
            }
        }
    }
    inputs
}

/// `guide.txt:first-last`, the form every output uses to cite a guide.
pub fn source_text(chart: &Chart, source: &crate::catalog::Source) -> String {
    let [first, last] = source.lines;
    let guide = chart.guide_for(source);
    if first == last {
        format!("{guide}:{first}")
    } else {
        format!("{guide}:{first}-{last}")
    }
}
