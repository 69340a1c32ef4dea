//! Map-of-strings widget (labels, annotations, nodeSelector): key/value rows that can be added and removed.

use leptos::prelude::*;
use pecfg_core::kinds::display_value;
use serde_yaml::{Mapping, Value};

use super::WidgetContext;

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
    let rows = RwSignal::new(rows_from(merged.get_untracked().as_ref()));
    // Rows with an empty key stay on screen while the user types, but are not written; any other
    // difference comes from outside (reset, import) and reloads the rows.
    Effect::new(move |_| {
        let outside = merged
            .get()
            .filter(Value::is_mapping)
            .unwrap_or_else(|| Value::Mapping(Mapping::new()));
        if map_from(&rows.get_untracked()) != outside {
            rows.set(rows_from(Some(&outside)));
        }
    });
    let write = move || set.run(map_from(&rows.get_untracked()));
    let row_views = move || {
        (0..rows.with(Vec::len))
            .map(|index| {
                let key_id = if index == 0 { input_id.to_string() } else { format!("{input_id}-key-{index}") };
                view! {
                    <li class="kv-row">
                        <input type="text" class="text-input" id=key_id placeholder="key" spellcheck="false"
                            aria-label=format!("{} key {}", param.path, index + 1)
                            prop:value=move || rows.with(|rows| rows.get(index).map(|row| row.0.clone()).unwrap_or_default())
                            on:input=move |event| { rows.update(|rows| if let Some(row) = rows.get_mut(index) { row.0 = event_target_value(&event) }); write(); }/>
                        <input type="text" class="text-input" placeholder="value" spellcheck="false"
                            aria-label=format!("{} value {}", param.path, index + 1)
                            prop:value=move || rows.with(|rows| rows.get(index).map(|row| row.1.clone()).unwrap_or_default())
                            on:input=move |event| { rows.update(|rows| if let Some(row) = rows.get_mut(index) { row.1 = event_target_value(&event) }); write(); }/>
                        <button type="button" class="small-button" aria-label=format!("Remove entry {} of {}", index + 1, param.path)
                            on:click=move |_| { rows.update(|rows| { if index < rows.len() { rows.remove(index); } }); write(); }>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="map-editor">
            <ul class="rows">{row_views}</ul>
            <button type="button" class="small-button add-button" id=move || if rows.with(Vec::is_empty) { input_id.to_string() } else { format!("{input_id}-add") }
                on:click=move |_| rows.update(|rows| rows.push((String::new(), String::new())))>"Add entry"</button>
        </div>
    }
}
