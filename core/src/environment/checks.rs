//! The checks of an environment: each chart's own validation, the built-in environment checks, and the cross-chart rules of `catalog/environment.yaml`, interpreted generically.
//!
//! Built-in checks (`diagnostic::Check`, scope environment): `env.name` (the environment name is a DNS-1123 label: it
//! names the GitOps objects), `env.charts` (at least one chart), `env.release-conflict` (two
//! charts with one release name in one namespace), `env.secret-conflict` (two charts create one
//! Secret in one namespace with different contents) and `env.shared-override` (a chart keeps its
//! own value instead of a shared fact: a warning, so the override is visible). The cross-chart
//! verbs are `equal`, `entries`, `secret_fields`, `namespace_table`, `priority_class` and
//! `filled_when_shared`.
//! No message quotes a secret or `sensitive` value.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::{environment_catalog, CrossRule, Entries, Resolved};
use crate::catalog::environment::{CrossVerb, FilledWhenShared};
use crate::catalog::{Chart, Severity, Source};
use crate::diagnostic::{Check, EnvDiagnostic, Place, RuleId, Scope};
use crate::export::{filled_secrets, ExportContext};
use crate::kinds::display_value;
use crate::path::{get, parse_path};
use crate::validation::Evaluated;

struct Member<'r> {
    chart: &'static Chart,
    /// The member's answers with their one evaluation (the merged values every rule reads).
    evaluated: Evaluated<'r>,
    context: ExportContext,
}

struct Findings {
    out: Vec<EnvDiagnostic>,
}

impl Findings {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        charts: Vec<String>,
        places: Vec<Place>,
        severity: Severity,
        path: String,
        rule: RuleId,
        message: &str,
        source: Option<String>,
    ) {
        let text = message.trim_end().trim_end_matches('.');
        let message = match &source {
            Some(source) => format!("{text} ({source})."),
            None => format!("{text}."),
        };
        self.out.push(EnvDiagnostic {
            charts,
            path,
            severity,
            message,
            rule,
            source,
            places,
            scope: Scope::Environment,
        });
    }
}

fn source_text(guide: &str, source: &Source) -> String {
    let guide = source.guide.as_deref().unwrap_or(guide);
    let [first, last] = source.lines;
    if first == last {
        format!("{guide}:{first}")
    } else {
        format!("{guide}:{first}-{last}")
    }
}

/// Every diagnostic of the environment: built-in checks, each chart's validation (its charts set
/// to that chart), then the cross-chart rules. Errors first.
pub fn validate_environment(resolved: &Resolved) -> Vec<EnvDiagnostic> {
    let mut findings = Findings { out: Vec::new() };
    let catalog = match environment_catalog() {
        Ok(catalog) => catalog,
        Err(error) => {
            findings.push(
                Vec::new(),
                Vec::new(),
                Severity::Error,
                String::new(),
                Check::EnvCatalog.into(),
                &error,
                None,
            );
            return findings.out;
        }
    };
    let platform_guide = catalog.guide.as_str();
    if !crate::kinds::is_dns1123_label(&resolved.name) {
        findings.push(
            Vec::new(),
            Vec::new(),
            Severity::Error,
            "environment".into(),
            Check::EnvName.into(),
            "the environment name must be a DNS-1123 label (lower-case letters, digits and `-`, at \
             most 63 characters): it names the Argo CD and Flux objects",
            None,
        );
    }
    if resolved.charts.is_empty() {
        findings.push(
            Vec::new(),
            Vec::new(),
            Severity::Error,
            "charts".into(),
            Check::EnvCharts.into(),
            "the environment names no chart; list at least one under `charts`",
            None,
        );
    }
    let members: Vec<Member> = resolved
        .charts
        .iter()
        .map(|entry| Member {
            chart: entry.chart,
            evaluated: entry.evaluated(),
            context: ExportContext::new(&entry.evaluated()),
        })
        .collect();
    for entry in &resolved.charts {
        // The chart's own checks, from the evaluation its entry already holds.
        for diagnostic in entry.evaluation.diagnostics.iter().cloned() {
            findings.out.push(EnvDiagnostic {
                charts: vec![entry.chart.id.clone()],
                places: vec![Place::at(&entry.chart.id, diagnostic.path.as_str())],
                path: diagnostic.path,
                severity: diagnostic.severity,
                message: diagnostic.message,
                rule: diagnostic.rule,
                source: diagnostic.source,
                scope: Scope::Chart,
            });
        }
    }
    for overridden in &resolved.overridden {
        findings.push(
            vec![overridden.chart.clone()],
            vec![Place::at(&overridden.chart, overridden.target.clone())],
            Severity::Warning,
            overridden.target.clone(),
            Check::EnvSharedOverride.into(),
            &format!(
                "{} keeps its own `{}` instead of the shared {}; remove it from the chart to use the \
                 shared value",
                overridden.chart, overridden.target, overridden.fact
            ),
            None,
        );
    }
    conflicts(&members, &mut findings);
    for rule in &catalog.cross_chart {
        let source = Some(source_text(platform_guide, &rule.source));
        let mut run = RuleRun {
            rule,
            members: &members,
            shared: &resolved.shared,
            findings: &mut findings,
            source,
        };
        run.evaluate();
    }
    // The `images` rules: the images each member's merged values pull (`mirror/checks.rs`).
    let merged: Vec<(&Chart, &Value)> = members
        .iter()
        .map(|member| (member.chart, member.evaluated.merged()))
        .collect();
    findings
        .out
        .extend(crate::mirror::environment_image_diagnostics(
            &merged,
            catalog.own_registry(&resolved.shared),
            resolved.air_gapped,
        ));
    let mut out = findings.out;
    // Stable: errors first, each group in the order found.
    out.sort_by_key(|diagnostic| diagnostic.severity);
    out
}

fn conflicts(members: &[Member], findings: &mut Findings) {
    let mut releases: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for member in members.iter().filter(|member| member.context.release_known) {
        releases
            .entry((
                member.context.namespace.clone(),
                member.context.release.clone(),
            ))
            .or_default()
            .push(member.chart.id.clone());
    }
    for ((namespace, release), charts) in releases.into_iter().filter(|(_, c)| c.len() > 1) {
        findings.push(
            charts.clone(),
            charts
                .iter()
                .map(|chart| Place::at(chart, "release"))
                .collect(),
            Severity::Error,
            "release".into(),
            Check::EnvReleaseConflict.into(),
            &format!(
                "{} all install as release {release} in namespace {namespace}; one release name \
                 holds one chart, so give each its own",
                charts.join(", ")
            ),
            None,
        );
    }
    // (namespace, name) -> (chart, type and keys with their bytes)
    let mut secrets: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for member in members {
        for secret in filled_secrets(&member.evaluated) {
            let content = format!(
                "{}{:?}",
                secret.secret_type.as_str(),
                secret
                    .keys
                    .iter()
                    .map(|key| (&key.key, &key.value))
                    .collect::<Vec<_>>()
            );
            secrets
                .entry((member.context.namespace.clone(), secret.name.clone()))
                .or_default()
                .push((member.chart.id.clone(), content));
        }
    }
    for ((namespace, name), list) in secrets {
        let Some((_, first)) = list.first() else {
            continue;
        };
        if list.iter().all(|(_, content)| content == first) {
            continue;
        }
        let charts: Vec<String> = list.iter().map(|(chart, _)| chart.clone()).collect();
        findings.push(
            charts.clone(),
            charts
                .iter()
                .map(|chart| Place {
                    chart: chart.clone(),
                    path: None,
                })
                .collect(),
            Severity::Error,
            format!("secret/{name}"),
            Check::EnvSecretConflict.into(),
            &format!(
                "{} each create Secret {name} in namespace {namespace} with different contents; one \
                 namespace holds one Secret of a name: give the charts the same values (a shared \
                 fact) or different Secret names",
                charts.join(", ")
            ),
            None,
        );
    }
}

/// A rule reference to a shared fact of the environment (`shared:priority_class`), not a chart.
const SHARED_PREFIX: &str = "shared:";

struct RuleRun<'r, 'm> {
    rule: &'r CrossRule,
    members: &'r [Member<'m>],
    shared: &'r BTreeMap<String, Value>,
    findings: &'r mut Findings,
    source: Option<String>,
}

/// `{name}` placeholders filled in; unknown ones stay as they are.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `*` matches any non-empty text; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        let Some(at) = rest.get(1..).and_then(|tail| tail.find(part)) else {
            return false;
        };
        rest = rest.get(at + 1 + part.len()..).unwrap_or_default();
    }
    rest.len() > last.len() && rest.ends_with(last)
}

/// `{{ $.Values.a.b }}` and `{{ .Values.a.b }}` replaced by the chart's merged value there, as
/// Helm renders a value that refers to another (the Tenant's upstreams name `$.Values.tenantid`).
fn expand_values_refs(text: &str, merged: &Value) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest.get(start..).and_then(|tail| tail.find("}}")) else {
            break;
        };
        let inside = rest.get(start + 2..start + end).unwrap_or_default().trim();
        let path = inside
            .strip_prefix("$.Values.")
            .or_else(|| inside.strip_prefix(".Values."));
        let value = path
            .and_then(|path| get(merged, &parse_path(path).ok()?))
            .filter(|value| !value.is_mapping() && !value.is_sequence())
            .map(display_value);
        out.push_str(rest.get(..start).unwrap_or_default());
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(rest.get(start..start + end + 2).unwrap_or_default()),
        }
        rest = rest.get(start + end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

impl RuleRun<'_, '_> {
    fn member(&self, chart: &str) -> Option<&Member<'_>> {
        self.members.iter().find(|member| member.chart.id == chart)
    }

    /// Every chart the rule names is in the environment.
    fn applies(&self) -> bool {
        self.rule.refs().iter().all(|reference| {
            reference.starts_with(SHARED_PREFIX)
                || reference
                    .split_once(':')
                    .is_some_and(|(chart, _)| self.member(chart).is_some())
        })
    }

    /// The merged value of `chart:path` when given (not null, not blank), as shown in a message:
    /// a `sensitive` parameter is never shown.
    fn value(&self, reference: &str) -> Option<(String, bool)> {
        let (chart, path) = reference.split_once(':')?;
        let member = self.member(chart)?;
        let value = get(member.evaluated.merged(), &parse_path(path).ok()?)?;
        let text = match value {
            Value::Null => return None,
            Value::String(text) if text.trim().is_empty() => return None,
            other => display_value(other),
        };
        let sensitive = member
            .chart
            .param(path)
            .is_some_and(|param| param.sensitive);
        Some((text, sensitive))
    }

    fn report(
        &mut self,
        charts: Vec<String>,
        places: Vec<Place>,
        path: String,
        default: &str,
        vars: &[(&str, String)],
    ) {
        let template = self.rule.message.as_deref().unwrap_or(default);
        let message = fill(template, vars);
        let source = self.source.clone();
        self.findings.push(
            charts,
            places,
            self.rule.severity,
            path,
            RuleId::Catalog(self.rule.id.clone()),
            &message,
            source,
        );
    }

    fn evaluate(&mut self) {
        let rule = self.rule;
        match &rule.verb {
            CrossVerb::NamespaceTable(true) => self.namespace_table(),
            // Each reference on its own: a chart the environment lacks is simply not checked.
            CrossVerb::FilledWhenShared(list) => list
                .iter()
                .for_each(|instance| self.filled_when_shared(instance)),
            _ => {}
        }
        if !self.applies() {
            return;
        }
        match &rule.verb {
            CrossVerb::Equal(groups) => groups.iter().for_each(|group| self.equal(group)),
            CrossVerb::Entries(list) => list.iter().for_each(|entries| self.entries(entries)),
            CrossVerb::SecretFields(groups) => {
                groups.iter().for_each(|group| self.secret_fields(group))
            }
            CrossVerb::PriorityClass(references) => self.priority_class(references),
            // The images rules read the inventory of every member (`mirror::environment_image_diagnostics`).
            CrossVerb::NamespaceTable(_)
            | CrossVerb::Images(_)
            | CrossVerb::FilledWhenShared(_) => {}
        }
    }

    fn charts_of(refs: &[&str]) -> Vec<String> {
        let mut charts: Vec<String> = Vec::new();
        for reference in refs {
            if let Some((chart, _)) = reference.split_once(':') {
                if !charts.iter().any(|known| known == chart) {
                    charts.push(chart.to_string());
                }
            }
        }
        charts
    }

    fn equal(&mut self, group: &[String]) {
        let given: Vec<(&str, String, bool)> = group
            .iter()
            .filter_map(|reference| {
                self.value(reference)
                    .map(|(text, sensitive)| (reference.as_str(), text, sensitive))
            })
            .collect();
        let Some((_, first, _)) = given.first() else {
            return;
        };
        if given.iter().all(|(_, text, _)| text.trim() == first.trim()) {
            return;
        }
        let refs: Vec<&str> = given.iter().map(|(reference, _, _)| *reference).collect();
        let values: Vec<String> = given
            .iter()
            .map(|(reference, text, sensitive)| {
                let shown = if *sensitive {
                    "<hidden>".to_string()
                } else {
                    text.clone()
                };
                format!("{reference} = {shown}")
            })
            .collect();
        self.report(
            Self::charts_of(&refs),
            refs.iter().filter_map(|r| Place::of_reference(r)).collect(),
            refs.join(", "),
            "{refs} differ ({values}); they must be the same",
            &[("refs", refs.join(" and ")), ("values", values.join(", "))],
        );
    }

    fn entries(&mut self, entries: &Entries) {
        let Some((chart, _)) = entries.from.split_once(':') else {
            return;
        };
        let Some((text, _)) = self.value(&entries.from) else {
            return;
        };
        let Some(member) = self.member(chart) else {
            return;
        };
        let text = expand_values_refs(&text, member.evaluated.merged());
        let expected: Vec<String> = entries
            .any_of
            .iter()
            .filter_map(|pattern| {
                let mut out = pattern.clone();
                for reference in crate::catalog::environment::pattern_refs(pattern) {
                    let (value, _) = self.value(reference)?;
                    out = out.replace(&format!("{{{reference}}}"), value.trim());
                }
                Some(out)
            })
            .collect();
        if expected.is_empty() {
            return;
        }
        let parts: Vec<&str> = match &entries.split {
            Some(separator) => text.split(separator.as_str()).collect(),
            None => vec![text.as_str()],
        };
        let mut charts = vec![chart.to_string()];
        for reference in entries
            .any_of
            .iter()
            .flat_map(|p| crate::catalog::environment::pattern_refs(p))
        {
            for other in Self::charts_of(&[reference]) {
                if !charts.contains(&other) {
                    charts.push(other);
                }
            }
        }
        for part in parts.iter().map(|part| part.trim().trim_matches('"')) {
            if !glob(&entries.select, part) {
                continue;
            }
            if expected.iter().any(|pattern| glob(pattern, part)) {
                continue;
            }
            let shown_expected = expected.join(" or ");
            self.report(
                charts.clone(),
                Place::of_reference(&entries.from).into_iter().collect(),
                entries.from.clone(),
                "{from} has the entry {entry}, but {expected} is expected",
                &[
                    ("from", entries.from.clone()),
                    ("entry", part.to_string()),
                    ("expected", shown_expected),
                ],
            );
        }
    }

    /// The fields of a JSON secret key, as text per field name.
    fn secret_fields_of(&self, reference: &str) -> Option<BTreeMap<String, String>> {
        let (chart, rest) = reference.split_once(':')?;
        let (secret, key) = rest.split_once('/')?;
        let member = self.member(chart)?;
        let value = member.evaluated.answers.secrets.get(secret)?.get(key)?;
        let map: BTreeMap<String, String> = match value {
            Value::Mapping(fields) => fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (display_value(k), display_value(v)))
                .collect(),
            Value::String(text) => {
                let json: serde_json::Value = serde_json::from_str(text).ok()?;
                json.as_object()?
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect()
            }
            _ => return None,
        };
        Some(map)
    }

    fn secret_fields(&mut self, group: &[String]) {
        let given: Vec<(&str, BTreeMap<String, String>)> = group
            .iter()
            .filter_map(|reference| {
                self.secret_fields_of(reference)
                    .map(|fields| (reference.as_str(), fields))
            })
            .collect();
        let Some((_, first)) = given.first() else {
            return;
        };
        let mut differing: Vec<&str> = Vec::new();
        for (field, value) in first {
            let differs = given.iter().any(|(_, fields)| {
                fields
                    .get(field)
                    .is_some_and(|other| other.trim() != value.trim())
            });
            if differs {
                differing.push(field);
            }
        }
        if differing.is_empty() {
            return;
        }
        let refs: Vec<&str> = given.iter().map(|(reference, _)| *reference).collect();
        self.report(
            Self::charts_of(&refs),
            refs.iter().filter_map(|r| Place::of_reference(r)).collect(),
            refs.join(", "),
            "{refs} differ in {fields}",
            &[
                ("refs", refs.join(" and ")),
                ("fields", differing.join(", ")),
            ],
        );
    }

    fn namespace_table(&mut self) {
        let Some(platform) = crate::catalog::registry::platform() else {
            return;
        };
        for member in self.members {
            let Some(row) = platform
                .namespaces
                .iter()
                .find(|row| row.charts.iter().any(|chart| chart == &member.chart.id))
            else {
                continue;
            };
            let Some(expected) = row.namespaces.first() else {
                continue;
            };
            if &member.context.namespace == expected {
                continue;
            }
            let vars = [
                ("chart", member.chart.id.clone()),
                ("value", member.context.namespace.clone()),
                ("group", row.service_group.clone()),
                ("expected", expected.clone()),
            ];
            self.report(
                vec![member.chart.id.clone()],
                vec![Place::at(&member.chart.id, "namespace")],
                "namespace".into(),
                "{chart} is deployed into namespace {value}, but the platform table puts {group} in {expected}",
                &vars,
            );
        }
    }

    fn filled_when_shared(&mut self, instance: &FilledWhenShared) {
        let Some(fact) = self
            .shared
            .get(&instance.fact)
            .filter(|value| !value.is_null())
            .map(display_value)
            .filter(|text| !text.trim().is_empty())
        else {
            return;
        };
        for reference in &instance.refs {
            let member = reference
                .split_once(':')
                .is_some_and(|(chart, _)| self.member(chart).is_some());
            if !member || self.value(reference).is_some() {
                continue;
            }
            self.report(
                Self::charts_of(&[reference]),
                Place::of_reference(reference).into_iter().collect(),
                reference.clone(),
                "{ref} is empty while the environment gives shared.{fact} ({value}); give it a value, \
                 or remove the chart's own empty value so the shared one applies",
                &[
                    ("ref", reference.clone()),
                    ("fact", instance.fact.clone()),
                    ("value", fact.clone()),
                ],
            );
        }
    }

    fn priority_class(&mut self, references: &[String]) {
        let names: Vec<&str> = crate::catalog::registry::platform()
            .map(|platform| platform.priority_classes.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|class| class.name.as_str())
            .collect();
        let mut checked: Vec<(String, String, Vec<String>)> = Vec::new();
        for reference in references {
            // `shared:<fact>` reads a shared fact of the environment rather than a chart's value.
            if let Some(fact) = reference.strip_prefix(SHARED_PREFIX) {
                if let Some(value) = self.shared.get(fact).filter(|v| !v.is_null()) {
                    checked.push((format!("shared.{fact}"), display_value(value), Vec::new()));
                }
            } else if let Some((value, _)) = self.value(reference) {
                checked.push((reference.clone(), value, Self::charts_of(&[reference])));
            }
        }
        for (reference, value, charts) in checked {
            if names.contains(&value.trim()) {
                continue;
            }
            self.report(
                charts,
                Place::of_reference(&reference).into_iter().collect(),
                reference.clone(),
                "{ref} is {value}, which is not one of the platform guide's priority classes ({expected})",
                &[
                    ("ref", reference),
                    ("value", value),
                    ("expected", names.join(", ")),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_and_value_refs() {
        assert!(glob("ixn-server-*", "ixn-server-abc:7120"));
        assert!(!glob("ixn-server-*", "ixn-server-"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "abc"));
        assert!(glob("exact", "exact"));
        let merged: Value = serde_yaml::from_str("tenantid: u-1\n").unwrap();
        assert_eq!(
            expand_values_refs(
                "ixn-server-{{ $.Values.tenantid\n}}:7120,{{ .Values.none }}",
                &merged
            ),
            "ixn-server-u-1:7120,{{ .Values.none }}"
        );
    }
}
