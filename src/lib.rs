//! pe-configurator's browser app: Leptos components that render what pecfg-core computes.
//!
//! The app holds no domain logic of its own: the catalog, validation and exports all live in
//! `pecfg-core`, which is tested natively. Components here read from it and call it.

// No panic is reachable from input: with `panic = "abort"` a panic kills the page (as in the core,
// the CLI and the tools module).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod app;
pub mod browser;
pub mod capability;
pub mod catalog;
pub mod components;
pub mod embed;
pub mod persistence;
pub mod state;

/// Mounts the app on `<body>`; called once by `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// Benchmark hook for `scripts/bench-browser.mjs`: validates a chart's defaults `runs` times in
/// this page's Wasm and returns each run's duration in milliseconds (`performance.now()`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn pecfg_bench_validate(chart_id: &str, runs: u32) -> Vec<f64> {
    let Some(chart) = pecfg_core::catalog::registry::chart(chart_id) else {
        return Vec::new();
    };
    let Some(performance) = web_sys::window().and_then(|window| window.performance()) else {
        return Vec::new();
    };
    let answers = pecfg_core::answers::Answers::new(chart_id);
    (0..runs)
        .map(|_| {
            let start = performance.now();
            std::hint::black_box(pecfg_core::validation::validate(
                chart,
                std::hint::black_box(&answers),
            ));
            performance.now() - start
        })
        .collect()
}
