//! Share link and draft controls: a link carrying the non-secret state in the URL fragment, and "start over".

use leptos::prelude::*;
use pecfg_core::share::{encode_share_fragment, SHARE_LINK_WARN_BYTES};

use crate::browser::copy_to_clipboard;
use crate::persistence::page_url_without_fragment;
use crate::state::use_app_state;

#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_app_state();
    let link = RwSignal::new(None::<String>);
    let make_link = move |_| {
        match state.current.with_untracked(encode_share_fragment) {
            Ok(fragment) => {
                let url = format!("{}#{fragment}", page_url_without_fragment());
                copy_to_clipboard(&url);
                link.set(Some(url));
            }
            // The input boundary keeps such trees out; if one slips in, say so instead of dying.
            Err(message) => link.set(Some(message)),
        }
    };
    let start_over = move |_| {
        let id = state.chart_id.get_untracked();
        state.answers.update(|all| {
            all.remove(&id);
        });
        crate::persistence::forget_draft(&id);
        link.set(None);
    };
    view! {
        {move || state.share_notice.get().map(|message| view! {
            <p id="share-notice" class="yaml-error" role="alert">{format!("The share link in the address was not applied: {message}")}</p>
        })}
        <div class="share-bar">
            <button type="button" class="small-button" id="share-link" on:click=make_link>"Copy share link (no secrets)"</button>
            <button type="button" class="small-button" id="start-over" on:click=start_over>"Start over (forget the draft)"</button>
            {move || link.get().map(|url| {
                let too_long = url.len() > SHARE_LINK_WARN_BYTES;
                view! {
                    <label for="share-url" class="visually-hidden">"Share link"</label>
                    <input id="share-url" class="text-input" type="text" readonly prop:value=url.clone()/>
                    {too_long.then(|| view! { <p class="blocked-reason">{format!("This link is {} KB long; some tools cut links past 8 KB. Prefer \"Save answers\".", url.len() / 1024)}</p> })}
                    <p class="field-source">"Drafts are kept in this browser without secret values; the link never holds secrets either."</p>
                }
            })}
        </div>
    }
}
