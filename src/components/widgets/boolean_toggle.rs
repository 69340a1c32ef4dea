//! Boolean widget: a switch showing the effective value (default or set); Space and Enter toggle it.

use leptos::prelude::*;
use serde_yaml::Value;

use crate::components::field::WidgetContext;

#[component]
pub fn BooleanToggle(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        input_id,
        merged,
        set,
        ..
    } = context;
    let checked = move || matches!(merged.get(), Some(Value::Bool(true)));
    let toggle = move || set.run(Value::Bool(!checked()));
    view! {
        <label class="switch">
            <input
                id=input_id
                type="checkbox"
                role="switch"
                prop:checked=checked
                aria-checked=move || checked().to_string()
                on:change=move |_| toggle()
                on:keydown=move |event: web_sys::KeyboardEvent| {
                    // Space toggles a checkbox natively; Enter does not, so handle it here.
                    if event.key() == "Enter" {
                        event.prevent_default();
                        toggle();
                    }
                }
            />
            <span class="switch-text">{move || if checked() { "true" } else { "false" }}</span>
        </label>
    }
}
