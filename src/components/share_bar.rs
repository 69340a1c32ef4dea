//! Share link and draft controls: a link carrying the non-secret answers in the URL fragment (written by the tools module), and "start over" with Undo.

use leptos::prelude::*;
use pecfg_core::session::protocol::Request;
use pecfg_core::session::Change;
use pecfg_core::share::SHARE_LINK_WARN_BYTES;

use crate::browser::copy_to_clipboard;
use crate::capability::tools;
use crate::components::undo::with_undo;
use crate::persistence::page_url_without_fragment;
use crate::state::use_app_state;

#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_app_state();
    let link = RwSignal::new(None::<Result<String, String>>);
    let make_link = move |_| {
        let Some(answers) = state.with_session_untracked(|session| session.own_answers().clone())
        else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let made = tools::ask_when_ready::<String>(Request::ShareLink { answers })
                .await
                .map(|fragment| format!("{}#{fragment}", page_url_without_fragment()));
            if let Ok(url) = &made {
                copy_to_clipboard(url);
            }
            let _ = link.try_set(Some(made));
        });
    };
    let start_over = move |_| {
        let id = state.chart_id_untracked();
        with_undo(
            state,
            "Started over: every answer of this chart is back to its default.",
            Change::ResetChart,
        );
        crate::persistence::forget_draft(&id);
        link.set(None);
    };
    view! {
        <div class="share-bar">
            <button type="button" class="small-button" id="share-link" on:click=make_link>"Copy share link (no secrets)"</button>
            <button type="button" class="small-button" id="start-over" on:click=start_over>"Start over"</button>
            {move || link.get().map(|made| match made {
                Err(message) => view! { <p class="yaml-error" role="alert">{format!("No link: {message}")}</p> }.into_any(),
                Ok(url) => {
                    let too_long = url.len() > SHARE_LINK_WARN_BYTES;
                    view! {
                        <label for="share-url" class="visually-hidden">"Share link"</label>
                        <input id="share-url" class="text-input" type="text" readonly prop:value=url.clone()/>
                        {too_long.then(|| view! { <p class="blocked-reason">{format!("This link is {} KB long; some tools cut links past 8 KB. Prefer \"Save answers\".", url.len() / 1024)}</p> })}
                        <p class="field-source">"Drafts are kept in this browser without secret values; the link never holds secrets either."</p>
                    }.into_any()
                }
            })}
        </div>
    }
}

/// Why a link in the address was not applied: on top of whatever page is shown (a refused link
/// leaves the start view), until dismissed.
#[component]
pub fn LinkNotice() -> impl IntoView {
    let state = use_app_state();
    move || {
        state.notice().map(|message| {
            view! {
                <div class="link-notice" id="share-notice" role="alert">
                    <span>{format!("The link in the address was not applied: {message}")}</span>" "
                    <button type="button" class="link-button" aria-label="Dismiss" on:click=move |_| state.set_notice(None)>"×"</button>
                </div>
            }
        })
    }
}
