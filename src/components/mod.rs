//! One component per file; this module only lists them.

pub mod chart_picker;
pub mod diagnostics_list;
pub mod diff_view;
pub mod doc_text;
pub mod environment_view;
pub mod export_panel;
pub mod field;
pub mod form_area;
pub mod group_view;
pub mod header;
pub mod highlight;
pub mod import_panel;
pub mod mirror_view;
pub mod plan_options;
pub mod platform_block;
pub mod sealed_export;
pub mod secret_input;
pub mod section_view;
pub mod share_bar;
pub mod start;
pub mod table_of_contents;
pub mod undo;
pub mod widgets;
pub mod yaml_view;
