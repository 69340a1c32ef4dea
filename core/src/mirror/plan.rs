//! What a mirror copies: every pulled image whose reference is known, from its source registry
//! (the vendor's, or the catalog's `mirror_from` for a third-party image) to the registry the
//! values pull it from (or the one given), keeping repository and tag; and every chart archive the
//! chart or plan installs, from the vendor's Helm repository into your registry as OCI.

use super::inventory::{chart_inventory, inventory_of_charts, ImageInventory, PartState};
use super::reference::{
    check_chart_name, check_registry, check_url, check_version, registry_matches, split_domain,
};
use super::{mirror_facts, MirrorFacts};
use crate::catalog::Chart;
use crate::export::ChartSource;
use crate::validation::Evaluated;

/// The `helm repo add` name the scripts give the vendor's Helm repository (their own, so that a
/// repository of yours with another name is left alone).
pub const SOURCE_HELM_ALIAS: &str = "pecfg-mirror-source";

/// The mirror's inputs; each defaults to the catalog's value (the guide's) or the values'.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MirrorOptions {
    /// The vendor's registry (default: `mirror.source_registry` of the platform catalog).
    pub source_registry: Option<String>,
    /// Your registry (default: the registry each image is pulled from, as the values give it).
    pub target_registry: Option<String>,
    /// The vendor's Helm repository (default: `mirror.helm_repository`).
    pub helm_repository: Option<String>,
    /// The chart version to copy, for one chart (an environment's come from its `sources`).
    pub chart_version: Option<String>,
}

impl MirrorOptions {
    /// Why an option cannot go into a script, one reason each; empty when all can.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, value) in [
            ("the source registry", &self.source_registry),
            ("the target registry", &self.target_registry),
        ] {
            if let Some(Err(why)) = value.as_deref().map(check_registry) {
                problems.push(format!("{what} {why}"));
            }
        }
        if let Some(Err(why)) = self.helm_repository.as_deref().map(check_url) {
            problems.push(format!("the Helm repository {why}"));
        }
        if let Some(Err(why)) = self.chart_version.as_deref().map(check_version) {
            problems.push(format!("the chart version {why}"));
        }
        problems
    }
}

/// One image to copy, or why it is not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCopy {
    /// `chart/image`.
    pub image: String,
    /// The image in the source registry.
    pub source: String,
    /// The image in your registry.
    pub target: String,
    /// It comes from the vendor's registry (which asks for a login).
    pub from_vendor: bool,
    /// Why it is not copied (its registry is outside yours, or source and target are one).
    pub skipped: Option<String>,
}

/// One chart archive to copy, or why it is not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartCopy {
    pub chart: String,
    /// The archive's name in the vendor's Helm repository.
    pub name: Option<String>,
    /// The version; `None` copies the newest.
    pub version: Option<String>,
    /// `oci://<your registry>/<folder>`.
    pub target: Option<String>,
    pub skipped: Option<String>,
}

/// What the mirror scripts do.
#[derive(Debug, Clone, PartialEq)]
pub struct MirrorPlan {
    /// What is mirrored: `chart ixn`, `environment tenant-100`.
    pub title: String,
    pub inventory: Vec<ImageInventory>,
    pub images: Vec<ImageCopy>,
    pub charts: Vec<ChartCopy>,
    /// The vendor's registry.
    pub source_registry: String,
    /// The vendor's Helm repository.
    pub helm_repository: String,
    /// Why the files may not be written: a refused option, or a pulled image whose registry,
    /// repository or tag the grammar refuses. Refused values are never written anyway.
    pub refused: Vec<String>,
}

impl MirrorPlan {
    /// The images actually copied.
    pub fn copied_images(&self) -> impl Iterator<Item = &ImageCopy> {
        self.images.iter().filter(|copy| copy.skipped.is_none())
    }

    /// The charts actually copied.
    pub fn copied_charts(&self) -> impl Iterator<Item = &ChartCopy> {
        self.charts.iter().filter(|copy| copy.skipped.is_none())
    }
}

/// `registry.example.com/genesys` as the runtime reads a registry written before `/repository`
/// (a first part that is no host puts it on Docker Hub: `docker.io/myregistry`).
fn runtime_prefix(registry: &str) -> String {
    let (host, path) = split_domain(&format!("{registry}/x"));
    match path.strip_suffix("/x") {
        Some(rest) if !rest.is_empty() => format!("{host}/{rest}"),
        _ => host,
    }
}

fn host_of(prefix: &str) -> &str {
    prefix.split('/').next().unwrap_or(prefix)
}

struct Context<'f> {
    facts: Option<&'f MirrorFacts>,
    source_registry: String,
    helm_repository: String,
    target: Option<String>,
}

impl Context<'_> {
    fn new(options: &MirrorOptions) -> Context<'static> {
        let facts = mirror_facts();
        let valid = |value: &Option<String>, check: fn(&str) -> Result<(), String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| check(value).is_ok())
                .map(str::to_string)
        };
        Context {
            facts,
            source_registry: valid(&options.source_registry, check_registry)
                .or_else(|| facts.map(|facts| facts.source_registry.value.clone()))
                .unwrap_or_default(),
            helm_repository: valid(&options.helm_repository, check_url)
                .or_else(|| facts.map(|facts| facts.helm_repository.value.clone()))
                .unwrap_or_default(),
            target: valid(&options.target_registry, check_registry),
        }
    }

    /// A registry outside yours: a public one, or the vendor's own.
    fn outside(&self, prefix: &str) -> bool {
        let host = host_of(prefix);
        let public = self
            .facts
            .map(|facts| facts.public_registries.hosts.as_slice())
            .unwrap_or_default();
        registry_matches(host, public)
            || (!self.source_registry.is_empty() && host == host_of(&self.source_registry))
    }

    fn image_copy(&self, image: &ImageInventory) -> Option<ImageCopy> {
        let (Some(kept), Some(prefix), Some(tag)) = (&image.kept, &image.prefix, image.tag.known())
        else {
            return None;
        };
        let from = image
            .mirror_from
            .clone()
            .unwrap_or_else(|| self.source_registry.clone());
        let target_prefix = self.target.clone().unwrap_or_else(|| prefix.clone());
        let source = format!("{from}/{kept}:{tag}");
        let target = format!("{target_prefix}/{kept}:{tag}");
        let skipped = if from.is_empty() {
            Some("the vendor's registry is not known".to_string())
        } else if self.target.is_none() && self.outside(prefix) {
            Some(format!(
                "it is pulled from {}, outside your registry: set its registry to yours (or give \
                 the target registry) to mirror it",
                host_of(prefix)
            ))
        } else if self.outside(&target_prefix) {
            Some(format!(
                "the target registry {} is outside your network",
                host_of(&target_prefix)
            ))
        } else if source == target {
            Some("its source and target are the same".to_string())
        } else {
            None
        };
        Some(ImageCopy {
            image: image.name(),
            source,
            target,
            from_vendor: image.mirror_from.is_none(),
            skipped,
        })
    }

    /// The registry a chart's archive goes to: the one given, the environment's, or the first
    /// registry of your own the chart's images name.
    fn chart_target(&self, shared: Option<&str>, images: &[&ImageInventory]) -> Option<String> {
        if let Some(target) = &self.target {
            return Some(target.clone());
        }
        if let Some(shared) = shared.filter(|registry| check_registry(registry).is_ok()) {
            let prefix = runtime_prefix(shared);
            if !self.outside(&prefix) {
                return Some(prefix);
            }
        }
        images.iter().find_map(|image| {
            let prefix = match (&image.prefix, &image.registry.state, &image.registry.from) {
                (Some(prefix), _, _) => prefix.clone(),
                (None, PartState::Known(registry), super::Origin::Param { .. }) => {
                    runtime_prefix(registry)
                }
                _ => return None,
            };
            (!self.outside(&prefix)).then_some(prefix)
        })
    }

    fn chart_copy(
        &self,
        chart: &Chart,
        source: Option<&ChartSource>,
        version: Option<&str>,
        target: Option<String>,
        refused: &mut Vec<String>,
    ) -> ChartCopy {
        let archive = self
            .facts
            .and_then(|facts| facts.charts.iter().find(|entry| entry.chart == chart.id));
        let mut copy = ChartCopy {
            chart: chart.id.clone(),
            name: None,
            version: None,
            target: None,
            skipped: None,
        };
        if source.is_some_and(|source| source.reference.is_some()) {
            copy.skipped = Some(format!(
                "the plan installs it from sources.{}.ref, not from the vendor's Helm repository",
                chart.id
            ));
            return copy;
        }
        let given_name = source
            .and_then(|source| source.chart.as_deref())
            .map(str::trim);
        let name = match given_name {
            Some(name) => match check_chart_name(name) {
                Ok(()) => Some(name.to_string()),
                Err(why) => {
                    refused.push(format!("sources.{}.chart {why}", chart.id));
                    copy.skipped = Some("its chart name was refused".into());
                    return copy;
                }
            },
            None => archive.and_then(|archive| archive.name.clone()),
        };
        let Some(name) = name else {
            copy.skipped = Some(
                "the guide names no archive for it in the vendor's Helm repository (give \
                 sources.<chart>.chart)"
                    .into(),
            );
            return copy;
        };
        copy.name = Some(name);
        if let Some(version) = version.map(str::trim).filter(|v| !v.is_empty()) {
            match check_version(version) {
                Ok(()) => copy.version = Some(version.to_string()),
                Err(why) => {
                    refused.push(format!("the version of chart {} {why}", chart.id));
                    copy.skipped = Some("its version was refused".into());
                    return copy;
                }
            }
        }
        let folder = self
            .facts
            .map(|facts| facts.chart_folder.value.trim_matches('/').to_string())
            .unwrap_or_default();
        match target {
            Some(prefix) => {
                copy.target = Some(if folder.is_empty() {
                    format!("oci://{prefix}")
                } else {
                    format!("oci://{prefix}/{folder}")
                })
            }
            None => {
                copy.skipped =
                    Some("no registry of yours is known for it (give the target registry)".into())
            }
        }
        if copy.skipped.is_none() && self.helm_repository.is_empty() {
            copy.skipped = Some("the vendor's Helm repository is not known".into());
        }
        copy
    }
}

fn plan_of(
    title: String,
    inventory: Vec<ImageInventory>,
    context: &Context,
    options: &MirrorOptions,
    charts: Vec<ChartCopy>,
    mut refused: Vec<String>,
) -> MirrorPlan {
    refused.splice(0..0, options.problems());
    let mut images: Vec<ImageCopy> = Vec::new();
    for image in inventory.iter().filter(|image| image.pulled) {
        refused.extend(
            image
                .refusals()
                .into_iter()
                .map(|why| format!("{}: {why}", image.name())),
        );
        if let Some(copy) = context.image_copy(image) {
            // Two charts pulling the same image copy it once.
            if !images.iter().any(|known| known.target == copy.target) {
                images.push(copy);
            }
        }
    }
    MirrorPlan {
        title,
        inventory,
        images,
        charts,
        source_registry: context.source_registry.clone(),
        helm_repository: context.helm_repository.clone(),
        refused,
    }
}

/// The mirror of one chart's answers.
pub fn chart_mirror(it: &Evaluated, options: &MirrorOptions) -> MirrorPlan {
    let chart = it.chart;
    let context = Context::new(options);
    let inventory = chart_inventory(it);
    let mut refused = Vec::new();
    let mine: Vec<&ImageInventory> = inventory.iter().collect();
    let target = context.chart_target(None, &mine);
    let charts = vec![context.chart_copy(
        chart,
        None,
        options.chart_version.as_deref(),
        target,
        &mut refused,
    )];
    plan_of(
        format!("chart {}", chart.id),
        inventory,
        &context,
        options,
        charts,
        refused,
    )
}

/// One chart of an environment, as its mirror needs it.
pub struct MirrorMember<'a> {
    pub chart: &'a Chart,
    /// Its merged values, from the one evaluation of its answers.
    pub merged: &'a serde_yaml::Value,
    /// Where the environment says the chart comes from.
    pub source: &'a ChartSource,
}

/// The mirror of an environment: every member's images and chart archives, in deployment order;
/// a chart's archive name and version come from the environment's `sources` when given, and its
/// target registry from the environment's own registry unless the options give one.
pub fn environment_mirror(
    name: &str,
    members: &[MirrorMember],
    own_registry: Option<&str>,
    options: &MirrorOptions,
) -> MirrorPlan {
    let context = Context::new(options);
    let merged: Vec<(&Chart, &serde_yaml::Value)> = members
        .iter()
        .map(|member| (member.chart, member.merged))
        .collect();
    let inventory = inventory_of_charts(&merged);
    let mut refused = Vec::new();
    let mut charts = Vec::new();
    for member in members {
        let mine: Vec<&ImageInventory> = inventory
            .iter()
            .filter(|image| image.chart == member.chart.id)
            .collect();
        let target = context.chart_target(own_registry, &mine);
        let version = member.source.version.clone();
        charts.push(context.chart_copy(
            member.chart,
            Some(member.source),
            version.as_deref(),
            target,
            &mut refused,
        ));
    }
    plan_of(
        format!("environment {name}"),
        inventory,
        &context,
        options,
        charts,
        refused,
    )
}
