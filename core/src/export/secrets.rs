//! The filled-in secrets: their effective names, the bytes of every key (plain, JSON assembled
//! from fields, docker config JSON as kubectl makes it), and secrets.yaml.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{Map, Value as Json};
use serde_yaml::Value;

use super::values_file::wrap;
use super::{ExportContext, SecretEncoding};
use crate::catalog::{Kind, SecretField, SecretFormat, SecretSpec, SecretType};
use crate::kinds::display_value;
use crate::validation::Evaluated;
use crate::yaml::write::{to_yaml, Entry, Node};

/// kubectl's `--docker-server` default.
pub const DEFAULT_DOCKER_SERVER: &str = "https://index.docker.io/v1/";

/// One Secret the user filled in (at least one key), ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledSecret {
    /// The name in the cluster: the catalog name, or the one the values give (`name_param`).
    pub name: String,
    /// The catalog's name, under which the answers hold the values.
    pub catalog_name: String,
    pub secret_type: SecretType,
    pub doc: String,
    pub keys: Vec<FilledKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilledKey {
    pub key: String,
    /// The exact bytes (as UTF-8 text) stored under the key.
    pub value: String,
    /// For a docker config assembled from its fields: the fields, so that commands.sh can use
    /// `kubectl create secret docker-registry`, which builds the same JSON.
    pub docker: Option<DockerLogin>,
}

/// The inputs of `kubectl create secret docker-registry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerLogin {
    pub server: String,
    pub username: String,
    pub password: String,
    pub email: String,
}

impl DockerLogin {
    /// `.dockerconfigjson` byte for byte as kubectl writes it: Go's encoding/json (HTML-safe
    /// escapes, `omitempty` fields, order username/password/email/auth).
    pub fn config_json(&self) -> String {
        let auth = BASE64.encode(format!("{}:{}", self.username, self.password));
        let mut fields = Vec::new();
        for (name, value) in [
            ("username", &self.username),
            ("password", &self.password),
            ("email", &self.email),
            ("auth", &auth),
        ] {
            if !value.is_empty() {
                fields.push(format!(
                    "{}:{}",
                    go_json_string(name),
                    go_json_string(value)
                ));
            }
        }
        format!(
            "{{\"auths\":{{{}:{{{}}}}}}}",
            go_json_string(&self.server),
            fields.join(",")
        )
    }
}

/// A JSON string as Go's encoding/json writes it (the escapes kubectl's output has).
pub fn go_json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Secrets of the chart that have at least one key filled in, in catalog order.
pub fn filled_secrets(it: &Evaluated) -> Vec<FilledSecret> {
    let (chart, answers, merged) = (it.chart, it.answers, it.merged());
    chart
        .secrets
        .iter()
        .filter_map(|spec| {
            let given = answers.secrets.get(&spec.name)?;
            let mut keys: Vec<FilledKey> = spec
                .keys
                .iter()
                .filter_map(|key| {
                    let value = given.get(&key.key).filter(|value| !value.is_null())?;
                    Some(match key.format {
                        SecretFormat::Plain => plain_key(&key.key, value),
                        SecretFormat::Json => FilledKey {
                            key: key.key.clone(),
                            value: json_value(&key.fields, value),
                            docker: None,
                        },
                        SecretFormat::DockerConfigJson => docker_key(&key.key, value),
                    })
                })
                .collect();
            // Keys the catalog does not list are kept: the guide may not name them all.
            for (name, value) in given {
                if !value.is_null() && !spec.keys.iter().any(|key| &key.key == name) {
                    keys.push(plain_key(name, value));
                }
            }
            (!keys.is_empty()).then(|| FilledSecret {
                name: effective_name(spec, merged),
                catalog_name: spec.name.clone(),
                secret_type: spec.secret_type,
                doc: spec.doc.clone(),
                keys,
            })
        })
        .collect()
}

/// The Secret's name as the values give it (`SecretSpec::effective_name`).
pub fn effective_name(spec: &SecretSpec, merged: &Value) -> String {
    spec.effective_name(merged)
}

fn plain_key(key: &str, value: &Value) -> FilledKey {
    let value = match value {
        Value::Mapping(_) | Value::Sequence(_) => {
            serde_json::to_string(&crate::schema::yaml_to_json(value)).unwrap_or_default()
        }
        other => display_value(other),
    };
    FilledKey {
        key: key.to_string(),
        value,
        docker: None,
    }
}

/// A JSON key: a ready JSON text is kept as it is; a map of fields is assembled in catalog field
/// order (a field's default fills a field left out), each typed by its field's kind.
fn json_value(fields: &[SecretField], value: &Value) -> String {
    let Value::Mapping(given) = value else {
        return display_value(value);
    };
    let mut object = Map::new();
    for field in fields {
        let field_value = given
            .get(field.name.as_str())
            .filter(|value| !value.is_null())
            .or(field.default.as_ref());
        if let Some(field_value) = field_value {
            object.insert(field.name.clone(), typed_field(field.kind, field_value));
        }
    }
    for (name, field_value) in given {
        let name = display_value(name);
        if !field_value.is_null() && !fields.iter().any(|field| field.name == name) {
            object.insert(name, typed_field(Kind::Yaml, field_value));
        }
    }
    serde_json::to_string(&Json::Object(object)).unwrap_or_default()
}

/// The JSON type follows the field's kind: port/integer → number, number → number, boolean →
/// bool, anything else → string (the guides' samples quote ports and flags of string fields).
fn typed_field(kind: Kind, value: &Value) -> Json {
    let text = match value {
        Value::Mapping(_) | Value::Sequence(_) => return crate::schema::yaml_to_json(value),
        other => display_value(other),
    };
    let trimmed = text.trim();
    match kind {
        Kind::Port | Kind::Integer => trimmed
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or(Json::String(text)),
        Kind::Number => trimmed
            .parse::<i64>()
            .map(Json::from)
            .ok()
            .or_else(|| {
                trimmed
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number)
            })
            .unwrap_or(Json::String(text)),
        Kind::Boolean => match trimmed {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(text),
        },
        Kind::Yaml => match value {
            Value::String(_) => Json::String(text),
            other => crate::schema::yaml_to_json(other),
        },
        _ => Json::String(text),
    }
}

fn docker_key(key: &str, value: &Value) -> FilledKey {
    let Value::Mapping(given) = value else {
        return FilledKey {
            key: key.to_string(),
            value: display_value(value),
            docker: None,
        };
    };
    let field = |name: &str| {
        given
            .get(name)
            .filter(|value| !value.is_null())
            .map(display_value)
            .unwrap_or_default()
    };
    let mut server = field("registry");
    if server.is_empty() {
        server = DEFAULT_DOCKER_SERVER.to_string();
    }
    let login = DockerLogin {
        server,
        username: field("username"),
        password: field("password"),
        email: field("email"),
    };
    FilledKey {
        key: key.to_string(),
        value: login.config_json(),
        docker: Some(login),
    }
}

/// secrets.yaml: one Secret document per filled-in catalog secret.
pub fn secrets_yaml(it: &Evaluated, encoding: SecretEncoding) -> String {
    write_secrets(it, encoding, false)
}

/// secrets.yaml for the screen: every value replaced by `<redacted: N bytes>`.
pub fn secrets_yaml_redacted(it: &Evaluated, encoding: SecretEncoding) -> String {
    write_secrets(it, encoding, true)
}

fn write_secrets(it: &Evaluated, encoding: SecretEncoding, redacted: bool) -> String {
    write_secrets_of(it, filled_secrets(it), encoding, redacted, "secrets.yaml")
}

/// secrets.yaml with the chart's filled-in Secrets and `extra` ones after them (the environment
/// plan's `<release>-sensitive-values` for Flux): the header counts what the file holds.
pub(crate) fn secrets_yaml_with(
    it: &Evaluated,
    extra: Vec<FilledSecret>,
    encoding: SecretEncoding,
    file_name: &str,
) -> String {
    let mut secrets = filled_secrets(it);
    secrets.extend(extra);
    write_secrets_of(it, secrets, encoding, false, file_name)
}

fn write_secrets_of(
    it: &Evaluated,
    secrets: Vec<FilledSecret>,
    encoding: SecretEncoding,
    redacted: bool,
    file_name: &str,
) -> String {
    let chart = it.chart;
    let context = ExportContext::new(it);
    let mut header = vec![format!(
        "Kubernetes Secrets for {} (chart {}) in namespace {}.",
        chart.name, chart.id, context.namespace
    )];
    if secrets.is_empty() {
        header.push("No secret is filled in: this file holds none.".into());
    } else {
        if redacted {
            header.push("Preview: the values are hidden; the downloaded file has them.".into());
        }
        header.push(format!(
            "Written by pe-configurator. {}",
            super::shell::secret_values_note(
                secrets.len(),
                "keep it out of Git and delete it once applied"
            )
        ));
        header.push(format!(
            "Apply it before installing the chart: kubectl apply -f {file_name}"
        ));
    }
    let mut out: String = header
        .iter()
        .flat_map(|line| wrap(line, 96))
        .map(|line| format!("# {line}\n"))
        .collect();
    for secret in &secrets {
        out.push_str("---\n");
        out.push_str(&secret_manifest(
            secret,
            &context.namespace,
            encoding,
            redacted,
        ));
    }
    out
}

/// One Secret manifest (no `---`).
pub fn secret_manifest(
    secret: &FilledSecret,
    namespace: &str,
    encoding: SecretEncoding,
    redacted: bool,
) -> String {
    let data = secret
        .keys
        .iter()
        .map(|key| {
            let text = if redacted {
                format!("<redacted: {} bytes>", key.value.len())
            } else {
                match encoding {
                    SecretEncoding::Data => BASE64.encode(key.value.as_bytes()),
                    SecretEncoding::StringData => key.value.clone(),
                }
            };
            Entry::new(key.key.clone(), Node::Scalar(Value::String(text)))
        })
        .collect();
    let scalar = |text: &str| Node::Scalar(Value::String(text.to_string()));
    let manifest = Node::Map(vec![
        Entry::new("apiVersion", scalar("v1")),
        Entry::new("kind", scalar("Secret")),
        Entry::new(
            "metadata",
            Node::Map(vec![
                Entry::new("name", scalar(&secret.name)),
                Entry::new("namespace", scalar(namespace)),
            ]),
        ),
        Entry::new("type", scalar(secret.secret_type.as_str())),
        Entry::new(
            match encoding {
                SecretEncoding::Data => "data",
                SecretEncoding::StringData => "stringData",
            },
            Node::Map(data),
        ),
    ]);
    let mut out: String = wrap(&secret.doc, 96)
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| format!("# {line}\n"))
        .collect();
    out.push_str(&to_yaml(&manifest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_config_matches_kubectl() {
        let login = DockerLogin {
            server: "reg.io".into(),
            username: "u<&>\"".into(),
            password: "p\u{8}\u{c}\u{1}\u{2028}é".into(),
            email: String::new(),
        };
        assert_eq!(
            login.config_json(),
            r#"{"auths":{"reg.io":{"username":"u\u003c\u0026\u003e\"","password":"p\b\f\u0001\u2028é","auth":"dTwmPiI6cAgMAeKAqMOp"}}}"#
        );
    }

    #[test]
    fn json_fields_are_typed_by_kind() {
        let fields: Vec<SecretField> = serde_yaml::from_str(
            "[{name: port, kind: port}, {name: flag, kind: boolean}, {name: s, kind: string}, {name: d, kind: integer, default: 5}]",
        )
        .unwrap();
        let given: Value =
            serde_yaml::from_str("{s: 6379, flag: 'true', port: '6379', x: y}").unwrap();
        assert_eq!(
            json_value(&fields, &given),
            r#"{"port":6379,"flag":true,"s":"6379","d":5,"x":"y"}"#
        );
        assert_eq!(
            json_value(&fields, &Value::from("{\"raw\": 1}")),
            "{\"raw\": 1}"
        );
    }
}
