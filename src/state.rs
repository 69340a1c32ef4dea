//! The page's store: a thin reactive adapter over the core's sessions — one `ChartSession` per chart the page has opened, the environment's setup, what the page shows — changed only through its methods, read through signals the views draw from.
//!
//! Every decision is the core's: the store hands a change to a chart's session (which evaluates
//! once and keeps the messages, counts and previews that follow) and tells the views that
//! something changed (`revision`). The fields are fed from what changed (the paths the session
//! says its overrides changed at, the paths whose messages changed), so a keystroke wakes the
//! field it changed and the panels that depend on it, not the whole form. A chart's file is
//! fetched the first time it is shown (`catalog.rs`); the environment lives in the tools module
//! (`capability.rs`), which the store asks for the facts and findings a member chart shows.

use std::collections::{BTreeMap, HashMap};
use std::mem;
use std::sync::Arc;

use leptos::prelude::*;
use pecfg_core::answers::Answers;
use pecfg_core::catalog::registry::chart_ids;
use pecfg_core::catalog::Chart;
use pecfg_core::diagnostic::{Diagnostic, Severity};
use pecfg_core::environment::Setup;
use pecfg_core::path::{get, parse_path, path_text, related_entries, Segment};
use pecfg_core::session::protocol::{EnvironmentView, Request, SetupChange};
use pecfg_core::session::{Change, ChartSession, Messages, SectionCount};
use pecfg_core::values::new_answers;
use serde_yaml::Value;

use crate::capability::{LoadState, TOOLS};
use crate::catalog::{self, ChartLoad};

/// What the middle of the page shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    /// Where a first visit starts: what this is and what to do first.
    Start,
    /// One chart's form.
    Chart,
    /// The environment of several charts.
    Environment,
    /// A unit group: many clusters, regions and tenants (`components/group_view.rs`).
    Group,
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

impl FieldSignals {
    /// Sets this field's signals from the session, each only if it changed.
    fn feed(&self, session: &ChartSession, messages: &[(Severity, String)]) {
        self.segments.with_value(|segments| {
            if segments.is_empty() {
                return;
            }
            // Compare in place and clone only what changed.
            let overridden = get(&session.answers().values, segments);
            if self
                .overridden
                .with_untracked(|old| old.as_ref() != overridden)
            {
                self.overridden.set(overridden.cloned());
            }
            let merged = get(&session.evaluation().merged, segments);
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

/// What the field feed last applied: the diff base of its next run.
struct Fed {
    chart_id: String,
    generation: u64,
    messages: Arc<Messages>,
}

#[derive(Clone, Copy)]
pub struct AppState {
    page: RwSignal<Page>,
    chart_id: RwSignal<String>,
    /// One session per chart opened, by id. Changed only by the methods below, each of which
    /// bumps `revision`.
    sessions: StoredValue<HashMap<String, ChartSession<'static>>>,
    /// Answers waiting for their chart's file (a draft, a link, an environment file): the
    /// session starts from them once the chart is loaded.
    pending: StoredValue<HashMap<String, Answers>>,
    revision: RwSignal<u64>,
    environment: RwSignal<Setup>,
    /// The environment as the tools module last showed it (None while it has no member or the
    /// module is not loaded yet; an error when it could not be made).
    environment_view: RwSignal<Option<Result<EnvironmentView, String>>>,
    search: RwSignal<String>,
    changed_only: RwSignal<bool>,
    essentials_only: RwSignal<bool>,
    /// "Show secret values": one flag for every preview, masked while it is off.
    reveal: RwSignal<bool>,
    /// Per chart, the answers as the embedding host's last `set-values` left them: the draft
    /// writer does not save a chart's answers while they are still exactly these.
    host_set: StoredValue<BTreeMap<String, Answers>>,
    /// Why a share link or a draft in the URL was not applied, if it was not.
    notice: RwSignal<Option<String>>,
    /// The current chart, once its file is loaded.
    chart: Memo<Option<&'static Chart>>,
    diagnostics: Memo<Vec<Diagnostic>>,
    sections: StoredValue<HashMap<String, HashMap<String, RwSignal<SectionCount>>>>,
    fields: StoredValue<HashMap<String, BTreeMap<String, FieldSignals>>>,
    fresh: StoredValue<Vec<String>>,
    owner: StoredValue<Owner>,
}

impl AppState {
    pub fn new() -> AppState {
        let chart_id = RwSignal::new(
            chart_ids()
                .first()
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        let revision = RwSignal::new(0u64);
        let sessions = StoredValue::new(HashMap::<String, ChartSession<'static>>::new());
        let chart = Memo::new(move |_| {
            revision.track();
            let id = chart_id.get();
            catalog::state(&id).get().ready()
        });
        let diagnostics = Memo::new(move |_| {
            revision.track();
            let id = chart_id.get();
            sessions.with_value(|all| {
                all.get(&id)
                    .map(|session| session.diagnostics().to_vec())
                    .unwrap_or_default()
            })
        });
        let state = AppState {
            page: RwSignal::new(Page::Start),
            chart_id,
            sessions,
            pending: StoredValue::new(HashMap::new()),
            revision,
            environment: RwSignal::new(Setup::new("tenant")),
            environment_view: RwSignal::new(None),
            search: RwSignal::new(String::new()),
            changed_only: RwSignal::new(false),
            essentials_only: RwSignal::new(false),
            reveal: RwSignal::new(false),
            host_set: StoredValue::new(BTreeMap::new()),
            notice: RwSignal::new(None),
            chart,
            diagnostics,
            sections: StoredValue::new(HashMap::new()),
            fields: StoredValue::new(HashMap::new()),
            fresh: StoredValue::new(Vec::new()),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        };
        state.install_feeds();
        state
    }

    /// The effects that keep the fields and the section counts in step with the sessions, and
    /// that make a session for a chart as soon as its file is loaded.
    fn install_feeds(self) {
        // A chart loaded (fetched, or embedded) gets its session, from pending answers if any.
        Effect::new(move |_| {
            if let Some(chart) = self.chart.get() {
                if self.sessions.with_value(|all| !all.contains_key(&chart.id)) {
                    let answers = self
                        .pending
                        .try_update_value(|pending| pending.remove(&chart.id))
                        .flatten()
                        .unwrap_or_else(|| new_answers(chart));
                    self.insert_session(chart, answers);
                    self.refresh_environment();
                }
            }
        });
        // One count signal per section, set when the section's count changed.
        Effect::new(move |_| {
            self.revision.track();
            let chart_id = self.chart_id.get();
            self.sessions.with_value(|all| {
                let Some(session) = all.get(&chart_id) else {
                    return;
                };
                self.sections.with_value(|sections| {
                    for (id, signal) in sections.get(&chart_id).into_iter().flatten() {
                        let now = session
                            .section_counts()
                            .get(id)
                            .copied()
                            .unwrap_or_default();
                        if signal.get_untracked() != now {
                            signal.set(now);
                        }
                    }
                })
            })
        });
        // The one effect that feeds the fields, from what changed since its last run.
        Effect::new(move |last: Option<Option<Fed>>| {
            self.revision.track();
            let chart_id = self.chart_id.get();
            let created = self.fresh.try_update_value(mem::take).unwrap_or_default();
            self.sessions.with_value(|all| {
                let session = all.get(&chart_id)?;
                self.fields.with_value(|fields| {
                    if let Some(chart_fields) = fields.get(&chart_id) {
                        let last = last
                            .as_ref()
                            .and_then(Option::as_ref)
                            .filter(|last| last.chart_id == chart_id);
                        let changes = last.and_then(|last| session.changes_since(last.generation));
                        feed_fields(chart_fields, last.zip(changes), session, &created);
                    }
                });
                Some(Fed {
                    chart_id: chart_id.clone(),
                    generation: session.generation(),
                    messages: Arc::clone(session.messages()),
                })
            })
        });
        // The environment's view, once the tools module is there to make it.
        Effect::new(move |_| {
            if matches!(TOOLS.state(), LoadState::Ready(_)) {
                untrack(|| self.refresh_environment());
            }
        });
    }

    fn insert_session(&self, chart: &'static Chart, answers: Answers) {
        let session = ChartSession::new(chart, answers);
        self.sessions.update_value(|all| {
            all.insert(chart.id.clone(), session);
        });
        self.bump();
    }

    fn bump(&self) {
        self.revision.update(|revision| *revision += 1);
    }

    // ---------------------------------------------------------------- what the page shows

    pub fn page(&self) -> Page {
        self.page.get()
    }

    pub fn show(&self, page: Page) {
        self.page.set(page);
        if page == Page::Group {
            // The group is drawn by the tools module: load it now.
            TOOLS.start();
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
        if page == Page::Environment {
            // The environment is drawn by the tools module: load it now.
            TOOLS.start();
            self.refresh_environment();
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    }

    pub fn chart_id(&self) -> String {
        self.chart_id.get()
    }

    pub fn chart_id_untracked(&self) -> String {
        self.chart_id.get_untracked()
    }

    /// The chart shown, once its file is loaded (tracked).
    pub fn chart(&self) -> Option<&'static Chart> {
        self.chart.get()
    }

    pub fn chart_untracked(&self) -> Option<&'static Chart> {
        self.chart.get_untracked()
    }

    /// Where the current chart's file is.
    pub fn chart_load(&self) -> ChartLoad {
        catalog::state(&self.chart_id.get()).get()
    }

    /// Shows one chart's form, from its top, fetching its file if it is not here yet.
    pub fn open_chart(&self, chart_id: &str) {
        self.select_chart(chart_id);
        self.page.set(Page::Chart);
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Makes a chart the current one (fetching its file), without changing the page.
    pub fn select_chart(&self, chart_id: &str) {
        if chart_id != self.chart_id.get_untracked() {
            self.chart_id.set(chart_id.to_string());
        }
        catalog::ensure(chart_id);
        self.refresh_environment();
    }

    /// Reads the current chart's session (tracked: runs again after every change).
    pub fn with_session<R>(&self, read: impl FnOnce(&ChartSession<'static>) -> R) -> Option<R> {
        self.revision.track();
        let id = self.chart_id.get();
        self.sessions.with_value(|all| all.get(&id).map(read))
    }

    pub fn with_session_untracked<R>(
        &self,
        read: impl FnOnce(&ChartSession<'static>) -> R,
    ) -> Option<R> {
        let id = self.chart_id.get_untracked();
        self.sessions.with_value(|all| all.get(&id).map(read))
    }

    /// A chart's own answers (without the environment's facts): what drafts keep. A chart not
    /// opened yet has its pending answers, or none.
    pub fn own_answers(&self, chart_id: &str) -> Option<Answers> {
        self.sessions
            .with_value(|all| all.get(chart_id).map(|s| s.own_answers().clone()))
            .or_else(|| {
                self.pending
                    .with_value(|pending| pending.get(chart_id).cloned())
            })
    }

    /// Every finding of the current chart (its own, and its environment's about it).
    pub fn diagnostics(&self) -> Memo<Vec<Diagnostic>> {
        self.diagnostics
    }

    /// Tracks every change of any session (for effects that follow the answers: drafts, host
    /// messages).
    pub fn track_changes(&self) {
        self.revision.track();
    }

    // ---------------------------------------------------------------- changes

    /// Applies a change to the current chart's session; a refusal changes nothing and says why.
    pub fn apply(&self, change: Change) -> Result<(), String> {
        let id = self.chart_id.get_untracked();
        self.apply_to(&id, change)
    }

    /// Applies a change to one chart's session (made now if the chart's file is here but no
    /// session yet; kept pending otherwise, when the change is whole answers).
    pub fn apply_to(&self, chart_id: &str, change: Change) -> Result<(), String> {
        let applied = self.sessions.try_update_value(|all| {
            if !all.contains_key(chart_id) {
                let chart = pecfg_core::catalog::registry::chart(chart_id)?;
                all.insert(chart_id.to_string(), ChartSession::fresh(chart));
            }
            let session = all.get_mut(chart_id)?;
            Some(session.apply(change.clone()).map_err(|refusal| refusal.0))
        });
        match applied.flatten() {
            Some(result) => {
                result?;
                self.bump();
                if self.environment.with_untracked(|setup| setup.has(chart_id)) {
                    self.refresh_environment();
                }
                Ok(())
            }
            None => match change {
                // The chart's file is not here yet: whole answers wait for it.
                Change::Replace(answers) => {
                    let values =
                        pecfg_core::yaml::read::check_values(answers.values.clone(), "`values`")
                            .map_err(|error| error.to_string())?;
                    self.pending.update_value(|pending| {
                        pending.insert(chart_id.to_string(), Answers { values, ..answers });
                    });
                    catalog::ensure(chart_id);
                    Ok(())
                }
                // A host's values for a chart still on its way: merged into what waits for it.
                Change::MergeValues(values) => {
                    let values = pecfg_core::yaml::read::check_values(values, "`values`")
                        .map_err(|error| error.to_string())?;
                    self.pending.update_value(|pending| {
                        let answers = pending
                            .entry(chart_id.to_string())
                            .or_insert_with(|| Answers::new(chart_id));
                        answers.values = pecfg_core::values::merge(&answers.values, &values);
                    });
                    catalog::ensure(chart_id);
                    Ok(())
                }
                _ => Err(format!("the chart `{chart_id}` is not loaded yet")),
            },
        }
    }

    /// Forgets a chart's answers: its session starts again as a new form does.
    pub fn start_over(&self, chart_id: &str) {
        self.pending.update_value(|pending| {
            pending.remove(chart_id);
        });
        let _ = self.apply_to(chart_id, Change::ResetChart);
    }

    // ---------------------------------------------------------------- environment

    pub fn environment(&self) -> Setup {
        self.environment.get()
    }

    pub fn with_environment<R>(&self, read: impl FnOnce(&Setup) -> R) -> R {
        self.environment.with(read)
    }

    pub fn environment_untracked(&self) -> Setup {
        self.environment.get_untracked()
    }

    /// The environment's view, as the tools module made it (tracked).
    pub fn environment_view(&self) -> Option<Result<EnvironmentView, String>> {
        self.environment_view.get()
    }

    /// Whether the current chart is a member of the environment (tracked).
    pub fn is_member(&self) -> bool {
        let id = self.chart_id.get();
        self.environment.with(|setup| setup.has(&id))
    }

    /// Replaces the environment (a draft, a link, an opened file).
    pub fn set_environment(&self, setup: Setup) {
        self.environment.set(setup);
        self.refresh_environment();
    }

    /// One change of the environment's setup, made by the tools module (which knows the
    /// environment catalog: the deployment order, the kinds of the facts).
    pub fn edit_environment(&self, change: SetupChange) -> Result<(), String> {
        let setup = self.environment.get_untracked();
        let next: Setup = crate::capability::tools::ask(&Request::EditSetup { setup, change })?;
        self.environment.set(next);
        self.refresh_environment();
        Ok(())
    }

    /// Every member's own answers, for a request about the environment.
    pub fn member_answers(&self) -> BTreeMap<String, Answers> {
        self.environment.with_untracked(|setup| {
            setup
                .charts
                .iter()
                .filter_map(|id| Some((id.clone(), self.own_answers(id)?)))
                .collect()
        })
    }

    /// Asks the tools module for the environment's view, and gives the current chart, when it
    /// is a member, the facts its form applies and the findings it shows. Nothing while the
    /// environment has no member; the load is started when it has.
    pub fn refresh_environment(&self) {
        let setup = self.environment.get_untracked();
        // An empty environment is drawn only on its own page (its list of charts to tick).
        if setup.charts.is_empty() && self.page.get_untracked() != Page::Environment {
            if self.environment_view.with_untracked(Option::is_some) {
                self.environment_view.set(None);
            }
            self.set_member_form(None);
            return;
        }
        if !matches!(TOOLS.state_untracked(), LoadState::Ready(_)) {
            // Drawn once the module is there (install_feeds).
            TOOLS.start();
            return;
        }
        let id = self.chart_id.get_untracked();
        let member = setup.has(&id).then(|| id.clone());
        let answers = self.member_answers();
        let view: Result<EnvironmentView, String> =
            crate::capability::tools::ask(&Request::Environment {
                setup,
                answers,
                member,
            });
        if let Ok(view) = &view {
            self.set_member_form(view.member.clone());
        }
        self.environment_view.set(Some(view));
    }

    /// The facts and findings the current chart's form takes from its environment.
    fn set_member_form(&self, form: Option<pecfg_core::session::protocol::MemberForm>) {
        let id = self.chart_id.get_untracked();
        let changed = self.sessions.try_update_value(|all| {
            let session = all.get_mut(&id)?;
            let before = session.generation();
            let findings = session.diagnostics().len();
            match form {
                Some(form) => {
                    session.set_facts(form.facts);
                    session.set_outside_findings(form.findings);
                }
                None => {
                    session.set_facts(None);
                    session.set_outside_findings(Vec::new());
                }
            }
            Some(before != session.generation() || findings != session.diagnostics().len())
        });
        if changed.flatten() == Some(true) {
            self.bump();
        }
    }

    // ---------------------------------------------------------------- view filters

    pub fn search(&self) -> String {
        self.search.get()
    }

    pub fn set_search(&self, text: String) {
        self.search.set(text);
    }

    pub fn changed_only(&self) -> bool {
        self.changed_only.get()
    }

    pub fn set_changed_only(&self, on: bool) {
        self.changed_only.set(on);
    }

    pub fn essentials_only(&self) -> bool {
        self.essentials_only.get()
    }

    pub fn set_essentials_only(&self, on: bool) {
        self.essentials_only.set(on);
    }

    /// The view filters as the core reads them.
    pub fn filters(&self) -> pecfg_core::listing::Filters {
        pecfg_core::listing::Filters {
            search: self.search.get(),
            changed_only: self.changed_only.get(),
            essentials_only: self.essentials_only.get(),
        }
    }

    /// "Show secret values" (tracked).
    pub fn reveal(&self) -> bool {
        self.reveal.get()
    }

    pub fn reveal_untracked(&self) -> bool {
        self.reveal.get_untracked()
    }

    pub fn set_reveal(&self, on: bool) {
        self.reveal.set(on);
    }

    // ---------------------------------------------------------------- the page's notes

    pub fn notice(&self) -> Option<String> {
        self.notice.get()
    }

    pub fn set_notice(&self, notice: Option<String>) {
        self.notice.set(notice);
    }

    /// Remembers the answers an embedding host left (the draft writer skips them).
    pub fn remember_host_answers(&self, chart_id: &str) {
        if let Some(answers) = self.own_answers(chart_id) {
            self.host_set.update_value(|host_set| {
                host_set.insert(chart_id.to_string(), answers);
            });
        }
    }

    /// Whether a chart's answers are still exactly what the embedding host set.
    pub fn is_host_answers(&self, chart_id: &str, answers: &Answers) -> bool {
        self.host_set
            .with_value(|host_set| host_set.get(chart_id) == Some(answers))
    }

    // ---------------------------------------------------------------- fields and sections

    /// One section of the current chart: its count of findings, created on first use.
    pub fn section_count(&self, section_id: &str) -> ReadSignal<SectionCount> {
        let chart_id = self.chart_id.get_untracked();
        let known = self.sections.with_value(|sections| {
            sections
                .get(&chart_id)
                .and_then(|signals| signals.get(section_id).copied())
        });
        let signal = known.unwrap_or_else(|| {
            let now = self
                .with_session_untracked(|session| session.section_counts().get(section_id).copied())
                .flatten()
                .unwrap_or_default();
            let signal = self.owner.get_value().with(|| RwSignal::new(now));
            self.sections.update_value(|sections| {
                sections
                    .entry(chart_id)
                    .or_default()
                    .insert(section_id.to_string(), signal);
            });
            signal
        });
        signal.read_only()
    }

    /// The signals of one field of the current chart, created on first use under the app's
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
        let segments = if self
            .chart_untracked()
            .is_some_and(|chart| chart.param(path).is_some())
        {
            parse_path(path).unwrap_or_default()
        } else {
            Vec::new()
        };
        let (overridden, merged, messages) = self
            .with_session_untracked(|session| {
                let view = session.field(path);
                (
                    view.overridden.cloned(),
                    view.merged.cloned(),
                    view.messages.to_vec(),
                )
            })
            .unwrap_or_default();
        let signals = self.owner.get_value().with(|| FieldSignals {
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
}

/// Feeds one chart's fields. With what was fed last (same chart) and where the overrides changed
/// since, only the fields a change can reach: on or under a path where the overrides differ, the
/// paths whose messages differ, and the fields created since. Without them, every field.
fn feed_fields(
    fields: &BTreeMap<String, FieldSignals>,
    last: Option<(&Fed, &[Vec<Segment>])>,
    session: &ChartSession,
    created: &[String],
) {
    let messages = session.messages();
    let feed = |path: &str, signals: &FieldSignals| {
        let shown = messages.get(path).map(Vec::as_slice).unwrap_or_default();
        signals.feed(session, shown);
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
    let differs = |from: &Messages, to: &Messages| {
        from.iter()
            .filter(|(path, messages)| to.get(*path) != Some(*messages))
            .map(|(path, _)| path.clone())
            .collect::<Vec<_>>()
    };
    // The same map when the findings did not change (most keystrokes): nothing to compare.
    let messages_changed = if Arc::ptr_eq(&last.messages, messages) {
        Vec::new()
    } else {
        let mut changed = differs(&last.messages, messages);
        changed.extend(differs(messages, &last.messages));
        changed
    };
    for path in messages_changed.iter().chain(created) {
        if let Some(signals) = fields.get(path) {
            feed(path, signals);
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

/// The store, from context; a fresh one outside the app (a component test mounting one part).
pub fn use_app_state() -> AppState {
    use_context::<AppState>().unwrap_or_else(|| {
        let state = AppState::new();
        provide_context(state);
        state
    })
}
