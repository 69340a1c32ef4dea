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

// Floors, from the ground up; a module uses only modules of lower floors (`tests/layers.rs`
// holds the list and checks it): path, diagnostic, text · yaml · catalog · answers, kinds ·
// values, schema · shared · mask, listing · validation · import, export, share ·
// embed_policy, mirror · environment · group (unit groups) · session, lint, docs.
pub mod answers;
pub mod catalog;
pub mod diagnostic;
pub mod docs;
pub mod embed_policy;
pub mod environment;
pub mod export;
pub mod group;
pub mod import;
pub mod kinds;
pub mod lint;
pub mod listing;
pub mod mask;
pub mod mirror;
pub mod path;
pub mod schema;
pub mod session;
pub mod share;
pub mod shared;
pub mod text;
pub mod validation;
pub mod values;
pub mod yaml;
