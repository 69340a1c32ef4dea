//! The app's single store: the selected chart and, per chart, the answers (overrides and secret values), plus the view filters.
//!
//! Components read it through context. Derived data (merged values, diagnostics, exports) are
//! `Memo`s over it, so a keystroke recomputes them once, and the fields are fed from what changed
//! (the paths where the overrides differ, the paths whose messages differ), so a keystroke visits
//! the fields it can reach, not every field of the form.

use std::collections::{BTreeMap, HashMap};
use std::mem;
use std::sync::Arc;

use leptos::prelude::*;
use pecfg_core::answers::Answers;
use pecfg_core::catalog::registry::{chart, chart_ids};
use pecfg_core::catalog::Chart;
use pecfg_core::diagnostic::Scope;
use pecfg_core::environment::{
    environment_file, resolve, shared_answers, validate_environment, Applied, EnvDiagnostic,
    Resolved, Setup,
};
use pecfg_core::path::{get, parse_path, path_text, related_entries, Segment};
use pecfg_core::validation::{evaluate_after, Diagnostic, Severity, Tracked};
use pecfg_core::values::new_answers;
use serde_yaml::Value;

/// What the middle of the page shows: one chart's form, or the environment of several charts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Chart,
    Environment,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub page: RwSignal<Page>,
    /// The environment: its name, member charts and shared facts. A member chart's form shows
    /// the shared facts applied; with no member, every chart is on its own, as before.
    pub environment: RwSignal<Setup>,
    pub chart_id: RwSignal<String>,
    /// Answers per chart id, so switching charts keeps what was typed.
    pub answers: RwSignal<BTreeMap<String, Answers>>,
    pub search: RwSignal<String>,
    pub changed_only: RwSignal<bool>,
    pub essentials_only: RwSignal<bool>,
    /// "Show secret values": one flag for every preview (secrets.yaml, the commands, and the
    /// `sensitive` values in values.yaml, Edit YAML and Diff), masked while it is off.
    pub reveal_secrets: RwSignal<bool>,
    /// Per chart, the answers as the embedding host's last `set-values` left them. The draft
    /// writer does not save a chart's answers while they are still exactly these: a host must not
    /// plant values in the user's own storage; once the user edits, the draft is theirs again.
    pub host_set: StoredValue<BTreeMap<String, Answers>>,
    /// Why the share link in the URL was not applied (shown by the share bar), if it was not.
    pub share_notice: RwSignal<Option<String>>,
    /// Derived: the selected chart's catalog.
    pub chart: Memo<&'static Chart>,
    /// Derived: the selected chart's answers, with the environment's shared facts applied when
    /// the chart is a member (what the form shows and every export writes).
    pub current: Memo<Answers>,
    /// Derived: for a member chart, which shared facts its form got, and where it keeps its own
    /// value instead.
    pub shared_report: Memo<(Vec<Applied>, Vec<Applied>)>,
    /// Derived: the environment resolved for the plan (None while it has no member).
    pub env_resolved: Memo<Option<Resolved>>,
    /// Derived: every check of the environment (each member's own, the cross-chart ones).
    pub env_diagnostics: Memo<Vec<EnvDiagnostic>>,
    /// Derived: the one evaluation of the current answers (the merged values, as Helm will see
    /// them, and every check). Read the merged tree through `with_merged`.
    evaluation: Memo<Tracked>,
    /// Derived: every diagnostic of the current answers.
    pub diagnostics: Memo<Vec<Diagnostic>>,
    /// Derived: errors and warnings per section id, counted once per change of the diagnostics
    /// (instead of each section walking every diagnostic: sections × diagnostics per keystroke).
    section_counts: Memo<HashMap<&'static str, SectionCount>>,
    /// One count signal per section, by chart id then section id, set by one effect only when
    /// the section's count changed. Each section and table-of-contents entry reads its own, so a
    /// keystroke reaches that effect instead of every section's memo and the views under it.
    sections: StoredValue<HashMap<String, HashMap<&'static str, RwSignal<SectionCount>>>>,
    /// Derived: each path's messages, as its field shows them (shared, so that the field feed
    /// keeps the map it fed by reference and sees at once when it is the same).
    messages: Memo<Arc<ByPath>>,
    /// One set of signals per field, by chart id then path, kept up to date by a single effect
    /// that visits the fields a change can reach and sets only the signals whose value changed:
    /// a keystroke then wakes the field it changed and the panels that depend on it.
    fields: StoredValue<HashMap<String, BTreeMap<String, FieldSignals>>>,
    /// Fields created since the feed last ran. They were filled from the memos when created,
    /// which may be newer than what the feed last saw, so its next run checks them whole.
    fresh: StoredValue<Vec<String>>,
    owner: StoredValue<Owner>,
}

/// A section's diagnostics, by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SectionCount {
    pub errors: usize,
    pub warnings: usize,
}

/// What one field shows: its override (None = default, Some(Null) = cleared), its merged
/// value, and the messages for its path.
#[derive(Clone, Copy)]
pub struct FieldSignals {
    pub overridden: RwSignal<Option<Value>>,
    pub merged: RwSignal<Option<Value>>,
    pub messages: RwSignal<Vec<(Severity, String)>>,
    segments: StoredValue<Vec<Segment>>,
}

/// Each path's messages.
type ByPath = HashMap<String, Vec<(Severity, String)>>;

/// What the field feed last applied: the diff base of its next run. The overrides it fed are
/// not copied: the evaluation says where they changed since this one (`changes_since`).
struct Fed {
    chart_id: String,
    generation: u64,
    messages: Arc<ByPath>,
}

impl FieldSignals {
    /// Sets this field's signals from the current trees, each only if it changed.
    fn feed(&self, values: &Value, merged: &Value, messages: &[(Severity, String)]) {
        self.segments.with_value(|segments| {
            if segments.is_empty() {
                return;
            }
            // Compare in place and clone only what changed.
            let overridden = get(values, segments);
            if self
                .overridden
                .with_untracked(|old| old.as_ref() != overridden)
            {
                self.overridden.set(overridden.cloned());
            }
            let merged = get(merged, segments);
            if self.merged.with_untracked(|old| old.as_ref() != merged) {
                self.merged.set(merged.cloned());
            }
        });
        if self
            .messages
            .with_untracked(|old| old.as_slice() != messages)
        {
            self.messages.set(messages.to_vec());
        }
    }
}

impl AppState {
    /// One section of the selected chart: its count of diagnostics (what its heading and
    /// table-of-contents entry show), created on first use under the app's owner.
    pub fn section_count(&self, section_id: &'static str) -> ReadSignal<SectionCount> {
        let chart_id = self.chart_id.get_untracked();
        let known = self.sections.with_value(|sections| {
            sections
                .get(&chart_id)
                .and_then(|signals| signals.get(section_id).copied())
        });
        let signal = known.unwrap_or_else(|| {
            let now = self
                .section_counts
                .with_untracked(|counts| counts.get(section_id).copied().unwrap_or_default());
            let signal = self.owner.get_value().with(|| RwSignal::new(now));
            self.sections.update_value(|sections| {
                sections
                    .entry(chart_id)
                    .or_default()
                    .insert(section_id, signal);
            });
            signal
        });
        signal.read_only()
    }

    pub fn new() -> AppState {
        let first_chart = chart_ids()
            .first()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let chart_id = RwSignal::new(first_chart);
        let answers = RwSignal::new(BTreeMap::<String, Answers>::new());
        let chart_memo = Memo::new(move |_| {
            chart(&chart_id.get())
                .or_else(|| chart_ids().first().and_then(|id| chart(id)))
                .expect("the catalog has charts")
        });
        let environment = RwSignal::new(Setup::new("tenant"));
        let own_answers = move || {
            let id = chart_id.get();
            answers
                .with(|all| all.get(&id).cloned())
                .unwrap_or_else(|| new_answers(chart_memo.get()))
        };
        let current = Memo::new(move |_| {
            let raw = own_answers();
            let chart = chart_memo.get();
            environment.with(|setup| {
                if setup.has(&chart.id) && !setup.shared.is_empty() {
                    shared_answers(chart, &raw, &setup.shared).0
                } else {
                    raw
                }
            })
        });
        let shared_report = Memo::new(move |_| {
            let chart = chart_memo.get();
            environment.with(|setup| {
                if setup.has(&chart.id) {
                    let (_, applied, overridden) =
                        shared_answers(chart, &own_answers(), &setup.shared);
                    (applied, overridden)
                } else {
                    (Vec::new(), Vec::new())
                }
            })
        });
        // The whole environment is resolved and checked only once it has members, so a page used
        // for one chart pays nothing for it.
        let env_resolved = Memo::new(move |_| {
            environment.with(|setup| {
                if setup.charts.is_empty() {
                    return None;
                }
                answers.with(|all| {
                    resolve(&environment_file(setup, all, |id| {
                        chart(id).map(new_answers)
                    }))
                    .ok()
                })
            })
        });
        let env_diagnostics = Memo::new(move |_| {
            env_resolved.with(|resolved| {
                resolved
                    .as_ref()
                    .map(validate_environment)
                    .unwrap_or_default()
            })
        });
        // One evaluation per change, brought up to date from the last one: the merge patched
        // where the overrides changed and only the parameters that change can reach checked again
        // (`evaluate_after`; `tests/incremental.rs` holds it equal to evaluating afresh). It owns
        // the last evaluation to patch it in place, and runs only when the answers changed, so
        // its result is taken as new; the diagnostics memo below notifies only when they
        // changed, and the field feed compares per field.
        let evaluation = Memo::new_owning(move |previous: Option<Tracked>| {
            let chart = chart_memo.get();
            let next = current.with(|answers| evaluate_after(chart, previous, answers));
            (next, true)
        });
        // A member chart also shows the environment's findings about it (cross-chart and `env.`
        // checks; its own checks are already in its evaluation), on its field when the finding
        // names one of its paths.
        let diagnostics = Memo::new(move |_| {
            let mut all = evaluation.with(|tracked| tracked.evaluation.diagnostics.clone());
            let id = chart_id.get();
            env_diagnostics.with(|found| {
                all.extend(
                    found
                        .iter()
                        .filter(|d| d.scope == Scope::Environment && d.charts.contains(&id))
                        .map(|d| Diagnostic {
                            path: local_path(&d.path, &id),
                            severity: d.severity,
                            message: d.message.clone(),
                            rule: d.rule.clone(),
                            source: d.source.clone(),
                        }),
                );
            });
            all
        });
        let section_counts = Memo::new(move |_| {
            let chart = chart_memo.get();
            diagnostics.with(|diagnostics| {
                let mut counts = HashMap::<&'static str, SectionCount>::new();
                for diagnostic in diagnostics {
                    if let Some(section) = section_of(chart, &diagnostic.path) {
                        let count = counts.entry(section).or_default();
                        match diagnostic.severity {
                            Severity::Error => count.errors += 1,
                            Severity::Warning => count.warnings += 1,
                        }
                    }
                }
                counts
            })
        });
        // The messages of each path, grouped once per change of the diagnostics: the effect below
        // and every new field read their own from here (filtering every diagnostic for each
        // field was fields × diagnostics, per keystroke and at start-up).
        let messages = Memo::new(move |_| {
            diagnostics.with(|diagnostics| {
                let mut by_path = HashMap::<String, Vec<(Severity, String)>>::new();
                for diagnostic in diagnostics {
                    by_path
                        .entry(diagnostic.path.clone())
                        .or_default()
                        .push((diagnostic.severity, diagnostic.message.clone()));
                }
                Arc::new(by_path)
            })
        });
        let sections = StoredValue::new(HashMap::<
            String,
            HashMap<&'static str, RwSignal<SectionCount>>,
        >::new());
        // Runs when the counts changed (the diagnostics memo notifies only then); a section's
        // signal created since was filled from the counts as they were, so all are compared.
        Effect::new(move |_| {
            let chart_id = chart_id.get();
            section_counts.with(|counts| {
                sections.with_value(|sections| {
                    for (id, signal) in sections.get(&chart_id).into_iter().flatten() {
                        let now = counts.get(id).copied().unwrap_or_default();
                        if signal.get_untracked() != now {
                            signal.set(now);
                        }
                    }
                })
            })
        });
        let fields = StoredValue::new(HashMap::<String, BTreeMap<String, FieldSignals>>::new());
        let fresh = StoredValue::new(Vec::<String>::new());
        // The one effect that feeds the fields (`feed_fields`), from what changed since its last
        // run; each field compares and sets, so an unchanged one sleeps.
        Effect::new(move |last: Option<Fed>| {
            let chart_id = chart_id.get();
            let created = fresh.try_update_value(mem::take).unwrap_or_default();
            current.with(|answers| {
                evaluation.with(|tracked| {
                    messages.with(|by_path| {
                        fields.with_value(|fields| {
                            if let Some(chart_fields) = fields.get(&chart_id) {
                                let last = last.as_ref().filter(|last| last.chart_id == chart_id);
                                let now = Trees {
                                    values: &answers.values,
                                    merged: &tracked.evaluation.merged,
                                    messages: by_path,
                                };
                                let changes =
                                    last.and_then(|last| tracked.changes_since(last.generation));
                                feed_fields(chart_fields, last.zip(changes), now, &created);
                            }
                        });
                        Fed {
                            chart_id: chart_id.clone(),
                            generation: tracked.generation(),
                            messages: Arc::clone(by_path),
                        }
                    })
                })
            })
        });
        AppState {
            page: RwSignal::new(Page::Chart),
            environment,
            chart_id,
            answers,
            search: RwSignal::new(String::new()),
            changed_only: RwSignal::new(false),
            essentials_only: RwSignal::new(false),
            reveal_secrets: RwSignal::new(false),
            host_set: StoredValue::new(BTreeMap::new()),
            share_notice: RwSignal::new(None),
            chart: chart_memo,
            current,
            shared_report,
            env_resolved,
            env_diagnostics,
            evaluation,
            diagnostics,
            section_counts,
            sections,
            messages,
            fields,
            fresh,
            owner: StoredValue::new(Owner::current().expect("AppState is created inside the app")),
        }
    }

    /// The signals of one field of the selected chart, created on first use under the app's
    /// owner so they outlive the field's component (switching charts back reuses them).
    /// Paths that are not values paths (secret inputs, `namespace`, `release`) get messages only.
    pub fn field(&self, path: &str) -> FieldSignals {
        let chart_id = self.chart_id.get_untracked();
        if let Some(signals) = self.fields.with_value(|fields| {
            fields
                .get(&chart_id)
                .and_then(|chart_fields| chart_fields.get(path).copied())
        }) {
            return signals;
        }
        let segments = if self.chart.get_untracked().param(path).is_some() {
            parse_path(path).unwrap_or_default()
        } else {
            Vec::new()
        };
        let overridden = if segments.is_empty() {
            None
        } else {
            self.current
                .with_untracked(|answers| get(&answers.values, &segments).cloned())
        };
        let merged = if segments.is_empty() {
            None
        } else {
            self.with_merged_untracked(|merged| get(merged, &segments).cloned())
        };
        let messages = self
            .messages
            .with_untracked(|by_path| by_path.get(path).cloned().unwrap_or_default());
        let owner = self.owner.get_value();
        let signals = owner.with(|| FieldSignals {
            overridden: RwSignal::new(overridden),
            merged: RwSignal::new(merged),
            messages: RwSignal::new(messages),
            segments: StoredValue::new(segments),
        });
        self.fields.update_value(|fields| {
            fields
                .entry(chart_id)
                .or_default()
                .insert(path.to_string(), signals);
        });
        self.fresh
            .update_value(|fresh| fresh.push(path.to_string()));
        signals
    }

    /// Reads the defaults merged with the current overrides, as Helm will see them (tracked).
    pub fn with_merged<R>(&self, read: impl FnOnce(&Value) -> R) -> R {
        self.evaluation
            .with(|tracked| read(&tracked.evaluation.merged))
    }

    fn with_merged_untracked<R>(&self, read: impl FnOnce(&Value) -> R) -> R {
        self.evaluation
            .with_untracked(|tracked| read(&tracked.evaluation.merged))
    }

    /// A chart's own answers, without the environment's shared facts (what drafts keep).
    pub fn own_answers(&self, chart_id: &str) -> Answers {
        self.answers
            .with_untracked(|all| all.get(chart_id).cloned())
            .unwrap_or_else(|| fresh_answers(chart_id))
    }

    /// Shows one chart's form, from its top.
    pub fn open_chart(&self, chart_id: &str) {
        self.chart_id.set(chart_id.to_string());
        self.page.set(Page::Chart);
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Applies a change to the selected chart's answers.
    pub fn update_answers(&self, change: impl FnOnce(&mut Answers)) {
        let id = self.chart_id.get_untracked();
        self.answers.update(|all| {
            let answers = all.entry(id.clone()).or_insert_with(|| fresh_answers(&id));
            change(answers);
        });
    }
}

/// What the fields show, as of now.
#[derive(Clone, Copy)]
struct Trees<'a> {
    values: &'a Value,
    merged: &'a Value,
    messages: &'a Arc<ByPath>,
}

/// Feeds one chart's fields. With what was fed last (same chart) and where the overrides changed
/// since (the evaluation's `changes_since`), only the fields a change can reach: on or under a
/// path where the overrides differ (the merge of any path elsewhere is the same,
/// `values::changed_paths`), the paths whose messages differ, and the fields created since
/// (filled from memos that may be newer than `last`). Without them, every field.
fn feed_fields(
    fields: &BTreeMap<String, FieldSignals>,
    last: Option<(&Fed, &[Vec<Segment>])>,
    now: Trees,
    created: &[String],
) {
    let feed = |path: &str, signals: &FieldSignals| {
        let messages = now
            .messages
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or_default();
        signals.feed(now.values, now.merged, messages);
    };
    let Some((last, changes)) = last else {
        for (path, signals) in fields {
            feed(path, signals);
        }
        return;
    };
    for changed in changes {
        let text = path_text(changed);
        for (path, signals) in related_entries(fields, &text) {
            feed(path, signals);
        }
    }
    let differs = |from: &ByPath, to: &ByPath| {
        from.iter()
            .filter(|(path, messages)| to.get(*path) != Some(*messages))
            .map(|(path, _)| path.clone())
            .collect::<Vec<_>>()
    };
    // The same map when the diagnostics did not change (most keystrokes): nothing to compare.
    let messages_changed = if Arc::ptr_eq(&last.messages, now.messages) {
        Vec::new()
    } else {
        let mut changed = differs(&last.messages, now.messages);
        changed.extend(differs(now.messages, &last.messages));
        changed
    };
    for path in messages_changed.iter().chain(created) {
        if let Some(signals) = fields.get(path) {
            feed(path, signals);
        }
    }
}

/// Where an environment finding lands in one chart: its own path among the `chart:path`
/// references it names, else the finding's text as it is (shown in the summary).
fn local_path(path: &str, chart_id: &str) -> String {
    path.split(", ")
        .find_map(|reference| {
            reference
                .split_once(':')
                .filter(|(chart, _)| *chart == chart_id)
                .map(|(_, local)| local.to_string())
        })
        .unwrap_or_else(|| path.to_string())
}

/// A chart's answers before the user typed anything: the guide's values to set, prefilled.
pub fn fresh_answers(chart_id: &str) -> Answers {
    chart(chart_id).map_or_else(|| Answers::new(chart_id), new_answers)
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

/// The section a diagnostic's path belongs to: its parameter's section, found by trimming the
/// path (`list[2].name` → `list`) until it names a parameter. The path→section index is built
/// once per chart, so counting diagnostics per section stays cheap on every keystroke.
pub fn section_of(chart: &'static Chart, path: &str) -> Option<&'static str> {
    thread_local! {
        static INDEX: std::cell::RefCell<std::collections::HashMap<&'static str, std::collections::HashMap<&'static str, &'static str>>> = Default::default();
    }
    INDEX.with(|index| {
        let mut index = index.borrow_mut();
        let sections = index.entry(chart.id.as_str()).or_insert_with(|| {
            chart
                .params
                .iter()
                .map(|param| (param.path.as_str(), param.section.as_str()))
                .collect()
        });
        let mut candidate = path;
        loop {
            if let Some(section) = sections.get(candidate) {
                return Some(*section);
            }
            let cut = candidate.rfind(['.', '['])?;
            candidate = &candidate[..cut];
        }
    })
}
