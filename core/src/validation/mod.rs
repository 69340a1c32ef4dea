//! Validation: catalog + answers → diagnostics, on the merged values (defaults + overrides).

use serde::Serialize;

use crate::catalog::Chart;
use crate::state::Answers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding: where, how bad, what (in words a person understands), which rule, which guide line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Values path, `secret-name/key[/field]` for secret inputs, or `release`/`namespace`.
    pub path: String,
    pub severity: Severity,
    pub message: String,
    pub rule: String,
    /// `guide.txt:first-last` of the line that states the rule, when there is one.
    pub source: Option<String>,
}

/// Ids of the cross-field rules implemented here; the catalog lint rejects any other id.
pub const RULE_IDS: &[&str] = &[];

pub fn validate(_chart: &Chart, _answers: &Answers) -> Vec<Diagnostic> {
    Vec::new()
}
