//! Code-area widget for free YAML objects and `|-` template blocks. YAML is parsed as the user types; text that does not parse is kept and the error shown with its line and column.

use leptos::prelude::*;
use pecfg_core::catalog::Kind;
use pecfg_core::yaml::read::read_yaml;
use serde_yaml::Value;

use super::WidgetContext;

fn block_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        // The product's writer, so `read_yaml` (Helm's reading) gives back the same value.
        Some(other) => pecfg_core::yaml::write::value_to_yaml(other),
    }
}

#[component]
pub fn YamlBlock(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        overridden,
        set,
        reset,
        ..
    } = context;
    let is_template = param.kind == Kind::Template;
    let text = RwSignal::new(block_text(overridden.get_untracked().as_ref()));
    let parse_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let outside = overridden.get();
        let shown = text.get_untracked();
        let same = if is_template {
            block_text(outside.as_ref()) == shown
        } else {
            read_yaml(&shown)
                .ok()
                .map(|read| read.value)
                .filter(|v| !v.is_null())
                == outside
                || (parse_error.get_untracked().is_some())
        };
        if !same {
            text.set(block_text(outside.as_ref()));
            parse_error.set(None);
        }
    });
    let on_input = move |event| {
        let typed = event_target_value(&event);
        text.set(typed.clone());
        if typed.trim().is_empty() {
            parse_error.set(None);
            reset.run(());
        } else if is_template {
            set.run(Value::String(typed));
        } else {
            // The one input boundary (Helm's reading, string keys, bounded size).
            match read_yaml(&typed) {
                Ok(read) => {
                    parse_error.set(None);
                    set.run(read.value);
                }
                Err(refused) => parse_error.set(Some(refused.to_string())),
            }
        }
    };
    let placeholder = param
        .default
        .as_ref()
        .map(|value| block_text(Some(value)))
        .unwrap_or_default();
    view! {
        <textarea
            id=input_id
            class="code"
            rows=if is_template { "6" } else { "4" }
            spellcheck="false"
            placeholder=placeholder
            prop:value=move || text.get()
            on:input=on_input
        ></textarea>
        {move || parse_error.get().map(|error| view! { <p class="yaml-error" role="alert">{format!("YAML does not parse ({error}); your text is kept, but not applied.")}</p> })}
    }
}
