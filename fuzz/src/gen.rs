//! Structured inputs built from the fuzzer's bytes: YAML-1.1-tricky text and scalars, value trees, and whole answers (catalog parameters, unknown keys, secrets, sensitive values, export options).
//!
//! Secret values carry a marker ([`SECRET`], [`LOGIN`]) and sensitive values another
//! ([`SENSITIVE`]), so the oracles can tell a leak from a coincidence: no other generated text
//! holds `Zq` (a generated tree that does is dropped).

use arbitrary::{Result, Unstructured};
use pecfg_core::catalog::{Chart, Kind, SecretFormat};
use pecfg_core::export::{ExportOptions, HelmFlavor, SecretEncoding, ValuesMode};
use pecfg_core::answers::{set_value, Answers};
use serde_yaml::{Mapping, Number, Value};

/// Starts every generated secret value that the redacted previews hide.
pub const SECRET: &str = "Zq1Secret";
/// Starts the generated docker login fields the previews show (server, user name, email).
pub const LOGIN: &str = "Zq2Login";
/// Starts every generated value of a `sensitive` parameter.
pub const SENSITIVE: &str = "Zq3Sensitive";
/// What any marker starts with.
pub const MARKER: &str = "Zq";

/// Text pieces that mean something to YAML 1.1, YAML 1.2, bash or PowerShell.
pub const PIECES: &[&str] = &[
    "'",
    "\"",
    "$",
    "`",
    "!",
    "\\",
    "\n",
    "\t",
    "\r",
    " ",
    "#",
    ":",
    "-",
    "{",
    "}",
    "[",
    "]",
    ",",
    "*",
    "&",
    "?",
    "|",
    ">",
    "%",
    "@",
    "~",
    ";",
    "(",
    ")",
    "<",
    "^",
    "=",
    "é",
    "ß",
    "€",
    "日本",
    "🚀",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{7f}",
    "\u{1}",
    "\u{1b}",
    "\u{0}",
    "\u{8}",
    "on",
    "off",
    "On",
    "OFF",
    "yes",
    "no",
    "Yes",
    "NO",
    "y",
    "n",
    "Y",
    "N",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "False",
    "0755",
    "08",
    "1e3",
    "1E3",
    "0x1F",
    "0o17",
    "0b11",
    "1_000",
    "+1",
    "-0",
    ".5",
    "-.5",
    "1.",
    "12:30",
    "1:20:30",
    "9200",
    "- ",
    ": ",
    " #",
    "---",
    "...",
    "'\\''",
    "$(id)",
    "${HOME}",
    "!!",
    "!!binary",
    "!!str",
    "&a",
    "*a",
    "\n\n",
    "  ",
    "|-",
    ">-",
    "<<",
    ".inf",
    ".NaN",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "=",
    "\u{2018}",
    "\u{2019}",
    "'@",
    "@'",
    "PECFG_SECRET_EOF",
    "EOF",
];

/// Text of up to `max` pieces: printable ASCII, and the pieces above.
pub fn text(u: &mut Unstructured, max: usize) -> Result<String> {
    let pieces = u.int_in_range(0..=max)?;
    let mut out = String::new();
    for _ in 0..pieces {
        match u.int_in_range(0u8..=5)? {
            0 | 1 => out.push_str(u.choose(PIECES)?),
            2 => out.push(u.arbitrary::<char>()?),
            _ => out.push(char::from(u.int_in_range(0x20u8..=0x7e)?)),
        }
    }
    Ok(out)
}

/// A scalar: tricky text, booleans, integers at the edges, floats (finite and not).
pub fn scalar(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(Number::from(u.arbitrary::<i64>()?)),
        3 => Value::Number(Number::from(u.arbitrary::<u64>()?)),
        4 => Value::Number(Number::from(*u.choose(&[
            0.5,
            -2.25,
            1e300,
            1.5e-7,
            1234.0,
            3.0,
            -0.0,
            f64::MAX,
            f64::MIN_POSITIVE,
        ])?)),
        5 => Value::Number(Number::from(u.arbitrary::<f64>()?)),
        6 => Value::Number(Number::from(u.int_in_range(0i64..=70000)?)),
        _ => Value::String(text(u, 8)?),
    })
}

/// A tree of at most `depth` levels under this node.
pub fn value(u: &mut Unstructured, depth: usize) -> Result<Value> {
    if depth == 0 {
        return scalar(u);
    }
    Ok(match u.int_in_range(0u8..=6)? {
        0 => Value::Sequence(
            (0..u.int_in_range(0..=4)?)
                .map(|_| value(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        1 | 2 => {
            let mut map = Mapping::new();
            for _ in 0..u.int_in_range(0..=4)? {
                map.insert(Value::String(text(u, 4)?), value(u, depth - 1)?);
            }
            Value::Mapping(map)
        }
        _ => scalar(u)?,
    })
}

/// A value a parameter of this kind might hold: often a plausible one (its default, an example,
/// an allowed value), else any tree.
fn param_value(u: &mut Unstructured, chart: &Chart, index: usize) -> Result<Value> {
    let Some(param) = chart.params.get(index) else {
        return value(u, 2);
    };
    let mut known: Vec<Value> = param.examples.clone();
    known.extend(param.allowed.iter().cloned());
    known.extend(param.default.iter().cloned());
    if param.sensitive && u.ratio(3u8, 4)? {
        return Ok(Value::String(format!("{SENSITIVE}{}", text(u, 6)?)));
    }
    Ok(match u.int_in_range(0u8..=5)? {
        0 | 1 if !known.is_empty() => u.choose(&known)?.clone(),
        2 => match param.kind {
            Kind::Integer | Kind::Port => {
                Value::Number(Number::from(u.int_in_range(-2i64..=70000)?))
            }
            Kind::Boolean => Value::Bool(u.arbitrary()?),
            Kind::Number => Value::Number(Number::from(u.arbitrary::<f64>()?)),
            Kind::Map => value(u, 1).map(|v| match v {
                Value::Mapping(_) => v,
                other => {
                    let mut map = Mapping::new();
                    map.insert(Value::String("k".into()), other);
                    Value::Mapping(map)
                }
            })?,
            Kind::StringList => Value::Sequence(
                (0..u.int_in_range(0..=3)?)
                    .map(|_| text(u, 4).map(Value::String))
                    .collect::<Result<_>>()?,
            ),
            Kind::ObjectList => {
                let mut items = Vec::new();
                for _ in 0..u.int_in_range(0..=2)? {
                    let mut map = Mapping::new();
                    for field in &param.item {
                        if u.arbitrary()? {
                            map.insert(Value::String(field.name.clone()), scalar(u)?);
                        }
                    }
                    items.push(Value::Mapping(map));
                }
                Value::Sequence(items)
            }
            _ => Value::String(text(u, 8)?),
        },
        _ => value(u, 2)?,
    })
}

/// A secret value for a key of this format, marked.
fn secret_value(u: &mut Unstructured, format: SecretFormat, fields: &[String]) -> Result<Value> {
    let marked = |u: &mut Unstructured, marker: &str| -> Result<String> {
        Ok(format!("{marker}{}", text(u, 10)?))
    };
    Ok(match format {
        SecretFormat::Plain => Value::String(marked(u, SECRET)?),
        SecretFormat::Json if u.arbitrary()? => Value::String(marked(u, SECRET)?),
        SecretFormat::Json => {
            let mut map = Mapping::new();
            for field in fields {
                if u.ratio(3u8, 4)? {
                    map.insert(
                        Value::String(field.clone()),
                        Value::String(marked(u, SECRET)?),
                    );
                }
            }
            Value::Mapping(map)
        }
        SecretFormat::DockerConfigJson => {
            let mut map = Mapping::new();
            for (field, marker) in [
                ("registry", LOGIN),
                ("username", LOGIN),
                ("password", SECRET),
                ("email", LOGIN),
            ] {
                if u.ratio(4u8, 5)? {
                    map.insert(
                        Value::String(field.into()),
                        Value::String(marked(u, marker)?),
                    );
                }
            }
            Value::Mapping(map)
        }
    })
}

/// Whether any text of the tree holds a marker.
pub fn holds_marker(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains(MARKER),
        Value::Sequence(items) => items.iter().any(holds_marker),
        Value::Mapping(map) => map
            .iter()
            .any(|(key, value)| holds_marker(key) || holds_marker(value)),
        Value::Tagged(tagged) => holds_marker(&tagged.value),
        _ => false,
    }
}

/// Whole answers for one of the catalog's charts, and export options. `None` when a generated
/// text outside the secrets happens to hold a marker.
pub fn answers(u: &mut Unstructured) -> Result<Option<(&'static Chart, Answers, ExportOptions)>> {
    let chart = u.choose(pecfg_core::catalog::registry::all_charts())?;
    let mut answers = Answers::new(&chart.id);
    if u.ratio(1u8, 4)? {
        answers.release = Some(text(u, 4)?);
    }
    if u.ratio(1u8, 4)? {
        answers.namespace = Some(text(u, 4)?);
    }
    for _ in 0..u.int_in_range(0..=12)? {
        let index = u.choose_index(chart.params.len().max(1))?;
        let value = param_value(u, chart, index)?;
        if let Some(param) = chart.params.get(index) {
            let sensitive = param.sensitive;
            if !sensitive && holds_marker(&value) {
                return Ok(None);
            }
            let _ = set_value(&mut answers.values, &param.path, value);
        }
    }
    for _ in 0..u.int_in_range(0..=3)? {
        let key = text(u, 3)?;
        let value = value(u, 2)?;
        if key.contains(MARKER) || holds_marker(&value) {
            return Ok(None);
        }
        if let Value::Mapping(map) = &mut answers.values {
            map.insert(Value::String(key), value);
        }
    }
    for _ in 0..u.int_in_range(0..=6)? {
        if chart.secrets.is_empty() || u.ratio(1u8, 10)? {
            // A secret or key the chart does not use.
            let name = format!("x{}", u.int_in_range(0u8..=3)?);
            answers.secrets.entry(name).or_default().insert(
                "k".into(),
                Value::String(format!("{SECRET}{}", text(u, 6)?)),
            );
            continue;
        }
        let spec = u.choose(&chart.secrets)?;
        let Ok(key) = u.choose(&spec.keys) else {
            continue;
        };
        let fields: Vec<String> = key.fields.iter().map(|field| field.name.clone()).collect();
        let value = secret_value(u, key.format, &fields)?;
        answers
            .secrets
            .entry(spec.name.clone())
            .or_default()
            .insert(key.key.clone(), value);
    }
    let options = ExportOptions {
        values_mode: if u.arbitrary()? {
            ValuesMode::Full
        } else {
            ValuesMode::OverridesOnly
        },
        secret_encoding: if u.arbitrary()? {
            SecretEncoding::StringData
        } else {
            SecretEncoding::Data
        },
        helm: if u.arbitrary()? {
            HelmFlavor::V3
        } else {
            HelmFlavor::V4
        },
        chart_ref: if u.ratio(1u8, 3)? {
            Some(text(u, 4)?)
        } else {
            None
        },
        chart_version: if u.ratio(1u8, 4)? {
            Some(text(u, 3)?)
        } else {
            None
        },
        sealed_secrets: u.ratio(1u8, 5)?,
    };
    let outside = [
        &answers.release,
        &answers.namespace,
        &options.chart_ref,
        &options.chart_version,
    ];
    if outside
        .iter()
        .any(|text| text.as_deref().is_some_and(|text| text.contains(MARKER)))
    {
        return Ok(None);
    }
    Ok(Some((chart, answers, options)))
}
