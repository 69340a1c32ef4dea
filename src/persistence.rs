//! Drafts in localStorage (per chart and one for the environment, never with secret values, never what an embedding host set until the user edits) and share links (a chart's, an environment's or a unit group's) read from the URL fragment at start, then cleared from the URL.

use leptos::prelude::*;
use pecfg_core::catalog::registry::chart_ids;
use pecfg_core::environment::Setup;
use pecfg_core::session::protocol::{Linked, Request};
use pecfg_core::session::Change;
use pecfg_core::share::{draft_json, parse_draft};

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::capability::{tools, LoadState, TOOLS};
use crate::components::group_view::GroupStore;
use crate::state::{AppState, Page};

const DRAFT_PREFIX: &str = "pecfg.draft.";
const ENVIRONMENT_DRAFT: &str = "pecfg.environment";
/// The chart whose form was shown last: a returning user comes back to it, a first visit starts
/// on the start view.
/// The key of the chart shown last; scripts/postbuild.mjs's chart preload reads the same key.
const LAST_CHART: &str = "pecfg.chart";
const DRAFT_DELAY_MS: u64 = 250;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The page's URL without its fragment, to build share links.
pub fn page_url_without_fragment() -> String {
    let href = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Writes the draft of one chart, unless its answers are still exactly what the embedding host
/// set (a host must not plant values in the user's own storage) or cannot be written as JSON.
fn save_draft(state: AppState, id: &str) {
    // The chart's own answers: the environment's shared facts are the environment draft's.
    let Some(answers) = state.own_answers(id) else {
        return;
    };
    if state.is_host_answers(id, &answers) {
        return;
    }
    // A new form is no draft: nothing to restore (and no "restored" notice) on the next visit.
    if !holds_answers(&answers) {
        forget_draft(id);
        return;
    }
    let Ok(draft) = draft_json(&answers) else {
        return;
    };
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("{DRAFT_PREFIX}{id}"), &draft);
    }
}

/// Whether answers hold anything a draft keeps: a release, a namespace or an override.
fn holds_answers(answers: &pecfg_core::answers::Answers) -> bool {
    answers.release.is_some()
        || answers.namespace.is_some()
        || answers
            .values
            .as_mapping()
            .is_some_and(|values| !values.is_empty())
}

/// Removes the fragment from the address bar (and the history entry), so a reload does not
/// apply the link again over what the user has changed since.
fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&page_url_without_fragment()),
        );
    }
}

/// Writes the environment's draft: its name, members and non-secret shared facts. The tools
/// module writes it (it knows which facts are secret); a setup can only have changed through
/// that module, so while it is not loaded there is nothing new to write.
fn save_environment_draft(state: AppState) {
    if !matches!(TOOLS.state_untracked(), LoadState::Ready(_)) {
        return;
    }
    let setup = state.environment_untracked();
    let Ok(draft) = tools::ask::<String>(&Request::EnvironmentDraft { setup }) else {
        return;
    };
    if let Some(storage) = storage() {
        let _ = storage.set_item(ENVIRONMENT_DRAFT, &draft);
    }
}

pub fn forget_draft(chart_id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{DRAFT_PREFIX}{chart_id}"));
    }
}

thread_local! {
    /// The charts whose draft this page load restored: their forms say that secret values were
    /// not (they are never stored), where the user sees the form come back.
    static RESTORED: std::cell::RefCell<std::collections::BTreeSet<String>> =
        const { std::cell::RefCell::new(std::collections::BTreeSet::new()) };
}

/// Whether this page load restored the chart's draft from storage.
pub fn draft_restored(chart_id: &str) -> bool {
    RESTORED.with(|restored| restored.borrow().contains(chart_id))
}

/// Opens the chart shown last, if there was one (the page then starts where the user left it).
pub fn reopen_last_chart(state: AppState) {
    if let Some(id) = storage()
        .and_then(|storage| storage.get_item(LAST_CHART).ok().flatten())
        .filter(|id| pecfg_core::catalog::registry::is_known(id))
    {
        state.open_chart(&id);
    }
}

/// Restores drafts, then applies a share link if the URL has one, then keeps drafts up to date.
pub fn install(state: AppState) {
    if let Some(storage) = storage() {
        for id in chart_ids() {
            if let Some(answers) = storage
                .get_item(&format!("{DRAFT_PREFIX}{id}"))
                .ok()
                .flatten()
                .and_then(|text| parse_draft(&text))
                .filter(|answers| answers.chart == id)
            {
                // Kept until the chart is opened: its file is fetched then.
                let holds = holds_answers(&answers);
                if state.apply_to(id, Change::Replace(answers)).is_ok() && holds {
                    RESTORED.with(|restored| restored.borrow_mut().insert(id.to_string()));
                }
            }
        }
    }
    // A stored environment is one the user made: the tools module reads it (and draws it).
    if let Some(text) =
        storage().and_then(|storage| storage.get_item(ENVIRONMENT_DRAFT).ok().flatten())
    {
        wasm_bindgen_futures::spawn_local(async move {
            let setup =
                tools::ask_when_ready::<Setup>(Request::ReadEnvironmentDraft { text }).await;
            if let Ok(setup) = setup {
                // A link opened meanwhile wins over the draft.
                if state.environment_untracked().charts.is_empty() {
                    state.set_environment(setup);
                }
            }
        });
    }
    let fragment = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    if fragment.starts_with("#v1.") || fragment.starts_with("#e1.") || fragment.starts_with("#g1.")
    {
        // A link is the user asking: the tools module reads it through the input boundary
        // (known charts and facts, values Helm can read, no secret).
        // The group's store is the root's context, read here: the task below runs outside it.
        let group = use_context::<GroupStore>();
        let is_group = fragment.starts_with("#g1.");
        wasm_bindgen_futures::spawn_local(async move {
            let linked = tools::ask_when_ready::<Linked>(Request::OpenLink { fragment }).await;
            match linked {
                Ok(Linked::Chart(answers)) => {
                    let id = answers.chart.clone();
                    match state.apply_to(&id, Change::Replace(answers)) {
                        Ok(()) => state.open_chart(&id),
                        Err(message) => state.set_notice(Some(message)),
                    }
                }
                Ok(Linked::Environment(opened)) => {
                    for answers in opened.answers {
                        let id = answers.chart.clone();
                        let _ = state.apply_to(&id, Change::Replace(answers));
                    }
                    state.set_environment(opened.setup);
                    state.show(Page::Environment);
                }
                // A unit group: its text (saved without secrets) into the group view.
                Ok(Linked::Group(opened)) => {
                    if let Some(group) = group {
                        group.open(opened.text, opened.summary);
                        state.show(Page::Group);
                    }
                }
                // A group link refused: said where the group would have shown.
                Err(message) if is_group && group.is_some() => {
                    if let Some(group) = group {
                        group.not_opened(message);
                        state.show(Page::Group);
                    }
                }
                Err(message) => state.set_notice(Some(message)),
            }
        });
        // Applied or refused, a reload must not try it again over later edits.
        clear_fragment();
    }
    let pending_environment = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        state.with_environment(|_| ());
        if let Some(handle) = pending_environment.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || save_environment_draft(state),
            std::time::Duration::from_millis(DRAFT_DELAY_MS),
        )
        .ok();
        pending_environment.set_value(handle);
    });
    // Save the selected chart's draft once typing pauses (not on every keystroke: serializing and
    // writing storage would sit on the typing path); secret values are stripped by draft_json.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let id = state.chart_id();
        state.track_changes();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || save_draft(state, &id),
            std::time::Duration::from_millis(DRAFT_DELAY_MS),
        )
        .ok();
        pending.set_value(handle);
    });
    Effect::new(move |_| {
        if state.page() == Page::Chart {
            let id = state.chart_id();
            if let Some(storage) = storage() {
                let _ = storage.set_item(LAST_CHART, &id);
            }
        }
    });
    // Leaving the page (reload, close) writes the draft at once, so no pause is needed.
    let flush = Closure::<dyn Fn()>::new(move || {
        save_draft(state, &state.chart_id_untracked());
        save_environment_draft(state);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    flush.forget();
}
