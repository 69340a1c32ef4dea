//! pe-configurator's browser app: Leptos components that render what pecfg-core computes.
//!
//! The app holds no domain logic of its own: the catalog, validation and exports all live in
//! `pecfg-core`, which is tested natively. Components here read from it and call it.

pub mod app;
pub mod browser;
pub mod components;
pub mod embed;
pub mod persistence;
pub mod state;

/// Mounts the app on `<body>`; called once by `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
