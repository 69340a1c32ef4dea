//! The app's single store: the selected chart and, per chart, the answers (overrides and secret values), plus the view filters.
//!
//! Components read it through context. Derived data (merged values, diagnostics, exports) are
//! `Memo`s over it, so a keystroke recomputes them once and only the fields whose own value
//! changed are patched in the DOM.

use std::collections::BTreeMap;

use leptos::prelude::*;
use pecfg_core::catalog::Chart;
use pecfg_core::charts::{all_charts, chart};
use pecfg_core::state::Answers;
use pecfg_core::validation::{validate, Diagnostic};
use pecfg_core::values::merged_values;
use serde_yaml::Value;

#[derive(Clone, Copy)]
pub struct AppState {
    pub chart_id: RwSignal<String>,
    /// Answers per chart id, so switching charts keeps what was typed.
    pub answers: RwSignal<BTreeMap<String, Answers>>,
    pub search: RwSignal<String>,
    pub changed_only: RwSignal<bool>,
    pub essentials_only: RwSignal<bool>,
    /// Derived: the selected chart's catalog.
    pub chart: Memo<&'static Chart>,
    /// Derived: the selected chart's answers.
    pub current: Memo<Answers>,
    /// Derived: defaults merged with the overrides, as Helm will see them.
    pub merged: Memo<Value>,
    /// Derived: every diagnostic of the current answers.
    pub diagnostics: Memo<Vec<Diagnostic>>,
}

impl AppState {
    pub fn new() -> AppState {
        let first_chart = all_charts()
            .first()
            .map(|chart| chart.id.clone())
            .unwrap_or_default();
        let chart_id = RwSignal::new(first_chart);
        let answers = RwSignal::new(BTreeMap::<String, Answers>::new());
        let chart_memo = Memo::new(move |_| {
            chart(&chart_id.get())
                .unwrap_or_else(|| all_charts().first().expect("the catalog has charts"))
        });
        let current = Memo::new(move |_| {
            let id = chart_id.get();
            answers
                .with(|all| all.get(&id).cloned())
                .unwrap_or_else(|| Answers::new(&id))
        });
        let merged = Memo::new(move |_| {
            current.with(|answers| merged_values(chart_memo.get(), &answers.values))
        });
        let diagnostics =
            Memo::new(move |_| current.with(|answers| validate(chart_memo.get(), answers)));
        AppState {
            chart_id,
            answers,
            search: RwSignal::new(String::new()),
            changed_only: RwSignal::new(false),
            essentials_only: RwSignal::new(false),
            chart: chart_memo,
            current,
            merged,
            diagnostics,
        }
    }

    /// Applies a change to the selected chart's answers.
    pub fn update_answers(&self, change: impl FnOnce(&mut Answers)) {
        let id = self.chart_id.get_untracked();
        self.answers.update(|all| {
            let answers = all.entry(id.clone()).or_insert_with(|| Answers::new(&id));
            change(answers);
        });
    }
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
