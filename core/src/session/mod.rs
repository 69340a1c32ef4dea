//! The front door: the one API the page and the CLI talk to the core through. They hand it changes and get back data ready to show — field values and messages, counts per section, previews masked as asked, the export decision, the type an import was taken as, findings placed on charts and fields.
//!
//! rust-analyzer's `ide` crate is the model: a front end keeps a session, applies changes to it
//! and reads plain view data from it, and makes no decision of its own. Everything a person sees
//! in the page is here, so the CLI gets the same answer to the same question (the tests ask both).
//!
//! - [`ChartSession`] — one chart's answers and their one evaluation per change ([`Change`]).
//! - `files.rs` — the files a session exports, their previews and the one export decision.
//! - `import.rs` — any text a user brings (values.yaml, answers file, Secret manifests), read
//!   and taken as the kind it is.
//! - `environment.rs` — several charts as one environment: the member forms' shared facts and
//!   the environment's findings placed on the charts and fields they concern.
//! - `group.rs` — a unit group: units by region, tenants and charts per unit, the findings
//!   across units placed on units and tenants, the rollout, the picture and the plan's files.

mod environment;
mod files;
mod group;
mod import;
pub mod protocol;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use serde_yaml::Value;

pub use environment::{
    place_findings, EnvironmentSession, FactInput, FactView, Finding, MemberView, PlanFile, RowView,
};
pub use files::{ExportFile, Preview};
pub use group::{
    GroupFinding, GroupSession, PlacementView, PlanFileView, RegionView, TenantView, UnitView,
};
pub use import::{read_import, report_lines, ImportKind, Imported, ReportKind, ReportLine};

use crate::answers::{
    clear_value, field_state, reset_section, reset_value, set_param_value, set_secret, Answers,
    FieldState, SecretValues,
};
use crate::catalog::Chart;
use crate::diagnostic::{Diagnostic, Severity};
use crate::path::{get, parse_path, Segment};
use crate::shared::{apply_facts_to_form, Applied};
use crate::validation::{evaluate_after, Evaluated, Evaluation, Tracked};
use crate::values::new_answers;
use crate::yaml::read::{check_tree, check_values, InputError};

/// A change a front end hands to a [`ChartSession`]. Every tree of values in a change passes the
/// input boundary (`yaml::read::check_values`) in [`ChartSession::apply`], whatever carried it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A form field set (a default list the path runs through is copied first, so the list's
    /// other items keep their defaults).
    Set { path: String, value: Value },
    /// A field cleared (`null`: Helm deletes the chart default).
    Clear { path: String },
    /// A field back to the chart default.
    Reset { path: String },
    /// Every field of a section back to its default.
    ResetSection { section: String },
    /// The whole chart back to where a new form starts (the guide's values to set).
    ResetChart,
    /// One secret value (a plain key, or a field of a JSON key); empty text removes it.
    Secret {
        name: String,
        key: String,
        field: Option<String>,
        text: String,
    },
    /// The release name typed (`None` or blank: derived by the chart's rule).
    Release(Option<String>),
    /// The namespace typed (`None` or blank: the platform guide's).
    Namespace(Option<String>),
    /// The whole overrides as edited in Edit YAML (read at the boundary; where a `sensitive`
    /// value still shows the mask, the real value is kept).
    EditValues(Value),
    /// Values merged into the overrides: an imported values.yaml, a host page's `set-values`.
    MergeValues(Value),
    /// Secret values read from Secret manifests, filled in over the ones there.
    FillSecrets(SecretValues),
    /// Whole answers: an answers file, a share link, a draft.
    Replace(Answers),
}

/// A refused change: nothing was applied, and this says why (naming places, never values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<InputError> for Refusal {
    fn from(error: InputError) -> Refusal {
        Refusal(error.to_string())
    }
}

/// A section's findings, by severity (what its heading and table-of-contents entry show).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SectionCount {
    pub errors: usize,
    pub warnings: usize,
}

/// Each path's messages, as its field shows them.
pub type Messages = HashMap<String, Vec<(Severity, String)>>;

/// What one field shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldView<'s> {
    pub state: FieldState,
    /// The override (None: the default applies; `Some(Null)`: cleared).
    pub overridden: Option<&'s Value>,
    /// The merged value, as Helm will see it.
    pub merged: Option<&'s Value>,
    pub messages: &'s [(Severity, String)],
}

/// One chart's answers in a front end: the user's own answers, the environment's shared facts
/// when the chart is a member of one, and the one evaluation of the answers with the facts
/// applied, brought up to date on every change (`validation::evaluate_after`).
#[derive(Debug, Clone)]
pub struct ChartSession<'c> {
    chart: &'c Chart,
    /// What the user gave (what drafts keep): never the applied facts.
    own: Answers,
    /// The environment's facts, as charts receive them, while the chart is a member of one.
    facts: Option<BTreeMap<String, Value>>,
    /// `own` with the facts applied: what the form shows and every export writes.
    current: Answers,
    applied: Vec<Applied>,
    overridden: Vec<Applied>,
    tracked: Tracked,
    /// The environment's findings about this chart, on its own paths where they name one.
    outside: Vec<Diagnostic>,
    /// The chart's findings and then the environment's: what the page lists.
    diagnostics: Vec<Diagnostic>,
    messages: Arc<Messages>,
    sections: BTreeMap<String, SectionCount>,
}

impl<'c> ChartSession<'c> {
    /// A session over answers that already passed the boundary (parsed answers files, drafts,
    /// links, or fresh answers).
    pub fn new(chart: &'c Chart, own: Answers) -> ChartSession<'c> {
        let tracked = evaluate_after(chart, None, &own);
        let mut session = ChartSession {
            chart,
            current: own.clone(),
            own,
            facts: None,
            applied: Vec::new(),
            overridden: Vec::new(),
            tracked,
            outside: Vec::new(),
            diagnostics: Vec::new(),
            messages: Arc::default(),
            sections: BTreeMap::new(),
        };
        session.derive_views();
        session
    }

    /// Where a new form starts: the guide's values to set, prefilled.
    pub fn fresh(chart: &'c Chart) -> ChartSession<'c> {
        ChartSession::new(chart, new_answers(chart))
    }

    pub fn chart(&self) -> &'c Chart {
        self.chart
    }

    /// The user's own answers, without the environment's facts (what drafts and files keep).
    pub fn own_answers(&self) -> &Answers {
        &self.own
    }

    /// The answers the form shows and every export writes (the facts applied).
    pub fn answers(&self) -> &Answers {
        &self.current
    }

    pub fn evaluation(&self) -> &Evaluation {
        &self.tracked.evaluation
    }

    /// The answers with their evaluation, as the exporters take them.
    pub fn evaluated(&self) -> Evaluated<'_> {
        Evaluated::new(self.chart, &self.current, &self.tracked.evaluation)
    }

    /// This evaluation's number (see [`ChartSession::changes_since`]).
    pub fn generation(&self) -> u64 {
        self.tracked.generation()
    }

    /// Where the overrides changed since evaluation `generation`, when this session knows
    /// (the form feeds only the fields a change can reach); None: compare everything.
    pub fn changes_since(&self, generation: u64) -> Option<&[Vec<Segment>]> {
        self.tracked.changes_since(generation)
    }

    /// Applies a change: the answers change, the facts are applied again and the one
    /// evaluation is brought up to date. A refused change leaves everything as it was.
    pub fn apply(&mut self, change: Change) -> Result<(), Refusal> {
        let mut own = self.own.clone();
        change_answers(self.chart, &mut own, &self.current, change)?;
        self.own = own;
        self.refresh();
        Ok(())
    }

    /// The environment's facts for this chart (None: not a member of an environment).
    pub fn set_facts(&mut self, facts: Option<BTreeMap<String, Value>>) {
        if self.facts != facts {
            self.facts = facts;
            self.refresh();
        }
    }

    /// The environment's findings about this chart (from `EnvironmentSession::findings_for`).
    /// Only the findings change: the evaluation stands.
    pub fn set_outside_findings(&mut self, findings: Vec<Diagnostic>) {
        if self.outside != findings {
            self.outside = findings;
            self.derive_views();
        }
    }

    /// Which facts the form got, and where the chart keeps its own value instead.
    pub fn shared_report(&self) -> (&[Applied], &[Applied]) {
        (&self.applied, &self.overridden)
    }

    /// Every finding: the chart's own, then the environment's about it; errors first.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// (errors, warnings) among the findings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, self.diagnostics.len() - errors)
    }

    /// Each path's messages, shared so that a reader sees at once when they did not change.
    pub fn messages(&self) -> &Arc<Messages> {
        &self.messages
    }

    pub fn messages_at(&self, path: &str) -> &[(Severity, String)] {
        self.messages.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Findings per section id (a finding on a path no parameter owns counts in none).
    pub fn section_counts(&self) -> &BTreeMap<String, SectionCount> {
        &self.sections
    }

    /// What one field shows.
    pub fn field(&self, path: &str) -> FieldView<'_> {
        // Only a parameter's path reads the trees: secret inputs, `namespace` and `release` get
        // their messages alone.
        let segments = parse_path(path)
            .ok()
            .filter(|_| self.chart.param(path).is_some());
        let (overridden, merged) = match &segments {
            Some(segments) => (
                get(&self.current.values, segments),
                get(&self.tracked.evaluation.merged, segments),
            ),
            None => (None, None),
        };
        FieldView {
            state: field_state(&self.current.values, path),
            overridden,
            merged,
            messages: self.messages_at(path),
        }
    }

    fn refresh(&mut self) {
        let (current, applied, overridden) = match &self.facts {
            Some(facts) => {
                let (current, report) = apply_facts_to_form(self.chart, &self.own, facts);
                (current, report.applied, report.overridden)
            }
            None => (self.own.clone(), Vec::new(), Vec::new()),
        };
        self.current = current;
        self.applied = applied;
        self.overridden = overridden;
        let previous = self.tracked.clone();
        self.tracked = evaluate_after(self.chart, Some(previous), &self.current);
        self.derive_views();
    }

    /// The findings list, the messages per path and the counts per section, from the
    /// evaluation and the environment's findings: computed once per change.
    fn derive_views(&mut self) {
        let mut all = self.tracked.evaluation.diagnostics.clone();
        all.extend(self.outside.iter().cloned());
        // Errors first, each group in its order (the chart's, then the environment's).
        all.sort_by_key(|d| d.severity);
        let mut messages = Messages::new();
        let mut sections = BTreeMap::<String, SectionCount>::new();
        for diagnostic in &all {
            messages
                .entry(diagnostic.path.clone())
                .or_default()
                .push((diagnostic.severity, diagnostic.message.clone()));
            if let Some(param) = self.chart.owner_of(&diagnostic.path) {
                let count = sections.entry(param.section.clone()).or_default();
                match diagnostic.severity {
                    Severity::Error => count.errors += 1,
                    Severity::Warning => count.warnings += 1,
                }
            }
        }
        self.diagnostics = all;
        if *self.messages != messages {
            self.messages = Arc::new(messages);
        }
        self.sections = sections;
    }
}

/// One change made to the user's own answers. `current` is what the form shows (the facts
/// applied): a list edit and Edit YAML's masked values start from it.
fn change_answers(
    chart: &Chart,
    own: &mut Answers,
    current: &Answers,
    change: Change,
) -> Result<(), Refusal> {
    let path_problem = |error: String| Refusal(error);
    match change {
        Change::Set { path, value } => {
            check_tree(&value)?;
            set_param_value(
                crate::values::defaults_ref(chart),
                &mut own.values,
                &path,
                value,
            )
            .map_err(path_problem)?;
        }
        Change::Clear { path } => clear_value(&mut own.values, &path).map_err(path_problem)?,
        Change::Reset { path } => reset_value(&mut own.values, &path).map_err(path_problem)?,
        Change::ResetSection { section } => reset_section(chart, &mut own.values, &section),
        Change::ResetChart => *own = new_answers(chart),
        Change::Secret {
            name,
            key,
            field,
            text,
        } => set_secret(&mut own.secrets, &name, &key, field.as_deref(), &text),
        Change::Release(text) => own.release = text.filter(|text| !text.is_empty()),
        Change::Namespace(text) => own.namespace = text.filter(|text| !text.is_empty()),
        Change::EditValues(values) => {
            let values = check_values(values, "the edited values")?;
            own.values = crate::mask::unmask(chart, &values, &current.values);
        }
        Change::MergeValues(values) => {
            let values = check_values(values, "the values")?;
            own.values = crate::values::merge(&own.values, &values);
        }
        Change::FillSecrets(secrets) => {
            for (name, keys) in secrets {
                own.secrets.entry(name).or_default().extend(keys);
            }
        }
        Change::Replace(answers) => {
            if answers.chart != chart.id {
                return Err(Refusal(format!(
                    "the answers are for the chart `{}`, not `{}`",
                    answers.chart.chars().take(40).collect::<String>(),
                    chart.id
                )));
            }
            let values = check_values(answers.values.clone(), "`values`")?;
            *own = Answers { values, ..answers };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::registry::chart;

    fn ixn() -> &'static Chart {
        chart("ixn").expect("ixn is in the catalog")
    }

    #[test]
    fn a_change_is_evaluated_once_and_a_refusal_changes_nothing() {
        let mut session = ChartSession::fresh(ixn());
        let before = session.generation();
        session
            .apply(Change::Set {
                path: "replicaCount".into(),
                value: Value::from(7),
            })
            .expect("applied");
        assert!(session.generation() > before);
        assert_eq!(
            session.field("replicaCount").overridden,
            Some(&Value::from(7))
        );
        assert!(session
            .messages_at("replicaCount")
            .iter()
            .any(|(severity, _)| *severity == Severity::Error));
        let answers = session.own_answers().clone();
        let generation = session.generation();
        let refused = session.apply(Change::Replace(Answers::new("ges")));
        assert!(refused.is_err());
        assert_eq!(session.own_answers(), &answers);
        assert_eq!(session.generation(), generation);
    }

    #[test]
    fn section_counts_place_a_finding_under_its_owning_parameter() {
        let session = ChartSession::fresh(ixn());
        let total: usize = session
            .section_counts()
            .values()
            .map(|count| count.errors + count.warnings)
            .sum();
        let placed = session
            .diagnostics()
            .iter()
            .filter(|d| ixn().owner_of(&d.path).is_some())
            .count();
        assert_eq!(total, placed);
    }

    #[test]
    fn facts_apply_to_the_form_but_not_to_the_own_answers() {
        let mut session = ChartSession::fresh(ixn());
        let mut facts = BTreeMap::new();
        facts.insert("tenant_sid".to_string(), Value::from("0123"));
        session.set_facts(Some(facts));
        assert_eq!(
            session.answers().values["tenant"]["sid"],
            Value::from("0123")
        );
        assert_ne!(
            session
                .own_answers()
                .values
                .get("tenant")
                .and_then(|t| t.get("sid")),
            Some(&Value::from("0123"))
        );
        assert!(!session.shared_report().0.is_empty());
    }
}
