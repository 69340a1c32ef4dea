//! Drafts in localStorage (per chart and one for the environment, never with secret values, never what an embedding host set until the user edits) and share links (a chart's or an environment's) read from the URL fragment at start, then cleared from the URL.

use leptos::prelude::*;
use pecfg_core::catalog::registry::chart_ids;
use pecfg_core::environment::{
    chart_answers, decode_environment_fragment, environment_draft_json, parse_environment_draft,
    setup_of, ENVIRONMENT_FRAGMENT_PREFIX,
};
use pecfg_core::share::{decode_share_fragment, draft_json, parse_draft};

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::state::AppState;

const DRAFT_PREFIX: &str = "pecfg.draft.";
const ENVIRONMENT_DRAFT: &str = "pecfg.environment";
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
    let host_left = state
        .host_set
        .with_value(|host_set| host_set.get(id).cloned());
    // The chart's own answers: the environment's shared facts are the environment draft's.
    let answers = state.own_answers(id);
    if host_left.as_ref() == Some(&answers) {
        return;
    }
    let Ok(draft) = draft_json(&answers) else {
        return;
    };
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("{DRAFT_PREFIX}{id}"), &draft);
    }
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

/// Writes the environment's draft: its name, members and non-secret shared facts.
fn save_environment_draft(state: AppState) {
    let Ok(draft) = state.environment.with_untracked(environment_draft_json) else {
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

/// Restores drafts, then applies a share link if the URL has one, then keeps drafts up to date.
pub fn install(state: AppState) {
    if let Some(storage) = storage() {
        state.answers.update(|all| {
            for id in chart_ids() {
                if let Some(answers) = storage
                    .get_item(&format!("{DRAFT_PREFIX}{id}"))
                    .ok()
                    .flatten()
                    .and_then(|text| parse_draft(&text))
                {
                    if answers.chart == id {
                        all.insert(id.to_string(), answers);
                    }
                }
            }
        });
    }
    if let Some(setup) = storage()
        .and_then(|storage| storage.get_item(ENVIRONMENT_DRAFT).ok().flatten())
        .and_then(|text| parse_environment_draft(&text))
    {
        state.environment.set(setup);
    }
    let fragment = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    if fragment.starts_with("#v1.") {
        // decode_share_fragment is the input boundary: a known chart, values Helm can read.
        match decode_share_fragment(&fragment) {
            Ok(answers) => {
                state.chart_id.set(answers.chart.clone());
                state.answers.update(|all| {
                    all.insert(answers.chart.clone(), answers);
                });
            }
            Err(message) => state.share_notice.set(Some(message)),
        }
        // Applied or refused, a reload must not try it again over later edits.
        clear_fragment();
    } else if fragment.starts_with(&format!("#{ENVIRONMENT_FRAGMENT_PREFIX}")) {
        // The same boundary as an environment file: known charts and facts, values Helm reads.
        match decode_environment_fragment(&fragment) {
            Ok(file) => {
                state.answers.update(|all| {
                    for answers in chart_answers(&file) {
                        all.insert(answers.chart.clone(), answers);
                    }
                });
                state.environment.set(setup_of(&file));
                state.page.set(crate::state::Page::Environment);
            }
            Err(message) => state.share_notice.set(Some(message)),
        }
        clear_fragment();
    }
    let pending_environment = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        state.environment.track();
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
        let id = state.chart_id.get();
        state.current.track();
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
    // Leaving the page (reload, close) writes the draft at once, so no pause is needed.
    let flush = Closure::<dyn Fn()>::new(move || {
        save_draft(state, &state.chart_id.get_untracked());
        save_environment_draft(state);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    flush.forget();
}
