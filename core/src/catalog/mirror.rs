//! The `mirror:` block of `catalog/platform.yaml`: where the vendor publishes its images and chart archives, which registries count as public, and each chart's archive name (`mirror/` reads it).

use serde::{Deserialize, Serialize};

use super::Source;

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
