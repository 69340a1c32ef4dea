//! List-of-strings widget (ingress paths, OAuth scopes): one row per item, add and remove. A list override replaces the chart's whole list.

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use serde_yaml::Value;

use super::synced_list;
use super::WidgetContext;

fn items_from(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_sequence)
        .map(|items| items.iter().map(display_value).collect())
        .unwrap_or_default()
}

#[component]
pub fn StringListEditor(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        merged,
        set,
        ..
    } = context;
    let (items, write) = synced_list(merged, set, items_from, Value::String);
    let rows = move || {
        (0..items.with(Vec::len))
            .map(|index| {
                let id = if index == 0 { input_id.to_string() } else { format!("{input_id}-{index}") };
                view! {
                    <li class="kv-row">
                        <input type="text" class="text-input" id=id spellcheck="false"
                            aria-label=format!("{} item {}", param.path, index + 1)
                            prop:value=move || items.with(|items| items.get(index).cloned().unwrap_or_default())
                            on:input=move |event| { items.update(|items| if let Some(item) = items.get_mut(index) { *item = event_target_value(&event) }); write(); }/>
                        <button type="button" class="small-button" aria-label=format!("Remove item {} of {}", index + 1, param.path)
                            on:click=move |_| { items.update(|items| { if index < items.len() { items.remove(index); } }); write(); }>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="list-editor">
            <ul class="rows">{rows}</ul>
            <button type="button" class="small-button add-button" id=move || if items.with(Vec::is_empty) { input_id.to_string() } else { format!("{input_id}-add") }
                on:click=move |_| { items.update(|items| items.push(String::new())); write(); }>"Add item"</button>
        </div>
    }
}
