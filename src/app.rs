//! The root component: provides the store and lays out header, chart picker, and either one chart's form and export panel or the environment view and its plan.

use leptos::prelude::*;

use crate::components::chart_picker::ChartPicker;
use crate::components::environment_view::{EnvironmentBanner, EnvironmentPlan, EnvironmentView};
use crate::components::export_panel::ExportPanel;
use crate::components::form_area::FormArea;
use crate::components::header::Header;
use crate::embed;
use crate::state::{AppState, Page};

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
                <Show when=move || state.page.get() == Page::Chart fallback=|| view! { <EnvironmentView/> }>
                    <EnvironmentBanner/>
                    // Re-created per chart: every field is built once from the catalog, then patched in place.
                    {move || {
                        let chart = state.chart.get();
                        view! { <FormArea chart=chart/> }
                    }}
                </Show>
            </section>
            <aside class="layout-export" aria-label="Exports">
                <Show when=move || state.page.get() == Page::Chart fallback=|| view! { <EnvironmentPlan/> }>
                    <ExportPanel/>
                </Show>
            </aside>
        </main>
    }
}
