//! Number widget for integer, number and port kinds. Text that is not a number is kept as typed, so validation can say what is wrong.

use leptos::prelude::*;
use pecfg_core::catalog::Kind;
use serde_yaml::Value;

use super::WidgetContext;
use super::{input_text, placeholder_text, ShownText};

/// Reads typed text as the kind's number, or keeps the text when it is not one.
pub fn parse_number(kind: Kind, text: &str) -> Value {
    let trimmed = text.trim();
    if let Ok(whole) = trimmed.parse::<i64>() {
        return Value::from(whole);
    }
    if kind == Kind::Number {
        if let Ok(real) = trimmed.parse::<f64>() {
            return Value::from(real);
        }
    }
    Value::String(text.to_string())
}

#[component]
pub fn NumberInput(context: WidgetContext) -> impl IntoView {
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
        if text.trim().is_empty() {
            reset.run(());
        } else {
            set.run(parse_number(param.kind, &text));
        }
    };
    view! {
        <input
            id=input_id
            type="text"
            inputmode=if param.kind == Kind::Number { "decimal" } else { "numeric" }
            class="number-input"
            autocomplete="off"
            placeholder=placeholder_text(param.default.as_ref())
            node_ref=shown.node
            prop:value=initial
            on:input=on_input
        />
    }
}
