//! Undo for the actions that throw work away (reset a section, reset the chart, start over): the answers before are kept, and a notice says what happened with an Undo button that puts them back.

use leptos::prelude::*;
use pecfg_core::answers::Answers;
use pecfg_core::session::Change;

use crate::state::{use_app_state, AppState};

/// What can be undone: the message shown, and the chart's answers before the action.
#[derive(Clone, Debug, PartialEq)]
struct Undoable {
    message: String,
    chart: String,
    before: Answers,
}

thread_local! {
    /// Reference-counted, not owned: an owned signal made on first use would belong to whichever
    /// view first asked, and be disposed with it.
    static LAST: ArcRwSignal<Option<Undoable>> = ArcRwSignal::new(None);
}

fn last() -> ArcRwSignal<Option<Undoable>> {
    LAST.with(ArcRwSignal::clone)
}

/// Applies a change to the current chart that may throw away what the user typed, keeping what
/// was there so that the notice's Undo puts it back.
pub fn with_undo(state: AppState, message: &str, change: Change) {
    let chart = state.chart_id_untracked();
    let _ = with_undo_on(state, &chart, message, change);
}

/// [`with_undo`] for any chart (an import names the chart it is for); a refusal changes nothing
/// and says why.
pub fn with_undo_on(
    state: AppState,
    chart: &str,
    message: &str,
    change: Change,
) -> Result<(), String> {
    let before = state
        .own_answers(chart)
        .unwrap_or_else(|| Answers::new(chart));
    state.apply_to(chart, change)?;
    last().set(Some(Undoable {
        message: message.to_string(),
        chart: chart.to_string(),
        before,
    }));
    Ok(())
}

/// The notice of the last action that can be undone, until the next one or a dismissal.
#[component]
pub fn UndoNotice() -> impl IntoView {
    let state = use_app_state();
    let undo = move |_| {
        if let Some(undoable) = last().get_untracked() {
            let _ = state.apply_to(&undoable.chart, Change::Replace(undoable.before));
        }
        last().set(None);
    };
    move || {
        last().get().map(|undoable| {
            view! {
                <div class="undo-notice" role="status" id="undo-notice">
                    <span>{undoable.message}</span>" "
                    <button type="button" class="small-button" id="undo-button" on:click=undo>"Undo"</button>
                    <button type="button" class="link-button" aria-label="Dismiss" on:click=move |_| last().set(None)>"×"</button>
                </div>
            }
        })
    }
}
