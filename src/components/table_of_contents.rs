//! The sticky table of contents: a button per section (the URL fragment is kept for share links) with its error count.

use leptos::prelude::*;
use pecfg_core::catalog::Chart;

use crate::browser::scroll_to;
use crate::components::section_view::{after_render, reveal_section, section_dom_id};
use crate::state::use_app_state;

#[component]
pub fn TableOfContents(chart: &'static Chart) -> impl IntoView {
    let state = use_app_state();
    let entries = chart
        .sections
        .iter()
        .map(|section| {
            let count = state.section_count(&section.id);
            let errors = move || count.get().errors;
            view! {
                <li>
                    <button type="button" class="link-button" data-section=section.id.clone() on:click={
                        let target = section_dom_id(&section.id);
                        let section_id = section.id.as_str();
                        // The section's first fields are rendered before the jump (they may not be yet).
                        move |_| {
                            reveal_section(chart, section_id);
                            let target = target.clone();
                            after_render(move || scroll_to(&target));
                        }
                    }>{section.title.clone()}</button>
                    {move || (errors() > 0).then(|| view! { <span class="badge error">{errors()}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="toc" aria-label="Sections">
            <ul>
                <li><button type="button" class="link-button" on:click=move |_| scroll_to("section-platform")>"Platform"</button></li>
                {entries}
                {(!chart.secrets.is_empty()).then(|| view! { <li><button type="button" class="link-button" on:click=move |_| scroll_to("section-secrets")>"Secrets"</button></li> })}
            </ul>
        </nav>
    }
}
