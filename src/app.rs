//! The root component: provides the store and lays out header, chart picker, form and export panel.

use leptos::prelude::*;

use crate::components::chart_picker::ChartPicker;
use crate::components::export_panel::ExportPanel;
use crate::components::form_area::FormArea;
use crate::components::header::Header;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);

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
