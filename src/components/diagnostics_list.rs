//! The checks summary: every finding of the chart (errors first), each a link that brings its field into view and focuses it — even a field a view filter hides or a block not rendered yet.

use std::collections::HashMap;

use leptos::prelude::*;
use pecfg_core::diagnostic::{Diagnostic, Severity};

use crate::components::field::input_dom_id;
use crate::components::section_view::{after_render, reveal_field};
use crate::state::{use_app_state, AppState};

/// Each finding with a key that stays the same while the finding does: its severity, path,
/// rule and message, and which repeat of those it is (two equal findings keep two rows).
fn keyed_diagnostics(diagnostics: &[Diagnostic]) -> Vec<(String, Diagnostic)> {
    let mut seen = HashMap::<String, usize>::new();
    diagnostics
        .iter()
        .map(|diagnostic| {
            let identity = format!(
                "{:?}\u{0}{}\u{0}{}\u{0}{}",
                diagnostic.severity, diagnostic.path, diagnostic.rule, diagnostic.message
            );
            let repeat = seen.entry(identity.clone()).or_default();
            *repeat += 1;
            (format!("{identity}\u{0}{repeat}"), diagnostic.clone())
        })
        .collect()
}

/// How many findings the summary lists until asked for all. Errors come first, and a fresh chart
/// has fewer than this; a chart with hundreds of findings would otherwise hold a row per finding
/// in the page, which every frame pays for while the user types.
const SUMMARY_ROWS: usize = 50;

/// `1 error`, `2 errors`.
pub fn count_text(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Brings a finding's field into view and focuses it: a view filter that hides it is turned off
/// first (a jump to a hidden field went nowhere), its block is rendered, and the scroll waits
/// for the rendered block to be laid out.
pub fn jump_to_finding(state: AppState, path: &str) {
    let Some(chart) = state.chart_untracked() else {
        return;
    };
    let hidden = state.filters().narrows()
        && chart.owner_of(path).is_some_and(|param| {
            let status = state
                .field(&param.path)
                .overridden
                .with_untracked(|value| match value {
                    None => pecfg_core::answers::FieldState::Default,
                    Some(serde_yaml::Value::Null) => pecfg_core::answers::FieldState::Cleared,
                    Some(_) => pecfg_core::answers::FieldState::Set,
                });
            !state.filters().shows(param, status)
        });
    if hidden {
        state.set_search(String::new());
        state.set_changed_only(false);
        state.set_essentials_only(false);
    }
    let target_path = chart
        .owner_of(path)
        .map_or_else(|| path.to_string(), |param| param.path.clone());
    reveal_field(chart, path);
    let target = input_dom_id(&target_path);
    after_render(move || crate::browser::focus_when_laid_out(&target));
}

/// All errors and warnings of the chart (the first `SUMMARY_ROWS`, then all when asked); each
/// entry brings its field into view.
#[component]
pub fn DiagnosticsSummary() -> impl IntoView {
    let state = use_app_state();
    let diagnostics = state.diagnostics();
    let show_all = RwSignal::new(false);
    let total = Memo::new(move |_| diagnostics.with(Vec::len));
    let counts = Memo::new(move |_| {
        diagnostics.with(|all| {
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            (errors, all.len() - errors)
        })
    });
    view! {
        <section class="diagnostics-summary" id="checks" aria-labelledby="diagnostics-title">
            <h2 class="panel-title" id="diagnostics-title">
                "Checks "
                <span class="count error-count">{move || count_text(counts.get().0, "error", "errors")}</span>
                " · "
                <span class="count warning-count">{move || count_text(counts.get().1, "warning", "warnings")}</span>
            </h2>
            {move || (total.get() == 0).then(|| view! { <p class="field-source" id="checks-clean">"No error and no warning: the files can be downloaded."</p> })}
            <ul class="summary-list">
                // Keyed: a keystroke that changes one finding touches its row only.
                <For each=move || {
                    let shown = if show_all.get() { usize::MAX } else { SUMMARY_ROWS };
                    diagnostics.with(|all| keyed_diagnostics(all.get(..all.len().min(shown)).unwrap_or_default()))
                } key=|(key, _)| key.clone() children=move |(_, diagnostic)| {
                    let class = match diagnostic.severity { Severity::Error => "summary-entry error", Severity::Warning => "summary-entry warning" };
                    let path = diagnostic.path.clone();
                    view! {
                        <li class=class>
                            <button type="button" class="link-button" on:click=move |_| jump_to_finding(state, &path)>
                                <code>{diagnostic.path.clone()}</code>
                            </button>
                            " "{diagnostic.message.clone()}
                        </li>
                    }
                }/>
            </ul>
            {move || (total.get() > SUMMARY_ROWS).then(|| view! {
                <button type="button" class="link-button summary-more" aria-expanded=move || show_all.get().to_string()
                    on:click=move |_| show_all.update(|all| *all = !*all)>
                    {move || if show_all.get() {
                        format!("Show the first {SUMMARY_ROWS} only")
                    } else {
                        format!("Show all {} checks ({} more)", total.get(), total.get() - SUMMARY_ROWS)
                    }}
                </button>
            })}
        </section>
    }
}

/// The checks at a glance, always in reach (sticky at the top of a narrow page, where the checks
/// panel sits far below the form): the counts, and a jump to the first error or to the panel.
#[component]
pub fn ChecksBar() -> impl IntoView {
    let state = use_app_state();
    let diagnostics = state.diagnostics();
    let counts = Memo::new(move |_| {
        diagnostics.with(|all| {
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            (errors, all.len() - errors)
        })
    });
    let first_error = move || {
        diagnostics.with_untracked(|all| {
            all.iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.path.clone())
        })
    };
    view! {
        <div class="checks-bar" id="checks-bar" role="status">
            <span class="count error-count">{move || count_text(counts.get().0, "error", "errors")}</span>
            " · "
            <span class="count warning-count">{move || count_text(counts.get().1, "warning", "warnings")}</span>
            {move || (counts.get().0 > 0).then(|| view! {
                " "<button type="button" class="small-button" id="checks-bar-next" on:click=move |_| {
                    if let Some(path) = first_error() {
                        jump_to_finding(state, &path);
                    }
                }>"Go to the first error"</button>
            })}
            " "<button type="button" class="link-button" id="checks-bar-all" on:click=|_| crate::browser::scroll_to("checks")>"All checks and the files"</button>
        </div>
    }
}
