//! The chart picker: one button per catalog chart, marking the selected one.

use leptos::prelude::*;
use pecfg_core::charts::all_charts;

use crate::state::use_app_state;

#[component]
pub fn ChartPicker() -> impl IntoView {
    let state = use_app_state();
    let buttons = all_charts()
        .iter()
        .map(|chart| {
            let id = chart.id.clone();
            let is_selected = {
                let id = id.clone();
                move || state.chart_id.get() == id
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="chart-button"
                        data-chart=id.clone()
                        aria-pressed=move || is_selected().to_string()
                        on:click=move |_| state.chart_id.set(id.clone())
                    >
                        <span class="chart-name">{chart.name.clone()}</span>
                        <span class="chart-meta">{format!("{} parameters", chart.params.len())}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="panel-title">"Chart"</h2>
        <ul class="chart-list">{buttons}</ul>
    }
}
