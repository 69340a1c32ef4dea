//! pecfg-core: the pure core of pe-configurator (catalog, values, validation, exporters), with no browser dependency.
//!
//! Everything the app and the CLI show or write is computed here, so it is tested natively with
//! `cargo test` and behaves the same in the browser and on the command line.
//!
//! No panic is reachable from input: in the page a panic aborts the wasm instance and every later
//! edit is lost. So the non-test code may not unwrap, expect, panic or index unchecked; the
//! invariants that remain are expressed in types (a `let … else`, a `Result`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod catalog;
pub mod charts;
pub mod docs;
pub mod embed_policy;
pub mod environment;
pub mod export;
pub mod import;
pub mod input;
pub mod kinds;
pub mod lint;
pub mod listing;
pub mod mask;
pub mod mirror;
pub mod path;
pub mod platform;
pub mod schema;
pub mod share;
pub mod state;
pub mod validation;
pub mod values;
