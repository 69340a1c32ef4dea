//! One widget per catalog kind; `field.rs` picks the widget from the parameter's kind.

pub mod boolean_toggle;
pub mod enum_select;
pub mod map_editor;
pub mod number_input;
pub mod object_list_editor;
pub mod quantity_input;
pub mod string_list_editor;
pub mod text_input;
pub mod yaml_block;

use leptos::prelude::*;
use pecfg_core::catalog::Param;
use pecfg_core::kinds::display_value;
use serde_yaml::Value;

/// What a widget receives: the field's override (None = default), the merged value, the
/// parameter (its default, kind and docs), and callbacks to set or reset the override. The
/// field (`components/field.rs`) makes it; the widgets only read it, so no widget reaches back
/// into the field that dispatches to it.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    pub param: &'static Param,
    pub input_id: &'static str,
    pub overridden: Signal<Option<Value>>,
    pub merged: Signal<Option<Value>>,
    pub set: Callback<Value>,
    pub reset: Callback<()>,
}

/// The text an input shows for an override: empty while the default applies (the default is the
/// placeholder), the value's text once set.
pub fn input_text(overridden: Option<&Value>) -> String {
    match overridden {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => display_value(other),
    }
}

/// An input's text kept in step with its value, written into the input only when it differs
/// from what the input shows. After a keystroke the value is the text just typed, and Leptos's
/// `prop:value` would write it back on every change: a call into the page, per keystroke, that
/// changes nothing.
#[derive(Clone, Copy)]
pub struct ShownText {
    pub node: NodeRef<leptos::html::Input>,
    shown: StoredValue<String>,
}

impl ShownText {
    /// Follows `text`; returns the text to render the input with. A `Signal`, not a generic
    /// closure, so that every input shares one instance of the effect's code (the page compiles
    /// each instance when first called, at start-up).
    pub fn new(text: Signal<String>) -> (ShownText, String) {
        let initial = text.get_untracked();
        let shown = ShownText {
            node: NodeRef::new(),
            shown: StoredValue::new(initial.clone()),
        };
        Effect::new(move |_| {
            let want = text.get();
            // Tracked, so that a change made before the input is in the page is written then.
            let Some(input) = shown.node.get() else {
                return;
            };
            if shown.shown.with_value(|now| *now != want) {
                input.set_value(&want);
                shown.shown.set_value(want);
            }
        });
        (shown, initial)
    }

    /// Records what the user typed: the input shows it already.
    pub fn typed(&self, text: &str) {
        self.shown.set_value(text.to_string());
    }
}

/// The placeholder of an input: the default as text.
pub fn placeholder_text(default: Option<&Value>) -> String {
    match default {
        None => String::new(),
        Some(Value::String(text)) if text.is_empty() => "\"\" (empty)".into(),
        Some(value) => display_value(value),
    }
}

/// The items a list widget edits: read from the merged value once, then kept on screen while the
/// user edits, and reloaded when the value changes from elsewhere (reset, import, YAML view).
/// Returns the items and a `write` that sends them back as the field's override.
pub fn synced_list<T>(
    merged: Signal<Option<Value>>,
    set: Callback<Value>,
    items_from: fn(Option<&Value>) -> Vec<T>,
    item_value: fn(T) -> Value,
) -> (RwSignal<Vec<T>>, impl Fn() + Copy)
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let items = RwSignal::new(items_from(merged.get_untracked().as_ref()));
    Effect::new(move |_| {
        let outside = items_from(merged.get().as_ref());
        if outside != items.get_untracked() {
            items.set(outside);
        }
    });
    let write = move || {
        set.run(Value::Sequence(
            items.get_untracked().into_iter().map(item_value).collect(),
        ))
    };
    (items, write)
}
