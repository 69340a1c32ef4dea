//! One component per file; this module only lists them.

pub mod chart_picker;
pub mod diagnostics_list;
pub mod export_panel;
pub mod field;
pub mod form_area;
pub mod header;
pub mod platform_block;
pub mod secret_input;
pub mod section_view;
pub mod table_of_contents;
pub mod widgets;
