//! The export panel: the checks summary and live previews of the files the core exports, with copy and download.

use leptos::prelude::*;
use pecfg_core::export::{values_yaml, ValuesMode};
use pecfg_core::schema::values_schema;

use crate::browser::{copy_to_clipboard, download};
use crate::components::diagnostics_list::DiagnosticsSummary;
use crate::state::use_app_state;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Values,
    Schema,
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = use_app_state();
    let tab = RwSignal::new(Tab::Values);
    let full = RwSignal::new(false);
    let values_text = Memo::new(move |_| {
        let mode = if full.get() {
            ValuesMode::Full
        } else {
            ValuesMode::OverridesOnly
        };
        state
            .current
            .with(|answers| values_yaml(state.chart.get(), answers, mode))
    });
    let schema_text = Memo::new(move |_| {
        serde_json::to_string_pretty(&values_schema(state.chart.get())).unwrap_or_default()
    });
    let file_name = move || match tab.get() {
        Tab::Values => format!("{}-values.yaml", state.chart_id.get()),
        Tab::Schema => "values.schema.json".to_string(),
    };
    let content = move || match tab.get() {
        Tab::Values => values_text.get(),
        Tab::Schema => schema_text.get(),
    };
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button type="button" role="tab" class="tab" aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{label}</button>
        }
    };
    view! {
        <DiagnosticsSummary/>
        <h2 class="panel-title">"Export"</h2>
        <div role="tablist" class="tabs" aria-label="Files">
            {tab_button(Tab::Values, "values.yaml")}
            {tab_button(Tab::Schema, "values.schema.json")}
        </div>
        <div class="export-options">
            <label class="toggle"><input type="checkbox" id="full-values" prop:checked=move || full.get()
                on:change=move |event| full.set(event_target_checked(&event))/>" Full file with docs (not only overrides)"</label>
        </div>
        <div class="export-actions">
            <button type="button" class="small-button" on:click=move |_| copy_to_clipboard(&content())>"Copy"</button>
            <button type="button" class="small-button" on:click=move |_| download(&file_name(), "text/plain", content().as_bytes())>
                {move || format!("Download {}", file_name())}
            </button>
        </div>
        <pre class="preview" id="export-preview" tabindex="0" aria-label="File preview"><code>{content}</code></pre>
    }
}
