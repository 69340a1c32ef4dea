//! Chart files fetched when first shown: the first module carries no chart it does not show. A chart's JSON (and the platform file every form reads) is fetched from beside the page — or read from the data block the offline single file holds — and registered with the core, once.
//!
//! Each chart has a load state a view can read ([`ChartLoad`]): a form shows "Loading…" while
//! its file comes, and the reason with a Retry button if it cannot. A build that embeds the
//! catalog (the component tests) has every chart at once.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use pecfg_core::catalog::registry::{chart, platform, register, register_platform};
use pecfg_core::catalog::Chart;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = r#"
export function pecfgCatalogFile(name) {
  const block = document.getElementById(`pecfg-catalog-${name}`);
  if (block) return Promise.resolve(block.textContent);
  let path = `catalog/${name}`;
  try {
    const named = JSON.parse(document.getElementById('pecfg-catalog')?.textContent ?? 'null')?.[name];
    if (typeof named === 'string') path = named;
  } catch {}
  return fetch(new URL(path, document.baseURI)).then((response) => {
    if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
    return response.text();
  });
}
"#)]
extern "C" {
    /// Resolves to the text of a catalog file (`ixn.json`, `platform.json`).
    #[wasm_bindgen(js_name = pecfgCatalogFile)]
    fn catalog_file(name: &str) -> js_sys::Promise;
}

/// Where a chart's file is.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartLoad {
    Loading,
    Ready(&'static Chart),
    /// Why the file could not be had; [`ensure`] tries again.
    Failed(String),
}

impl ChartLoad {
    pub fn ready(&self) -> Option<&'static Chart> {
        match self {
            ChartLoad::Ready(chart) => Some(chart),
            _ => None,
        }
    }
}

thread_local! {
    static STATES: RefCell<HashMap<String, ArcRwSignal<ChartLoad>>> = RefCell::new(HashMap::new());
}

/// The load state of a chart (the signal a view reads); `Ready` at once when the build embeds
/// the chart or it was registered before.
pub fn state(chart_id: &str) -> ArcRwSignal<ChartLoad> {
    STATES.with(|states| {
        states
            .borrow_mut()
            .entry(chart_id.to_string())
            .or_insert_with(|| {
                ArcRwSignal::new(match (chart(chart_id), platform()) {
                    (Some(chart), Some(_)) => ChartLoad::Ready(chart),
                    _ => ChartLoad::Loading,
                })
            })
            .clone()
    })
}

/// The text of a thrown or rejected JS value.
fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// The text of a catalog file: the request starts when this is called, not when it is awaited.
fn fetch_text(name: &str) -> impl std::future::Future<Output = Result<String, String>> {
    let request = wasm_bindgen_futures::JsFuture::from(catalog_file(name));
    let name = name.to_string();
    async move { text_of(request.await, &name) }
}

fn text_of(read: Result<JsValue, JsValue>, name: &str) -> Result<String, String> {
    let text = read.map_err(|error| js_message(&error))?;
    text.as_string()
        .ok_or_else(|| format!("catalog/{name} is not text"))
}

/// Starts fetching a chart's file (and the platform file) unless it is here or on its way; a
/// failed load is tried again.
pub fn ensure(chart_id: &str) {
    let signal = state(chart_id);
    if matches!(signal.get_untracked(), ChartLoad::Ready(_)) {
        return;
    }
    let id = chart_id.to_string();
    let key = format!("{id}\u{0}loading");
    let started = STATES.with(|states| {
        let mut states = states.borrow_mut();
        if states.contains_key(&key) {
            false
        } else {
            states.insert(key.clone(), ArcRwSignal::new(ChartLoad::Loading));
            true
        }
    });
    if !started {
        return;
    }
    signal.set(ChartLoad::Loading);
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = async {
            // Both requests at once: the chart's does not wait for the platform file's.
            let platform_file = platform().is_none().then(|| fetch_text("platform.json"));
            let chart_file = chart(&id)
                .is_none()
                .then(|| fetch_text(&format!("{id}.json")));
            if let Some(file) = platform_file {
                register_platform(file.await?.as_bytes())?;
            }
            match chart_file {
                Some(file) => register(&id, file.await?.as_bytes()),
                None => chart(&id).ok_or_else(|| format!("no chart `{id}`")),
            }
        }
        .await;
        STATES.with(|states| {
            states.borrow_mut().remove(&key);
        });
        signal.set(match loaded {
            Ok(chart) => ChartLoad::Ready(chart),
            Err(message) => ChartLoad::Failed(format!("Could not load the chart: {message}")),
        });
    });
}
