//! The diff against the chart defaults: every key whose value differs (default → current), which is what the overrides-only values.yaml holds; `sensitive` values masked unless shown.

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use pecfg_core::session::protocol::Request;
use pecfg_core::values::DiffEntry;
use serde_yaml::Value;

use crate::capability::{tools, ModuleStatus, TOOLS};
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
    // Made by the tools module; sensitive values show as the mask unless "Show secret values".
    let diff = tools::derived::<Vec<DiffEntry>>(move || {
        Some(Request::Diff {
            answers: state.with_session(|session| session.answers().clone())?,
            reveal: state.reveal(),
        })
    });
    let table = move || {
        match diff.get()? {
        Err(message) => Some(view! { <p class="module-error" role="alert">{message}</p> }.into_any()),
        Ok(entries) if entries.is_empty() => Some(
            view! { <p class="field-source">"Everything is at the chart defaults."</p> }.into_any(),
        ),
        Ok(entries) => Some(
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
            }
            .into_any(),
        ),
    }
    };
    view! {
        <div class="diff-view">
            <ModuleStatus module=&TOOLS/>
            {table}
        </div>
    }
}
