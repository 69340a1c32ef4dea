//! The sealing randomness in a real browser (wasm-bindgen-test, headless Chromium and Firefox ESR): `crypto.getRandomValues` fills at most 65,536 bytes a call, so a longer request is served in chunks.
#![cfg(target_arch = "wasm32")]

use pecfg_tools::rng::BrowserRng;
use rand_core::RngCore as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_browser_rng_fills_past_the_getrandomvalues_limit() {
    let mut rng = BrowserRng::new().expect("window.crypto");
    let mut bytes = vec![0u8; 200_000];
    rng.try_fill_bytes(&mut bytes).expect("filled");
    for chunk in bytes.chunks(65_536) {
        assert!(chunk.iter().any(|byte| *byte != 0), "a chunk was left zero");
    }
    assert_ne!(rng.next_u64(), rng.next_u64());
    assert!(!rng.failed());
}
