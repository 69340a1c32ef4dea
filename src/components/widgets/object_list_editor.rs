//! List-of-objects widget (imagePullSecrets, volumes, volumeMounts, tolerations, env): a sub-form per item from the catalog's item fields.
//!
//! Keys of an item that the catalog does not describe are kept as they are, so editing one field
//! never drops the rest of a volume definition.

use leptos::prelude::*;
use pecfg_core::catalog::{ItemField, Kind};
use pecfg_core::kinds::display_value;
use serde_yaml::{Mapping, Value};

use super::number_input::parse_number;
use super::synced_list;
use super::WidgetContext;

fn items_from(value: Option<&Value>) -> Vec<Mapping> {
    value
        .and_then(Value::as_sequence)
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_mapping().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

/// Converts the text of an item field into the field's YAML type; empty text removes the key.
fn field_value(field: &ItemField, text: &str) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    Some(match field.kind {
        Kind::Integer | Kind::Number | Kind::Port => parse_number(field.kind, text),
        Kind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_string()),
        },
        Kind::Map | Kind::Yaml | Kind::ObjectList | Kind::StringList => {
            // Through the input boundary; text it refuses stays text, which validation reports.
            pecfg_core::yaml::read::read_yaml(text)
                .map(|read| read.value)
                .unwrap_or_else(|_| Value::String(text.to_string()))
        }
        _ => Value::String(text.to_string()),
    })
}

fn field_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(value @ (Value::Mapping(_) | Value::Sequence(_))) => {
            pecfg_core::yaml::write::value_to_yaml(value)
                .trim_end()
                .to_string()
        }
        Some(other) => display_value(other),
    }
}

#[component]
pub fn ObjectListEditor(context: WidgetContext) -> impl IntoView {
    let WidgetContext {
        param,
        input_id,
        merged,
        set,
        ..
    } = context;
    let (rows, write) = synced_list(merged, set, items_from, Value::Mapping);
    let fields: &'static [ItemField] = &param.item;

    let row = move |id: u64| {
        let index = move || rows.position(id);
        let field_views = fields
            .iter()
            .enumerate()
            .map(|(field_index, field)| {
                let element_id = move || if index() == 0 && field_index == 0 { input_id.to_string() } else { format!("{input_id}-{}-{}", index(), field.name) };
                let current = move || rows.read(id, |item| field_text(item.get(field.name.as_str()))).unwrap_or_default();
                let on_input = move |event| {
                    let text = event_target_value(&event);
                    rows.edit(id, |item| match field_value(field, &text) {
                        Some(value) => {
                            item.insert(Value::String(field.name.clone()), value);
                        }
                        None => {
                            item.remove(field.name.as_str());
                        }
                    });
                    write();
                };
                let input = if field.allowed.is_empty() {
                    let multiline = matches!(field.kind, Kind::Map | Kind::Yaml | Kind::ObjectList | Kind::StringList | Kind::Template);
                    if multiline {
                        view! { <textarea class="code" id=element_id rows="3" spellcheck="false" prop:value=current on:input=on_input></textarea> }.into_any()
                    } else {
                        view! { <input type="text" class="text-input" id=element_id spellcheck="false" prop:value=current on:input=on_input/> }.into_any()
                    }
                } else {
                    let options = field
                        .allowed
                        .iter()
                        .map(|choice| {
                            let text = display_value(choice);
                            let (value_text, selected_text) = (text.clone(), text.clone());
                            view! { <option value=value_text prop:selected=move || current() == selected_text>{text}</option> }
                        })
                        .collect_view();
                    view! {
                        <select class="select-input" id=element_id on:change=on_input>
                            <option value="">"(not set)"</option>
                            {options}
                        </select>
                    }
                    .into_any()
                };
                view! {
                    <div class="item-field">
                        <label for=element_id>{field.name.clone()}{field.required.then_some(" *")}</label>
                        {input}
                        {(!field.doc.is_empty()).then(|| view! { <span class="item-doc">{field.doc.clone()}</span> })}
                    </div>
                }
            })
            .collect_view();
        view! {
            <li class="object-item">
                <div class="object-item-head">
                    <span>{move || format!("Item {}", index() + 1)}</span>
                    <button type="button" class="small-button"
                        aria-label=move || format!("Remove item {} of {}", index() + 1, param.path)
                        on:click=move |_| { rows.remove(id); write(); }>"Remove"</button>
                </div>
                {field_views}
            </li>
        }
    };
    view! {
        <div class="object-list-editor">
            <ul class="rows"><For each=move || rows.ids() key=|id| *id children=row/></ul>
            <button type="button" class="small-button add-button" id=move || if rows.is_empty() { input_id.to_string() } else { format!("{input_id}-add") }
                on:click=move |_| { rows.push(Mapping::new()); write(); }>"Add item"</button>
        </div>
    }
}
