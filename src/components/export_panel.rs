//! The export panel: where values.yaml, secrets.yaml, commands.sh and the schema are previewed and downloaded.

use leptos::prelude::*;
use pecfg_core::charts::chart;

use crate::app::AppState;

#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file_names = move || {
        let id = state.chart_id.get();
        let secrets = chart(&id).map(|chart| chart.secrets.len()).unwrap_or(0);
        format!("{id}-values.yaml · secrets.yaml ({secrets} secrets) · commands.sh · values.schema.json")
    };
    view! {
        <h2 class="panel-title">"Export"</h2>
        <p class="export-files">{file_names}</p>
    }
}
