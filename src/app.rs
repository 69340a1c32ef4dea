//! The root component: owns the app state (the selected chart) and lays out header, picker, form and export panel.

use leptos::prelude::*;
use pecfg_core::charts::{all_charts, chart};

use crate::components::chart_picker::ChartPicker;
use crate::components::export_panel::ExportPanel;
use crate::components::form_area::FormArea;
use crate::components::header::Header;

/// State shared by every component through context, so later panels (validation, exports) read
/// the same selection without threading props through the tree.
#[derive(Clone, Copy)]
pub struct AppState {
    pub chart_id: RwSignal<String>,
}

#[component]
pub fn App() -> impl IntoView {
    let first_chart = all_charts()
        .first()
        .map(|chart| chart.id.clone())
        .unwrap_or_default();
    let state = AppState {
        chart_id: RwSignal::new(first_chart),
    };
    provide_context(state);
    let selected = Memo::new(move |_| chart(&state.chart_id.get()));

    view! {
        <Header/>
        <main class="layout">
            <nav class="layout-picker" aria-label="Charts">
                <ChartPicker/>
            </nav>
            <section class="layout-form" aria-label="Parameters">
                {move || selected.get().map(|chart| view! { <FormArea chart=chart/> })}
            </section>
            <aside class="layout-export" aria-label="Exports">
                <ExportPanel/>
            </aside>
        </main>
    }
}
