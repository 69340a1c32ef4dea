//! Drafts in localStorage (per chart, never with secret values) and share links read from the URL fragment at start.

use leptos::prelude::*;
use pecfg_core::charts::chart_ids;
use pecfg_core::share::{decode_share_fragment, draft_json, parse_draft};

use crate::state::AppState;

const DRAFT_PREFIX: &str = "pecfg.draft.";

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
    let fragment = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default();
    if fragment.starts_with("#v1.") {
        if let Ok(answers) = decode_share_fragment(&fragment) {
            if pecfg_core::charts::chart(&answers.chart).is_some() {
                state.chart_id.set(answers.chart.clone());
                state.answers.update(|all| {
                    all.insert(answers.chart.clone(), answers);
                });
            }
        }
    }
    // Save the selected chart's draft after every change; secret values are stripped by draft_json.
    Effect::new(move |_| {
        let id = state.chart_id.get();
        let draft = state.current.with(draft_json);
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{DRAFT_PREFIX}{id}"), &draft);
        }
    });
}
