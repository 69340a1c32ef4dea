//! Diagnostics on screen: the messages under one field, and the summary panel whose entries focus their field.

use leptos::prelude::*;
use std::collections::HashMap;

use pecfg_core::validation::{Diagnostic, Severity};

use crate::browser::focus_field;
use crate::components::field::input_dom_id;
use crate::components::section_view::{after_render, reveal_field};
use crate::state::use_app_state;

/// The messages for one path, shown under its input as the user types.
#[component]
pub fn FieldDiagnostics(path: String) -> impl IntoView {
    let state = use_app_state();
    let messages = state.field(&path).messages;
    view! {
        <ul class="field-messages" aria-live="polite">
            {move || messages.get().into_iter().map(|(severity, message)| {
                let class = match severity { Severity::Error => "message error", Severity::Warning => "message warning" };
                let label = match severity { Severity::Error => "Error: ", Severity::Warning => "Warning: " };
                view! { <li class=class><span class="visually-hidden">{label}</span>{message}</li> }
            }).collect_view()}
        </ul>
    }
}

/// Each diagnostic with a key that stays the same while the finding does: its severity, path,
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
/// has fewer than this; a chart with hundreds of findings (a values file imported from elsewhere,
/// the benchmark's generated chart) would otherwise hold a row per finding in the page, which
/// every frame pays for while the user types.
const SUMMARY_ROWS: usize = 50;

/// All errors and warnings of the chart (the first `SUMMARY_ROWS`, then all when asked); each
/// entry scrolls to and focuses its field.
#[component]
pub fn DiagnosticsSummary() -> impl IntoView {
    let state = use_app_state();
    let show_all = RwSignal::new(false);
    let total = Memo::new(move |_| state.diagnostics.with(Vec::len));
    let counts = Memo::new(move |_| {
        state.diagnostics.with(|diagnostics| {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            (errors, diagnostics.len() - errors)
        })
    });
    view! {
        <section class="diagnostics-summary" aria-labelledby="diagnostics-title">
            <h2 class="panel-title" id="diagnostics-title">
                "Checks "
                <span class="count error-count">{move || format!("{} errors", counts.get().0)}</span>
                " · "
                <span class="count warning-count">{move || format!("{} warnings", counts.get().1)}</span>
            </h2>
            <ul class="summary-list">
                // Keyed: a keystroke that changes one finding touches its row only; rebuilding
                // every row re-set every text and re-attached every listener, which grew with
                // the number of findings (make bench, generated chart).
                <For each=move || {
                    let shown = if show_all.get() { usize::MAX } else { SUMMARY_ROWS };
                    state.diagnostics.with(|all| keyed_diagnostics(&all[..all.len().min(shown)]))
                } key=|(key, _)| key.clone() children=move |(_, diagnostic)| {
                    let target = input_dom_id(&diagnostic.path);
                    let class = match diagnostic.severity { Severity::Error => "summary-entry error", Severity::Warning => "summary-entry warning" };
                    view! {
                        <li class=class>
                            <button type="button" class="link-button" on:click={
                                let path = diagnostic.path.clone();
                                // The field may sit in a block not rendered yet: render it, then focus.
                                move |_| {
                                    reveal_field(state.chart.get_untracked(), &path);
                                    let target = target.clone();
                                    after_render(move || focus_field(&target));
                                }
                            }>
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
