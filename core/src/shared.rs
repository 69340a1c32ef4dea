//! The facts an environment gives once (tenant UUID, registry, pull secret…) applied to one chart's answers: where each went, and where the chart keeps its own value.
//!
//! Which parameter or Secret key carries a fact is chart catalog data (`shared: <fact id>`), so
//! this needs the chart and the facts alone: a member chart's form applies them on every change
//! without the rest of the environment's code. A fact fills a place the chart leaves at its
//! default; a value of the chart's own wins and is reported. A value that is still the guide's
//! prefilled sample is not the user's own: the fact replaces it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::answers::{field_state, reset_value, set_value, Answers, FieldState};
use crate::catalog::{Chart, Kind, SecretFormat};
use crate::path::{get, parse_path};

/// Where a shared fact went, or where a chart kept its own value instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub chart: String,
    /// A values path, or `secret/key` for a Secret.
    pub target: String,
    pub fact: String,
}

/// What applying the facts did to one chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Facts written into the chart.
    pub applied: Vec<Applied>,
    /// Places where the chart's own value differs from the fact and wins.
    pub overridden: Vec<Applied>,
}

/// A chart's answers with the facts applied, and what was applied and overridden. The facts are
/// as the environment gives them to charts (`EnvironmentCatalog::facts_for_charts`: a field one
/// fact leaves empty already filled from another).
pub fn apply_facts(
    chart: &Chart,
    answers: &Answers,
    facts: &BTreeMap<String, Value>,
) -> (Answers, Report) {
    let mut given = answers.clone();
    let mut report = Report::default();
    apply(chart, &mut given, facts, &mut report);
    (given, report)
}

/// The facts applied to a member chart's form: as [`apply_facts`], except that a value still
/// holding the guide's prefilled sample gives way to the fact (the form starts with samples
/// filled in; they are not the user's own values).
pub fn apply_facts_to_form(
    chart: &Chart,
    own: &Answers,
    facts: &BTreeMap<String, Value>,
) -> (Answers, Report) {
    apply_facts(chart, &without_prefilled_facts(chart, own), facts)
}

/// The answers with every fact-carrying parameter that still holds the guide's prefilled sample
/// reset to the default: the sample is not the user's own value, so a fact may take its place.
pub fn without_prefilled_facts(chart: &Chart, answers: &Answers) -> Answers {
    let mut body = answers.clone();
    for param in &chart.params {
        let (Some(_), Some(prefill)) = (&param.shared, &param.prefill) else {
            continue;
        };
        let holds_prefill = parse_path(&param.path)
            .ok()
            .and_then(|segments| get(&body.values, &segments).cloned())
            .is_some_and(|value| &value == prefill);
        if holds_prefill {
            let _ = reset_value(&mut body.values, &param.path);
        }
    }
    body
}

/// A value fact in the shape a parameter of `kind` takes: a pull-secret name becomes a list of
/// `{name}` for an `object_list`, a port becomes text for a string parameter.
fn adapt(kind: Kind, value: &Value) -> Value {
    let text = crate::yaml::display_value(value);
    match kind {
        Kind::ObjectList => {
            let mut item = Mapping::new();
            item.insert(Value::from("name"), Value::String(text));
            Value::Sequence(vec![Value::Mapping(item)])
        }
        Kind::StringList => Value::Sequence(vec![Value::String(text)]),
        Kind::Port | Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| value.clone()),
        kind if kind.is_string_like() => Value::String(text),
        _ => value.clone(),
    }
}

fn apply(chart: &Chart, answers: &mut Answers, facts: &BTreeMap<String, Value>, out: &mut Report) {
    let record = |target: String, fact: &str| Applied {
        chart: chart.id.clone(),
        target,
        fact: fact.to_string(),
    };
    for param in &chart.params {
        let Some(fact) = param.shared.as_deref() else {
            continue;
        };
        let Some(value) = facts.get(fact).filter(|value| !value.is_null()) else {
            continue;
        };
        let wanted = adapt(param.kind, value);
        if field_state(&answers.values, &param.path) != FieldState::Default {
            let own = parse_path(&param.path)
                .ok()
                .and_then(|segments| get(&answers.values, &segments));
            if own != Some(&wanted) {
                out.overridden.push(record(param.path.clone(), fact));
            }
            continue;
        }
        if set_value(&mut answers.values, &param.path, wanted).is_ok() {
            out.applied.push(record(param.path.clone(), fact));
        }
    }
    for spec in &chart.secrets {
        for key in &spec.keys {
            let fact = match (key.shared.as_deref(), spec.shared.as_deref(), key.format) {
                (Some(fact), _, _) => fact,
                (None, Some(fact), SecretFormat::DockerConfigJson) => fact,
                _ => continue,
            };
            let Some(Value::Mapping(fields)) = facts.get(fact) else {
                continue;
            };
            // Only the fields the chart's key declares: GES reads three of ORS Redis's four.
            let fields: Mapping = fields
                .iter()
                .filter(|(name, _)| {
                    key.fields.is_empty()
                        || key
                            .fields
                            .iter()
                            .any(|field| Some(field.name.as_str()) == name.as_str())
                })
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let target = format!("{}/{}", spec.name, key.key);
            let given = answers
                .secrets
                .get(&spec.name)
                .and_then(|keys| keys.get(&key.key))
                .filter(|value| !value.is_null());
            if let Some(own) = given {
                if own != &Value::Mapping(fields) {
                    out.overridden.push(record(target, fact));
                }
                continue;
            }
            answers
                .secrets
                .entry(spec.name.clone())
                .or_default()
                .insert(key.key.clone(), Value::Mapping(fields));
            out.applied.push(record(target, fact));
        }
    }
}
