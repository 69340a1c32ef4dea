//! The images a chart's answers pull, as the kubelet will pull them: each part read from the
//! merged values (the catalog defaults and the overrides, merged once by `validation::evaluate`),
//! composed as the chart composes it (registry, `/`, repository, `:`, tag), and traced to the
//! parameter it came from. A part that is not given is reported as missing, never invented: a tag
//! left to the chart's own default (which the guide does not print) is named as such.

use serde::Serialize;
use serde_yaml::Value;

use super::reference::{
    check_length, check_name, check_registry, check_repository, check_tag, split_domain,
    without_placeholders,
};
use crate::catalog::{Chart, Condition, ImagePart, ImageSpec, State};
use crate::validation::util::{is_empty, is_on, text};
use crate::validation::Evaluated;

/// Where a part of an image reference comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Origin {
    /// A parameter's merged value; `default` when it is the catalog's default.
    Param { path: String, default: bool },
    /// A value the chart fixes (the catalog's `{value: …}`).
    Constant,
    /// The chart writes no registry: the runtime reads it from the name (Docker Hub when the
    /// name's first part is not a host).
    FromName,
    /// The guide does not give this part: the chart's own default applies, unknown here.
    Undocumented,
}

/// What is known of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "text", rename_all = "snake_case")]
pub enum PartState {
    /// The text, checked against the image reference grammar.
    Known(String),
    /// No value (absent, null or blank), or not documented.
    Missing,
    /// Holds an envsubst placeholder (`${NAME}`): known only after substitution.
    Pending,
    /// Refused by the grammar, with the reason; the value itself is never kept.
    Refused(String),
}

/// One part of an image reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    #[serde(flatten)]
    pub from: Origin,
    #[serde(flatten)]
    pub state: PartState,
}

impl Part {
    pub fn known(&self) -> Option<&str> {
        match &self.state {
            PartState::Known(text) => Some(text),
            _ => None,
        }
    }

    /// Where the part came from, in words (`image.registry`, `the chart's constant`…).
    pub fn origin_text(&self) -> String {
        match &self.from {
            Origin::Param {
                path,
                default: true,
            } => format!("{path}, its default"),
            Origin::Param { path, .. } => path.clone(),
            Origin::Constant => "a constant of the chart".into(),
            Origin::FromName => "the name (the chart writes no registry)".into(),
            Origin::Undocumented => "not in the guide".into(),
        }
    }

    /// Why the part is not known, in words; `None` when it is.
    pub fn problem(&self, what: &str) -> Option<String> {
        let given = match &self.from {
            Origin::Param { path, .. } => format!("`{path}`"),
            _ => format!("the {what}"),
        };
        match (&self.state, &self.from) {
            (PartState::Known(_), _) => None,
            (PartState::Missing, Origin::Undocumented) => Some(format!(
                "the guide gives no {what}: the chart's own default applies, which the guide does \
                 not print"
            )),
            (PartState::Missing, Origin::FromName) => Some(format!(
                "the {what} is read from the name, which is not known"
            )),
            (PartState::Missing, _) if what != "registry" => Some(format!(
                "{given} is not set: the chart's own default applies, which the guide does not \
                 print"
            )),
            (PartState::Missing, _) => Some(format!("{given} is not set")),
            (PartState::Pending, _) => Some(format!(
                "{given} holds an envsubst placeholder: the {what} is known after substitution"
            )),
            (PartState::Refused(why), _) => Some(format!("{given} {why}")),
        }
    }
}

/// One image of a chart with the chosen values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageInventory {
    /// The chart id.
    pub chart: String,
    /// The image id in the chart's catalog.
    pub image: String,
    pub doc: String,
    /// The image's conditions hold: the chart pulls it.
    pub pulled: bool,
    /// Which condition keeps it from being pulled, when it is not.
    pub skipped: Option<String>,
    pub registry: Part,
    pub repository: Part,
    pub tag: Part,
    /// `registry/repository:tag` as the kubelet pulls it (the runtime's reading of the name:
    /// Docker Hub for a name whose first part is no host), when every part is known.
    pub reference: Option<String>,
    /// The registry host it is pulled from, when the registry is known.
    pub host: Option<String>,
    /// What comes before the kept repository in `reference` (`registry.example.com/genesys`).
    pub prefix: Option<String>,
    /// The repository a mirror keeps: the chart's repository part (the path of the name for an
    /// image without a registry part).
    pub kept: Option<String>,
    /// The registry the catalog says the image is copied from, when not the vendor's.
    pub mirror_from: Option<String>,
    /// The guide lines of the catalog entry (`file:first-last`).
    pub lines: String,
}

impl ImageInventory {
    /// `chart/image`, how the reports and scripts name it.
    pub fn name(&self) -> String {
        format!("{}/{}", self.chart, self.image)
    }

    /// Every part's problem, in the order registry, repository, tag.
    pub fn problems(&self) -> Vec<String> {
        [
            (&self.registry, "registry"),
            (&self.repository, "repository"),
            (&self.tag, "tag"),
        ]
        .into_iter()
        .filter_map(|(part, what)| part.problem(what))
        .collect()
    }

    /// The refusals of the grammar among its parts.
    pub fn refusals(&self) -> Vec<String> {
        [
            (&self.registry, "registry"),
            (&self.repository, "repository"),
            (&self.tag, "tag"),
        ]
        .into_iter()
        .filter(|(part, _)| matches!(part.state, PartState::Refused(_)))
        .filter_map(|(part, what)| part.problem(what))
        .collect()
    }
}

/// Every image of the chart with these answers, in catalog order, read from the merged values of
/// their one evaluation.
pub fn chart_inventory(it: &Evaluated) -> Vec<ImageInventory> {
    inventory_of_merged(it.chart, it.merged())
}

/// Every image of several charts (an environment's members, in deployment order), each from its
/// merged values.
pub fn inventory_of_charts(merged: &[(&Chart, &Value)]) -> Vec<ImageInventory> {
    merged
        .iter()
        .flat_map(|(chart, values)| inventory_of_merged(chart, values))
        .collect()
}

/// The images of a chart from values already merged (defaults and overrides, by the one merge).
pub fn inventory_of_merged(chart: &Chart, merged: &Value) -> Vec<ImageInventory> {
    chart
        .images
        .iter()
        .map(|spec| image_of(chart, spec, merged))
        .collect()
}

fn value_at<'v>(merged: &'v Value, path: &str) -> Option<&'v Value> {
    let segments = crate::path::parse_path(path).ok()?;
    crate::path::get(merged, &segments).filter(|value| !value.is_null())
}

/// A condition of the rule vocabulary on the merged values (a parameter path).
fn holds(merged: &Value, condition: &Condition) -> bool {
    let value = value_at(merged, condition.path());
    let set = match condition.equals() {
        Some(wanted) => value
            .and_then(text)
            .is_some_and(|found| Some(found.trim().to_string()) == text(wanted)),
        None => !is_empty(value),
    };
    match condition.state() {
        State::Set => set,
        State::Empty => !set,
        State::On => is_on(value),
        State::Off => !is_on(value),
    }
}

fn condition_text(condition: &Condition) -> String {
    let path = condition.path();
    match (condition.state(), condition.equals()) {
        (State::Set, Some(value)) => format!("`{path}` is {}", text(value).unwrap_or_default()),
        (State::Empty, Some(value)) => {
            format!("`{path}` is not {}", text(value).unwrap_or_default())
        }
        (State::Set, None) => format!("`{path}` is set"),
        (State::Empty, None) => format!("`{path}` is empty"),
        (State::On, _) => format!("`{path}` is on"),
        (State::Off, _) => format!("`{path}` is off"),
    }
}

fn read_part(
    chart: &Chart,
    spec: Option<&ImagePart>,
    merged: &Value,
    check: fn(&str) -> Result<(), String>,
) -> Part {
    let (from, value) = match spec {
        None => (Origin::Undocumented, None),
        Some(ImagePart::Constant(constant)) => (
            Origin::Constant,
            Some(Value::String(constant.value.clone())),
        ),
        Some(ImagePart::Path(path)) => {
            let value = value_at(merged, path).cloned();
            let default = value.is_some()
                && chart
                    .param(path)
                    .and_then(|param| param.default.as_ref())
                    .is_some_and(|default| Some(default) == value.as_ref());
            (
                Origin::Param {
                    path: path.clone(),
                    default,
                },
                value,
            )
        }
    };
    let state = match value {
        None => PartState::Missing,
        Some(Value::String(text)) if text.trim().is_empty() => PartState::Missing,
        Some(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
            let text = crate::yaml::display_value(&value);
            match check(&text) {
                Ok(()) => PartState::Known(text),
                Err(why) => match without_placeholders(&text) {
                    Some(filled) if check(&filled).is_ok() => PartState::Pending,
                    _ => PartState::Refused(why),
                },
            }
        }
        Some(Value::Sequence(_)) => PartState::Refused("is a list, not text".into()),
        Some(_) => PartState::Refused("is a map, not text".into()),
    };
    Part { from, state }
}

fn image_of(chart: &Chart, spec: &ImageSpec, merged: &Value) -> ImageInventory {
    let failing = spec
        .when
        .iter()
        .find(|condition| !holds(merged, condition))
        .map(|condition| format!("pulled only while {}", condition_text(condition)))
        .or_else(|| {
            spec.unless
                .iter()
                .find(|condition| holds(merged, condition))
                .map(|condition| format!("not pulled while {}", condition_text(condition)))
        });
    let has_registry = spec.registry.is_some();
    let repository = read_part(
        chart,
        spec.repository.as_ref(),
        merged,
        if has_registry {
            check_repository
        } else {
            check_name
        },
    );
    let tag = read_part(chart, spec.tag.as_ref(), merged, check_tag);
    let registry = match &spec.registry {
        Some(part) => read_part(chart, Some(part), merged, check_registry),
        None => Part {
            from: Origin::FromName,
            state: match repository.known() {
                Some(name) => PartState::Known(split_domain(name).0),
                None => PartState::Missing,
            },
        },
    };
    let mut inventory = ImageInventory {
        chart: chart.id.clone(),
        image: spec.id.clone(),
        doc: spec.doc.trim().to_string(),
        pulled: failing.is_none(),
        skipped: failing,
        registry,
        repository,
        tag,
        reference: None,
        host: None,
        prefix: None,
        kept: None,
        mirror_from: spec.mirror_from.clone(),
        lines: {
            let [first, last] = spec.source.lines;
            let guide = chart.guide_for(&spec.source);
            if first == last {
                format!("{guide}:{first}")
            } else {
                format!("{guide}:{first}-{last}")
            }
        },
    };
    // The host is known with the registry, even while the repository or tag is not.
    inventory.host = inventory.registry.known().map(|registry| {
        if has_registry {
            split_domain(&format!("{registry}/x")).0
        } else {
            registry.to_string()
        }
    });
    let (Some(registry), Some(repository), Some(tag)) = (
        inventory.registry.known().map(str::to_string),
        inventory.repository.known().map(str::to_string),
        inventory.tag.known().map(str::to_string),
    ) else {
        return inventory;
    };
    // The chart joins registry and repository with `/`; an image without a registry part is the
    // repository alone, which the runtime reads (a host first, or Docker Hub).
    let (written, kept) = if has_registry {
        (format!("{registry}/{repository}"), repository)
    } else {
        let kept = split_domain(&repository).1;
        (repository, kept)
    };
    if let Err(why) = check_length(&written) {
        inventory.tag.state = PartState::Refused(why);
        return inventory;
    }
    let (host, path) = split_domain(&written);
    let name = format!("{host}/{path}");
    inventory.prefix = Some(
        name.strip_suffix(&format!("/{kept}"))
            .unwrap_or(&host)
            .to_string(),
    );
    inventory.reference = Some(format!("{name}:{tag}"));
    inventory.host = Some(host);
    inventory.kept = Some(kept);
    inventory
}
