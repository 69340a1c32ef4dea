//! The tools module's wasm: nothing runs at start; the page calls `call`, its one export.

use wasm_bindgen::prelude::wasm_bindgen;

/// The response to a JSON request, as JSON text: `pecfg_tools::dispatch` (lib.rs).
#[wasm_bindgen]
pub fn call(request: &str) -> String {
    pecfg_tools::dispatch(request)
}

fn main() {}
