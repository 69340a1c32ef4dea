//! The editable YAML view of the overrides, in sync with the form both ways, `sensitive` values masked unless revealed. Text that does not parse is kept on screen with the error's line and column, and not applied.

use leptos::prelude::*;
use pecfg_core::catalog::Chart;
use pecfg_core::import::unknown_key_count;
use pecfg_core::mask::{mask_sensitive, unmask};
use pecfg_core::session::protocol::Request;
use pecfg_core::session::Change;
use pecfg_core::yaml::write::value_to_yaml;
use serde_yaml::{Mapping, Value};

use crate::capability::{tools, LoadState, ModuleStatus, TOOLS};
use crate::state::use_app_state;

fn overrides_text(values: &Value) -> String {
    if values.as_mapping().is_none_or(Mapping::is_empty) {
        return String::new();
    }
    // The product's YAML-1.1-safe emitter, so the text reads back to the same values.
    value_to_yaml(values)
}

/// The overrides as the text shows them: `sensitive` values masked unless revealed.
fn visible(chart: &Chart, reveal: bool, values: &Value) -> Value {
    if reveal {
        values.clone()
    } else {
        mask_sensitive(chart, values)
    }
}

#[component]
pub fn YamlView() -> impl IntoView {
    let state = use_app_state();
    let visible_now = move || {
        let reveal = state.reveal();
        state
            .with_session(|session| visible(session.chart(), reveal, &session.own_answers().values))
    };
    let text = RwSignal::new(
        untrack(|| visible_now().map(|values| overrides_text(&values))).unwrap_or_default(),
    );
    // What the text on screen stands for, the last time it was written or read: the form's
    // changes flow in when they differ from it, unless the text is the user's unparsed work.
    let shown = StoredValue::new(untrack(visible_now));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let values = visible_now();
        if error.get_untracked().is_none() && shown.get_value() != values {
            text.set(values.as_ref().map(overrides_text).unwrap_or_default());
            shown.set_value(values);
        }
    });
    let unknown = Memo::new(move |_| {
        state
            .with_session(|session| {
                unknown_key_count(session.chart(), &session.own_answers().values)
            })
            .unwrap_or(0)
    });
    // The one input boundary, in the tools module: Helm's reading, string keys, bounded size; a
    // refusal keeps the text on screen with its message and changes nothing.
    let apply_text = move |typed: String| {
        let read = tools::ask::<Value>(&Request::ReadOverrides {
            chart: state.chart_id_untracked(),
            text: typed,
        });
        match read {
            Ok(read) => {
                // Where the text still shows the mask, the real value stays.
                let value = state.with_session_untracked(|session| {
                    unmask(session.chart(), &read, &session.own_answers().values)
                });
                let applied = value
                    .ok_or_else(|| "the chart is not loaded".to_string())
                    .and_then(|value| state.apply(Change::EditValues(value)));
                // `try_`: the view may be gone (another tab chosen) while the module loaded.
                match applied {
                    Ok(()) => {
                        let _ = error.try_set(None);
                        let _ = shown.try_set_value(untrack(visible_now));
                    }
                    Err(message) => {
                        let _ = error.try_set(Some(message));
                    }
                }
            }
            Err(refused) => {
                let _ = error.try_set(Some(refused));
            }
        }
    };
    let on_input = move |event| {
        let typed = event_target_value(&event);
        text.set(typed.clone());
        if matches!(TOOLS.state_untracked(), LoadState::Ready(_)) {
            apply_text(typed);
            return;
        }
        // Typed before the module is here: read once it is, unless newer typing replaced it. The
        // view may be gone by then (another tab chosen): what was typed is applied all the same.
        wasm_bindgen_futures::spawn_local(async move {
            match TOOLS.ensure_loaded().await {
                Ok(_) if text.try_get_untracked().is_none_or(|now| now == typed) => {
                    apply_text(typed)
                }
                Ok(_) => {}
                Err(message) => {
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };
    view! {
        // Its own form, so a keystroke here costs autofill this form's controls alone (see `Field`).
        <form class="yaml-view" on:submit=|event| event.prevent_default()>
            <ModuleStatus module=&TOOLS/>
            <label for="yaml-view-text">"values.yaml overrides (edit here or in the form; both stay in sync)"</label>
            <textarea id="yaml-view-text" class="code" rows="18" spellcheck="false" prop:value=move || text.get() on:input=on_input></textarea>
            {move || error.get().map(|message| view! { <p class="yaml-error" role="alert">{format!("Not applied: {message}")}</p> })}
            {move || (unknown.get() > 0).then(|| view! {
                <p class="field-source">{format!("{} not in the catalog; kept and exported as they are (see Import for suggestions).", crate::components::diagnostics_list::count_text(unknown.get(), "key is", "keys are"))}</p>
            })}
        </form>
    }
}
