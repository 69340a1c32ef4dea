//! The `images` checks of the environment catalog's cross-chart rules, interpreted for any chart:
//! an image pulled from a public registry while the environment names its own (or is
//! air-gapped), a tag that is missing or moves, images pulled from several registries, and a
//! registry, repository or tag the image reference grammar refuses. Each finding carries the
//! rule's id, severity (its `air_gapped_severity` in an air-gapped environment), message and
//! guide lines. The images come from the inventory (`inventory.rs`): no image is known here.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::inventory::{inventory_of_charts, ImageInventory, Origin, PartState};
use super::reference::{check_registry, registry_matches, split_domain};
use super::{mirror_facts, ImageCheck};
use crate::catalog::environment::CrossVerb;
use crate::catalog::environment::{environment_catalog, CrossRule};
use crate::catalog::Chart;
use crate::diagnostic::RuleId;
use crate::diagnostic::{EnvDiagnostic, Place};
use crate::validation::Evaluated;

/// What the checks need besides the images.
struct Scope<'a> {
    air_gapped: bool,
    /// The registry the environment calls its own (its `own_registry` fact), or the target
    /// registry given for one chart's mirror.
    named: Option<&'a str>,
}

/// Why an `images` verb is malformed (the environment catalog's lint).
pub fn lint_image_check(rule: &CrossRule) -> Vec<String> {
    let CrossVerb::Images(check) = &rule.verb else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    match check {
        ImageCheck::PublicRegistry(true) if mirror_facts().is_none() => {
            problems.push(format!(
                "rule {}: public_registry needs the `mirror` block of platform.yaml",
                rule.id
            ));
        }
        ImageCheck::FloatingTags(tags) if tags.is_empty() => {
            problems.push(format!("rule {}: floating_tags lists no tag", rule.id));
        }
        ImageCheck::Reference(false)
        | ImageCheck::OneRegistry(false)
        | ImageCheck::PublicRegistry(false) => {
            problems.push(format!(
                "rule {}: a check set to false checks nothing",
                rule.id
            ));
        }
        _ => {}
    }
    problems
}

/// The findings of the catalog's `images` rules on an environment: its members' values already
/// merged (`(chart, merged values)` in deployment order, by the one merge each), the registry it
/// calls its own, and whether it is air-gapped.
pub fn environment_image_diagnostics(
    merged: &[(&Chart, &Value)],
    own_registry: Option<&str>,
    air_gapped: bool,
) -> Vec<EnvDiagnostic> {
    image_diagnostics(&inventory_of_charts(merged), own_registry, air_gapped)
}

/// The findings of the catalog's `images` rules on a list of images (one chart's, or an
/// environment's): `named` is the registry the environment calls its own (`shared.image_registry`
/// or a target registry), `air_gapped` whether nothing outside can be reached.
pub fn image_diagnostics(
    inventory: &[ImageInventory],
    named: Option<&str>,
    air_gapped: bool,
) -> Vec<EnvDiagnostic> {
    run(inventory, &Scope { air_gapped, named })
}

/// The `images` rules on one chart's answers, with the target registry given for its mirror.
pub fn chart_image_diagnostics(
    it: &Evaluated,
    target_registry: Option<&str>,
) -> Vec<EnvDiagnostic> {
    let inventory = super::chart_inventory(it);
    image_diagnostics(&inventory, target_registry, false)
}

fn run(inventory: &[ImageInventory], scope: &Scope) -> Vec<EnvDiagnostic> {
    let Ok(catalog) = environment_catalog() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for rule in &catalog.cross_chart {
        let CrossVerb::Images(check) = &rule.verb else {
            continue;
        };
        let mut run = Run {
            rule,
            guide: &catalog.guide,
            scope,
            out: &mut out,
        };
        match check {
            ImageCheck::Reference(true) => run.reference(inventory),
            ImageCheck::PublicRegistry(true) => run.public_registry(inventory),
            ImageCheck::FloatingTags(tags) => run.floating_tags(tags, inventory),
            ImageCheck::OneRegistry(true) => run.one_registry(inventory),
            ImageCheck::Reference(false)
            | ImageCheck::OneRegistry(false)
            | ImageCheck::PublicRegistry(false) => {}
        }
    }
    out.sort_by_key(|diagnostic| diagnostic.severity);
    out
}

struct Run<'r> {
    rule: &'r CrossRule,
    guide: &'r str,
    scope: &'r Scope<'r>,
    out: &'r mut Vec<EnvDiagnostic>,
}

/// `{name}` placeholders filled in; unknown ones stay as they are.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Images a finding names together: one value (a registry several images share) is one finding.
struct Group {
    chart: String,
    path: String,
    /// What is wrong with the value (the refusal, or the public host).
    detail: String,
    images: Vec<String>,
    references: Vec<String>,
}

impl Group {
    fn add(
        groups: &mut Vec<Group>,
        image: &ImageInventory,
        path: String,
        detail: String,
        reference: Option<String>,
    ) {
        let found = groups.iter_mut().find(|group| {
            group.chart == image.chart && group.path == path && group.detail == detail
        });
        match found {
            Some(group) => {
                group.images.push(image.name());
                group.references.extend(reference);
            }
            None => groups.push(Group {
                chart: image.chart.clone(),
                path,
                detail,
                images: vec![image.name()],
                references: reference.into_iter().collect(),
            }),
        }
    }
}

/// The values path of a part (`images/<id>` for a part the guide does not give).
fn part_path(image: &ImageInventory, part: &super::Part) -> String {
    match &part.from {
        Origin::Param { path, .. } => path.clone(),
        _ => format!("images/{}", image.image),
    }
}

/// The values path a part of the image came from, for a finding's `path`.
fn origin_path(image: &ImageInventory, which: &str) -> String {
    let part = match which {
        "registry" => match image.registry.from {
            // No registry part: the registry is read from the repository's value.
            Origin::FromName => &image.repository,
            _ => &image.registry,
        },
        "tag" => &image.tag,
        _ => &image.repository,
    };
    match &part.from {
        Origin::Param { path, .. } => path.clone(),
        _ => format!("images/{}", image.image),
    }
}

impl Run<'_> {
    fn report(
        &mut self,
        charts: Vec<String>,
        path: String,
        default: &str,
        vars: &[(&str, String)],
    ) {
        let severity = match self.rule.air_gapped_severity {
            Some(severity) if self.scope.air_gapped => severity,
            _ => self.rule.severity,
        };
        let template = self.rule.message.as_deref().unwrap_or(default);
        let text = fill(template, vars);
        let [first, last] = self.rule.source.lines;
        let guide = self.rule.source.guide.as_deref().unwrap_or(self.guide);
        let source = if first == last {
            format!("{guide}:{first}")
        } else {
            format!("{guide}:{first}-{last}")
        };
        let text = text.trim_end().trim_end_matches('.');
        let places = charts
            .iter()
            .map(|chart| Place {
                chart: chart.clone(),
                path: Some(path.clone()),
            })
            .collect();
        self.out.push(EnvDiagnostic {
            charts,
            places,
            path,
            severity,
            message: format!("{text} ({source})."),
            rule: RuleId::Catalog(self.rule.id.clone()),
            source: Some(source),
            scope: crate::diagnostic::Scope::Environment,
        });
    }

    fn public(&self, host: &str) -> bool {
        let hosts = mirror_facts()
            .map(|facts| facts.public_registries.hosts.as_slice())
            .unwrap_or_default();
        registry_matches(host, hosts)
    }

    fn reference(&mut self, inventory: &[ImageInventory]) {
        // One finding per refused value: a registry several images share is named once.
        let mut groups: Vec<Group> = Vec::new();
        for image in inventory.iter().filter(|image| image.pulled) {
            for (part, what) in [
                (&image.registry, "registry"),
                (&image.repository, "repository"),
                (&image.tag, "tag"),
            ] {
                if !matches!(part.state, PartState::Refused(_)) {
                    continue;
                }
                let Some(problem) = part.problem(what) else {
                    continue;
                };
                Group::add(&mut groups, image, part_path(image, part), problem, None);
            }
        }
        for group in groups {
            self.report(
                vec![group.chart],
                group.path,
                "{image}: {problem}; it cannot be pulled, and no script will name it",
                &[
                    ("image", group.images.join(", ")),
                    ("problem", group.detail),
                ],
            );
        }
    }

    fn public_registry(&mut self, inventory: &[ImageInventory]) {
        let pulled: Vec<&ImageInventory> = inventory.iter().filter(|image| image.pulled).collect();
        let mut own: Vec<String> = Vec::new();
        if let Some(named) = self
            .scope
            .named
            .map(str::trim)
            .filter(|named| check_registry(named).is_ok())
        {
            let (host, _) = split_domain(&format!("{named}/x"));
            if !self.public(&host) {
                own.push(host);
            }
        }
        for image in &pulled {
            if let Some(host) = &image.host {
                if !self.public(host) && !own.contains(host) {
                    own.push(host.clone());
                }
            }
        }
        if own.is_empty() && !self.scope.air_gapped {
            return;
        }
        let own_text = if own.is_empty() {
            "none is named, and the environment is air-gapped".to_string()
        } else {
            own.join(", ")
        };
        // One finding per value that sends images outside (the detail is the host).
        let mut groups: Vec<Group> = Vec::new();
        for image in pulled {
            let Some(host) = &image.host else {
                continue;
            };
            if !self.public(host) {
                continue;
            }
            Group::add(
                &mut groups,
                image,
                origin_path(image, "registry"),
                host.clone(),
                image.reference.clone(),
            );
        }
        for group in groups {
            let Group {
                chart,
                path,
                detail: host,
                images: names,
                references,
            } = group;
            self.report(
                vec![chart],
                path.clone(),
                "{image} is pulled from {registry} ({reference}), a public registry, while the \
                 environment's own registry is {own}",
                &[
                    ("image", names.join(", ")),
                    ("registry", host),
                    (
                        "reference",
                        if references.is_empty() {
                            "its tag or repository not known yet".to_string()
                        } else {
                            references.join(", ")
                        },
                    ),
                    ("own", own_text.clone()),
                    ("path", path),
                ],
            );
        }
    }

    fn floating_tags(&mut self, floating: &[String], inventory: &[ImageInventory]) {
        for image in inventory.iter().filter(|image| image.pulled) {
            let (tag, problem) = match &image.tag.state {
                PartState::Missing => (
                    "none".to_string(),
                    image.tag.problem("tag").unwrap_or_default(),
                ),
                PartState::Known(tag) if floating.iter().any(|f| f == tag) => (
                    tag.clone(),
                    format!("the tag {tag} moves with every release"),
                ),
                _ => continue,
            };
            self.report(
                vec![image.chart.clone()],
                origin_path(image, "tag"),
                "{image}: {problem}; which version runs is not reproducible",
                &[
                    ("image", image.name()),
                    ("tag", tag),
                    ("problem", problem),
                    ("path", origin_path(image, "tag")),
                ],
            );
        }
    }

    fn one_registry(&mut self, inventory: &[ImageInventory]) {
        let mut hosts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for image in inventory.iter().filter(|image| image.pulled) {
            if let Some(host) = &image.host {
                let charts = hosts.entry(host.clone()).or_default();
                if !charts.contains(&image.chart) {
                    charts.push(image.chart.clone());
                }
            }
        }
        if hosts.len() < 2 {
            return;
        }
        let mut charts: Vec<String> = Vec::new();
        for list in hosts.values() {
            for chart in list {
                if !charts.contains(chart) {
                    charts.push(chart.clone());
                }
            }
        }
        let registries: Vec<String> = hosts
            .iter()
            .map(|(host, charts)| format!("{host} ({})", charts.join(", ")))
            .collect();
        self.report(
            charts,
            "images".into(),
            "the images come from {count} registries: {registries}",
            &[
                ("count", hosts.len().to_string()),
                ("registries", registries.join(", ")),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "1".into()), ("b", "2".into())]),
            "1 and 2 {c}"
        );
    }
}
