//! The tools module's wasm: nothing runs at start; the page calls `call`, its one export, with the browser's randomness behind it.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// The response to a JSON request, as JSON text: `pecfg_tools::dispatch` (lib.rs). (A native
/// build of this bin has nothing to export: the page is its only caller.)
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn call(request: &str) -> String {
    let Some(mut rng) = pecfg_tools::rng::BrowserRng::new() else {
        return r#"{"error":"this browser has no crypto.getRandomValues"}"#.to_string();
    };
    let response = pecfg_tools::dispatch(request, &mut rng);
    if rng.failed() {
        // Whatever was sealed used bytes the browser did not give: throw it away.
        return r#"{"error":"the browser gave no random bytes: nothing was sealed"}"#.to_string();
    }
    response
}

fn main() {}
