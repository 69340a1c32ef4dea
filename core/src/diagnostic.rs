//! What a check finds: its severity, where, what, which rule (typed: a built-in check or a catalog rule's id) and which guide line.
//!
//! This is the ground floor every layer reports through: validation, the environment checks,
//! masking (which redacts messages) and the front ends all read these types and nothing above.
//! The built-in checks are one list ([`Check::ALL`]): its ids, severities and docs feed the
//! validation, the rule-case tests and `docs/rules.md`, so a check is defined once.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// How bad a finding is. Errors block the exports in the app; warnings never block.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a check lives: run for every chart, or for an environment (or a unit group) as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Chart,
    Environment,
}

/// Declares the built-in checks once: variant, id, scope, severity and what it finds.
macro_rules! checks {
    ($($variant:ident = $id:literal, $scope:ident, $severity:ident, $doc:literal;)*) => {
        /// A check built into the product (not a catalog rule): what every chart or environment gets.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Check {
            $(#[doc = $doc] $variant,)*
        }

        impl Check {
            /// Every built-in check, in the order of the docs.
            pub const ALL: &'static [Check] = &[$(Check::$variant),*];

            /// The id findings carry (`field.kind`).
            pub fn id(self) -> &'static str {
                match self {
                    $(Check::$variant => $id,)*
                }
            }

            pub fn scope(self) -> Scope {
                match self {
                    $(Check::$variant => Scope::$scope,)*
                }
            }

            /// The severity of its findings.
            pub fn severity(self) -> Severity {
                match self {
                    $(Check::$variant => Severity::$severity,)*
                }
            }

            /// What it finds, in one sentence (docs and `pecfg rules`).
            pub fn doc(self) -> &'static str {
                match self {
                    $(Check::$variant => $doc,)*
                }
            }

            /// The check with this id, if it is one.
            pub fn from_id(id: &str) -> Option<Check> {
                Check::ALL.iter().copied().find(|check| check.id() == id)
            }
        }
    };
}

checks! {
    FieldRequired = "field.required", Chart, Error,
        "a `required: true` parameter (or a required `object_list` item field) is absent, null or `\"\"`";
    FieldKind = "field.kind", Chart, Error,
        "the value does not fit the parameter's kind (a string kind given a number says to quote it, a number given as text says to unquote it, maps hold text values)";
    FieldAllowed = "field.allowed", Chart, Error,
        "not one of the parameter's `allowed` values";
    FieldRange = "field.range", Chart, Error,
        "below `min`, above `max`, or a port outside 1–65535";
    FieldLabelKey = "field.label-key", Chart, Error,
        "a key of a labels/nodeSelector map or an annotations map is not a Kubernetes label key";
    FieldLabelValue = "field.label-value", Chart, Error,
        "a value of a labels/nodeSelector map is not a Kubernetes label value";
    FieldYaml = "field.yaml", Chart, Error,
        "a `template` block (without `{{ }}`) is not valid YAML";
    FieldPlaceholder = "field.placeholder", Chart, Warning,
        "the value still holds an envsubst placeholder such as `${TENANT_ID}` (its other checks are skipped)";
    FieldSecretName = "field.secret-name", Chart, Error,
        "a value that names a Secret (`name_param`) is not a DNS-1123 subdomain";
    NamespaceName = "namespace.name", Chart, Error,
        "the namespace is not a DNS-1123 label";
    ReleaseName = "release.name", Chart, Error,
        "the release name is not a DNS-1123 label of at most 53 characters (Helm's limit)";
    ReleasePending = "release.pending", Chart, Warning,
        "the release name cannot be derived yet (e.g. the tenant id is missing)";
    SecretRequired = "secret.required", Chart, Warning,
        "a required secret key or field is empty (the user may create the Secret separately)";
    SecretKind = "secret.kind", Chart, Error,
        "a secret field value does not fit its kind (e.g. a port)";
    SecretUnknown = "secret.unknown", Chart, Warning,
        "the answers hold a secret or key the chart does not use";
    EnvCatalog = "env.catalog", Environment, Error,
        "the environment catalog compiled into this build cannot be read (a build defect)";
    EnvName = "env.name", Environment, Error,
        "the environment name is not a DNS-1123 label (it names the GitOps objects)";
    EnvCharts = "env.charts", Environment, Error,
        "the environment has no chart";
    EnvReleaseConflict = "env.release-conflict", Environment, Error,
        "two charts install one release name in one namespace";
    EnvSecretConflict = "env.secret-conflict", Environment, Error,
        "two charts create one Secret in one namespace with different contents";
    EnvSharedOverride = "env.shared-override", Environment, Warning,
        "a chart keeps its own value instead of a shared fact (a warning, so the override is visible)";
    GroupCatalog = "group.catalog", Environment, Error,
        "the unit-group catalog compiled into this build cannot be read (a build defect)";
    GroupFactOverride = "group.fact-override", Environment, Warning,
        "a unit's shared fact overrides the group's, or a tenant's overrides its unit's or the group's (a warning, so the override is visible)";
    GroupSecretConflict = "group.secret-conflict", Environment, Error,
        "two tenants on one unit create one Secret in one namespace with different contents";
}

/// Which rule a finding comes from: a built-in check, or a catalog rule by its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    Check(Check),
    /// A rule of a chart file or of the environment catalog (`rules:`, `cross_chart:`).
    Catalog(String),
}

impl RuleId {
    pub fn as_str(&self) -> &str {
        match self {
            RuleId::Check(check) => check.id(),
            RuleId::Catalog(id) => id,
        }
    }

    /// A built-in check of an environment as a whole (not a chart's own check, not a catalog rule).
    pub fn is_environment_check(&self) -> bool {
        matches!(self, RuleId::Check(check) if check.scope() == Scope::Environment)
    }
}

impl From<Check> for RuleId {
    fn from(check: Check) -> RuleId {
        RuleId::Check(check)
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> RuleId {
        Check::from_id(id).map_or_else(|| RuleId::Catalog(id.to_string()), RuleId::Check)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RuleId, D::Error> {
        let id = String::deserialize(deserializer)?;
        Ok(RuleId::from(id.as_str()))
    }
}

/// One finding: where, how bad, what (in words a person understands), which rule, which guide line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Values path, `secret-name/key[/field]` for secret inputs, or `release`/`namespace`.
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub rule: RuleId,
    /// `guide.txt:first-last` of the line that states the rule, when there is one.
    pub source: Option<String>,
}

/// A finding about an environment: the charts it concerns (one for a chart's own check, every
/// chart involved for a cross-chart one), where, how bad, what, which rule and guide line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvDiagnostic {
    pub charts: Vec<String>,
    /// A chart's values path (or secret path), `chart:path` references for cross-chart findings.
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub rule: RuleId,
    pub source: Option<String>,
    /// Where the finding lands: a chart's field (its own values or secret path), or a chart as a
    /// whole (no path). Empty for a finding about the environment itself (its name, its list of
    /// charts). A front end shows a member chart the findings with a place on it.
    #[serde(skip)]
    pub places: Vec<Place>,
    /// `Chart` for a chart's own validation, `Environment` for a check across the environment
    /// (a built-in environment check or a cross-chart rule). Not written: `charts` and `rule` say it.
    #[serde(skip)]
    pub scope: Scope,
}

/// A place a finding concerns: one chart, and the path in that chart's own terms (a values path,
/// `secret/key`, `namespace`, `release`), or none for the chart as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub chart: String,
    pub path: Option<String>,
}

impl Place {
    pub fn at(chart: &str, path: impl Into<String>) -> Place {
        Place {
            chart: chart.to_string(),
            path: Some(path.into()),
        }
    }

    /// The place of a catalog reference `chart:path` (a rule's data, never shown text).
    pub fn of_reference(reference: &str) -> Option<Place> {
        let (chart, path) = reference.split_once(':')?;
        (chart != "shared").then(|| Place::at(chart, path))
    }
}

/// A finding's message with its guide line appended (` (guide.txt:n).`), ending in one period.
pub fn cited(message: &str, source: Option<&str>) -> String {
    let text = message.trim_end().trim_end_matches('.');
    match source.filter(|source| !source.is_empty()) {
        Some(source) => format!("{text} ({source})."),
        None => format!("{text}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique_and_read_back() {
        for check in Check::ALL {
            assert_eq!(Check::from_id(check.id()), Some(*check));
            assert_eq!(RuleId::from(check.id()), RuleId::Check(*check));
        }
        let mut ids: Vec<&str> = Check::ALL.iter().map(|check| check.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Check::ALL.len());
    }

    #[test]
    fn a_rule_id_serializes_as_its_text() {
        let id = RuleId::from("ixn.release-name");
        assert_eq!(id, RuleId::Catalog("ixn.release-name".into()));
        assert_eq!(
            serde_json::to_string(&RuleId::Check(Check::FieldKind)).ok(),
            Some("\"field.kind\"".to_string())
        );
    }

    #[test]
    fn citations_end_in_one_period() {
        assert_eq!(cited("bad.", Some("g.txt:3")), "bad (g.txt:3).");
        assert_eq!(cited("bad", None), "bad.");
        assert_eq!(cited("bad ", Some("")), "bad.");
    }
}
