//! The checks of a unit group: every unit's environments checked as an environment is (findings carry the unit and tenant), the built-in group checks, and the cross-unit rules of `catalog/group.yaml`, interpreted generically.
//!
//! Built-in checks (`diagnostic::Check`): `group.fact-override` (a unit's or a tenant's shared
//! fact overrides a higher level's with another value: a warning, so it is visible) and
//! `group.secret-conflict` (two tenants on one unit create one Secret in one namespace with
//! different contents). The cross-unit verbs are `primary_units`, `placement`,
//! `units_per_region`, `master_first`, `master_location` and `unique_per_unit`. No message quotes
//! a secret or `sensitive` value. Each loop runs over units, placements or charts once: the work
//! grows with the group, never with units times units.

use std::collections::{BTreeMap, HashMap};

use serde_yaml::Value;

use super::{group_catalog, GroupDiagnostic, Level, ResolvedGroup, ResolvedUnit, Role};
use crate::catalog::group::{MasterLocation, UniqueRef, UnitRule, UnitVerb};
use crate::catalog::Source;
use crate::diagnostic::{Check, Place, RuleId, Severity};
use crate::environment::{validate_environment, Resolved};
use crate::export::{filled_secrets, ExportContext};
use crate::kinds::display_value;
use crate::path::{get, parse_path};

fn source_text(guide: &str, source: &Source) -> String {
    let guide = source.guide.as_deref().unwrap_or(guide);
    let [first, last] = source.lines;
    if first == last {
        format!("{guide}:{first}")
    } else {
        format!("{guide}:{first}-{last}")
    }
}

/// `{name}` placeholders filled in; unknown ones stay as they are.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// One finding in the making.
struct Found {
    units: Vec<String>,
    tenants: Vec<String>,
    charts: Vec<String>,
    path: String,
    places: Vec<Place>,
}

struct Findings {
    out: Vec<GroupDiagnostic>,
}

impl Findings {
    fn push(
        &mut self,
        found: Found,
        severity: Severity,
        rule: RuleId,
        message: &str,
        source: Option<String>,
    ) {
        self.out.push(GroupDiagnostic {
            units: found.units,
            tenants: found.tenants,
            charts: found.charts,
            path: found.path,
            severity,
            message: crate::diagnostic::cited(message, source.as_deref()),
            rule,
            source,
            across_units: true,
            places: found.places,
        });
    }
}

/// Every finding of the group: each unit's environments (their charts' own checks, the built-in
/// environment checks and the cross-chart rules, each carrying its unit and tenant), the fact
/// overrides, the Secret conflicts between tenants of a unit, then the cross-unit rules. Errors
/// first, each group in the order found.
pub fn validate_group(group: &ResolvedGroup) -> Vec<GroupDiagnostic> {
    let mut findings = Findings { out: Vec::new() };
    let catalog = match group_catalog() {
        Ok(catalog) => catalog,
        Err(error) => {
            findings.push(
                Found {
                    units: Vec::new(),
                    tenants: Vec::new(),
                    charts: Vec::new(),
                    path: String::new(),
                    places: Vec::new(),
                },
                Severity::Error,
                Check::GroupCatalog.into(),
                &error,
                None,
            );
            return findings.out;
        }
    };
    for unit in &group.units {
        for environment in &unit.environments {
            for diagnostic in validate_environment(&environment.resolved) {
                findings.out.push(GroupDiagnostic {
                    units: vec![unit.name.clone()],
                    tenants: vec![environment.tenant.clone()],
                    charts: diagnostic.charts,
                    path: diagnostic.path,
                    severity: diagnostic.severity,
                    message: diagnostic.message,
                    rule: diagnostic.rule,
                    source: diagnostic.source,
                    across_units: false,
                    places: diagnostic.places,
                });
            }
        }
    }
    for found in &group.overrides {
        let whose = match (found.level, &found.unit, &found.tenant) {
            (Level::Tenant, _, Some(tenant)) => format!("tenant {tenant}"),
            (_, Some(unit), _) => format!("unit {unit}"),
            _ => found.level.as_str().to_string(),
        };
        let over = match (found.over, &found.unit) {
            (Level::Unit, Some(unit)) => format!("unit {unit}'s"),
            (level, _) => format!("the {}'s", level.as_str()),
        };
        findings.push(
            Found {
                units: found.unit.iter().cloned().collect(),
                tenants: found.tenant.iter().cloned().collect(),
                charts: Vec::new(),
                path: format!("shared.{}", found.fact),
                places: Vec::new(),
            },
            Severity::Warning,
            Check::GroupFactOverride.into(),
            &format!(
                "{whose} gives its own shared.{} over {over}; its value applies there (remove it \
                 to use the higher level's)",
                found.fact
            ),
            None,
        );
    }
    for unit in &group.units {
        secret_conflicts(unit, &mut findings);
    }
    let units: HashMap<&str, &ResolvedUnit> = group
        .units
        .iter()
        .map(|unit| (unit.name.as_str(), unit))
        .collect();
    for rule in &catalog.cross_unit {
        let mut run = RuleRun {
            rule,
            group,
            units: &units,
            findings: &mut findings,
            source: Some(source_text(&catalog.guide, &rule.source)),
        };
        run.evaluate();
    }
    let mut out = findings.out;
    out.sort_by_key(|diagnostic| diagnostic.severity);
    out
}

/// Two tenants on one unit creating one Secret (namespace and name) with different contents: the
/// second would overwrite the first.
fn secret_conflicts(unit: &ResolvedUnit, findings: &mut Findings) {
    // (namespace, name) -> [(tenant, chart, content)], each tenant once.
    type Made = Vec<(String, String, String)>;
    let mut secrets: BTreeMap<(String, String), Made> = BTreeMap::new();
    for environment in &unit.environments {
        for entry in &environment.resolved.charts {
            let namespace = ExportContext::new(&entry.evaluated()).namespace;
            for secret in filled_secrets(&entry.evaluated()) {
                let content = format!(
                    "{}{:?}",
                    secret.secret_type.as_str(),
                    secret
                        .keys
                        .iter()
                        .map(|key| (&key.key, &key.value))
                        .collect::<Vec<_>>()
                );
                let list = secrets
                    .entry((namespace.clone(), secret.name.clone()))
                    .or_default();
                if !list
                    .iter()
                    .any(|(tenant, _, _)| tenant == &environment.tenant)
                {
                    list.push((environment.tenant.clone(), entry.chart.id.clone(), content));
                }
            }
        }
    }
    for ((namespace, name), list) in secrets {
        let Some((_, _, first)) = list.first() else {
            continue;
        };
        if list.iter().all(|(_, _, content)| content == first) {
            continue;
        }
        let tenants: Vec<String> = list.iter().map(|(tenant, _, _)| tenant.clone()).collect();
        let mut charts: Vec<String> = Vec::new();
        for (_, chart, _) in &list {
            if !charts.contains(chart) {
                charts.push(chart.clone());
            }
        }
        findings.push(
            Found {
                units: vec![unit.name.clone()],
                tenants: tenants.clone(),
                places: charts
                    .iter()
                    .map(|chart| Place {
                        chart: chart.clone(),
                        path: None,
                    })
                    .collect(),
                charts,
                path: format!("secret/{name}"),
            },
            Severity::Error,
            Check::GroupSecretConflict.into(),
            &format!(
                "tenants {} each create Secret {name} in namespace {namespace} on unit {} with \
                 different contents; one namespace holds one Secret of a name: deploy the tenants \
                 into separate namespaces, or give them the same values",
                tenants.join(", "),
                unit.name
            ),
            None,
        );
    }
}

/// The merged value of `chart:path` in one environment, when given (not null, not blank, not a
/// placeholder), as a finding shows it: a `sensitive` value never is.
fn value_of(resolved: &Resolved, reference: &str) -> Option<(String, bool)> {
    let (chart, path) = reference.split_once(':')?;
    let entry = resolved
        .charts
        .iter()
        .find(|entry| entry.chart.id == chart)?;
    let value = get(&entry.evaluation.merged, &parse_path(path).ok()?)?;
    let text = match value {
        Value::Null => return None,
        Value::Mapping(_) | Value::Sequence(_) => return None,
        other => display_value(other),
    };
    let text = text.trim().to_string();
    if text.is_empty() || text.contains("${") {
        return None;
    }
    let sensitive = entry.chart.param(path).is_some_and(|param| param.sensitive);
    Some((text, sensitive))
}

struct RuleRun<'r> {
    rule: &'r UnitRule,
    group: &'r ResolvedGroup,
    /// The units by name, so a lookup never scans the list.
    units: &'r HashMap<&'r str, &'r ResolvedUnit>,
    findings: &'r mut Findings,
    source: Option<String>,
}

impl RuleRun<'_> {
    fn report(&mut self, found: Found, default: &str, vars: &[(&str, String)]) {
        let template = self.rule.message.as_deref().unwrap_or(default);
        let message = fill(template, vars);
        let source = self.source.clone();
        self.findings.push(
            found,
            self.rule.severity,
            RuleId::Catalog(self.rule.id.clone()),
            &message,
            source,
        );
    }

    fn evaluate(&mut self) {
        let rule = self.rule;
        match &rule.verb {
            UnitVerb::PrimaryUnits(count) => self.primary_units(*count as usize),
            UnitVerb::Placement(true) => self.placement(),
            UnitVerb::Placement(false) => {}
            UnitVerb::UnitsPerRegion(count) => self.units_per_region(*count as usize),
            UnitVerb::MasterFirst(charts) => self.master_first(charts),
            UnitVerb::MasterLocation(spec) => self.master_location(spec),
            UnitVerb::UniquePerUnit(refs) => self.unique_per_unit(refs),
        }
    }

    fn primary_units(&mut self, wanted: usize) {
        let primaries: Vec<String> = self
            .group
            .primaries()
            .iter()
            .map(|unit| unit.name.clone())
            .collect();
        if primaries.len() == wanted {
            return;
        }
        let shown = if primaries.is_empty() {
            "none".to_string()
        } else {
            primaries.join(", ")
        };
        let units = if primaries.is_empty() {
            self.group
                .units
                .iter()
                .map(|unit| unit.name.clone())
                .collect()
        } else {
            primaries.clone()
        };
        self.report(
            Found {
                units,
                tenants: Vec::new(),
                charts: Vec::new(),
                path: "units".into(),
                places: Vec::new(),
            },
            "the group has {count} primary units ({units}); it needs exactly one",
            &[("count", primaries.len().to_string()), ("units", shown)],
        );
    }

    fn placement(&mut self) {
        let Ok(catalog) = group_catalog() else {
            return;
        };
        let primary = self
            .group
            .primaries()
            .first()
            .map_or_else(|| "(none)".to_string(), |unit| unit.name.clone());
        for unit in self
            .group
            .units
            .iter()
            .filter(|u| u.role == Role::Secondary)
        {
            for environment in &unit.environments {
                for entry in &environment.resolved.charts {
                    let Some(row) = catalog.placement(&entry.chart.id) else {
                        continue;
                    };
                    if row.secondary {
                        continue;
                    }
                    let why = format!("see {}", source_text(&catalog.guide, &row.source));
                    self.report(
                        Found {
                            units: vec![unit.name.clone()],
                            tenants: vec![environment.tenant.clone()],
                            charts: vec![entry.chart.id.clone()],
                            path: format!(
                                "tenants.{}.units.{}.charts.{}",
                                environment.tenant, unit.name, entry.chart.id
                            ),
                            places: vec![Place {
                                chart: entry.chart.id.clone(),
                                path: None,
                            }],
                        },
                        "{chart} runs in the primary unit only, but tenant {tenant} places it on secondary unit {unit}",
                        &[
                            ("chart", entry.chart.id.clone()),
                            ("why", why),
                            ("tenant", environment.tenant.clone()),
                            ("unit", unit.name.clone()),
                            ("primary", primary.clone()),
                        ],
                    );
                }
            }
        }
    }

    fn units_per_region(&mut self, wanted: usize) {
        for (region, units) in self.group.regions() {
            if units.len() >= wanted {
                continue;
            }
            let names: Vec<String> = units.iter().map(|unit| unit.name.clone()).collect();
            self.report(
                Found {
                    units: names.clone(),
                    tenants: Vec::new(),
                    charts: Vec::new(),
                    path: format!("units.{}.region", names.join(",")),
                    places: Vec::new(),
                },
                "region {region} has {count} unit(s) ({units}); it needs {wanted}",
                &[
                    ("region", region),
                    ("count", units.len().to_string()),
                    ("units", names.join(", ")),
                    ("wanted", wanted.to_string()),
                ],
            );
        }
    }

    /// The environment of `tenant` on `unit`, when placed there.
    fn environment(&self, unit: &str, tenant: &str) -> Option<&super::UnitEnvironment> {
        self.units
            .get(unit)?
            .environments
            .iter()
            .find(|environment| environment.tenant == tenant)
    }

    fn runs(&self, unit: &str, tenant: &str, chart: &str) -> bool {
        self.environment(unit, tenant).is_some_and(|environment| {
            environment
                .resolved
                .charts
                .iter()
                .any(|entry| entry.chart.id == chart)
        })
    }

    fn master_first(&mut self, charts: &[String]) {
        let group = self.group;
        for tenant in &group.tenants {
            let units = tenant.units.join(", ");
            let problem = match (&tenant.master, tenant.units.len()) {
                (None, 0 | 1) => None,
                (None, count) => Some(format!(
                    "it runs on {count} units ({units}) but names no master unit; give `master:`, \
                     the unit of its master location, whose charts are installed first"
                )),
                (Some(master), _) if !tenant.units.contains(master) => Some(format!(
                    "its master unit {master} is not one of its units ({units})"
                )),
                (Some(master), _) => charts
                    .iter()
                    .find(|chart| {
                        tenant
                            .units
                            .iter()
                            .any(|unit| self.runs(unit, &tenant.name, chart))
                    })
                    .filter(|first| !self.runs(master, &tenant.name, first))
                    .map(|first| {
                        format!(
                            "its master unit {master} does not run {first}, which is installed at \
                             the master location first; place {first} on {master} too"
                        )
                    }),
            };
            let Some(problem) = problem else {
                continue;
            };
            self.report(
                Found {
                    units: tenant.units.clone(),
                    tenants: vec![tenant.name.clone()],
                    charts: charts.to_vec(),
                    path: format!("tenants.{}.master", tenant.name),
                    places: Vec::new(),
                },
                "tenant {tenant}: {problem}",
                &[("tenant", tenant.name.clone()), ("problem", problem)],
            );
        }
    }

    fn master_location(&mut self, spec: &MasterLocation) {
        let group = self.group;
        for tenant in &group.tenants {
            let running: Vec<&String> = tenant
                .units
                .iter()
                .filter(|unit| self.runs(unit, &tenant.name, &spec.chart))
                .collect();
            if running.len() < 2 {
                continue;
            }
            let Some(master) = tenant.master_unit() else {
                continue;
            };
            if !running.iter().any(|unit| unit.as_str() == master) {
                continue;
            }
            let datacenter = self
                .units
                .get(master)
                .and_then(|unit| unit.facts.get(&spec.unit_fact))
                .map(display_value);
            let mut problems: Vec<(String, String)> = Vec::new();
            if datacenter.is_none() {
                problems.push((
                    master.to_string(),
                    format!(
                        "the master unit {master} gives no facts.{}, so the master location every \
                         unit of the tenant sets cannot be named; give the unit's {}",
                        spec.unit_fact, spec.unit_fact
                    ),
                ));
            }
            let mut first_given: Option<(String, String)> = None;
            for unit in &running {
                let given = self
                    .environment(unit, &tenant.name)
                    .and_then(|environment| environment.facts.get(&spec.placement_fact))
                    .map(display_value);
                let Some(given) = given else {
                    continue;
                };
                match (&datacenter, &first_given) {
                    (Some(datacenter), _) if &given != datacenter => problems.push((
                        unit.to_string(),
                        format!(
                            "facts.{} is {given}, but the master unit {master}'s {} is \
                             {datacenter}; set {datacenter} at every location of the tenant",
                            spec.placement_fact, spec.unit_fact
                        ),
                    )),
                    (None, Some((other_unit, other))) if &given != other => problems.push((
                        unit.to_string(),
                        format!(
                            "facts.{} is {given} here but {other} on unit {other_unit}; it is the \
                             same at every location",
                            spec.placement_fact
                        ),
                    )),
                    _ => {}
                }
                if first_given.is_none() {
                    first_given = Some((unit.to_string(), given));
                }
            }
            for (unit, problem) in problems {
                let mut units = vec![unit.clone()];
                if unit != master {
                    units.push(master.to_string());
                }
                self.report(
                    Found {
                        units,
                        tenants: vec![tenant.name.clone()],
                        charts: vec![spec.chart.clone()],
                        path: format!(
                            "tenants.{}.units.{unit}.facts.{}",
                            tenant.name, spec.placement_fact
                        ),
                        places: Vec::new(),
                    },
                    "tenant {tenant} on unit {unit}: {problem}",
                    &[
                        ("tenant", tenant.name.clone()),
                        ("unit", unit),
                        ("problem", problem),
                    ],
                );
            }
        }
    }

    fn unique_per_unit(&mut self, refs: &[UniqueRef]) {
        let group = self.group;
        for unit in &group.units {
            if unit.environments.len() < 2 {
                continue;
            }
            for unique in refs {
                // shown value -> (tenants, charts, places)
                type Holders = (Vec<String>, Vec<String>, Vec<Place>);
                let mut seen: BTreeMap<String, Holders> = BTreeMap::new();
                for environment in &unit.environments {
                    for (shown, chart, place) in values_for(&environment.resolved, unique) {
                        let (tenants, charts, places) = seen.entry(shown).or_default();
                        if !tenants.contains(&environment.tenant) {
                            tenants.push(environment.tenant.clone());
                        }
                        if !charts.contains(&chart) {
                            charts.push(chart);
                        }
                        places.push(place);
                    }
                }
                for (shown, (tenants, charts, places)) in seen {
                    if tenants.len() < 2 {
                        continue;
                    }
                    self.report(
                        Found {
                            units: vec![unit.name.clone()],
                            tenants: tenants.clone(),
                            charts,
                            path: unique.reference.clone(),
                            places,
                        },
                        "tenants {tenants} share the {what} {value} on unit {unit}",
                        &[
                            ("tenants", tenants.join(", ")),
                            ("what", unique.what.clone()),
                            ("value", shown),
                            ("unit", unit.name.clone()),
                        ],
                    );
                }
            }
        }
    }
}

/// The values of one `unique_per_unit` reference in an environment: `(shown, chart, place)`.
fn values_for(resolved: &Resolved, unique: &UniqueRef) -> Vec<(String, String, Place)> {
    if unique.reference == "release" {
        return resolved
            .charts
            .iter()
            .filter_map(|entry| {
                let context = ExportContext::new(&entry.evaluated());
                context.release_known.then(|| {
                    (
                        format!("{} (namespace {})", context.release, context.namespace),
                        entry.chart.id.clone(),
                        Place::at(&entry.chart.id, "release"),
                    )
                })
            })
            .collect();
    }
    let Some((text, sensitive)) = value_of(resolved, &unique.reference) else {
        return Vec::new();
    };
    let text = match unique.last {
        Some(count) => {
            let chars: Vec<char> = text.chars().collect();
            chars
                .get(chars.len().saturating_sub(count)..)
                .unwrap_or_default()
                .iter()
                .collect::<String>()
                .to_lowercase()
        }
        None => text,
    };
    let shown = if sensitive {
        // Never shown; compared by its digest so the finding still names the clash.
        format!("<hidden {}>", short_digest(&text))
    } else {
        text
    };
    let Some(place) = Place::of_reference(&unique.reference) else {
        return Vec::new();
    };
    vec![(shown, place.chart.clone(), place)]
}

fn short_digest(text: &str) -> String {
    use sha2::{Digest as _, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(4)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
