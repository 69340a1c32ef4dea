//! The unit-group catalog (`catalog/group.yaml`): the facts a unit and a tenant's placement give beyond an environment's shared facts, which service may run in a secondary unit, and the checks across the units of a group.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Kind, Severity, Source};

/// The group catalog, compiled in like the chart files.
pub const GROUP_FILE: &str = include_str!("../../../catalog/group.yaml");

/// `catalog/group.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupCatalog {
    pub guide: String,
    /// Facts a unit gives (`units[].facts`).
    #[serde(default)]
    pub unit_facts: Vec<GroupFact>,
    /// Facts a tenant gives for one of its units (`tenants[].units.<unit>.facts`).
    #[serde(default)]
    pub placement_facts: Vec<GroupFact>,
    /// Per chart, whether its service may run in a secondary unit.
    pub services: Vec<ServicePlacement>,
    #[serde(default)]
    pub cross_unit: Vec<UnitRule>,
}

/// A fact of a unit or of a tenant's placement: a single value, read by the checks across units.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupFact {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// Where a chart's service may run: the primary unit always, a secondary unit when `secondary`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServicePlacement {
    pub chart: String,
    pub secondary: bool,
    pub doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

/// A check across the units of a group; exactly one verb is filled in.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnitRule {
    pub id: String,
    pub doc: String,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(flatten)]
    pub source: Source,
    #[serde(flatten)]
    pub verb: UnitVerb,
}

/// The vocabulary of checks across units: one variant per verb.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum UnitVerb {
    /// Exactly this many units are `primary` (`{count}`, `{units}`).
    PrimaryUnits(u32),
    /// No chart whose service runs in the primary unit only (`services`) is placed on a secondary
    /// unit (`{chart}`, `{why}`, `{tenant}`, `{unit}`, `{primary}`).
    Placement(bool),
    /// Each region holds at least this many units (`{region}`, `{count}`, `{units}`).
    UnitsPerRegion(u32),
    /// A tenant on several units names its master unit, one of its units, which runs the first of
    /// these charts; the plans install these charts on the master unit first (`{tenant}`,
    /// `{problem}`).
    MasterFirst(Vec<String>),
    /// Every placement of a tenant running `chart` gives `placement_fact` identically, naming the
    /// master unit's `unit_fact` (`{tenant}`, `{unit}`, `{problem}`).
    MasterLocation(MasterLocation),
    /// Values that differ between the tenants placed on one unit (`{tenants}`, `{what}`,
    /// `{value}`, `{unit}`).
    UniquePerUnit(Vec<UniqueRef>),
}

/// The `master_location` verb: which chart carries the master location, the unit fact it names
/// and the placement fact that gives it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MasterLocation {
    pub chart: String,
    pub unit_fact: String,
    pub placement_fact: String,
}

/// One value of `unique_per_unit`: `chart:path` (its merged value), or `release` (every chart's
/// release in its namespace); `last` compares only the last characters (a short id).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UniqueRef {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<usize>,
    pub what: String,
}

impl UnitVerb {
    pub fn name(&self) -> &'static str {
        match self {
            UnitVerb::PrimaryUnits(_) => "primary_units",
            UnitVerb::Placement(_) => "placement",
            UnitVerb::UnitsPerRegion(_) => "units_per_region",
            UnitVerb::MasterFirst(_) => "master_first",
            UnitVerb::MasterLocation(_) => "master_location",
            UnitVerb::UniquePerUnit(_) => "unique_per_unit",
        }
    }
}

impl GroupCatalog {
    /// Whether a chart's service may run in a secondary unit, with the row that says so (a chart
    /// the table does not list is not restricted).
    pub fn placement(&self, chart: &str) -> Option<&ServicePlacement> {
        self.services.iter().find(|row| row.chart == chart)
    }

    /// The charts installed on a tenant's master unit first (`master_first`), in the catalog's order.
    pub fn master_first(&self) -> &[String] {
        self.cross_unit
            .iter()
            .find_map(|rule| match &rule.verb {
                UnitVerb::MasterFirst(charts) => Some(charts.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
}

/// The parsed group catalog, or why it does not parse (a build defect every test shows).
pub fn group_catalog() -> Result<&'static GroupCatalog, String> {
    static CATALOG: OnceLock<Result<GroupCatalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            crate::catalog::registry::compiled_group()
                .map_err(|error| format!("catalog/group.yaml: {error}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}
