//! Validation: catalog + answers → diagnostics, on the merged values (defaults + overrides).
//!
//! What Helm will render with is the chart defaults merged with the user's overrides, so that is
//! what is checked, never the overrides alone. One evaluation ([`Validator::evaluate`]) builds
//! the merged tree with the one Helm merge of the core (`values::merged_values`), reads every
//! parameter from it, and returns the tree, the diagnostics and the release name together, so
//! the app, the CLI and the exporters never merge a second time. A [`Validator`] precomputes,
//! once per chart, the parameters' parsed paths and sources; [`validate`] keeps one per catalog
//! chart. Parsed YAML blocks (`template` values) are kept by the validator, since the form
//! revalidates on every change and the blocks rarely change.
//!
//! Every diagnostic names the values path (or `namespace`, `release`, `secret/key[/field]`), its
//! severity, a message that says what is wrong, the value, what is expected and how to fix it, the
//! rule id, and the guide line (`source`, also written at the end of the message). Errors first,
//! then catalog order. Warnings never block.
//!
//! # Rule ids
//!
//! Built-in checks, run for every chart, are `diagnostic::Check` (one definition: id, severity,
//! what it finds; `docs/rules.md` lists them).
//!
//! Cross-field rules are catalog data (`rules:` of a chart file, in the vocabulary of
//! `docs/catalog-format.md`); `rules.rs` interprets them, and each finding carries the rule's id
//! and cites its entry's lines.

mod fields;
mod inputs;
mod rules;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_yaml::Value;

use crate::answers::Answers;
use crate::catalog::registry::{registered, registry_len};
use crate::catalog::{Chart, Source};
use crate::listing::source_text;
use crate::path::{get, parse_path, path_text, related_entries, Segment};
use crate::values::{
    changed_paths, defaults_ref, derived_release_name, merged_values, patch_merged,
};

pub use crate::diagnostic::{Check, Diagnostic, RuleId, Severity};

/// Validates `answers` against `chart`. Catalog charts reuse a validator built once; any other
/// chart (a test's own) gets one built for this call.
pub fn validate(chart: &Chart, answers: &Answers) -> Vec<Diagnostic> {
    evaluate(chart, answers).diagnostics
}

/// The one evaluation of a chart's answers: merged values, diagnostics and release name.
pub fn evaluate(chart: &Chart, answers: &Answers) -> Evaluation {
    evaluate_after(chart, None, answers).evaluation
}

/// `evaluate`, brought up to date from the evaluation of earlier answers: the merge is patched
/// where the overrides changed and only the parameters a change can reach are checked again
/// (`Validator::evaluate_after`). The result is what `evaluate` gives; `tests/incremental.rs`
/// checks it on random edits of every chart.
pub fn evaluate_after(chart: &Chart, previous: Option<Tracked>, answers: &Answers) -> Tracked {
    static VALIDATORS: OnceLock<Vec<OnceLock<Validator<'static>>>> = OnceLock::new();
    let cached = registered(chart).and_then(|(index, known)| {
        let validators =
            VALIDATORS.get_or_init(|| (0..registry_len()).map(|_| OnceLock::new()).collect());
        Some(validators.get(index)?.get_or_init(|| Validator::new(known)))
    });
    match cached {
        Some(validator) => validator.evaluate_after(previous, answers),
        None => Validator::new(chart).evaluate_after(previous, answers),
    }
}

/// An evaluation with what it was made from, so that the next one re-checks only what a change
/// can reach (`evaluate_after`). The app's evaluation memo holds one.
#[derive(Debug, Clone)]
pub struct Tracked {
    chart: String,
    /// The overrides it was computed from.
    overrides: Value,
    pub evaluation: Evaluation,
    /// Per parameter, in catalog order: what its field checks found (before redaction).
    fields: Vec<Vec<Diagnostic>>,
    /// This evaluation's number, unique in the process.
    generation: u64,
    /// The evaluation it was brought up to date from, and where the overrides differ from that
    /// one's (`changed_paths`); None when it was made afresh.
    since: Option<(u64, Vec<Vec<Segment>>)>,
}

/// The next evaluation's number.
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

impl Tracked {
    /// This evaluation's number, unique in the process: what a reader keeps to ask
    /// [`Tracked::changes_since`] next time.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Where the overrides differ from those of evaluation `generation`, when this one knows:
    /// nowhere when it is that one, the paths `evaluate_after` patched when it was brought up to
    /// date from that one. None otherwise (an older one, another chart, made afresh), and the
    /// reader then compares everything. Lets a reader that follows every evaluation (the app's
    /// field feed) skip keeping and comparing a copy of the overrides.
    pub fn changes_since(&self, generation: u64) -> Option<&[Vec<Segment>]> {
        if generation == self.generation {
            return Some(&[]);
        }
        match &self.since {
            Some((from, changed)) if *from == generation => Some(changed),
            _ => None,
        }
    }
}

/// What one change of the answers computes: what Helm renders with, what is wrong with it, and
/// the release it installs as.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The chart defaults merged with the overrides (`values::merged_values`).
    pub merged: Value,
    pub diagnostics: Vec<Diagnostic>,
    /// The release name given, or derived by the chart's rule; `None` while it cannot be built.
    pub release: Option<String>,
}

/// A chart's answers with their one evaluation: what every exporter reads, so that nothing after
/// validation merges the values again (the merged tree, the release, the findings are the
/// evaluation's). The session holds one per change; [`Evaluated::of`] evaluates on the spot for
/// a caller that has only answers (a test, a one-off command).
#[derive(Debug, Clone)]
pub struct Evaluated<'a> {
    pub chart: &'a Chart,
    pub answers: &'a Answers,
    evaluation: std::borrow::Cow<'a, Evaluation>,
}

impl<'a> Evaluated<'a> {
    /// Answers with the evaluation already made of them (it must be theirs).
    pub fn new(chart: &'a Chart, answers: &'a Answers, evaluation: &'a Evaluation) -> Self {
        Evaluated {
            chart,
            answers,
            evaluation: std::borrow::Cow::Borrowed(evaluation),
        }
    }

    /// Answers evaluated now: one merge, one validation.
    pub fn of(chart: &'a Chart, answers: &'a Answers) -> Self {
        Evaluated {
            chart,
            answers,
            evaluation: std::borrow::Cow::Owned(evaluate(chart, answers)),
        }
    }

    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// The chart defaults merged with the overrides: what Helm renders with.
    pub fn merged(&self) -> &Value {
        &self.evaluation.merged
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.evaluation.diagnostics
    }

    /// The release name given, or derived by the chart's rule; `None` while it cannot be built.
    pub fn release(&self) -> Option<&str> {
        self.evaluation.release.as_deref()
    }
}

/// Everything about a chart that validation needs and that does not depend on the answers.
pub struct Validator<'c> {
    chart: &'c Chart,
    plan: Plan,
    /// YAML blocks (`template` values) already parsed, by text: the form revalidates on every
    /// change, and the blocks rarely change. Bounded; cleared when full.
    blocks: Mutex<HashMap<String, Arc<ParsedBlock>>>,
}

/// A YAML block parsed, or the parser's first line of error.
pub(crate) type ParsedBlock = Result<Value, String>;

/// How many parsed blocks a validator keeps.
const BLOCK_CACHE: usize = 64;

/// How a `map` parameter's keys and values are checked (the catalog's `map_keys`).
pub(crate) type MapStyle = crate::catalog::MapKeys;

pub(crate) struct Plan {
    /// Per parameter: its parsed path (empty when the path does not parse; the lint reports it).
    segments: Vec<Vec<Segment>>,
    pub(crate) secret_sources: Vec<String>,
    pub(crate) map_styles: Vec<MapStyle>,
    pub(crate) sources: Vec<String>,
    /// Parameter path → index, ordered by path: a parameter by its path, and the parameters a
    /// change can reach (`path::related_entries`).
    by_path: BTreeMap<String, usize>,
    /// Per `chart.rules` entry.
    pub(crate) rule_sources: Vec<String>,
}

impl<'c> Validator<'c> {
    pub fn new(chart: &'c Chart) -> Validator<'c> {
        let segments = chart
            .params
            .iter()
            .map(|param| parse_path(&param.path).unwrap_or_default())
            .collect();
        let secret_sources = chart
            .secrets
            .iter()
            .map(|secret| source_text(chart, &secret.source))
            .collect();
        let map_styles = chart.params.iter().map(|param| param.map_keys).collect();
        let sources = chart
            .params
            .iter()
            .map(|param| source_text(chart, &param.source))
            .collect();
        let by_path = chart
            .params
            .iter()
            .enumerate()
            .map(|(at, param)| (param.path.clone(), at))
            .collect();
        let rule_sources = chart
            .rules
            .iter()
            .map(|rule| source_text(chart, &rule.source))
            .collect();
        let plan = Plan {
            segments,
            secret_sources,
            map_styles,
            sources,
            by_path,
            rule_sources,
        };
        Validator {
            chart,
            plan,
            blocks: Mutex::new(HashMap::new()),
        }
    }

    pub fn chart(&self) -> &'c Chart {
        self.chart
    }

    pub fn validate(&self, answers: &Answers) -> Vec<Diagnostic> {
        self.evaluate(answers).diagnostics
    }

    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        self.evaluate_after(None, answers).evaluation
    }

    /// The evaluation of `answers`, from the evaluation of earlier answers of this chart when one
    /// is given: the merge patched where the overrides changed (`values::patch_merged`) and the
    /// field checks of the parameters on, under or on the way to a changed path run again; the
    /// other parameters' values are the same, and so are their findings (a field check reads its
    /// own value alone). The checks across parameters, secrets and rules run whole: they are few.
    pub fn evaluate_after(&self, previous: Option<Tracked>, answers: &Answers) -> Tracked {
        let previous = previous.filter(|previous| {
            previous.chart == self.chart.id && previous.fields.len() == self.chart.params.len()
        });
        let (merged, fields, touched, since) = match previous {
            Some(Tracked {
                overrides,
                evaluation,
                fields,
                generation,
                ..
            }) => {
                let changed = changed_paths(&overrides, &answers.values);
                let mut merged = evaluation.merged;
                patch_merged(
                    &mut merged,
                    defaults_ref(self.chart),
                    &answers.values,
                    &changed,
                );
                let mut touched: Vec<usize> = changed
                    .iter()
                    .flat_map(|path| {
                        let text = path_text(path);
                        related_entries(&self.plan.by_path, &text)
                            .map(|(_, at)| *at)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                touched.sort_unstable();
                touched.dedup();
                (merged, fields, Some(touched), Some((generation, changed)))
            }
            None => (
                merged_values(self.chart, &answers.values),
                Vec::new(),
                None,
                None,
            ),
        };
        let ctx = Ctx {
            chart: self.chart,
            plan: &self.plan,
            answers,
            merged: &merged,
            blocks: &self.blocks,
        };
        let fields = match touched {
            Some(touched) => {
                let mut fields = fields;
                for at in touched {
                    if let Some(found) = fields.get_mut(at) {
                        *found = fields::check_param(&ctx, at);
                    }
                }
                fields
            }
            None => (0..self.chart.params.len())
                .map(|at| fields::check_param(&ctx, at))
                .collect(),
        };
        let mut out = Out::default();
        inputs::check_namespace_and_release(&ctx, &mut out);
        out.diagnostics.extend(fields.iter().flatten().cloned());
        inputs::check_secret_names(&ctx, &mut out);
        inputs::check_secrets(&ctx, &mut out);
        rules::run(&ctx, &mut out);
        // Messages are shown and logged: no secret or sensitive value may be quoted in them.
        crate::mask::redact_diagnostics(self.chart, answers, &mut out.diagnostics);
        let release = answers
            .release
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .or_else(|| derived_release_name(self.chart, &merged));
        let diagnostics = self.finish(out.diagnostics);
        Tracked {
            chart: self.chart.id.clone(),
            overrides: answers.values.clone(),
            evaluation: Evaluation {
                merged,
                diagnostics,
                release,
            },
            fields,
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
            since,
        }
    }

    /// Sorts: errors first, then catalog order (namespace, release, parameters, secrets), stable
    /// otherwise.
    fn finish(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut keyed: Vec<(Severity, usize, Diagnostic)> = diagnostics
            .into_iter()
            .map(|d| (d.severity, self.order_of(&d.path), d))
            .collect();
        keyed.sort_by_key(|(severity, order, _)| (*severity, *order));
        keyed.into_iter().map(|(_, _, d)| d).collect()
    }

    fn order_of(&self, path: &str) -> usize {
        match path {
            "namespace" => return 0,
            "release" => return 1,
            _ => {}
        }
        let params = self.chart.params.len();
        if let Some(at) = self
            .chart
            .owner_of(path)
            .and_then(|param| self.plan.by_path.get(&param.path))
        {
            return 2 + at;
        }
        let secret = path.split('/').next().unwrap_or(path);
        match self.chart.secrets.iter().position(|s| s.name == secret) {
            Some(at) => 2 + params + at,
            None => 2 + params + self.chart.secrets.len(),
        }
    }
}

/// One validation run: the chart, its plan, the answers and the merged values.
pub(crate) struct Ctx<'a> {
    pub(crate) chart: &'a Chart,
    pub(crate) plan: &'a Plan,
    pub(crate) answers: &'a Answers,
    merged: &'a Value,
    blocks: &'a Mutex<HashMap<String, Arc<ParsedBlock>>>,
}

impl Ctx<'_> {
    /// The merged value of a catalog parameter; `None` when absent or null (or not a parameter).
    pub(crate) fn get(&self, path: &str) -> Option<&Value> {
        let at = *self.plan.by_path.get(path)?;
        self.value_at(at).filter(|value| !value.is_null())
    }

    /// The merged value of the parameter at `at` in catalog order, if its path exists.
    pub(crate) fn value_at(&self, at: usize) -> Option<&Value> {
        let segments = self.plan.segments.get(at)?;
        if segments.is_empty() {
            return None;
        }
        get(self.merged, segments)
    }

    /// The whole merged tree (for rules that walk every key).
    pub(crate) fn merged(&self) -> &Value {
        self.merged
    }

    pub(crate) fn source(&self, source: &Source) -> String {
        source_text(self.chart, source)
    }

    /// A YAML block parsed, from the validator's cache when the same text was seen before.
    pub(crate) fn parse_block(&self, text: &str) -> Arc<ParsedBlock> {
        let mut blocks = self
            .blocks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(parsed) = blocks.get(text) {
            return Arc::clone(parsed);
        }
        // Through the input boundary, as every other YAML the user types: bounded against alias
        // bombs, and read as Helm reads what the chart renders from the block.
        let parsed = Arc::new(
            crate::yaml::read::read_yaml(text)
                .map(|read| read.value)
                .map_err(|error| error.to_string()),
        );
        if blocks.len() >= BLOCK_CACHE {
            blocks.clear();
        }
        blocks.insert(text.to_string(), Arc::clone(&parsed));
        parsed
    }
}

/// The diagnostics of a run, in the order the checks find them.
#[derive(Default)]
pub(crate) struct Out {
    diagnostics: Vec<Diagnostic>,
}

impl Out {
    /// Records a finding; the guide line is appended to the message as ` (guide.txt:n).`.
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        path: impl Into<String>,
        rule: RuleId,
        message: impl AsRef<str>,
        source: &str,
    ) {
        self.diagnostics.push(Diagnostic {
            path: path.into(),
            severity,
            message: crate::diagnostic::cited(message.as_ref(), Some(source)),
            rule,
            source: (!source.is_empty()).then(|| source.to_string()),
        });
    }

    pub(crate) fn error(
        &mut self,
        path: impl Into<String>,
        check: Check,
        message: impl AsRef<str>,
        source: &str,
    ) {
        self.push(Severity::Error, path, RuleId::Check(check), message, source);
    }

    pub(crate) fn warning(
        &mut self,
        path: impl Into<String>,
        check: Check,
        message: impl AsRef<str>,
        source: &str,
    ) {
        self.push(
            Severity::Warning,
            path,
            RuleId::Check(check),
            message,
            source,
        );
    }
}

/// Helpers shared by the checks.
pub(crate) mod util {
    use serde_yaml::Value;

    use crate::kinds::display_value;

    /// Absent, null, or text with nothing but spaces.
    pub(crate) fn is_blank(value: Option<&Value>) -> bool {
        match value {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.trim().is_empty(),
            Some(_) => false,
        }
    }

    /// Like [`is_blank`], and also an empty list or map.
    pub(crate) fn is_empty(value: Option<&Value>) -> bool {
        match value {
            Some(Value::Sequence(items)) => items.is_empty(),
            Some(Value::Mapping(map)) => map.is_empty(),
            other => is_blank(other),
        }
    }

    /// `true`, or the string `"true"` that several charts use as a flag.
    pub(crate) fn is_on(value: Option<&Value>) -> bool {
        match value {
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => text.trim().eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// The first envsubst placeholder (`${NAME}`) anywhere in a value.
    pub(crate) fn placeholder(value: &Value) -> Option<&str> {
        match value {
            Value::String(text) => {
                let start = text.find("${")?;
                let rest = text.get(start..)?;
                let end = rest.find('}')?;
                rest.get(..=end)
            }
            Value::Sequence(items) => items.iter().find_map(placeholder),
            Value::Mapping(map) => map.values().find_map(placeholder),
            Value::Tagged(tagged) => placeholder(&tagged.value),
            _ => None,
        }
    }

    /// A value as a message shows it: text quoted, numbers and flags bare, collections named.
    pub(crate) fn shown(value: &Value) -> String {
        match value {
            Value::String(text) => {
                let text = text.trim_end();
                if text.chars().count() > 60 || text.contains('\n') {
                    let first_line = text.lines().next().unwrap_or("");
                    let cut: String = first_line.chars().take(50).collect();
                    format!("\"{cut}…\"")
                } else {
                    format!("\"{text}\"")
                }
            }
            Value::Null => "empty".into(),
            Value::Sequence(items) => match items.len() {
                0 => "an empty list".into(),
                1 => "a list of 1 item".into(),
                n => format!("a list of {n} items"),
            },
            Value::Mapping(map) if map.is_empty() => "an empty map".into(),
            Value::Mapping(_) => "a map".into(),
            other => display_value(other),
        }
    }

    /// A number from a number, or from text holding one (some charts type counts as strings).
    pub(crate) fn number(value: &Value) -> Option<f64> {
        match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// Text of a scalar (numbers and flags as written), `None` for collections and null.
    pub(crate) fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(_) | Value::Bool(_) => Some(display_value(value)),
            _ => None,
        }
    }

    /// `a, b and c`, each quoted with backticks.
    pub(crate) fn code_list<S: AsRef<str>>(items: &[S]) -> String {
        let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
        match quoted.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::registry::all_charts;

    #[test]
    fn builtin_ids_are_not_catalog_rule_ids() {
        for chart in all_charts() {
            for rule in &chart.rules {
                assert!(
                    Check::from_id(&rule.id).is_none(),
                    "{}: {} is both built in and a rule",
                    chart.id,
                    rule.id
                );
            }
        }
    }

    #[test]
    fn placeholders_are_found_inside_text() {
        let value = Value::from("ixn-db-secret-${TENANT_ID}");
        assert_eq!(util::placeholder(&value), Some("${TENANT_ID}"));
        assert_eq!(
            util::placeholder(&Value::from("{{ $.Values.tenantid }}")),
            None
        );
    }
}
