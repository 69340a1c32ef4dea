//! The root component: provides the store and lays out header, chart picker, form and export panel.

use leptos::prelude::*;

use crate::components::chart_picker::ChartPicker;
use crate::components::export_panel::ExportPanel;
use crate::components::form_area::FormArea;
use crate::components::header::Header;
use crate::embed;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let options = embed::current_options();
    embed::apply_page_options(&options);
    if let Some(chart_id) = &options.chart {
        state.chart_id.set(chart_id.clone());
    }
    crate::persistence::install(state);
    embed::install_message_api(state, &options);

    view! {
        <Header/>
        <main class="layout">
            <nav class="layout-picker" aria-label="Charts">
                <ChartPicker/>
            </nav>
            <section class="layout-form" aria-labelledby="form-title">
                // Re-created per chart: every field is built once from the catalog, then patched in place.
                {move || {
                    let chart = state.chart.get();
                    view! { <FormArea chart=chart/> }
                }}
            </section>
            <aside class="layout-export" aria-label="Exports">
                <ExportPanel/>
            </aside>
        </main>
    }
}
