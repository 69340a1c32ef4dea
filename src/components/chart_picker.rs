//! The chart picker: the environment and the unit group, then one button per catalog chart, marking the one shown and the environment's members.

use leptos::prelude::*;
use pecfg_core::catalog::registry::chart_summaries;

use crate::components::group_view::use_group_store;
use crate::state::{use_app_state, Page};

#[component]
pub fn ChartPicker() -> impl IntoView {
    let state = use_app_state();
    // From the summaries build.rs wrote: drawing the picker parses no chart.
    let buttons = chart_summaries()
        .into_iter()
        .map(|summary| {
            let (id, name, params) = (summary.id, summary.name, summary.params);
            let id = id.to_string();
            let is_selected = {
                let id = id.clone();
                move || state.page() == Page::Chart && state.chart_id() == id
            };
            let is_member = {
                let id = id.clone();
                move || state.with_environment(|setup| setup.has(&id))
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="chart-button"
                        data-chart=id.clone()
                        aria-pressed=move || is_selected().to_string()
                        on:click=move |_| state.open_chart(&id)
                    >
                        <span class="chart-name">{name}</span>
                        <span class="chart-meta">
                            {format!("{params} parameters")}
                            {move || is_member().then_some(" · in environment")}
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let environment_selected = move || state.page() == Page::Environment;
    let group = use_group_store();
    view! {
        <h2 class="panel-title visually-hidden">"Chart"</h2>
        <ul class="chart-list">
            <li>
                <button type="button" class="environment-button" id="open-environment"
                    aria-pressed=move || environment_selected().to_string()
                    on:click=move |_| state.show(Page::Environment)>
                    <span class="chart-name">"Environment"</span>
                    <span class="chart-meta">{move || state.with_environment(|setup| match setup.charts.len() {
                        1 => "1 chart, one plan".to_string(),
                        n => format!("{n} charts, one plan"),
                    })}</span>
                </button>
            </li>
            <li>
                <button type="button" class="environment-button" id="open-group"
                    aria-pressed=move || (state.page() == Page::Group).to_string()
                    on:click=move |_| state.show(Page::Group)>
                    <span class="chart-name">"Unit group"</span>
                    <span class="chart-meta">{move || group.summary().unwrap_or_else(|| "clusters, regions, tenants".to_string())}</span>
                </button>
            </li>
            {buttons}
        </ul>
    }
}
