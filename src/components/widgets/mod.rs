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

use pecfg_core::kinds::display_value;
use serde_yaml::Value;

/// The text an input shows for an override: empty while the default applies (the default is the
/// placeholder), the value's text once set.
pub fn input_text(overridden: Option<&Value>) -> String {
    match overridden {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => display_value(other),
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
