//! Map-of-strings widget (labels, annotations, nodeSelector): key/value rows that can be added and removed.

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use serde_yaml::{Mapping, Value};

use super::{synced_map, WidgetContext};

fn rows_from(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_mapping)
        .map(|map| {
            map.iter()
                .map(|(key, value)| {
                    (
                        display_value(key),
                        if value.is_null() {
                            String::new()
                        } else {
                            display_value(value)
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn map_from(rows: &[(String, String)]) -> Value {
    let map: Mapping = rows
        .iter()
        .filter(|(key, _)| !key.is_empty())
        .map(|(key, value)| (Value::String(key.clone()), Value::String(value.clone())))
        .collect();
    Value::Mapping(map)
}

#[component]
pub fn MapEditor(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        merged,
        set,
        ..
    } = context;
    let (rows, write) = synced_map(merged, set, rows_from, map_from);
    let row = move |id: u64| {
        let index = move || rows.position(id);
        view! {
            <li class="kv-row">
                <input type="text" class="text-input" placeholder="key" spellcheck="false"
                    id=move || if index() == 0 { input_id.to_string() } else { format!("{input_id}-key-{}", index()) }
                    aria-label=move || format!("{} key {}", param.path, index() + 1)
                    prop:value=move || rows.read(id, |row| row.0.clone()).unwrap_or_default()
                    on:input=move |event| { rows.edit(id, |row| row.0 = event_target_value(&event)); write(); }/>
                <input type="text" class="text-input" placeholder="value" spellcheck="false"
                    aria-label=move || format!("{} value {}", param.path, index() + 1)
                    prop:value=move || rows.read(id, |row| row.1.clone()).unwrap_or_default()
                    on:input=move |event| { rows.edit(id, |row| row.1 = event_target_value(&event)); write(); }/>
                <button type="button" class="small-button"
                    aria-label=move || format!("Remove entry {} of {}", index() + 1, param.path)
                    on:click=move |_| { rows.remove(id); write(); }>"Remove"</button>
            </li>
        }
    };
    view! {
        <div class="map-editor">
            <ul class="rows"><For each=move || rows.ids() key=|id| *id children=row/></ul>
            <button type="button" class="small-button add-button" id=move || if rows.is_empty() { input_id.to_string() } else { format!("{input_id}-add") }
                on:click=move |_| rows.push((String::new(), String::new()))>"Add entry"</button>
        </div>
    }
}
