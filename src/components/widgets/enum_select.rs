//! Select widget for enums (and fields with documented choices such as the priority classes); the first option means "chart default".

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use serde_yaml::Value;

use super::WidgetContext;

#[component]
pub fn EnumSelect(context: WidgetContext, choices: Vec<Value>) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        overridden,
        set,
        reset,
        ..
    } = context;
    let default_label = match &param.default {
        Some(value) => format!("(chart default: {})", display_value(value)),
        None => "(not set)".to_string(),
    };
    // Which option is selected: "default", a choice's index, or "other" for an unlisted value.
    let selected = {
        let choices = choices.clone();
        Memo::new(move |_| match overridden.get() {
            None => "default".to_string(),
            Some(value) => choices
                .iter()
                .position(|choice| *choice == value)
                .map(|index| index.to_string())
                .unwrap_or_else(|| "other".to_string()),
        })
    };
    let options = choices
        .iter()
        .enumerate()
        .map(|(index, choice)| {
            let key = index.to_string();
            view! { <option value=key.clone() prop:selected=move || selected.get() == key>{display_value(choice)}</option> }
        })
        .collect_view();
    let on_change = {
        let choices = choices.clone();
        move |event| {
            let picked = event_target_value(&event);
            match picked
                .parse::<usize>()
                .ok()
                .and_then(|index| choices.get(index))
            {
                Some(choice) => set.run(choice.clone()),
                None => reset.run(()),
            }
        }
    };
    let other_value = move || {
        overridden
            .get()
            .filter(|value| !value.is_null() && !choices.contains(value))
            .map(|value| display_value(&value))
    };
    view! {
        <select id=input_id class="select-input" on:change=on_change>
            <option value="default" prop:selected=move || selected.get() == "default">{default_label}</option>
            {options}
            {move || other_value().map(|text| view! { <option value="other" selected>{format!("{text} (not a listed value)")}</option> })}
        </select>
    }
}
