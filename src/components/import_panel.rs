//! Import: a values.yaml, an answers file or Secret manifests, by file picker, drag and drop or paste; shows the import report.

use leptos::prelude::*;
use pecfg_core::session::protocol::Request;
use pecfg_core::session::{ImportKind, Imported, ReportKind, ReportLine};
use wasm_bindgen::JsCast;

use crate::browser::read_file_text;
use crate::capability::{tools, ModuleStatus, TOOLS};
use crate::components::undo::with_undo_on;
use crate::state::use_app_state;

#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = use_app_state();
    let pasted = RwSignal::new(String::new());
    // What the core made of the text (its kind, summary and report lines), or why it refused.
    let outcome = RwSignal::new(None::<Result<Imported, String>>);

    // The core decides what the text is (by its structure, not its look) and which chart it is
    // for; the page applies the change it returns, with Undo, and opens that chart.
    let import_text = move |text: String| {
        let chart = state.chart_id_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let imported = tools::ask_when_ready::<Imported>(Request::Import { chart, text }).await;
            let applied = imported.and_then(|imported| {
                let message = match imported.kind {
                    ImportKind::ValuesFile => "Imported a values.yaml.",
                    ImportKind::AnswersFile => "Opened an answers file.",
                    ImportKind::SecretManifests => "Filled secret inputs from Secret manifests.",
                };
                with_undo_on(state, &imported.chart, message, imported.change.clone())?;
                if imported.chart != state.chart_id_untracked() {
                    state.select_chart(&imported.chart);
                }
                Ok(imported)
            });
            let _ = outcome.try_set(Some(applied));
        });
    };
    let read_then_import = move |file: web_sys::File| {
        read_file_text(file, move |read| match read {
            Ok(text) => import_text(text),
            Err(message) => outcome.set(Some(Err(message))),
        });
    };
    let on_file = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_then_import(file);
        }
        input.set_value("");
    };
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            read_then_import(file);
        }
    };

    view! {
        <div class="import-panel">
            <div class="drop-zone" on:dragover=|event: web_sys::DragEvent| event.prevent_default() on:drop=on_drop>
                <label for="import-file">"Open a values.yaml, answers file or secrets.yaml (or drop it here): "</label>
                <input type="file" id="import-file" accept=".yaml,.yml,.txt" on:change=on_file/>
            </div>
            <label for="import-paste">"…or paste it:"</label>
            <textarea id="import-paste" class="code" rows="8" spellcheck="false" prop:value=move || pasted.get()
                on:input=move |event| pasted.set(event_target_value(&event))></textarea>
            <div class="export-actions">
                <button type="button" class="small-button" id="import-button" on:click=move |_| import_text(pasted.get_untracked())>"Import"</button>
            </div>
            <ModuleStatus module=&TOOLS/>
            {move || outcome.get().map(|result| match result {
                Err(message) => view! { <p class="yaml-error" role="alert">{format!("Not imported: {message}")}</p> }.into_any(),
                Ok(imported) => view! { <ImportReportView imported=imported/> }.into_any(),
            })}
        </div>
    }
}

/// The headings of the report's lists, in the order the core lists them.
const GROUPS: [(ReportKind, &str); 5] = [
    (
        ReportKind::Retyped,
        "Read by Helm differently from how it looks (YAML 1.1)",
    ),
    (ReportKind::Merged, "Merge keys applied"),
    (
        ReportKind::Unknown,
        "Unknown keys (kept and exported as they are)",
    ),
    (ReportKind::Type, "Values of the wrong type"),
    (
        ReportKind::Default,
        "Equal to the chart default (can be dropped)",
    ),
];

#[component]
fn ImportReportView(imported: Imported) -> impl IntoView {
    let nothing_to_report =
        imported.lines.is_empty() && imported.kind != ImportKind::SecretManifests;
    let groups = GROUPS
        .iter()
        .filter_map(|(kind, heading)| {
            let lines: Vec<ReportLine> = imported
                .lines
                .iter()
                .filter(|line| line.kind == *kind)
                .cloned()
                .collect();
            (!lines.is_empty()).then(|| {
                view! {
                    <h3>{*heading}</h3>
                    <ul class=format!("report-{}", kind.word())>
                        {lines.into_iter().map(|line| view! { <li>{line.text}</li> }).collect_view()}
                    </ul>
                }
            })
        })
        .collect_view();
    view! {
        <div class="import-report" role="status" id="import-report">
            <p class="import-kind">{format!("Taken as {}.", imported.kind.label())}</p>
            <p>{imported.summary.clone()}</p>
            {nothing_to_report.then(|| view! { <p>"Every key is known to the catalog and fits its type."</p> })}
            {groups}
        </div>
    }
}
