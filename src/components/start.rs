//! The start view a first visit opens on: what the product does, and the first thing to do — pick the chart to configure, plan several as an environment, or bring a file you already have.

use leptos::prelude::*;
use pecfg_core::catalog::registry::chart_summaries;

use crate::state::{use_app_state, Page};

#[component]
pub fn Start() -> impl IntoView {
    let state = use_app_state();
    // From the summaries build.rs wrote: the start view parses no chart.
    let cards = chart_summaries()
        .into_iter()
        .map(|summary| {
            let id = summary.id;
            view! {
                <li>
                    <button type="button" class="start-card" id=format!("start-{id}") on:click=move |_| state.open_chart(id)>
                        <span class="chart-name">{summary.name}</span>
                        <span class="chart-meta">{format!("{} parameters", summary.params)}</span>
                        <span class="start-description">{summary.description}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="start" id="start">
            <h2 class="panel-title" id="form-title">"Start here"</h2>
            <p class="chart-description">
                "Pick the chart you are about to install: its form has every parameter the guide documents, \
                 with its default and the guide lines it comes from, checked as you type. When the form has no \
                 error left, download its values.yaml, Secrets and commands."
            </p>
            <ol class="start-steps">
                <li>"Choose a chart below (or in the list on the left)."</li>
                <li>"Fill in the required fields, marked *; the checks panel lists what is left."</li>
                <li>"Download the files, or save your answers to finish later."</li>
            </ol>
            <ul class="start-cards">{cards}</ul>
            <div class="start-more">
                <button type="button" class="small-button" id="start-environment" on:click=move |_| state.show(Page::Environment)>
                    "Several charts for one tenant or site: plan an environment"
                </button>
                <button type="button" class="small-button" id="start-import" on:click=move |_| {
                    state.open_chart(&state.chart_id_untracked());
                    crate::components::export_panel::open_tab_later("import");
                }>
                    "I have a values.yaml or answers file: import it"
                </button>
            </div>
            <p class="field-source">"Nothing you type leaves this browser. Drafts are kept here without secret values; secret values live in memory only and are gone after a reload."</p>
        </div>
    }
}
