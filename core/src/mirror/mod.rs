//! Air-gapped mirroring: which container images and chart archives the chosen values pull, and the
//! scripts that copy them from the vendor's registry and Helm repository into your own.
//!
//! Everything about the images is catalog data: each chart file's `images:` (which values form an
//! image's registry, repository and tag, and when it is pulled), the `mirror:` block of
//! `catalog/platform.yaml` (the vendor's registry and Helm repository, the archive name of each
//! chart, what counts as a public registry), and the `images` checks among the cross-chart rules
//! of `catalog/environment.yaml`. This module knows no image.
//!
//! - `reference.rs` — the image reference grammar and the container runtime's reading of a name.

pub mod reference;

use serde::{Deserialize, Serialize};

use crate::catalog::Source;

/// `mirror:` of `catalog/platform.yaml`: where the vendor publishes, and how a mirror is laid out.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MirrorFacts {
    /// The vendor's container registry: every image without a `mirror_from` is copied from here.
    pub source_registry: MirrorFact,
    /// The vendor's Helm repository, where the chart archives are pulled from.
    pub helm_repository: MirrorFact,
    /// The folder of your registry the chart archives are pushed to (`oci://<registry>/<folder>`).
    pub chart_folder: MirrorFact,
    /// Registries outside your network: an image pulled from one of these while the environment
    /// names its own registry is reported. `*.domain` names every host under a domain.
    pub public_registries: PublicRegistries,
    /// The archive of each chart in the vendor's Helm repository.
    pub charts: Vec<ChartArchive>,
}

/// One documented value of the mirror block.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MirrorFact {
    pub value: String,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// The registries that count as public (outside an air gap).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PublicRegistries {
    pub hosts: Vec<String>,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// A chart's archive in the vendor's Helm repository; `name` is absent when the guide names none.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartArchive {
    pub chart: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// The mirror block checked: values the scripts can use, known charts, each chart once.
pub fn lint_mirror_facts(facts: &MirrorFacts, chart_ids: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(why) = reference::check_registry(&facts.source_registry.value) {
        problems.push(format!("platform: mirror.source_registry {why}"));
    }
    if let Err(why) = reference::check_url(&facts.helm_repository.value) {
        problems.push(format!("platform: mirror.helm_repository {why}"));
    }
    if let Err(why) = reference::check_repository(&facts.chart_folder.value) {
        problems.push(format!("platform: mirror.chart_folder {why}"));
    }
    if facts.public_registries.hosts.is_empty() {
        problems.push("platform: mirror.public_registries lists no host".into());
    }
    let mut seen = Vec::new();
    for archive in &facts.charts {
        if !chart_ids.contains(&archive.chart.as_str()) {
            problems.push(format!(
                "platform: mirror names unknown chart `{}`",
                archive.chart
            ));
        }
        if seen.contains(&archive.chart.as_str()) {
            problems.push(format!(
                "platform: mirror lists chart {} twice",
                archive.chart
            ));
        }
        seen.push(archive.chart.as_str());
        if let Some(Err(why)) = archive.name.as_deref().map(reference::check_chart_name) {
            problems.push(format!(
                "platform: mirror chart {}: the name {why}",
                archive.chart
            ));
        }
    }
    problems
}

/// The platform catalog's mirror block, when it has one.
pub fn mirror_facts() -> Option<&'static MirrorFacts> {
    crate::charts::platform().mirror.as_ref()
}
