//! The inputs around the values: namespace, release name, the names of Secrets chosen in the
//! values, and the secret values themselves.

use crate::diagnostic::Check;
use serde_yaml::{Mapping, Value};

use super::fields::scalar_problem;
use super::util::{code_list, is_blank, placeholder, text};
use super::{Ctx, Out};
use crate::catalog::{Kind, SecretFormat, SecretKey};
use crate::kinds::{is_dns1123_label, is_dns1123_subdomain};
use crate::path::{parse_path, set};
use crate::values::derived_release_name;

/// Helm's limit on release names.
const RELEASE_MAX: usize = 53;

pub(crate) fn check_namespace_and_release(ctx: &Ctx, out: &mut Out) {
    let chart = ctx.chart;
    let namespace_source = ctx.source(&chart.namespace.source);
    let namespace = given(&ctx.answers.namespace).unwrap_or(&chart.namespace.value);
    if !is_dns1123_label(namespace) {
        out.error(
            "namespace",
            Check::NamespaceName,
            format!(
                "The namespace {namespace:?} is not a valid Kubernetes namespace name: expected a DNS-1123 label of at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (the guide's namespace is {})",
                chart.namespace.value
            ),
            &namespace_source,
        );
    }

    let release_source = ctx.source(&chart.release.source);
    if let Some(name) = given(&ctx.answers.release) {
        if let Some(why) = release_problem(name) {
            out.error(
                "release",
                Check::ReleaseName,
                format!("The release name {name:?} {why}"),
                &release_source,
            );
        }
        return;
    }
    match release_name(ctx) {
        Ok(name) => {
            if let Some(why) = release_problem(&name) {
                out.error(
                    "release",
                    Check::ReleaseName,
                    format!(
                        "The release name \"{name}\", built by the rule {}, {why}",
                        chart.release.pattern
                    ),
                    &release_source,
                );
            }
        }
        Err(why) => out.warning("release", Check::ReleasePending, why, &release_source),
    }
}

/// The answers' text, exactly as written, when it holds more than spaces: a name is validated as
/// the exporters will write it (a trimmed check of an untrimmed name let a newline through).
fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|text| !text.trim().is_empty())
}

fn release_problem(name: &str) -> Option<String> {
    let rule = "a release name is a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit) of at most 53 characters, Helm's limit";
    if name.len() > RELEASE_MAX {
        Some(format!("has {} characters; {rule}", name.len()))
    } else if !is_dns1123_label(name) {
        Some(format!("is not valid; {rule}"))
    } else {
        None
    }
}

/// The release name the chart's rule builds from the merged values, or why it cannot yet.
pub(crate) fn release_name(ctx: &Ctx) -> Result<String, String> {
    let chart = ctx.chart;
    let pattern = &chart.release.pattern;
    if !pattern.contains('{') {
        return Ok(pattern.clone());
    }
    let from = chart.release.from_path.as_deref().unwrap_or("?");
    let hint = "fill it in, or give the release name yourself";
    let value = match ctx.get(from) {
        None => None,
        Some(value) if is_blank(Some(value)) => None,
        Some(value) => Some(value),
    };
    let Some(value) = value else {
        return Err(format!(
            "The release name cannot be built yet: it is {pattern}, computed from `{from}`, which is empty; {hint}"
        ));
    };
    if let Some(found) = placeholder(value) {
        return Err(format!(
            "The release name cannot be built yet: it is {pattern}, computed from `{from}`, which still holds the placeholder {found}; replace it, or give the release name yourself"
        ));
    }
    // The release rule reads one value: give it a tree holding just that value.
    let mut tree = Value::Null;
    set(
        &mut tree,
        &parse_path(from).unwrap_or_default(),
        value.clone(),
    );
    derived_release_name(chart, &tree).ok_or_else(|| {
        format!(
            "The release name cannot be built yet: it is {pattern}, computed from `{from}`, whose value is too short; {hint}"
        )
    })
}

/// Values that name a Secret (a secret's `name_param`) must be valid Secret names. Object lists
/// (`- name: …`) are already checked by their item kind.
pub(crate) fn check_secret_names(ctx: &Ctx, out: &mut Out) {
    for secret in &ctx.chart.secrets {
        let Some(path) = secret.name_param.as_deref() else {
            continue;
        };
        let Some(param) = ctx.chart.param(path) else {
            continue;
        };
        if matches!(
            param.kind,
            Kind::ObjectList | Kind::DnsSubdomain | Kind::DnsLabel
        ) {
            continue;
        }
        let Some(Value::String(name)) = ctx.get(path) else {
            continue;
        };
        // Checked exactly as written: the exporters write the name untrimmed.
        if name.trim().is_empty() || placeholder(&Value::from(name.as_str())).is_some() {
            continue;
        }
        if !is_dns1123_subdomain(name) {
            out.error(
                path,
                Check::FieldSecretName,
                format!(
                    "`{path}` is {name:?}, which names a Secret; a Secret name is a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters"
                ),
                &ctx.source(&param.source),
            );
        }
    }
}

/// What a secret value is, without a word of it (messages reach the screen and CI logs).
fn secret_shape(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "text that is not a JSON object",
        Value::Sequence(_) => "a list",
        Value::Null => "empty",
        _ => "a single value",
    }
}

/// Secret inputs: required keys left empty are warnings (the Secret may be created separately);
/// filled fields are checked against their kind.
pub(crate) fn check_secrets(ctx: &Ctx, out: &mut Out) {
    let secrets = &ctx.answers.secrets;
    // The plan holds one source per secret, in the same order.
    for (secret, source) in ctx.chart.secrets.iter().zip(&ctx.plan.secret_sources) {
        let filled = secrets
            .get(&secret.name)
            .filter(|keys| keys.values().any(|v| !secret_empty(v)));
        let Some(given) = filled else {
            let missing: Vec<String> = secret.keys.iter().flat_map(required_inputs).collect();
            if !missing.is_empty() {
                out.warning(
                    &secret.name,
                    Check::SecretRequired,
                    format!(
                        "The Secret `{}` is not filled in (it needs {}); fill it in here, or create the Secret in the namespace yourself before installing",
                        secret.name,
                        code_list(&missing)
                    ),
                    source,
                );
            }
            continue;
        };
        for key in &secret.keys {
            let at = format!("{}/{}", secret.name, key.key);
            let value = given.get(&key.key);
            let structured = key.format != SecretFormat::Plain && !key.fields.is_empty();
            if !structured {
                if key.required && value.is_none_or(secret_empty) {
                    out.warning(
                        &at,
                        Check::SecretRequired,
                        format!(
                            "Secret key `{at}` is empty; fill it in, or create the Secret yourself before installing"
                        ),
                        source,
                    );
                }
                continue;
            }
            let fields = match value.map(as_fields) {
                None => Mapping::new(),
                Some(Ok(fields)) => fields,
                Some(Err(())) => {
                    out.error(
                        &at,
                        Check::SecretKind,
                        format!(
                            "Secret key `{at}` is {}; expected the fields {} (a JSON object)",
                            // Never the text itself: it is a secret value.
                            value.map_or("empty", secret_shape),
                            key.fields
                                .iter()
                                .map(|f| f.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        source,
                    );
                    continue;
                }
            };
            for field in &key.fields {
                let field_at = format!("{at}/{}", field.name);
                let value = fields
                    .get(field.name.as_str())
                    .filter(|value| !secret_empty(value));
                let Some(value) = value else {
                    if field.required {
                        out.warning(
                            &field_at,
                            Check::SecretRequired,
                            format!(
                                "Secret field `{field_at}` is empty; fill it in, or create the Secret yourself before installing"
                            ),
                            source,
                        );
                    }
                    continue;
                };
                if let Some(found) = placeholder(value) {
                    out.warning(
                        &field_at,
                        Check::FieldPlaceholder,
                        format!("Secret field `{field_at}` still holds the placeholder {found}; replace it with the real value"),
                        source,
                    );
                    continue;
                }
                let typed = typed_secret_value(field.kind, value);
                if let Some((_, message)) = scalar_problem(&field_at, field.kind, &[], &typed) {
                    out.error(
                        &field_at,
                        Check::SecretKind,
                        secret_message(message),
                        source,
                    );
                }
            }
            let unknown: Vec<String> = fields
                .keys()
                .filter_map(Value::as_str)
                .filter(|name| !key.fields.iter().any(|f| f.name == *name))
                .map(str::to_string)
                .collect();
            if !unknown.is_empty() {
                out.warning(
                    &at,
                    Check::SecretUnknown,
                    format!(
                        "Secret key `{at}` has fields the chart does not read: {}; the known fields are {}",
                        code_list(&unknown),
                        code_list(&key.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>())
                    ),
                    source,
                );
            }
        }
        let unknown: Vec<&str> = given
            .keys()
            .map(String::as_str)
            .filter(|name| !secret.keys.iter().any(|k| k.key == *name))
            .collect();
        if !unknown.is_empty() {
            out.warning(
                &secret.name,
                Check::SecretUnknown,
                format!(
                    "The Secret `{}` has keys the chart does not read: {}; its keys are {}",
                    secret.name,
                    code_list(&unknown),
                    code_list(
                        &secret
                            .keys
                            .iter()
                            .map(|k| k.key.as_str())
                            .collect::<Vec<_>>()
                    )
                ),
                source,
            );
        }
    }
    for name in secrets.keys() {
        if !ctx.chart.secrets.iter().any(|secret| &secret.name == name) {
            let known: Vec<&str> = ctx.chart.secrets.iter().map(|s| s.name.as_str()).collect();
            out.warning(
                name,
                Check::SecretUnknown,
                format!(
                    "The answers fill in a Secret `{name}` that the chart does not use; its Secrets are {}",
                    code_list(&known)
                ),
                "",
            );
        }
    }
}

/// `key` or `key/field` of every required input of a secret key.
fn required_inputs(key: &SecretKey) -> Vec<String> {
    if key.format == SecretFormat::Plain || key.fields.is_empty() {
        return if key.required {
            vec![key.key.clone()]
        } else {
            Vec::new()
        };
    }
    key.fields
        .iter()
        .filter(|field| field.required)
        .map(|field| format!("{}/{}", key.key, field.name))
        .collect()
}

fn secret_empty(value: &Value) -> bool {
    match value {
        Value::Mapping(map) => map.values().all(secret_empty),
        other => is_blank(Some(other)),
    }
}

/// The fields of a JSON key: a map, or the JSON text of one.
fn as_fields(value: &Value) -> Result<Mapping, ()> {
    match value {
        Value::Mapping(map) => Ok(map.clone()),
        Value::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(object)) => serde_yaml::to_value(object)
                .ok()
                .and_then(|v| v.as_mapping().cloned())
                .ok_or(()),
            _ => Err(()),
        },
        Value::Null => Ok(Mapping::new()),
        _ => Err(()),
    }
}

/// Secret inputs arrive as text; a numeric or boolean kind reads the text as that type.
fn typed_secret_value(kind: Kind, value: &Value) -> Value {
    let Some(raw) = text(value) else {
        return value.clone();
    };
    let trimmed = raw.trim();
    match kind {
        Kind::Integer | Kind::Port => trimmed
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(raw)),
        Kind::Number => trimmed
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or(Value::String(raw)),
        Kind::Boolean => match trimmed {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw),
        },
        _ => match value {
            Value::String(_) => value.clone(),
            _ => Value::String(raw),
        },
    }
}

/// Secret values are typed as text, so the advice to (un)quote does not apply to them.
fn secret_message(message: String) -> String {
    match message.split_once(": write") {
        Some((head, _)) => head.to_string(),
        None => message,
    }
}
