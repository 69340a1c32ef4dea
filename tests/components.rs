//! Component tests in a real browser (wasm-bindgen-test, run in headless Chromium and in headless Firefox ESR): the shell mounts, starts on the start view, and renders a chart's form.
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
fn shell_shows_one_picker_button_per_catalog_chart_and_starts_on_the_start_view() {
    let host = mount_app();
    let buttons = host.query_selector_all(".chart-button").unwrap();
    assert_eq!(
        buttons.length() as usize,
        pecfg_core::catalog::registry::chart_ids().len()
    );
    // A first visit opens on what to do first; no chart's form is shown (or pressed) yet.
    assert!(host.query_selector("#start").unwrap().is_some());
    assert!(host
        .query_selector(".chart-button[aria-pressed='true']")
        .unwrap()
        .is_none());
    assert_eq!(
        host.query_selector_all(".start-card").unwrap().length() as usize,
        pecfg_core::catalog::registry::chart_ids().len()
    );
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

/// Lazy modules (capability.rs) against a provider registered on `globalThis`, as the offline
/// single file registers the tools module: one load for concurrent askers, a failure kept until a
/// retry, synchronous calls once ready, and the status view's Retry.
mod lazy_modules {
    use std::cell::Cell;

    use js_sys::{Object, Promise, Reflect};
    use leptos::prelude::*;
    use pe_configurator::capability::{LazyModule, LoadState, ModuleStatus};
    use serde_json::json;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_test::*;

    thread_local! {
        /// Loads asked of each probe's provider, and whether it refuses.
        static PROVIDED: Cell<u32> = const { Cell::new(0) };
        static REFUSE: Cell<bool> = const { Cell::new(true) };
    }

    /// Registers `pecfgModuleProviders[key]`: refuses while REFUSE is set, else resolves to
    /// exports whose `call` answers `{"ok": <the request>}`.
    fn register_provider(key: &str) {
        let global = js_sys::global();
        let mut providers = Reflect::get(&global, &"pecfgModuleProviders".into()).unwrap();
        if providers.is_undefined() {
            providers = Object::new().into();
            Reflect::set(&global, &"pecfgModuleProviders".into(), &providers).unwrap();
        }
        let provider = Closure::<dyn FnMut() -> Promise>::new(|| {
            PROVIDED.with(|count| count.set(count.get() + 1));
            if REFUSE.with(Cell::get) {
                return Promise::reject(&js_sys::Error::new("probe refused").into());
            }
            let exports = Object::new();
            let call = Closure::<dyn Fn(String) -> String>::new(|request: String| {
                format!(r#"{{"ok":{request}}}"#)
            });
            Reflect::set(&exports, &"call".into(), call.as_ref()).unwrap();
            call.forget();
            Promise::resolve(&JsValue::from(exports))
        });
        Reflect::set(&providers, &key.into(), provider.as_ref()).unwrap();
        provider.forget();
    }

    static PROBE: LazyModule = LazyModule { key: "probe" };
    static PROBE_VIEW: LazyModule = LazyModule { key: "probe-view" };

    #[wasm_bindgen_test]
    async fn one_load_for_every_asker_a_failure_until_retry_then_synchronous_calls() {
        register_provider(PROBE.key);
        PROVIDED.with(|count| count.set(0));
        REFUSE.with(|refuse| refuse.set(true));
        assert_eq!(PROBE.state_untracked(), LoadState::Idle);
        assert!(PROBE.call("{}").is_err(), "no call before the load");

        let (first, second) = (PROBE.ensure_loaded(), PROBE.ensure_loaded());
        assert_eq!(PROBE.state_untracked(), LoadState::Loading);
        assert_eq!(PROVIDED.with(Cell::get), 1, "two askers, one load");
        let expected = "Could not load the probe module: probe refused".to_string();
        assert_eq!(first.await, Err(expected.clone()));
        assert_eq!(second.await, Err(expected.clone()));
        assert_eq!(PROBE.state_untracked(), LoadState::Failed(expected.clone()));
        assert!(PROBE.call("{}").is_err());
        // Asking again reports the failure; only a retry loads again.
        assert_eq!(PROBE.ensure_loaded().await, Err(expected));
        assert_eq!(PROVIDED.with(Cell::get), 1);

        REFUSE.with(|refuse| refuse.set(false));
        let handle = PROBE.retry().await.unwrap();
        assert_eq!(PROVIDED.with(Cell::get), 2);
        assert_eq!(PROBE.state_untracked(), LoadState::Ready(handle));
        assert_eq!(
            PROBE.call(r#"{"x":1}"#),
            Ok(r#"{"ok":{"x":1}}"#.to_string())
        );
        assert_eq!(handle.call(r#""y""#), Ok(r#"{"ok":"y"}"#.to_string()));
        assert_eq!(
            PROBE.request(&json!({"x": [1, 2]})),
            Ok(json!({"x": [1, 2]}))
        );
        // Loaded stays loaded: no load for later askers, a retry included.
        assert_eq!(PROBE.ensure_loaded().await, Ok(handle));
        assert_eq!(PROBE.retry().await, Ok(handle));
        assert_eq!(PROVIDED.with(Cell::get), 2);
    }

    /// Runs Leptos's scheduler and the promise jobs until `done` holds (or gives up).
    async fn until(mut done: impl FnMut() -> bool) {
        for _ in 0..200 {
            if done() {
                return;
            }
            leptos::task::tick().await;
            let _ = wasm_bindgen_futures::JsFuture::from(Promise::resolve(&JsValue::NULL)).await;
        }
        panic!("the condition never held");
    }

    #[wasm_bindgen_test]
    async fn the_status_view_shows_the_failure_with_a_retry_that_loads() {
        register_provider(PROBE_VIEW.key);
        REFUSE.with(|refuse| refuse.set(true));
        let document = document();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        leptos::mount::mount_to(
            host.clone(),
            || view! { <ModuleStatus module=&PROBE_VIEW/> },
        )
        .forget();
        // Mounting it started the load, which fails.
        until(|| host.query_selector(".module-failed").unwrap().is_some()).await;
        let failed = host.query_selector(".module-failed").unwrap().unwrap();
        assert_eq!(failed.get_attribute("role").as_deref(), Some("alert"));
        assert_eq!(
            host.query_selector(".module-error")
                .unwrap()
                .unwrap()
                .text_content()
                .as_deref(),
            Some("Could not load the probe-view module: probe refused")
        );
        let retry: web_sys::HtmlElement = host
            .query_selector(".module-retry")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert_eq!(retry.text_content().as_deref(), Some("Retry"));

        REFUSE.with(|refuse| refuse.set(false));
        retry.click();
        until(|| matches!(PROBE_VIEW.state_untracked(), LoadState::Ready(_))).await;
        until(|| host.query_selector(".module-status").unwrap().is_none()).await;
        assert_eq!(
            host.text_content().as_deref(),
            Some(""),
            "nothing shows once the module is ready"
        );
        host.remove();
    }
}
