//! Component tests in a real browser (wasm-bindgen-test, run in headless Chromium and in headless Firefox ESR): the shell mounts and renders the catalog.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use pe_configurator::app::App;
use pe_configurator::components::section_view::reveal_field;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_app() -> web_sys::HtmlElement {
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), App).forget();
    host
}

#[wasm_bindgen_test]
fn shell_shows_one_picker_button_per_catalog_chart() {
    let host = mount_app();
    let buttons = host.query_selector_all(".chart-button").unwrap();
    assert_eq!(
        buttons.length() as usize,
        pecfg_core::catalog::registry::all_charts().len()
    );
    let first = host.query_selector(".chart-button").unwrap().unwrap();
    assert_eq!(first.get_attribute("aria-pressed").as_deref(), Some("true"));
    host.remove();
}

#[wasm_bindgen_test]
async fn picking_a_chart_shows_its_parameters() {
    let host = mount_app();
    let ixn: web_sys::HtmlElement = host
        .query_selector(".chart-button[data-chart='ixn']")
        .unwrap()
        .expect("an ixn button")
        .unchecked_into();
    ixn.click();
    // Leptos applies the change on its scheduler; let it run before reading the DOM.
    leptos::task::tick().await;
    let title = host
        .query_selector("#form-title")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    let chart = pecfg_core::catalog::registry::chart("ixn").unwrap();
    assert_eq!(title, chart.name);
    let fields = || {
        host.query_selector_all(".field[data-kind]:not([data-kind=secret])")
            .unwrap()
            .length() as usize
    };
    // A section's fields render a block at a time, as they come near the viewport or a link
    // reveals them (section_view.rs): some at once, every one of them once revealed.
    assert!(fields() > 0 && fields() < chart.params.len());
    // (The platform block's fields have no block: they are always rendered.)
    for param in &chart.params {
        reveal_field(chart, &param.path);
    }
    leptos::task::tick().await;
    assert_eq!(fields(), chart.params.len());
    host.remove();
}

/// The sealing RNG over `crypto.getRandomValues`, which fills at most 65,536 bytes a call: a
/// longer request is served in chunks, every chunk random, and nothing is recorded as failed.
#[wasm_bindgen_test]
fn the_browser_rng_fills_past_the_getrandomvalues_limit() {
    use rand_core::RngCore as _;
    let mut rng = pe_configurator::browser::BrowserRng::new().expect("window.crypto");
    let mut bytes = vec![0u8; 200_000];
    rng.try_fill_bytes(&mut bytes).unwrap();
    for chunk in bytes.chunks(65_536) {
        assert!(chunk.iter().any(|byte| *byte != 0), "a chunk was left zero");
    }
    assert_ne!(rng.next_u64(), rng.next_u64());
    assert!(!rng.failed());
}
