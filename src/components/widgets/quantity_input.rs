//! Kubernetes quantity widget: a number and a unit (m for CPU; Mi, Gi… for memory), or any quantity typed in full.

use leptos::prelude::*;
use pecfg_core::catalog::QuantityUnit;
use serde_yaml::Value;

use super::WidgetContext;
use super::{input_text, placeholder_text};

const CPU_UNITS: [&str; 2] = ["", "m"];
const MEMORY_UNITS: [&str; 10] = ["Mi", "Gi", "Ki", "Ti", "", "k", "M", "G", "T", "m"];

/// Splits `512Mi` into (`512`, `Mi`) when the suffix is one of `units`; otherwise the whole text is the number.
pub fn split_quantity<'a>(text: &'a str, units: &[&'static str]) -> (&'a str, &'static str) {
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    match units.iter().find(|unit| **unit == suffix) {
        Some(unit) => (number, unit),
        None => (text, ""),
    }
}

#[component]
pub fn QuantityInput(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        overridden,
        set,
        reset,
        ..
    } = context;
    let units: &'static [&'static str] = match param.unit {
        Some(QuantityUnit::Cpu) => &CPU_UNITS,
        _ => &MEMORY_UNITS,
    };
    let default_text = input_text(param.default.as_ref());
    let default_unit = split_quantity(&default_text, units).1;
    let number_is_default_type = matches!(param.default, Some(Value::Number(_)));

    let initial = input_text(overridden.get_untracked().as_ref());
    let (initial_number, initial_unit) = split_quantity(&initial, units);
    let number = RwSignal::new(initial_number.to_string());
    let unit = RwSignal::new(if initial.is_empty() {
        default_unit
    } else {
        initial_unit
    });

    let compose = move |number_text: &str, unit_text: &str| -> Option<Value> {
        let trimmed = number_text.trim();
        if trimmed.is_empty() {
            return None;
        }
        // A bare number stays a number when the guide's default is one (e.g. cpu: 1.25).
        if unit_text.is_empty() && number_is_default_type {
            if let Ok(real) = trimmed.parse::<f64>() {
                return Some(if real.fract() == 0.0 {
                    Value::from(real as i64)
                } else {
                    Value::from(real)
                });
            }
        }
        Some(Value::String(format!("{trimmed}{unit_text}")))
    };
    let apply = move || match compose(&number.get_untracked(), unit.get_untracked()) {
        Some(value) => set.run(value),
        None => reset.run(()),
    };
    // Follow changes made elsewhere (reset, import) without fighting the user's typing.
    Effect::new(move |_| {
        let outside = overridden.get();
        if compose(&number.get_untracked(), unit.get_untracked()) != outside {
            let text = input_text(outside.as_ref());
            let (number_part, unit_part) = split_quantity(&text, units);
            number.set(number_part.to_string());
            unit.set(if text.is_empty() {
                default_unit
            } else {
                unit_part
            });
        }
    });

    let options = units
        .iter()
        .map(|candidate| {
            let label = if candidate.is_empty() { "(none)" } else { candidate };
            view! { <option value=*candidate prop:selected=move || unit.get() == *candidate>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="input-row quantity">
            <input
                id=input_id
                type="text"
                inputmode="decimal"
                class="number-input"
                autocomplete="off"
                placeholder=placeholder_text(param.default.as_ref())
                prop:value=move || number.get()
                on:input=move |event| {
                    number.set(event_target_value(&event));
                    apply();
                }
            />
            <select class="unit-select" aria-label=format!("Unit of {}", param.path) on:change=move |event| {
                let picked = event_target_value(&event);
                unit.set(units.iter().find(|candidate| **candidate == picked).copied().unwrap_or(""));
                apply();
            }>
                {options}
            </select>
        </div>
    }
}
