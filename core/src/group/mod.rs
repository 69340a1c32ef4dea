//! Unit groups: private edition across clusters — the group file, read through the input boundary, and the environments it derives, one per tenant and unit (the unit-group catalog itself is `catalog::group`).
//!
//! A **unit** is one Kubernetes cluster with the services of one region or data center; a **unit
//! group** joins the units of every region, with one primary unit and the others secondary
//! (platform guide 001:240-296). A group file gives the group's shared facts once, its units
//! (region, role, cluster, the unit's own facts) and its tenants, each placed on some units with
//! its per-unit chart answers. [`resolve_group`] derives one environment per (unit, tenant) —
//! group facts, then unit facts, then tenant facts, then the chart's own values, each lower level
//! winning visibly — and resolves it with `environment::resolve`, so every check and file of one
//! environment is the environment module's own.
//!
//! - `checks.rs` — every environment's checks per unit, the built-in group checks and the
//!   cross-unit rules of `catalog/group.yaml`.
//! - `plan.rs` — the plan: a folder per unit and tenant (today's environment plan), the rollout
//!   order, the group report, the files and their sealing per unit.
//! - `gitops.rs` — an Argo CD ApplicationSet per chart, a Flux folder per cluster.
//! - `picture.rs` — the group as an SVG: units by region, the primary marked, who runs where.
//! - `saved.rs` — the group file written back without secrets (the page's saved file) and the
//!   `#g1.` link, read back through the same boundary.

mod checks;
mod gitops;
mod picture;
mod plan;
mod saved;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

pub use crate::catalog::group::{
    group_catalog, GroupCatalog, GroupFact, MasterLocation, ServicePlacement, UniqueRef, UnitRule,
    UnitVerb, GROUP_FILE,
};
use crate::diagnostic::{Place, RuleId, Severity};
use crate::environment::{shorten, ChartBody, ChartSource, EnvironmentFile, Resolved};

pub use checks::validate_group;
pub use gitops::{
    applicationset_files, flux_cluster_files, APPLICATIONSET_DIR, CLUSTERS_DIR, LABEL_ROLLOUT,
    LABEL_TENANT, LABEL_UNIT,
};
pub use picture::{group_svg, group_svg_data_url, GROUP_SVG};
pub use plan::{
    group_blocking_reasons, group_plan_files, group_report, rollout, seal_group, unit_plan_dir,
    GroupSealed, RolloutStep, GROUP_REPORT, UNITS_DIR,
};
pub use saved::{
    decode_group_fragment, encode_group_fragment, group_file_name, group_without_secrets,
    group_yaml, saved_group_text, GROUP_FRAGMENT_PREFIX,
};

/// At most this many units in one group file.
pub const MAX_UNITS: usize = 1_000;
/// At most this many tenants in one group file.
pub const MAX_TENANTS: usize = 1_000;
/// At most this many placements (a tenant on a unit) in one group file: each is an environment.
pub const MAX_PLACEMENTS: usize = 10_000;
/// At most this many characters in a cluster's server URL, Argo CD name or kubeconfig context.
pub const MAX_CLUSTER_TEXT: usize = 2_048;

const WHAT: &str = "group file";

/// A unit's role in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Hosts every service (one per group).
    Primary,
    /// Hosts the services the platform guide allows there (voice-related ones).
    Secondary,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
        }
    }
}

/// Which cluster a unit is: at least one of an Argo CD destination server, an Argo CD cluster
/// name, a kubeconfig context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The cluster's API server, an `https://` URL (Argo CD's `destination.server`).
    pub server: Option<String>,
    /// The cluster's name in Argo CD (`destination.name`).
    pub name: Option<String>,
    /// The kubeconfig context that reaches it (install.sh runs against the current context).
    pub context: Option<String>,
}

impl Cluster {
    /// How the cluster is shown: the server, else the Argo CD name, else the context.
    pub fn shown(&self) -> String {
        match (&self.server, &self.name, &self.context) {
            (Some(server), _, _) => server.clone(),
            (None, Some(name), _) => format!("Argo CD cluster {name}"),
            (None, None, Some(context)) => format!("context {context}"),
            (None, None, None) => String::new(),
        }
    }

    /// Argo CD's destination: `(server, name)`, exactly one non-empty. Without a server or an Argo
    /// CD name, the context's name, which `argocd cluster add <context>` registers the cluster as.
    pub fn argocd_destination(&self) -> (String, String) {
        match (&self.server, &self.name, &self.context) {
            (Some(server), _, _) => (server.clone(), String::new()),
            (None, Some(name), _) => (String::new(), name.clone()),
            (None, None, Some(context)) => (String::new(), context.clone()),
            (None, None, None) => (String::new(), String::new()),
        }
    }
}

/// One unit of a group file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSpec {
    pub name: String,
    pub region: String,
    pub role: Role,
    pub cluster: Cluster,
    /// The unit's own facts (`catalog/group.yaml`, `unit_facts`): its Consul datacenter.
    pub facts: BTreeMap<String, Value>,
    /// Shared facts of the environment given for this unit, over the group's.
    pub shared: BTreeMap<String, Value>,
    /// Chart sources for this unit, over the group's (per chart).
    pub sources: BTreeMap<String, ChartSource>,
    /// The unit reaches no outside registry (with the group's `air_gapped`, either makes it so).
    pub air_gapped: bool,
}

/// A tenant on one unit: its facts there and its charts' answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub unit: String,
    /// The placement's facts (`catalog/group.yaml`, `placement_facts`): the master location.
    pub facts: BTreeMap<String, Value>,
    pub charts: BTreeMap<String, ChartBody>,
}

/// One tenant of a group file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantSpec {
    pub name: String,
    /// The unit of its master location (writable database), needed when it runs on several units.
    pub master: Option<String>,
    /// Shared facts of the tenant (its UUID, short id), over the unit's and the group's.
    pub shared: BTreeMap<String, Value>,
    /// Its units, in the file's order.
    pub units: Vec<Placement>,
}

/// A group file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFile {
    pub group: String,
    pub shared: BTreeMap<String, Value>,
    pub sources: BTreeMap<String, ChartSource>,
    pub air_gapped: bool,
    pub units: Vec<UnitSpec>,
    pub tenants: Vec<TenantSpec>,
}

// ----------------------------------------------------------------------------- reading

/// Reads a group file through the input boundary (a byte-order mark dropped, size, depth,
/// aliases, keys) and checks its structure and bounds: at most [`MAX_UNITS`] units,
/// [`MAX_TENANTS`] tenants and [`MAX_PLACEMENTS`] placements; group, unit, region and tenant
/// names DNS-1123 labels, no unit or tenant twice; a cluster server an `https://` URL with no
/// login in it, never starting with `-`; a context or Argo CD name without control characters;
/// known charts, facts and sources. The structure and facts are read as written (a password
/// `no` stays that text), the charts' `values` as Helm reads them. Messages name places, never
/// values.
pub fn parse_group(text: &str) -> Result<GroupFile, String> {
    let text = crate::text::without_bom(text);
    let written = crate::yaml::read::read_yaml_as_written(text)
        .map_err(|error| format!("{WHAT}: {error}"))?;
    let read = crate::yaml::read::read_yaml(text).map_err(|error| format!("{WHAT}: {error}"))?;
    read_group(&written.value, &read.value)
}

fn refuse(place: &str, problem: &str) -> String {
    format!("{WHAT}: {place} {problem}")
}

fn map_at<'v>(value: &'v Value, place: &str) -> Result<&'v Mapping, String> {
    value
        .as_mapping()
        .ok_or_else(|| refuse(place, "must be a map"))
}

/// Every key of `map` is one of `known` (a key that is not text is refused too).
fn known_keys(map: &Mapping, place: &str, known: &[&str]) -> Result<(), String> {
    for key in map.keys() {
        let name = key.as_str().unwrap_or_default();
        if !known.contains(&name) {
            return Err(format!(
                "{WHAT}: {place} has unknown key `{}`; keys: {}",
                shorten(name),
                known.join(", ")
            ));
        }
    }
    Ok(())
}

fn text_at(value: &Value, place: &str) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        _ => Err(refuse(place, "must be text")),
    }
}

fn label_at(value: &Value, place: &str) -> Result<String, String> {
    let text = text_at(value, place)?;
    if crate::kinds::is_dns1123_label(&text) {
        Ok(text)
    } else {
        Err(refuse(
            place,
            "must be a DNS-1123 label (lower-case letters, digits and `-`, at most 63 characters): \
             it names folders, clusters and GitOps objects",
        ))
    }
}

fn flag_at(value: Option<&Value>, place: &str) -> Result<bool, String> {
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(Value::String(text)) if text == "true" => Ok(true),
        Some(Value::String(text)) if text == "false" => Ok(false),
        Some(_) => Err(refuse(place, "must be true or false")),
    }
}

/// A map of shared facts, checked as an environment checks its `shared` (kinds included).
fn shared_at(value: Option<&Value>, place: &str) -> Result<BTreeMap<String, Value>, String> {
    let mut shared = BTreeMap::new();
    if let Some(value) = value.filter(|value| !value.is_null()) {
        for (key, fact) in map_at(value, place)? {
            let name = key.as_str().unwrap_or_default().to_string();
            shared.insert(name, fact.clone());
        }
    }
    crate::environment::check_shared(&mut shared, true, WHAT, place)?;
    Ok(shared)
}

/// Facts of a unit or a placement: known ids of the group catalog, single text values without
/// control characters.
fn facts_at(
    value: Option<&Value>,
    place: &str,
    known: &[GroupFact],
) -> Result<BTreeMap<String, Value>, String> {
    let mut facts = BTreeMap::new();
    let Some(value) = value.filter(|value| !value.is_null()) else {
        return Ok(facts);
    };
    for (key, fact) in map_at(value, place)? {
        let name = key.as_str().unwrap_or_default();
        let Some(spec) = known.iter().find(|spec| spec.id == name) else {
            return Err(format!(
                "{WHAT}: {place} has unknown fact `{}`; facts: {}",
                shorten(name),
                known
                    .iter()
                    .map(|spec| spec.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let at = format!("{place}.{name}");
        let text = text_at(fact, &at)?;
        if text.trim().is_empty() || text.chars().any(char::is_control) || text.len() > 253 {
            return Err(refuse(
                &at,
                "must be a name of at most 253 characters without control characters",
            ));
        }
        if let Some(kind) = spec.kind {
            crate::kinds::check_kind(kind, &Value::String(text.clone()), &[])
                .map_err(|_| refuse(&at, &format!("is not a {}", kind.as_str())))?;
        }
        facts.insert(name.to_string(), Value::String(text));
    }
    Ok(facts)
}

fn sources_at(value: Option<&Value>, place: &str) -> Result<BTreeMap<String, ChartSource>, String> {
    let mut sources = BTreeMap::new();
    let Some(value) = value.filter(|value| !value.is_null()) else {
        return Ok(sources);
    };
    for (key, source) in map_at(value, place)? {
        let id = key.as_str().unwrap_or_default();
        if crate::catalog::registry::chart(id).is_none() {
            return Err(format!(
                "{WHAT}: `{place}` names unknown chart `{}`; charts: {}",
                shorten(id),
                crate::catalog::registry::chart_ids().join(", ")
            ));
        }
        let parsed: ChartSource = serde_yaml::from_value(source.clone()).map_err(|_| {
            refuse(
                &format!("{place}.{id}"),
                "is not a chart source: a map of ref, repository, chart and version (text)",
            )
        })?;
        sources.insert(id.to_string(), parsed);
    }
    Ok(sources)
}

/// A cluster's text (server, Argo CD name, context): bounded, no control character, never a flag.
fn cluster_text(value: &Value, place: &str) -> Result<String, String> {
    let text = text_at(value, place)?;
    if text.is_empty() || text.len() > MAX_CLUSTER_TEXT {
        return Err(refuse(
            place,
            &format!("must hold 1 to {MAX_CLUSTER_TEXT} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(refuse(place, "must not hold a control character"));
    }
    if text.trim_start().starts_with('-') {
        return Err(refuse(
            place,
            "must not start with `-` (it would be read as an option)",
        ));
    }
    Ok(text)
}

fn cluster_at(value: Option<&Value>, place: &str) -> Result<Cluster, String> {
    let Some(value) = value.filter(|value| !value.is_null()) else {
        return Err(refuse(
            place,
            "is missing: give the unit's cluster as server (https://…), name (Argo CD) and/or \
             context (kubeconfig)",
        ));
    };
    let map = map_at(value, place)?;
    known_keys(map, place, &["server", "name", "context"])?;
    let mut cluster = Cluster::default();
    if let Some(server) = map.get("server").filter(|value| !value.is_null()) {
        let at = format!("{place}.server");
        let text = cluster_text(server, &at)?;
        if text.chars().any(char::is_whitespace) {
            return Err(refuse(&at, "must not hold white space"));
        }
        let Some(rest) = text.strip_prefix("https://") else {
            return Err(refuse(
                &at,
                "must be an https:// URL (the cluster's API server)",
            ));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(refuse(
                &at,
                "must not hold a user name or password: Argo CD keeps the cluster's credentials",
            ));
        }
        if text.contains("{{") || !crate::kinds::is_url(&text) {
            return Err(refuse(
                &at,
                "must be an https:// URL (the cluster's API server)",
            ));
        }
        cluster.server = Some(text);
    }
    if let Some(name) = map.get("name").filter(|value| !value.is_null()) {
        cluster.name = Some(cluster_text(name, &format!("{place}.name"))?);
    }
    if let Some(context) = map.get("context").filter(|value| !value.is_null()) {
        cluster.context = Some(cluster_text(context, &format!("{place}.context"))?);
    }
    if cluster == Cluster::default() {
        return Err(refuse(
            place,
            "names no cluster: give server (https://…), name (Argo CD) and/or context (kubeconfig)",
        ));
    }
    Ok(cluster)
}

fn read_group(written: &Value, read: &Value) -> Result<GroupFile, String> {
    let catalog = group_catalog()?;
    let top = map_at(written, "the top level")?;
    known_keys(
        top,
        "the top level",
        &[
            "group",
            "shared",
            "sources",
            "air_gapped",
            "units",
            "tenants",
        ],
    )?;
    let group = label_at(
        top.get("group")
            .ok_or_else(|| refuse("`group`", "is missing: name the group"))?,
        "`group`",
    )?;
    let shared = shared_at(top.get("shared"), "shared")?;
    let sources = sources_at(top.get("sources"), "sources")?;
    let air_gapped = flag_at(top.get("air_gapped"), "air_gapped")?;

    let Some(units) = top
        .get("units")
        .filter(|value| !value.is_null())
        .map(|value| {
            value
                .as_sequence()
                .ok_or_else(|| refuse("units", "must be a list"))
        })
        .transpose()?
    else {
        return Err(refuse("units", "is missing: list the group's units"));
    };
    if units.is_empty() {
        return Err(refuse("units", "is empty: list the group's units"));
    }
    if units.len() > MAX_UNITS {
        return Err(refuse(
            "units",
            &format!(
                "lists {} units; a group file holds at most {MAX_UNITS}",
                units.len()
            ),
        ));
    }
    let mut unit_specs: Vec<UnitSpec> = Vec::with_capacity(units.len());
    let mut unit_index: HashMap<String, usize> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        let at = format!("units[{index}]");
        let map = map_at(unit, &at)?;
        known_keys(
            map,
            &at,
            &[
                "name",
                "region",
                "role",
                "cluster",
                "facts",
                "shared",
                "sources",
                "air_gapped",
            ],
        )?;
        let name = label_at(
            map.get("name").ok_or_else(|| refuse(&at, "has no name"))?,
            &format!("{at}.name"),
        )?;
        if unit_index.insert(name.clone(), index).is_some() {
            return Err(refuse(
                &format!("{at}.name"),
                &format!("repeats unit `{name}`: each unit is listed once"),
            ));
        }
        let at = format!("units.{name}");
        let region = label_at(
            map.get("region")
                .ok_or_else(|| refuse(&at, "has no region"))?,
            &format!("{at}.region"),
        )?;
        let role = match map
            .get("role")
            .map(|value| text_at(value, &format!("{at}.role")))
        {
            Some(Ok(role)) if role == "primary" => Role::Primary,
            Some(Ok(role)) if role == "secondary" => Role::Secondary,
            None => return Err(refuse(&at, "has no role: primary or secondary")),
            _ => {
                return Err(refuse(
                    &format!("{at}.role"),
                    "must be primary or secondary",
                ))
            }
        };
        let cluster = cluster_at(map.get("cluster"), &format!("{at}.cluster"))?;
        let facts = facts_at(
            map.get("facts"),
            &format!("{at}.facts"),
            &catalog.unit_facts,
        )?;
        let unit_shared = shared_at(map.get("shared"), &format!("{at}.shared"))?;
        let unit_sources = sources_at(map.get("sources"), &format!("{at}.sources"))?;
        let unit_air_gapped = flag_at(map.get("air_gapped"), &format!("{at}.air_gapped"))?;
        unit_specs.push(UnitSpec {
            name,
            region,
            role,
            cluster,
            facts,
            shared: unit_shared,
            sources: unit_sources,
            air_gapped: unit_air_gapped,
        });
    }

    let tenants_written = match top.get("tenants").filter(|value| !value.is_null()) {
        None => Vec::new(),
        Some(value) => value
            .as_sequence()
            .ok_or_else(|| refuse("tenants", "must be a list"))?
            .clone(),
    };
    if tenants_written.len() > MAX_TENANTS {
        return Err(refuse(
            "tenants",
            &format!(
                "lists {} tenants; a group file holds at most {MAX_TENANTS}",
                tenants_written.len()
            ),
        ));
    }
    let tenants_read = read.get("tenants").and_then(Value::as_sequence);
    let mut tenant_specs: Vec<TenantSpec> = Vec::with_capacity(tenants_written.len());
    let mut tenant_names: HashMap<String, usize> = HashMap::new();
    let mut placements = 0usize;
    for (index, tenant) in tenants_written.iter().enumerate() {
        let at = format!("tenants[{index}]");
        let map = map_at(tenant, &at)?;
        known_keys(map, &at, &["name", "master", "shared", "units"])?;
        let name = label_at(
            map.get("name").ok_or_else(|| refuse(&at, "has no name"))?,
            &format!("{at}.name"),
        )?;
        if tenant_names.insert(name.clone(), index).is_some() {
            return Err(refuse(
                &format!("{at}.name"),
                &format!("repeats tenant `{name}`: each tenant is listed once"),
            ));
        }
        let at = format!("tenants.{name}");
        let master = match map.get("master").filter(|value| !value.is_null()) {
            Some(value) => Some(label_at(value, &format!("{at}.master"))?),
            None => None,
        };
        let tenant_shared = shared_at(map.get("shared"), &format!("{at}.shared"))?;
        let units_at = format!("{at}.units");
        let Some(placed) = map.get("units").filter(|value| !value.is_null()) else {
            return Err(refuse(&at, "is placed on no unit: give `units`"));
        };
        let placed = map_at(placed, &units_at)?;
        if placed.is_empty() {
            return Err(refuse(&at, "is placed on no unit: give `units`"));
        }
        placements += placed.len();
        if placements > MAX_PLACEMENTS {
            return Err(refuse(
                "tenants",
                &format!(
                    "place tenants on more than {MAX_PLACEMENTS} units in all; a group file holds \
                     at most {MAX_PLACEMENTS} placements"
                ),
            ));
        }
        // The same tenant's units as Helm reads the text, for the charts' values.
        let placed_read = tenants_read
            .and_then(|list| list.get(index))
            .and_then(|tenant| tenant.get("units"))
            .and_then(Value::as_mapping);
        let mut units = Vec::with_capacity(placed.len());
        for (position, (key, body)) in placed.iter().enumerate() {
            let unit = key.as_str().unwrap_or_default();
            if !unit_index.contains_key(unit) {
                return Err(format!(
                    "{WHAT}: {units_at} names unknown unit `{}`; units are listed under `units`",
                    shorten(unit)
                ));
            }
            let place = format!("{units_at}.{unit}");
            let body_read = placed_read
                .and_then(|units| units.iter().nth(position))
                .map(|(_, body)| body);
            units.push(read_placement(unit, body, body_read, &place, catalog)?);
        }
        tenant_specs.push(TenantSpec {
            name,
            master,
            shared: tenant_shared,
            units,
        });
    }
    Ok(GroupFile {
        group,
        shared,
        sources,
        air_gapped,
        units: unit_specs,
        tenants: tenant_specs,
    })
}

fn read_placement(
    unit: &str,
    body: &Value,
    body_read: Option<&Value>,
    place: &str,
    catalog: &GroupCatalog,
) -> Result<Placement, String> {
    if body.is_null() {
        return Ok(Placement {
            unit: unit.to_string(),
            facts: BTreeMap::new(),
            charts: BTreeMap::new(),
        });
    }
    let map = map_at(body, place)?;
    known_keys(map, place, &["facts", "charts"])?;
    let facts = facts_at(
        map.get("facts"),
        &format!("{place}.facts"),
        &catalog.placement_facts,
    )?;
    let charts_at = format!("{place}.charts");
    let mut charts = BTreeMap::new();
    if let Some(list) = map.get("charts").filter(|value| !value.is_null()) {
        let list = map_at(list, &charts_at)?;
        let list_read = body_read
            .and_then(|body| body.get("charts"))
            .and_then(Value::as_mapping);
        for (position, (key, chart_body)) in list.iter().enumerate() {
            let id = key.as_str().unwrap_or_default().to_string();
            let at = format!("{charts_at}.{}", shorten(&id));
            let mut written = match chart_body {
                Value::Null => Mapping::new(),
                Value::Mapping(map) => map.clone(),
                _ => return Err(refuse(&at, "must be a map (an answers body)")),
            };
            written.remove("values");
            let mut parsed: ChartBody =
                serde_yaml::from_value(Value::Mapping(written)).map_err(|_| {
                    refuse(
                        &at,
                        "is not an answers body: release and namespace (text), values (a map), \
                         secrets (a map of Secrets)",
                    )
                })?;
            parsed.values = list_read
                .and_then(|charts| charts.iter().nth(position))
                .and_then(|(_, chart)| chart.get("values"))
                .cloned()
                .unwrap_or(Value::Null);
            charts.insert(id, parsed);
        }
    }
    crate::environment::check_charts(&mut charts, WHAT, &charts_at)?;
    Ok(Placement {
        unit: unit.to_string(),
        facts,
        charts,
    })
}

// ----------------------------------------------------------------------------- resolving

/// Where a shared fact of a unit's environment was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Group,
    Unit,
    Tenant,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Group => "group",
            Level::Unit => "unit",
            Level::Tenant => "tenant",
        }
    }
}

/// A shared fact a lower level gives with another value than a higher one: the lower one wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactOverride {
    pub fact: String,
    /// The level whose value wins.
    pub level: Level,
    /// The level it overrides.
    pub over: Level,
    pub unit: Option<String>,
    pub tenant: Option<String>,
}

/// One tenant's environment on one unit, derived from the group and resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitEnvironment {
    pub tenant: String,
    /// This unit is the tenant's master location (named as `master`, or the tenant's only unit).
    pub master: bool,
    /// The placement's facts (the master location given there).
    pub facts: BTreeMap<String, Value>,
    /// Which level gave each shared fact of this environment.
    pub origins: BTreeMap<String, Level>,
    /// The environment as `environment::resolve` made it: its name is the tenant's.
    pub resolved: Resolved,
}

/// One unit, with an environment per tenant placed on it (in the file's tenant order).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedUnit {
    pub name: String,
    pub region: String,
    pub role: Role,
    pub cluster: Cluster,
    pub facts: BTreeMap<String, Value>,
    pub environments: Vec<UnitEnvironment>,
}

impl ResolvedUnit {
    /// The chart ids this unit runs, each once, in deployment order of the first tenant that runs it.
    pub fn charts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for environment in &self.environments {
            for entry in &environment.resolved.charts {
                if !out.contains(&entry.chart.id) {
                    out.push(entry.chart.id.clone());
                }
            }
        }
        out
    }
}

/// A tenant as the group places it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupTenant {
    pub name: String,
    /// The master unit as the file names it (checked by `group.tenant-master-first`).
    pub master: Option<String>,
    /// Its units, in the file's order.
    pub units: Vec<String>,
}

impl GroupTenant {
    /// The tenant's master unit: the one named, or its only unit.
    pub fn master_unit(&self) -> Option<&str> {
        match (&self.master, self.units.as_slice()) {
            (Some(master), _) => Some(master.as_str()),
            (None, [only]) => Some(only.as_str()),
            _ => None,
        }
    }
}

/// A group file resolved: every unit with its environments, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedGroup {
    pub name: String,
    pub units: Vec<ResolvedUnit>,
    pub tenants: Vec<GroupTenant>,
    /// Shared facts a lower level overrides with another value.
    pub overrides: Vec<FactOverride>,
    /// The group's own shared facts (what every unit starts from).
    pub shared: BTreeMap<String, Value>,
}

impl ResolvedGroup {
    pub fn unit(&self, name: &str) -> Option<&ResolvedUnit> {
        self.units.iter().find(|unit| unit.name == name)
    }

    /// Units by region, regions in the order their first unit is listed.
    pub fn regions(&self) -> Vec<(String, Vec<&ResolvedUnit>)> {
        let mut order: Vec<String> = Vec::new();
        let mut by_region: HashMap<&str, Vec<&ResolvedUnit>> = HashMap::new();
        for unit in &self.units {
            let list = by_region.entry(unit.region.as_str()).or_default();
            if list.is_empty() {
                order.push(unit.region.clone());
            }
            list.push(unit);
        }
        order
            .into_iter()
            .map(|region| {
                let units = by_region.remove(region.as_str()).unwrap_or_default();
                (region, units)
            })
            .collect()
    }

    /// The primary units (one, when the group is right).
    pub fn primaries(&self) -> Vec<&ResolvedUnit> {
        self.units
            .iter()
            .filter(|unit| unit.role == Role::Primary)
            .collect()
    }
}

/// The environment file of one tenant on one unit: the group's shared facts, then the unit's,
/// then the tenant's (each lower level replacing a whole fact), the placement's charts, the
/// group's sources with the unit's over them, and air-gapped when the group or the unit is.
pub fn unit_environment_file(
    file: &GroupFile,
    unit: &UnitSpec,
    tenant: &TenantSpec,
    placement: &Placement,
) -> (EnvironmentFile, BTreeMap<String, Level>) {
    let mut shared = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for (level, facts) in [
        (Level::Group, &file.shared),
        (Level::Unit, &unit.shared),
        (Level::Tenant, &tenant.shared),
    ] {
        for (fact, value) in facts {
            shared.insert(fact.clone(), value.clone());
            origins.insert(fact.clone(), level);
        }
    }
    let mut sources = BTreeMap::new();
    for id in placement.charts.keys() {
        if let Some(source) = unit.sources.get(id).or_else(|| file.sources.get(id)) {
            sources.insert(id.clone(), source.clone());
        }
    }
    (
        EnvironmentFile {
            environment: tenant.name.clone(),
            shared,
            charts: placement.charts.clone(),
            sources,
            air_gapped: file.air_gapped || unit.air_gapped,
        },
        origins,
    )
}

/// Every unit's environments resolved (each through `environment::resolve`), the tenants' places
/// and the facts a lower level overrides. Placements are indexed by unit once, so the work grows
/// with the placements, never with units times tenants.
pub fn resolve_group(file: &GroupFile) -> Result<ResolvedGroup, String> {
    let mut by_unit: HashMap<&str, Vec<(&TenantSpec, &Placement)>> = HashMap::new();
    for tenant in &file.tenants {
        for placement in &tenant.units {
            by_unit
                .entry(placement.unit.as_str())
                .or_default()
                .push((tenant, placement));
        }
    }
    let mut units = Vec::with_capacity(file.units.len());
    for unit in &file.units {
        let mut environments = Vec::new();
        for (tenant, placement) in by_unit.remove(unit.name.as_str()).unwrap_or_default() {
            let (environment, origins) = unit_environment_file(file, unit, tenant, placement);
            let resolved = crate::environment::resolve(&environment)?;
            let master = match (&tenant.master, tenant.units.as_slice()) {
                (Some(master), _) => master == &unit.name,
                (None, [_only]) => true,
                (None, _) => false,
            };
            environments.push(UnitEnvironment {
                tenant: tenant.name.clone(),
                master,
                facts: placement.facts.clone(),
                origins,
                resolved,
            });
        }
        units.push(ResolvedUnit {
            name: unit.name.clone(),
            region: unit.region.clone(),
            role: unit.role,
            cluster: unit.cluster.clone(),
            facts: unit.facts.clone(),
            environments,
        });
    }
    Ok(ResolvedGroup {
        name: file.group.clone(),
        units,
        tenants: file
            .tenants
            .iter()
            .map(|tenant| GroupTenant {
                name: tenant.name.clone(),
                master: tenant.master.clone(),
                units: tenant.units.iter().map(|p| p.unit.clone()).collect(),
            })
            .collect(),
        overrides: overrides(file),
        shared: file.shared.clone(),
    })
}

/// The shared facts a unit gives over the group's, and a tenant over its units' or the group's,
/// with another value: once per unit and fact, once per tenant and fact over the group, once per
/// tenant, unit and fact over a unit.
fn overrides(file: &GroupFile) -> Vec<FactOverride> {
    let mut out = Vec::new();
    let units: HashMap<&str, &UnitSpec> = file
        .units
        .iter()
        .map(|unit| (unit.name.as_str(), unit))
        .collect();
    for unit in &file.units {
        for (fact, value) in &unit.shared {
            if file.shared.get(fact).is_some_and(|above| above != value) {
                out.push(FactOverride {
                    fact: fact.clone(),
                    level: Level::Unit,
                    over: Level::Group,
                    unit: Some(unit.name.clone()),
                    tenant: None,
                });
            }
        }
    }
    for tenant in &file.tenants {
        for (fact, value) in &tenant.shared {
            if file.shared.get(fact).is_some_and(|above| above != value) {
                out.push(FactOverride {
                    fact: fact.clone(),
                    level: Level::Tenant,
                    over: Level::Group,
                    unit: None,
                    tenant: Some(tenant.name.clone()),
                });
            }
            for placement in &tenant.units {
                let Some(unit) = units.get(placement.unit.as_str()) else {
                    continue;
                };
                if unit.shared.get(fact).is_some_and(|above| above != value) {
                    out.push(FactOverride {
                        fact: fact.clone(),
                        level: Level::Tenant,
                        over: Level::Unit,
                        unit: Some(unit.name.clone()),
                        tenant: Some(tenant.name.clone()),
                    });
                }
            }
        }
    }
    out
}

// ----------------------------------------------------------------------------- findings

/// A finding of a unit group: the units, tenants and charts it concerns, where, how bad, what,
/// which rule and guide line. A finding of one unit's environment (its charts' own checks, the
/// environment's cross-chart rules) carries that unit and tenant; a check across units carries
/// every unit and tenant involved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDiagnostic {
    pub units: Vec<String>,
    pub tenants: Vec<String>,
    pub charts: Vec<String>,
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub rule: RuleId,
    pub source: Option<String>,
    /// A check across the units of the group (a built-in group check or a `cross_unit` rule),
    /// not a finding of one unit's environment.
    pub across_units: bool,
    /// Where it lands in a chart's form (a chart and its path), as an environment's finding has it.
    #[serde(skip)]
    pub places: Vec<Place>,
}

impl GroupDiagnostic {
    /// `unit/tenant` of a finding about one environment, else the units it concerns.
    pub fn where_shown(&self) -> String {
        match (self.units.as_slice(), self.tenants.as_slice()) {
            ([unit], [tenant]) if !self.across_units => format!("{unit}/{tenant}"),
            (units, _) => units.join(", "),
        }
    }
}
