//! One component per file; this module only lists them.

pub mod chart_picker;
pub mod export_panel;
pub mod form_area;
pub mod header;
