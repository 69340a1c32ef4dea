//! The root component: provides the store and lays out header, chart picker, and the page shown — the start view, one chart's form and export panel, the environment and its plan, or a unit group and its plan.

use leptos::prelude::*;

use crate::catalog::ChartLoad;
use crate::components::chart_picker::ChartPicker;
use crate::components::diagnostics_list::{ChecksBar, DiagnosticsSummary};
use crate::components::environment_view::{EnvironmentBanner, EnvironmentPlan, EnvironmentView};
use crate::components::export_panel::ExportPanel;
use crate::components::form_area::FormArea;
use crate::components::group_view::{GroupPlan, GroupStore, GroupView};
use crate::components::header::Header;
use crate::components::share_bar::LinkNotice;
use crate::components::start::Start;
use crate::components::undo::UndoNotice;
use crate::embed;
use crate::state::{AppState, Page};

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // The unit group's text and view, kept while other pages show (a `#g1.` link fills it).
    provide_context(GroupStore::new());
    let options = embed::current_options();
    embed::apply_page_options(&options);
    // A chart named in the address (or by a host page) opens at once; else the start view.
    match &options.chart {
        Some(chart_id) => state.open_chart(chart_id),
        None => crate::persistence::reopen_last_chart(state),
    }
    crate::persistence::install(state);
    embed::install_message_api(state, &options);

    let form = move || {
        match state.chart_load() {
        ChartLoad::Ready(chart) => view! { <ChecksBar/><EnvironmentBanner/><FormArea chart=chart/> }.into_any(),
        ChartLoad::Loading => view! {
            <p class="module-status" role="status" aria-busy="true" id="chart-loading">"Loading the chart\u{2026}"</p>
        }
        .into_any(),
        ChartLoad::Failed(message) => view! {
            <div class="module-status module-failed" role="alert" id="chart-failed">
                <p class="module-error">{message}</p>
                <button type="button" class="small-button" on:click=move |_| crate::catalog::ensure(&state.chart_id_untracked())>"Retry"</button>
            </div>
        }
        .into_any(),
    }
    };
    let middle = move || match state.page() {
        Page::Start => view! { <Start/> }.into_any(),
        // Re-created per chart: every field is built once from the catalog, then patched in place.
        Page::Chart => form.into_any(),
        Page::Environment => view! { <EnvironmentView/> }.into_any(),
        Page::Group => view! { <GroupView/> }.into_any(),
    };
    // The side column of a chart (its checks and exports) is drawn once the first form is on
    // screen: the form is what the user came for, and drawing both in one task kept the form from
    // the screen until the exports were built too. Later charts draw both at once.
    let side_ready = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(state.chart_load(), ChartLoad::Ready(_)) && !side_ready.get_untracked() {
            crate::browser::after_paint(move || side_ready.set(true));
        }
    });
    let side = move || match state.page() {
        Page::Chart => state
            .chart()
            .filter(|_| side_ready.get())
            .map(|_| view! { <DiagnosticsSummary/><ExportPanel/> }.into_any()),
        Page::Environment => Some(view! { <EnvironmentPlan/> }.into_any()),
        Page::Group => Some(view! { <GroupPlan/> }.into_any()),
        Page::Start => None,
    };

    view! {
        <Header/>
        <LinkNotice/>
        <UndoNotice/>
        <main class="layout" class:layout-start=move || state.page() == Page::Start>
            <nav class="layout-picker" aria-label="Charts">
                <ChartPicker/>
            </nav>
            <section class="layout-form" aria-labelledby="form-title">{middle}</section>
            <aside class="layout-export" aria-label="Exports">{side}</aside>
        </main>
    }
}
