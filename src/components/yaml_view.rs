//! The editable YAML view of the overrides, in sync with the form both ways, `sensitive` values masked unless revealed. Text that does not parse is kept on screen with the error's line and column, and not applied.

use leptos::prelude::*;
use pecfg_core::catalog::Chart;
use pecfg_core::import::unknown_key_count;
use pecfg_core::mask::{mask_sensitive, unmask};
use pecfg_core::yaml::read::read_values_yaml;
use pecfg_core::yaml::write::value_to_yaml;
use serde_yaml::{Mapping, Value};

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
    let text = RwSignal::new(state.current.with_untracked(|answers| {
        overrides_text(&visible(
            state.chart.get_untracked(),
            state.reveal_secrets.get_untracked(),
            &answers.values,
        ))
    }));
    let error = RwSignal::new(None::<String>);
    // Changes made in the form flow in, unless the text on screen is the user's unparsed work.
    Effect::new(move |_| {
        let (chart, reveal) = (state.chart.get(), state.reveal_secrets.get());
        let values = state
            .current
            .with(|answers| visible(chart, reveal, &answers.values));
        let shown = read_values_yaml(&text.get_untracked())
            .map(|read| read.value)
            .unwrap_or_else(|_| Value::Mapping(Mapping::new()));
        if error.get_untracked().is_none() && shown != values {
            text.set(overrides_text(&values));
        }
    });
    let unknown = Memo::new(move |_| {
        state
            .current
            .with(|answers| unknown_key_count(state.chart.get(), &answers.values))
    });
    let on_input = move |event| {
        let typed = event_target_value(&event);
        text.set(typed.clone());
        // The one input boundary: Helm's reading, string keys, bounded size; a refusal keeps the
        // text on screen with its message and leaves the answers as they were.
        match read_values_yaml(&typed) {
            Ok(read) => {
                error.set(None);
                // Where the text still shows the mask, the real value stays.
                let value = state.current.with_untracked(|answers| {
                    unmask(state.chart.get_untracked(), &read.value, &answers.values)
                });
                state.update_answers(|answers| answers.values = value);
            }
            Err(refused) => error.set(Some(refused.to_string())),
        }
    };
    view! {
        // Its own form, so a keystroke here costs autofill this form's controls alone (see `Field`).
        <form class="yaml-view" on:submit=|event| event.prevent_default()>
            <label for="yaml-view-text">"values.yaml overrides (edit here or in the form; both stay in sync)"</label>
            <textarea id="yaml-view-text" class="code" rows="18" spellcheck="false" prop:value=move || text.get() on:input=on_input></textarea>
            {move || error.get().map(|message| view! { <p class="yaml-error" role="alert">{format!("Not applied: {message}")}</p> })}
            {move || (unknown.get() > 0).then(|| view! {
                <p class="field-source">{format!("{} key(s) are not in the catalog; they are kept and exported as they are (see Import for suggestions).", unknown.get())}</p>
            })}
        </form>
    }
}
