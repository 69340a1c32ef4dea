//! Text widget for string-like kinds (string, UUID with "generate v4", DNS names, URL, host); emptying it returns to the default.

use leptos::prelude::*;
use pecfg_core::catalog::Kind;
use pecfg_core::kinds::uuid_v4_from_bytes;
use serde_yaml::Value;

use super::WidgetContext;
use super::{input_text, placeholder_text, ShownText};
use crate::browser::random_bytes;

#[component]
pub fn TextInput(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        overridden,
        set,
        reset,
        ..
    } = context;
    let (shown, initial) = ShownText::new(Signal::derive(move || {
        input_text(overridden.get().as_ref())
    }));
    let on_input = move |event| {
        let text = event_target_value(&event);
        shown.typed(&text);
        if text.is_empty() {
            reset.run(());
        } else {
            set.run(Value::String(text));
        }
    };
    let generate = (param.kind == Kind::Uuid).then(|| {
        view! {
            <button type="button" class="small-button" on:click=move |_| set.run(Value::String(uuid_v4_from_bytes(random_bytes())))>
                "Generate v4"
            </button>
        }
    });
    view! {
        <div class="input-row">
            <input
                id=input_id
                type={ if param.sensitive { "password" } else { "text" } }
                class="text-input"
                spellcheck="false"
                autocomplete="off"
                placeholder=placeholder_text(param.default.as_ref())
                node_ref=shown.node
                prop:value=initial
                on:input=on_input
            />
            {generate}
        </div>
    }
}
