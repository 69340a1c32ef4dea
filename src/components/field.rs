//! One form field: label, Helm path, default, required marker, docs, guide reference, state, its messages, and the widget its kind calls for.

use leptos::prelude::*;
use pecfg_core::answers::FieldState;
use pecfg_core::catalog::{Kind, Param};
use pecfg_core::diagnostic::Severity;
use pecfg_core::kinds::display_value;
use pecfg_core::session::Change;
use serde_yaml::Value;

use crate::browser::copy_to_clipboard;
use crate::components::doc_text::{DocText, GuideSource};
use crate::components::widgets::boolean_toggle::BooleanToggle;
use crate::components::widgets::enum_select::EnumSelect;
use crate::components::widgets::map_editor::MapEditor;
use crate::components::widgets::number_input::NumberInput;
use crate::components::widgets::object_list_editor::ObjectListEditor;
use crate::components::widgets::quantity_input::QuantityInput;
use crate::components::widgets::string_list_editor::StringListEditor;
use crate::components::widgets::text_input::TextInput;
use crate::components::widgets::yaml_block::YamlBlock;
use crate::components::widgets::WidgetContext;
use crate::state::use_app_state;

/// Doc texts longer than this show their first part and a "more" toggle.
const SHORT_DOC_CHARS: usize = 160;

/// The DOM id of a field's input, derived from its path so links can focus it.
pub fn input_dom_id(path: &str) -> String {
    let cleaned: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("field-{cleaned}")
}

/// The same id as a `&'static str`, interned so that widgets can capture it in `Copy` closures;
/// each distinct path is allocated once for the page's lifetime.
fn interned_dom_id(path: &str) -> &'static str {
    thread_local! {
        static IDS: std::cell::RefCell<std::collections::HashMap<String, &'static str>> = Default::default();
    }
    IDS.with(|ids| {
        *ids.borrow_mut()
            .entry(path.to_string())
            .or_insert_with(|| Box::leak(input_dom_id(path).into_boxed_str()))
    })
}

/// The messages for one path, shown under its input as the user types.
#[component]
pub fn FieldMessages(path: String) -> impl IntoView {
    let state = use_app_state();
    let messages = state.field(&path).messages;
    view! {
        <ul class="field-messages" aria-live="polite">
            {move || messages.get().into_iter().map(|(severity, message)| {
                let class = match severity { Severity::Error => "message error", Severity::Warning => "message warning" };
                let label = match severity { Severity::Error => "Error: ", Severity::Warning => "Warning: " };
                view! { <li class=class><span class="visually-hidden">{label}</span>{message}</li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn Field(
    chart: &'static pecfg_core::catalog::Chart,
    param: &'static Param,
    #[prop(optional)] choices: Vec<Value>,
) -> impl IntoView {
    let choices = (!choices.is_empty()).then_some(choices);
    let state = use_app_state();
    let input_id = interned_dom_id(&param.path);

    let signals = state.field(&param.path);
    let overridden: Signal<Option<Value>> = signals.overridden.into();
    let merged: Signal<Option<Value>> = signals.merged.into();
    // Derived from this field's own override, so other fields' edits do not touch it.
    let field_status = Memo::new(move |_| match overridden.get() {
        None => FieldState::Default,
        Some(Value::Null) => FieldState::Cleared,
        Some(_) => FieldState::Set,
    });
    // A widget's value is a tree its own reading produced; the session checks it again.
    let set = Callback::new(move |value: Value| {
        let _ = state.apply(Change::Set {
            path: param.path.clone(),
            value,
        });
    });
    let reset = Callback::new(move |_: ()| {
        let _ = state.apply(Change::Reset {
            path: param.path.clone(),
        });
    });
    let clear = move |_| {
        let _ = state.apply(Change::Clear {
            path: param.path.clone(),
        });
    };
    let context = WidgetContext {
        param,
        input_id,
        overridden,
        merged,
        set,
        reset,
    };

    let visible = Memo::new(move |_| state.filters().shows(param, field_status.get()));

    let widget = match (param.kind, choices) {
        (_, Some(choices)) => view! { <EnumSelect context=context choices=choices/> }.into_any(),
        (Kind::Boolean, None) => view! { <BooleanToggle context=context/> }.into_any(),
        (Kind::Enum, None) => {
            view! { <EnumSelect context=context choices=param.allowed.clone()/> }.into_any()
        }
        (Kind::Integer | Kind::Number | Kind::Port, None) => {
            view! { <NumberInput context=context/> }.into_any()
        }
        (Kind::Quantity, None) => view! { <QuantityInput context=context/> }.into_any(),
        (Kind::Map, None) => view! { <MapEditor context=context/> }.into_any(),
        (Kind::StringList, None) => view! { <StringListEditor context=context/> }.into_any(),
        (Kind::ObjectList, None) => view! { <ObjectListEditor context=context/> }.into_any(),
        (Kind::Yaml | Kind::Template, None) => view! { <YamlBlock context=context/> }.into_any(),
        (
            Kind::String
            | Kind::Uuid
            | Kind::DnsLabel
            | Kind::DnsSubdomain
            | Kind::Url
            | Kind::Host,
            None,
        ) => view! { <TextInput context=context/> }.into_any(),
    };

    let default_text = match &param.default {
        Some(value) => format!("default {}", short_display(value)),
        None => "no default in the guide".to_string(),
    };
    let (doc_short, doc_rest) = split_doc(&param.doc);

    let status_text = move || match field_status.get() {
        FieldState::Default => "default",
        FieldState::Set => "set",
        FieldState::Cleared => "cleared (null)",
    };
    let has_problem = Memo::new(move |_| signals.messages.with(|messages| !messages.is_empty()));

    // Each field is its own <form> (never submitted: Enter in a lone input would submit it, so
    // that is cancelled). Chromium's autofill reads the changed control's form after every
    // change; for controls outside any form it gathers every such control of the page, so a
    // keystroke cost time in proportion to the whole rendered form.
    view! {
        <form
            class="field"
            on:submit=|event| event.prevent_default()
            class:hidden=move || !visible.get()
            class:changed=move || field_status.get() != FieldState::Default
            class:has-problem=move || has_problem.get()
            data-path=param.path.clone()
            data-kind=param.kind.as_str()
        >
            <div class="field-head">
                <label class="field-label" for=input_id>
                    {param.label().to_string()}
                    {param.required.then(|| view! { <span class="required" title="required">" *"</span> })}
                </label>
                <span class="field-status" data-status=status_text>{status_text}</span>
            </div>
            <div class="field-path-row">
                <code class="field-path">{param.path.clone()}</code>
                <button type="button" class="link-button" on:click=move |_| copy_to_clipboard(&param.path)
                    aria-label=format!("Copy path {}", param.path)>"copy"</button>
                <span class="field-default">{default_text}</span>
            </div>
            <div class="field-widget">{widget}</div>
            <div class="field-actions">
                <button type="button" class="small-button" on:click=move |_| reset.run(())
                    disabled=move || field_status.get() == FieldState::Default
                    aria-label=format!("Reset {} to its default", param.path)>"Reset"</button>
                <button type="button" class="small-button" on:click=clear
                    disabled=move || field_status.get() == FieldState::Cleared
                    title="Write null: Helm then deletes the chart's default"
                    aria-label=format!("Clear {} (null)", param.path)>"Clear (null)"</button>
            </div>
            <FieldMessages path=param.path.clone()/>
            <p class="field-doc">
                <DocText text=doc_short/>
                {doc_rest.map(|rest| view! { <details class="more"><summary>"more"</summary><DocText text=rest/></details> })}
            </p>
            {param.decision.clone().map(|decision| view! {
                <details class="decision"><summary>"how the guide was read"</summary>{decision}</details>
            })}
            <GuideSource chart=chart source=&param.source/>
        </form>
    }
}

fn short_display(value: &Value) -> String {
    let text = match value {
        Value::String(text) => format!("\"{text}\""),
        other => display_value(other),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn split_doc(doc: &str) -> (String, Option<String>) {
    if doc.chars().count() <= SHORT_DOC_CHARS {
        return (doc.to_string(), None);
    }
    // Cut at the end of the first sentence that fits, or at a word boundary.
    let cut = doc
        .char_indices()
        .take_while(|(index, _)| *index < SHORT_DOC_CHARS)
        .filter(|(index, c)| *c == '.' && doc[index + 1..].starts_with(' '))
        .map(|(index, _)| index + 1)
        .last()
        .or_else(|| {
            doc[..doc
                .char_indices()
                .nth(SHORT_DOC_CHARS)
                .map_or(doc.len(), |(i, _)| i)]
                .rfind(' ')
        })
        .unwrap_or(doc.len());
    (
        doc[..cut].to_string(),
        Some(doc[cut..].trim_start().to_string()),
    )
}
