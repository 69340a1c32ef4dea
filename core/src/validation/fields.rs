//! Field rules: each catalog parameter's merged value against its kind, allowed values, bounds,
//! `required` flag, and (for maps) the Kubernetes rules for label and annotation keys and values.

use crate::diagnostic::Check;
use serde_yaml::Value;

use super::util::{is_blank, placeholder, shown};
use super::{Ctx, Diagnostic, MapStyle, Out};
use crate::catalog::{ItemField, Kind, Param};
use crate::kinds::{check_kind, display_value, is_label_key, is_label_value};

/// What the field checks find for the parameter at `at` (catalog order): its merged value against
/// its kind, allowed values, bounds and `required` flag. It reads that value alone, so the
/// findings of a parameter whose value did not change stay as they were.
pub(crate) fn check_param(ctx: &Ctx, at: usize) -> Vec<Diagnostic> {
    let mut out = Out::default();
    let (Some(param), Some(source), Some(style)) = (
        ctx.chart.params.get(at),
        ctx.plan.sources.get(at),
        ctx.plan.map_styles.get(at),
    ) else {
        return Vec::new();
    };
    let Some(value) = ctx.value_at(at).filter(|value| !is_blank(Some(value))) else {
        if param.required {
            out.error(
                &param.path,
                Check::FieldRequired,
                match &param.label {
                    Some(label) => format!(
                        "`{}` ({label}) is required but has no value; fill it in",
                        param.path
                    ),
                    None => {
                        format!("`{}` is required but has no value; fill it in", param.path)
                    }
                },
                source,
            );
        }
        return out.diagnostics;
    };
    if let Some(found) = placeholder(value) {
        out.warning(
            &param.path,
            Check::FieldPlaceholder,
            format!(
                "`{}` still holds the placeholder {found}; replace it with the real value before installing (the guide fills such placeholders with envsubst)",
                param.path
            ),
            source,
        );
        return out.diagnostics;
    }
    check_value(ctx, param, *style, value, source, &mut out);
    out.diagnostics
}

fn check_value(
    ctx: &Ctx,
    param: &Param,
    style: MapStyle,
    value: &Value,
    source: &str,
    out: &mut Out,
) {
    let path = &param.path;
    match param.kind {
        Kind::ObjectList => match value {
            Value::Sequence(items) => check_items(path, &param.item, items, source, out),
            _ => out.error(
                path,
                Check::FieldKind,
                format!("`{path}` is {}; expected a list of objects", shown(value)),
                source,
            ),
        },
        Kind::Map => check_map(path, style, value, source, out),
        Kind::Template => match value {
            Value::String(text) => {
                let unchanged = param.default.as_ref() == Some(value);
                if !unchanged && !text.contains("{{") {
                    if let Err(error) = ctx.parse_block(text).as_ref() {
                        out.error(
                            path,
                            Check::FieldYaml,
                            format!(
                                "`{path}` is not valid YAML: {error}; the chart reads this block as YAML, so check its indentation"
                            ),
                            source,
                        );
                    }
                }
            }
            _ => out.error(
                path,
                Check::FieldKind,
                format!(
                    "`{path}` is {}; the chart renders this value as a template, so it must be text: write it as a block starting with `|-`",
                    shown(value)
                ),
                source,
            ),
        },
        kind => {
            if let Some((rule, message)) = scalar_problem(path, kind, &param.allowed, value) {
                out.error(path, rule, message, source);
                return;
            }
            if let Some(message) = range_problem(path, param, value) {
                out.error(path, Check::FieldRange, message, source);
            }
        }
    }
}

/// Kind and allowed values of one scalar-ish value, with the rule id it breaks.
pub(crate) fn scalar_problem(
    path: &str,
    kind: Kind,
    allowed: &[Value],
    value: &Value,
) -> Option<(Check, String)> {
    if let Err(expected) = check_kind(kind, value, &[]) {
        if kind == Kind::Port && value.as_i64().is_some() {
            return Some((
                Check::FieldRange,
                format!("`{path}` is {}; expected {expected}", shown(value)),
            ));
        }
        return Some((Check::FieldKind, kind_message(path, kind, value, &expected)));
    }
    if !allowed.is_empty() && !allowed.contains(value) {
        let as_text = Value::String(display_value(value));
        if matches!(value, Value::Number(_) | Value::Bool(_)) && allowed.contains(&as_text) {
            return Some((Check::FieldKind, must_be_string(path, value)));
        }
        return Some((
            Check::FieldAllowed,
            format!(
                "`{path}` is {}; expected one of {}",
                shown(value),
                allowed.iter().map(shown).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    None
}

fn range_problem(path: &str, param: &Param, value: &Value) -> Option<String> {
    let number = value.as_f64()?;
    if let Some(min) = param.min.filter(|min| number < *min) {
        return Some(format!(
            "`{path}` is {}; expected at least {min}",
            shown(value)
        ));
    }
    if let Some(max) = param.max.filter(|max| number > *max) {
        return Some(format!(
            "`{path}` is {}; expected at most {max}",
            shown(value)
        ));
    }
    None
}

fn kind_message(path: &str, kind: Kind, value: &Value, expected: &str) -> String {
    let numeric = matches!(kind, Kind::Integer | Kind::Number | Kind::Port);
    match value {
        Value::Number(_) | Value::Bool(_) if kind.is_string_like() && kind != Kind::Quantity => {
            must_be_string(path, value)
        }
        Value::String(text) if numeric && text.trim().parse::<f64>().is_ok() => format!(
            "`{path}` is the text \"{text}\"; expected {expected}: write {} without quotes",
            text.trim()
        ),
        Value::String(text) if kind == Kind::Boolean && matches!(text.trim(), "true" | "false") => {
            format!(
                "`{path}` is the text \"{text}\"; expected {expected}: write {} without quotes",
                text.trim()
            )
        }
        _ => format!("`{path}` is {}; expected {expected}", shown(value)),
    }
}

/// "`x` is the number 9200; this value must be a string: put the text you mean in quotes ("9200"
/// if you mean 9200)". The fix is conditional: the value may have been written otherwise (`0100`
/// is read as 64, `yes` as true), and the text the user meant is the one written; only the import
/// report knows it (`import::explain_retyped`).
pub(crate) fn must_be_string(path: &str, value: &Value) -> String {
    let what = if value.is_bool() { "boolean" } else { "number" };
    let text = display_value(value);
    format!(
        "`{path}` is the {what} {text}; this value must be a string: put the text you mean in \
         quotes (\"{text}\" if you mean {text})"
    )
}

fn check_items(path: &str, fields: &[ItemField], items: &[Value], source: &str, out: &mut Out) {
    for (index, element) in items.iter().enumerate() {
        // Paths are only written out for a finding.
        let at = || format!("{path}[{index}]");
        let Value::Mapping(map) = element else {
            let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
            let at = at();
            out.error(
                &at,
                Check::FieldKind,
                format!(
                    "`{at}` is {}; expected an object with the fields {}",
                    shown(element),
                    names.join(", ")
                ),
                source,
            );
            continue;
        };
        for field in fields {
            let field_path = || format!("{}.{}", at(), field.name);
            let value = map.get(field.name.as_str());
            let Some(value) = value.filter(|value| !is_blank(Some(value))) else {
                if field.required {
                    let field_path = field_path();
                    out.error(
                        &field_path,
                        Check::FieldRequired,
                        format!("`{field_path}` is required but has no value; fill it in"),
                        source,
                    );
                }
                continue;
            };
            if placeholder(value).is_some() {
                continue;
            }
            if let Some((rule, _)) = scalar_problem("", field.kind, &field.allowed, value) {
                let field_path = field_path();
                let (_, message) = scalar_problem(&field_path, field.kind, &field.allowed, value)
                    .unwrap_or((rule, String::new()));
                out.error(&field_path, rule, message, source);
            }
        }
    }
}

fn check_map(path: &str, style: MapStyle, value: &Value, source: &str, out: &mut Out) {
    let Value::Mapping(map) = value else {
        out.error(
            path,
            Check::FieldKind,
            format!(
                "`{path}` is {}; expected a map of keys to text values",
                shown(value)
            ),
            source,
        );
        return;
    };
    for (key, entry) in map {
        let key = match key {
            Value::String(text) => text.as_str(),
            _ => continue,
        };
        if style != MapStyle::Plain && !is_label_key(key) {
            let what = if style == MapStyle::Annotations {
                "annotation"
            } else {
                "label"
            };
            out.error(
                path,
                Check::FieldLabelKey,
                format!(
                    "`{path}` has the {what} key \"{key}\"; a Kubernetes {what} key is an optional DNS subdomain and '/', then a name of at most 63 letters, digits, '-', '_' or '.' that starts and ends with a letter or digit"
                ),
                source,
            );
        }
        match entry {
            Value::String(text) => {
                if style == MapStyle::Labels && !is_label_value(text) {
                    out.error(
                        path,
                        Check::FieldLabelValue,
                        format!(
                            "`{path}` gives the label \"{key}\" the value {}; a label value is empty or at most 63 letters, digits, '-', '_' or '.' that starts and ends with a letter or digit",
                            shown(entry)
                        ),
                        source,
                    );
                }
            }
            Value::Null => {}
            Value::Number(_) | Value::Bool(_) => {
                let text = display_value(entry);
                out.error(
                    path,
                    Check::FieldKind,
                    format!(
                        "`{path}` gives \"{key}\" the {} {text}; Kubernetes expects text here: write \"{text}\"",
                        if entry.is_bool() { "boolean" } else { "number" }
                    ),
                    source,
                );
            }
            _ => out.error(
                path,
                Check::FieldKind,
                format!(
                    "`{path}` gives \"{key}\" {}; expected a map of keys to text values",
                    shown(entry)
                ),
                source,
            ),
        }
    }
}
