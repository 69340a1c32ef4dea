//! pecfg-core: the pure core of pe-configurator (catalog, values, validation, exporters), with no browser dependency.
//!
//! Everything the app and the CLI show or write is computed here, so it is tested natively with
//! `cargo test` and behaves the same in the browser and on the command line.

pub mod catalog;
pub mod charts;
pub mod docs;
pub mod export;
pub mod import;
pub mod kinds;
pub mod lint;
pub mod listing;
pub mod path;
pub mod platform;
pub mod schema;
pub mod share;
pub mod state;
pub mod validation;
pub mod values;
