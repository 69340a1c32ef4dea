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

/// One row of a list widget: its item and an id that stays with it while rows are added, removed
/// or edited, so a keyed `<For>` keeps each row's inputs (and the focus and caret in them) in place
/// when another row goes, instead of drawing every row again by position.
struct Row<T> {
    id: u64,
    item: T,
}

/// The rows a list widget edits: read from the merged value once, then kept on screen while the
/// user edits, and reloaded (with new ids) when the value changes from elsewhere: reset, import,
/// the YAML view, Undo. Every change goes through these methods.
pub struct Rows<T: Send + Sync + 'static> {
    rows: RwSignal<Vec<Row<T>>>,
    next_id: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Rows<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Rows<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Rows<T> {
    fn new(items: Vec<T>) -> Self {
        let rows = Rows {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        };
        rows.rows.set(rows.numbered(items));
        rows
    }

    fn numbered(&self, items: Vec<T>) -> Vec<Row<T>> {
        items
            .into_iter()
            .map(|item| {
                let id = self.next_id.get_value();
                self.next_id.set_value(id + 1);
                Row { id, item }
            })
            .collect()
    }

    /// The rows' ids in order: what the widget's `<For>` is keyed by.
    pub fn ids(&self) -> Vec<u64> {
        self.rows
            .with(|rows| rows.iter().map(|row| row.id).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.rows.with(Vec::is_empty)
    }

    /// Where the row is now (its label and element id follow it), 0 once it is gone.
    pub fn position(&self, id: u64) -> usize {
        self.rows
            .with(|rows| rows.iter().position(|row| row.id == id))
            .unwrap_or(0)
    }

    /// Reads the row's item (`None` once it is gone).
    pub fn read<R>(&self, id: u64, read: impl FnOnce(&T) -> R) -> Option<R> {
        self.rows.with(|rows| {
            rows.iter()
                .find(|row| row.id == id)
                .map(|row| read(&row.item))
        })
    }

    /// The items, untracked: what the widget writes back.
    pub fn items(&self) -> Vec<T> {
        self.rows
            .with_untracked(|rows| rows.iter().map(|row| row.item.clone()).collect())
    }

    pub fn edit(&self, id: u64, edit: impl FnOnce(&mut T)) {
        self.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|row| row.id == id) {
                edit(&mut row.item);
            }
        });
    }

    pub fn remove(&self, id: u64) {
        self.rows.update(|rows| rows.retain(|row| row.id != id));
    }

    pub fn push(&self, item: T) {
        let mut added = self.numbered(vec![item]);
        self.rows.update(|rows| rows.append(&mut added));
    }

    /// The value changed from elsewhere: rows again, unless they already hold these items.
    fn reload(&self, items: Vec<T>) {
        if self.items() != items {
            let rows = self.numbered(items);
            self.rows.set(rows);
        }
    }
}

/// The rows of a list widget kept in step with the field's merged value. Returns the rows and a
/// `write` that sends them back as the field's override.
pub fn synced_list<T>(
    merged: Signal<Option<Value>>,
    set: Callback<Value>,
    items_from: fn(Option<&Value>) -> Vec<T>,
    item_value: fn(T) -> Value,
) -> (Rows<T>, impl Fn() + Copy)
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let rows = Rows::new(items_from(merged.get_untracked().as_ref()));
    Effect::new(move |_| rows.reload(items_from(merged.get().as_ref())));
    let write = move || {
        set.run(Value::Sequence(
            rows.items().into_iter().map(item_value).collect(),
        ))
    };
    (rows, write)
}

/// The map widget's rows: like `synced_list`, but a row with an empty key stays on screen while
/// the user types and is not written, so only a value that differs from what the rows write comes
/// from elsewhere and reloads them.
pub fn synced_map(
    merged: Signal<Option<Value>>,
    set: Callback<Value>,
    rows_from: fn(Option<&Value>) -> Vec<(String, String)>,
    map_from: fn(&[(String, String)]) -> Value,
) -> (Rows<(String, String)>, impl Fn() + Copy) {
    let rows = Rows::new(rows_from(merged.get_untracked().as_ref()));
    Effect::new(move |_| {
        let outside = merged
            .get()
            .filter(Value::is_mapping)
            .unwrap_or_else(|| Value::Mapping(serde_yaml::Mapping::new()));
        if map_from(&rows.items()) != outside {
            rows.reload(rows_from(Some(&outside)));
        }
    });
    let write = move || set.run(map_from(&rows.items()));
    (rows, write)
}
