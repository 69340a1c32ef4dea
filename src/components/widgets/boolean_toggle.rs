//! Boolean widget: a switch showing the effective value (default or set); Space and Enter toggle it.
//!
//! A boolean with no value (no default, or a `null` default, and nothing set) is shown as "not set"
//! (an indeterminate checkbox), never as false: validation sees no value there, and a required one
//! says so, so the field shows what validation sees. The first toggle sets true; nothing is
//! written until the user toggles. A value of another type (text "true" from an import) is shown
//! as it is, next to its kind error.

use leptos::prelude::*;
use serde_yaml::Value;

use super::WidgetContext;

#[component]
pub fn BooleanToggle(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        input_id,
        merged,
        set,
        ..
    } = context;
    let held = move || match merged.get() {
        Some(Value::Bool(flag)) => Some(flag),
        _ => None,
    };
    let checked = move || held() == Some(true);
    let toggle = move || set.run(Value::Bool(!checked()));
    let shown = move || match merged.get() {
        Some(Value::Bool(flag)) => flag.to_string(),
        None | Some(Value::Null) => "not set".to_string(),
        Some(other) => pecfg_core::kinds::display_value(&other),
    };
    view! {
        <label class="switch">
            <input
                id=input_id
                type="checkbox"
                // A switch is on or off; without a value it is a plain checkbox in the mixed state.
                role=move || held().map(|_| "switch")
                prop:checked=checked
                prop:indeterminate=move || held().is_none()
                aria-checked=move || held().map(|flag| flag.to_string())
                on:change=move |_| toggle()
                on:keydown=move |event: web_sys::KeyboardEvent| {
                    // Space toggles a checkbox natively; Enter does not, so handle it here.
                    if event.key() == "Enter" {
                        event.prevent_default();
                        toggle();
                    }
                }
            />
            <span class="switch-text">{shown}</span>
        </label>
    }
}
