//! The diff against the chart defaults: every key whose value differs (default → current), which is what the overrides-only values.yaml holds; `sensitive` values masked unless shown.

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use pecfg_core::mask::mask_sensitive;
use pecfg_core::values::diff_against_defaults;
use serde_yaml::Value;

use crate::state::use_app_state;

fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(no default)".into(),
        Some(Value::Null) => "null (deleted)".into(),
        Some(Value::String(text)) => format!("\"{text}\""),
        Some(other) => display_value(other),
    }
}

#[component]
pub fn DiffView() -> impl IntoView {
    let state = use_app_state();
    let entries = Memo::new(move |_| {
        let chart = state.chart.get();
        state.current.with(|answers| {
            // Sensitive values show as the mask unless "Show secret values" is ticked.
            if state.reveal_secrets.get() {
                diff_against_defaults(chart, &answers.values)
            } else {
                diff_against_defaults(chart, &mask_sensitive(chart, &answers.values))
            }
        })
    });
    view! {
        <div class="diff-view">
            {move || {
                let entries = entries.get();
                if entries.is_empty() {
                    view! { <p class="field-source">"Everything is at the chart defaults."</p> }.into_any()
                } else {
                    view! {
                        <table class="diff-table">
                            <thead><tr><th scope="col">"Key"</th><th scope="col">"Default"</th><th scope="col">"Current"</th></tr></thead>
                            <tbody>
                                {entries.into_iter().map(|entry| view! {
                                    <tr>
                                        <td><code>{entry.path.clone()}</code></td>
                                        <td>{shown(entry.default.as_ref())}</td>
                                        <td>{shown(Some(&entry.current))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </div>
    }
}
