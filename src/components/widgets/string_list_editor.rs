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
    let (rows, write) = synced_list(merged, set, items_from, Value::String);
    let row = move |id: u64| {
        let index = move || rows.position(id);
        view! {
            <li class="kv-row">
                <input type="text" class="text-input" spellcheck="false"
                    id=move || if index() == 0 { input_id.to_string() } else { format!("{input_id}-{}", index()) }
                    aria-label=move || format!("{} item {}", param.path, index() + 1)
                    prop:value=move || rows.read(id, String::clone).unwrap_or_default()
                    on:input=move |event| { rows.edit(id, |item| *item = event_target_value(&event)); write(); }/>
                <button type="button" class="small-button"
                    aria-label=move || format!("Remove item {} of {}", index() + 1, param.path)
                    on:click=move |_| { rows.remove(id); write(); }>"Remove"</button>
            </li>
        }
    };
    view! {
        <div class="list-editor">
            <ul class="rows"><For each=move || rows.ids() key=|id| *id children=row/></ul>
            <button type="button" class="small-button add-button" id=move || if rows.is_empty() { input_id.to_string() } else { format!("{input_id}-add") }
                on:click=move |_| { rows.push(String::new()); write(); }>"Add item"</button>
        </div>
    }
}
