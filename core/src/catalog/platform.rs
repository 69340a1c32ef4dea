//! Platform facts shared by every chart (namespaces, priority classes, pull secret, security context), read from `catalog/platform.yaml`.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::catalog::Source;

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// The platform guide's file name under `shared/seeds/`.
    pub guide: String,
    /// Every guide the catalog cites, with its title.
    #[serde(default)]
    pub guides: Vec<GuideTitle>,
    /// The namespace table: one row per service group.
    pub namespaces: Vec<NamespaceRow>,
    /// The documented `priorityClassName` values.
    pub priority_classes: Vec<PriorityClass>,
    /// How the image pull secret is made.
    pub pull_secret: PullSecret,
    /// The default security context and the arbitrary-UID variant.
    pub security_context: SecurityContextFacts,
    /// How overrides reach Helm (`-f`, `--set`, `--set-string`).
    pub overrides: Vec<Note>,
    /// The order services must be deployed in, when the guide gives it.
    #[serde(default)]
    pub deployment_order: Vec<Note>,
    /// Where the vendor publishes images and charts, for an air-gapped mirror (`mirror/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<super::mirror::MirrorFacts>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NamespaceRow {
    pub service_group: String,
    /// One or more namespace names (some groups have several).
    pub namespaces: Vec<String>,
    /// Chart ids of this project that deploy into this row's first namespace.
    #[serde(default)]
    pub charts: Vec<String>,
    #[serde(flatten)]
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriorityClass {
    pub name: String,
    /// The priority value from the guide's table; absent when the guide gives none for this class.
    #[serde(default)]
    pub value: Option<i64>,
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PullSecret {
    pub doc: String,
    /// Example name the guide uses, if any.
    #[serde(default)]
    pub example_name: Option<String>,
    /// The command the guide documents.
    #[serde(default)]
    pub command: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecurityContextFacts {
    /// The default pod security context as YAML (runAsUser/runAsGroup/fsGroup 500).
    pub default: Value,
    pub doc: String,
    /// What to set for arbitrary UIDs (OpenShift restricted SCC).
    pub arbitrary_uid: Value,
    pub arbitrary_uid_doc: String,
    #[serde(flatten)]
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub doc: String,
    #[serde(flatten)]
    pub source: Source,
}

pub fn parse_platform(yaml_text: &str) -> Result<Platform, serde_yaml::Error> {
    serde_yaml::from_str(yaml_text)
}

impl Platform {
    pub fn namespace_for_chart(&self, chart_id: &str) -> Option<&str> {
        self.namespaces
            .iter()
            .find(|row| row.charts.iter().any(|chart| chart == chart_id))
            .and_then(|row| row.namespaces.first())
            .map(String::as_str)
    }
}

/// A guide the catalog cites: its file name under `shared/seeds/` and the title people know it by.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GuideTitle {
    pub file: String,
    pub title: String,
}
