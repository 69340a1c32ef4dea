//! Import: a values.yaml, an answers file or Secret manifests, by file picker, drag and drop or paste; shows the import report.

use leptos::prelude::*;
use pecfg_core::answers::parse_answers;
use pecfg_core::import::{
    explain_merged, import_values, retyped_explanations, secrets_from_manifests, ImportReport,
};
use pecfg_core::share::without_secrets;
use pecfg_core::values::merge;
use wasm_bindgen::JsCast;

use crate::state::use_app_state;

/// What a pasted or dropped text is, judged by its content.
fn looks_like_answers(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("chart:"))
        && text.lines().any(|line| line.starts_with("values:"))
}

fn looks_like_secrets(text: &str) -> bool {
    text.lines().any(|line| line.trim() == "kind: Secret")
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = use_app_state();
    let pasted = RwSignal::new(String::new());
    // The summary, the report, and what the core says of each scalar Helm reads as another type
    // and each merge (what `pecfg import` prints).
    let outcome = RwSignal::new(None::<Result<(String, ImportReport, Vec<String>), String>>);

    let import_text = move |text: String| {
        let chart = state.chart.get_untracked();
        if looks_like_secrets(&text) {
            outcome.set(Some(secrets_from_manifests(chart, &text).map(|secrets| {
                let count = secrets.values().map(|keys| keys.len()).sum::<usize>();
                state.update_answers(|answers| {
                    for (name, keys) in secrets {
                        answers.secrets.entry(name).or_default().extend(keys);
                    }
                });
                (
                    format!("Filled {count} secret key(s) from the Secret manifests."),
                    ImportReport::default(),
                    Vec::new(),
                )
            })));
        } else if looks_like_answers(&text) {
            outcome.set(Some(parse_answers(&text).and_then(|answers| {
                // Checked before anything changes: edits must not go to a chart the form cannot show.
                let target = pecfg_core::catalog::registry::chart(&answers.chart).ok_or_else(|| {
                    format!(
                        "the answers file names the chart `{}`, which this version does not know (charts: {})",
                        answers.chart.chars().take(40).collect::<String>(),
                        pecfg_core::catalog::registry::chart_ids().join(", ")
                    )
                })?;
                let report = pecfg_core::import::report_on_values(target, &answers.values);
                if answers.chart != chart.id {
                    state.chart_id.set(answers.chart.clone());
                }
                state.answers.update(|all| {
                    all.insert(answers.chart.clone(), answers);
                });
                Ok(("Loaded the answers file.".to_string(), report, Vec::new()))
            })));
        } else {
            outcome.set(Some(import_values(chart, &text).map(|(values, report)| {
                let mut explained = retyped_explanations(chart, &values, &report);
                explained.extend(report.merged.iter().map(|path| explain_merged(path)));
                state.update_answers(|answers| answers.values = merge(&answers.values, &values));
                (
                    "Imported values.yaml into the form.".to_string(),
                    report,
                    explained,
                )
            })));
        }
    };

    let on_file = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file(file, import_text);
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
            read_file(file, import_text);
        }
    };
    let save_answers = move |_| {
        let text = state
            .current
            .with_untracked(|answers| pecfg_core::answers::answers_yaml(&without_secrets(answers)));
        crate::browser::download(
            &format!("{}-answers.yaml", state.chart_id.get_untracked()),
            "text/yaml",
            text.as_bytes(),
        );
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
                <button type="button" class="small-button" id="save-answers" on:click=save_answers>"Save answers (without secrets)"</button>
            </div>
            {move || outcome.get().map(|result| match result {
                Err(message) => view! { <p class="yaml-error" role="alert">{format!("Not imported: {message}")}</p> }.into_any(),
                Ok((summary, report, explained)) => view! { <ImportReportView summary=summary report=report explained=explained/> }.into_any(),
            })}
        </div>
    }
}

fn read_file(file: web_sys::File, then: impl Fn(String) + 'static) {
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            then(text.as_string().unwrap_or_default());
        }
    });
}

#[component]
fn ImportReportView(
    summary: String,
    report: ImportReport,
    explained: Vec<String>,
) -> impl IntoView {
    let nothing_to_report = report == ImportReport::default();
    view! {
        <div class="import-report" role="status">
            <p>{summary}</p>
            {nothing_to_report.then(|| view! { <p>"Every key is known to the catalog and fits its type."</p> })}
            {(!explained.is_empty()).then(|| view! {
                <h3>"Read by Helm differently from how it looks (YAML 1.1)"</h3>
                <ul class="report-retyped">
                    {explained.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(!report.unknown.is_empty()).then(|| view! {
                <h3>"Unknown keys (kept and exported as they are)"</h3>
                <ul class="report-unknown">
                    {report.unknown.iter().map(|key| view! {
                        <li><code>{key.path.clone()}</code>
                            {key.suggestion.clone().map(|suggestion| view! { " — did you mean " <code>{suggestion}</code> "?" })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!report.type_mismatches.is_empty()).then(|| view! {
                <h3>"Values of the wrong type"</h3>
                <ul class="report-types">
                    {report.type_mismatches.iter().map(|mismatch| view! {
                        <li><code>{mismatch.path.clone()}</code>{format!(": expected {}", mismatch.expected)}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!report.equal_to_default.is_empty()).then(|| view! {
                <h3>"Equal to the chart default (can be dropped)"</h3>
                <ul class="report-defaults">
                    {report.equal_to_default.iter().map(|path| view! { <li><code>{path.clone()}</code></li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
