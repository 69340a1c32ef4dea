//! Lazy modules: capabilities the first view does not need live in a second wasm-bindgen program (`tools/`, `pecfg-tools`), fetched and instantiated the first time one is asked for, then called synchronously.
//!
//! A [`LazyModule`] has a load state, a signal a view can read ([`LoadState`]: idle, loading,
//! ready, failed). [`LazyModule::ensure_loaded`] starts the load once: every asker of the same
//! load awaits the same promise, so two tabs asking at once make one request. A failure stays
//! until [`LazyModule::retry`] (a Retry button, or an explicit user action) loads it again. Once
//! ready, [`LazyModule::call`] hands the module a JSON request and returns its JSON response, in
//! the same turn: the module runs in the page's own thread.
//!
//! Where the module comes from (the JS side, `inline_js` below): the offline single file
//! registers a provider on `globalThis.pecfgModuleProviders[key]` (the module's glue inlined, its
//! wasm in a data block, decoded on first use); otherwise the page's non-executed
//! `<script type="application/json" id="pecfg-modules">` block, written by
//! `scripts/postbuild.mjs`, names the module's content-versioned files, which are resolved
//! against `document.baseURI` (so the site works under any sub-path) and loaded with `import()`.
//! A retry asks for `?attempt=N`: browsers may keep a failed module fetch in their module map.
//!
//! Adding a capability: a `Request` variant and its arm in `pecfg_core::session::protocol`
//! (answered from the session API, natively tested), a function in [`tools`] here that builds the request and reads the answer, and [`ModuleStatus`] where its
//! output is shown (ARCHITECTURE.md, "Lazy modules").

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
export async function pecfgLoadModule(key, attempt) {
  const provider = globalThis.pecfgModuleProviders?.[key];
  if (typeof provider === 'function') return provider();
  const block = document.getElementById('pecfg-modules');
  let files;
  try {
    files = JSON.parse(block?.textContent ?? 'null')?.[key];
  } catch {
    files = undefined;
  }
  if (typeof files?.js !== 'string' || typeof files?.wasm !== 'string') {
    throw new Error(`this page names no files for the ${key} module`);
  }
  const js = new URL(files.js, document.baseURI);
  if (attempt > 1) js.searchParams.set('attempt', String(attempt));
  const glue = await import(js.href);
  await glue.default({ module_or_path: new URL(files.wasm, document.baseURI).href });
  return glue;
}
"#)]
extern "C" {
    /// Resolves to the module's exports once its wasm is instantiated.
    #[wasm_bindgen(js_name = pecfgLoadModule)]
    fn load_module(key: &str, attempt: u32) -> js_sys::Promise;
}

/// A wasm-bindgen program loaded on first use. Each exports `call(request: string): string`.
#[derive(Debug, PartialEq, Eq)]
pub struct LazyModule {
    /// Its key in the page's `pecfg-modules` block and in `pecfgModuleProviders`.
    pub key: &'static str,
}

/// `pecfg-tools` (`tools/`): every capability but the form, validation and values.yaml (the
/// requests of `pecfg_core::session::protocol`).
pub static TOOLS: LazyModule = LazyModule { key: "tools" };

/// Where a lazy module's load is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// Nobody has asked for it yet.
    Idle,
    /// Its files are being fetched and instantiated.
    Loading,
    /// Loaded: calls are synchronous from now on.
    Ready(ModuleHandle),
    /// The load failed, with the browser's reason; [`LazyModule::retry`] tries again.
    Failed(String),
}

/// A loaded module, what [`LoadState::Ready`] holds: calls into it are synchronous.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleHandle {
    key: &'static str,
}

/// What the page holds for one module.
struct Slot {
    state: ArcRwSignal<LoadState>,
    /// The current load: every asker awaits this one promise.
    load: Option<js_sys::Promise>,
    /// Loads started, so a late answer of an earlier attempt changes nothing.
    attempts: u32,
    /// The module's exports, once ready.
    exports: Option<JsValue>,
}

thread_local! {
    static SLOTS: RefCell<HashMap<&'static str, Slot>> = RefCell::new(HashMap::new());
}

fn with_slot<R>(key: &'static str, f: impl FnOnce(&mut Slot) -> R) -> R {
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let slot = slots.entry(key).or_insert_with(|| Slot {
            state: ArcRwSignal::new(LoadState::Idle),
            load: None,
            attempts: 0,
            exports: None,
        });
        f(slot)
    })
}

/// The text of a thrown or rejected JS value.
fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

impl LazyModule {
    /// The load state, tracked: a view or memo reading it runs again when it changes.
    pub fn state(&self) -> LoadState {
        with_slot(self.key, |slot| slot.state.clone()).get()
    }

    pub fn state_untracked(&self) -> LoadState {
        with_slot(self.key, |slot| slot.state.clone()).get_untracked()
    }

    /// Starts the load unless one was started; resolves when the module is ready or the load
    /// failed. Concurrent askers share one load. A failed load is not started again here (see
    /// [`LazyModule::retry`]): the future resolves to its error.
    pub fn ensure_loaded(&'static self) -> impl Future<Output = Result<ModuleHandle, String>> {
        self.await_load(false)
    }

    /// As [`LazyModule::ensure_loaded`], and after a failure, loads again.
    pub fn retry(&'static self) -> impl Future<Output = Result<ModuleHandle, String>> {
        self.await_load(true)
    }

    fn await_load(
        &'static self,
        again_after_failure: bool,
    ) -> impl Future<Output = Result<ModuleHandle, String>> {
        let key = self.key;
        let (promise, attempt, state, started) = with_slot(key, |slot| {
            let restart = match slot.state.get_untracked() {
                LoadState::Idle => true,
                LoadState::Failed(_) => again_after_failure,
                LoadState::Loading | LoadState::Ready(_) => false,
            };
            let started = restart || slot.load.is_none();
            if started {
                slot.attempts += 1;
                slot.load = Some(load_module(key, slot.attempts));
            }
            (
                slot.load.clone(),
                slot.attempts,
                slot.state.clone(),
                started,
            )
        });
        if started {
            // Outside the slot's borrow: a subscriber may read the state at once.
            state.set(LoadState::Loading);
            // The state settles even if the asker goes away before the load ends.
            if let Some(promise) = promise.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = wasm_bindgen_futures::JsFuture::from(promise).await;
                    let _ = settle(key, attempt, result);
                });
            }
        }
        async move {
            let Some(promise) = promise else {
                return Err(format!("the {key} module could not be loaded"));
            };
            let result = wasm_bindgen_futures::JsFuture::from(promise).await;
            settle(key, attempt, result)
        }
    }

    /// Starts the load (as [`LazyModule::ensure_loaded`]) without waiting for it: for a view that
    /// reads [`LazyModule::state`].
    pub fn start(&'static self) {
        let load = self.ensure_loaded();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = load.await;
        });
    }

    /// As [`LazyModule::retry`], without waiting.
    pub fn start_again(&'static self) {
        let load = self.retry();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = load.await;
        });
    }

    /// The module's JSON response to a JSON request, synchronously; an error when the module is
    /// not loaded (yet) or the call threw.
    pub fn call(&self, request_json: &str) -> Result<String, String> {
        match self.state_untracked() {
            LoadState::Ready(handle) => handle.call(request_json),
            _ => Err(format!("the {} module is not loaded", self.key)),
        }
    }

    /// [`LazyModule::call`] with the envelope read: the `ok` value, or the module's `error`.
    pub fn request(&self, request: &Value) -> Result<Value, String> {
        read_response(&self.call(&request.to_string())?)
    }
}

impl ModuleHandle {
    /// The module's `call` export, given `request_json`.
    pub fn call(&self, request_json: &str) -> Result<String, String> {
        let exports = with_slot(self.key, |slot| slot.exports.clone())
            .ok_or_else(|| format!("the {} module is not loaded", self.key))?;
        let function = js_sys::Reflect::get(&exports, &JsValue::from_str("call"))
            .ok()
            .and_then(|call| call.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| format!("the {} module has no call export", self.key))?;
        let response = function
            .call1(&JsValue::NULL, &JsValue::from_str(request_json))
            .map_err(|thrown| js_message(&thrown))?;
        response
            .as_string()
            .ok_or_else(|| format!("the {} module answered with no text", self.key))
    }
}

/// Records the end of load number `attempt` (once: both the load's own task and each asker call
/// this) and returns its result.
fn settle(
    key: &'static str,
    attempt: u32,
    result: Result<JsValue, JsValue>,
) -> Result<ModuleHandle, String> {
    let result =
        result.map_err(|error| format!("Could not load the {key} module: {}", js_message(&error)));
    let (state, next) = with_slot(key, |slot| {
        if slot.attempts != attempt {
            return (None, None);
        }
        let next = match &result {
            Ok(exports) => {
                slot.exports = Some(exports.clone());
                mark_ready(key);
                LoadState::Ready(ModuleHandle { key })
            }
            Err(message) => LoadState::Failed(message.clone()),
        };
        (Some(slot.state.clone()), Some(next))
    });
    if let (Some(state), Some(next)) = (state, next) {
        if state.get_untracked() != next {
            state.set(next);
        }
    }
    result.map(|_| ModuleHandle { key })
}

/// Names the ready module in `<html data-modules-ready>` (space-separated), so a host page or a
/// test can tell a capability is loaded without asking it for anything.
fn mark_ready(key: &str) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    let mut names = root.get_attribute("data-modules-ready").unwrap_or_default();
    if !names.split(' ').any(|name| name == key) {
        if !names.is_empty() {
            names.push(' ');
        }
        names.push_str(key);
        let _ = root.set_attribute("data-modules-ready", &names);
    }
}

/// Reads a module's response envelope: `{"ok": value}` is the value, `{"error": message}` the
/// message, anything else an error saying so.
pub fn read_response(text: &str) -> Result<Value, String> {
    let Ok(Value::Object(mut response)) = serde_json::from_str::<Value>(text) else {
        return Err("the module's response is not a JSON object".to_string());
    };
    if let Some(value) = response.remove("ok") {
        return Ok(value);
    }
    match response.remove("error") {
        Some(Value::String(message)) => Err(message),
        _ => Err("the module's response has neither ok nor error".to_string()),
    }
}

/// The capabilities of `pecfg-tools`: the core's requests (`session::protocol::Request`), asked
/// synchronously once the module is loaded, their answers read into the core's types.
pub mod tools {
    use leptos::prelude::*;
    use pecfg_core::session::protocol::Request;
    use serde::de::DeserializeOwned;

    use super::{read_response, LoadState, TOOLS};

    /// The module's answer to a request; an error when it is not loaded (yet), or refused.
    pub fn ask<T: DeserializeOwned>(request: &Request) -> Result<T, String> {
        let json = serde_json::to_string(request)
            .map_err(|error| format!("the request could not be written: {error}"))?;
        let value = read_response(&TOOLS.call(&json)?)?;
        serde_json::from_value(value)
            .map_err(|error| format!("the tools module's answer could not be read: {error}"))
    }

    /// A derived value made by the tools module: `None` while the module loads (the load is
    /// started), then the answer to the request `make` builds, again whenever what `make`
    /// reads changes. `make` returning `None` asks nothing.
    pub fn derived<T>(
        make: impl Fn() -> Option<Request> + Send + Sync + 'static,
    ) -> Memo<Option<Result<T, String>>>
    where
        T: DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
    {
        Memo::new(move |_| {
            let request = make()?;
            match TOOLS.state() {
                LoadState::Ready(_) => Some(ask(&request)),
                LoadState::Idle => {
                    TOOLS.start();
                    None
                }
                LoadState::Loading | LoadState::Failed(_) => None,
            }
        })
    }

    /// Asks once the module is loaded (loading it first), for an action a user took.
    pub async fn ask_when_ready<T: DeserializeOwned>(request: Request) -> Result<T, String> {
        TOOLS.ensure_loaded().await?;
        ask(&request)
    }

    /// `values.schema.json` of a chart; an error while the module is not loaded.
    pub fn values_schema(chart_id: &str) -> Result<String, String> {
        ask(&Request::Schema {
            chart: chart_id.to_string(),
        })
    }
}

/// Where a lazy capability's output goes while its module is not ready: nothing while idle or
/// ready; "Loading…" with `aria-busy` while loading (the text only after a frame, so a load that
/// is quick does not flash it); the reason and a **Retry** button after a failure. Mounting it
/// starts the load.
#[component]
pub fn ModuleStatus(module: &'static LazyModule) -> impl IntoView {
    // The text shows only once the load has outlasted a frame (and the next one is painted).
    let slow = RwSignal::new(false);
    let wait_a_frame = move || {
        let _ = slow.try_set(false);
        request_animation_frame(move || {
            request_animation_frame(move || {
                let _ = slow.try_set(true);
            })
        });
    };
    module.start();
    wait_a_frame();
    move || {
        match module.state() {
        LoadState::Idle | LoadState::Ready(_) => None,
        LoadState::Loading => Some(
            view! {
                <p class="module-status" role="status" aria-busy="true" aria-live="polite" data-module=module.key>
                    {move || slow.get().then_some("Loading\u{2026}")}
                </p>
            }
            .into_any(),
        ),
        LoadState::Failed(message) => Some(
            view! {
                <div class="module-status module-failed" role="alert" data-module=module.key>
                    <p class="module-error">{message}</p>
                    <button type="button" class="small-button module-retry" on:click=move |_| {
                        wait_a_frame();
                        module.start_again();
                    }>
                        "Retry"
                    </button>
                </div>
            }
            .into_any(),
        ),
    }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_response_envelope_is_its_ok_value_or_its_error() {
        assert_eq!(read_response(r#"{"ok":"text\n"}"#), Ok(json!("text\n")));
        assert_eq!(read_response(r#"{"ok":{"a":[1]}}"#), Ok(json!({"a": [1]})));
        assert_eq!(read_response(r#"{"ok":null}"#), Ok(Value::Null));
        assert_eq!(
            read_response(r#"{"error":"unknown chart: \"x\""}"#),
            Err(r#"unknown chart: "x""#.to_string())
        );
        for broken in [
            "",
            "[]",
            "\"ok\"",
            "{}",
            r#"{"error":5}"#,
            r#"{"okay":1}"#,
            "{",
        ] {
            assert!(read_response(broken).is_err(), "{broken:?}");
        }
    }
}
