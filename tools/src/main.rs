//! The tools module's wasm: nothing runs at start; the page calls `call`, its one export, with the browser's randomness behind it.

use wasm_bindgen::prelude::wasm_bindgen;

/// The response to a JSON request, as JSON text: `pecfg_tools::dispatch` (lib.rs).
#[wasm_bindgen]
pub fn call(request: &str) -> String {
    let Some(mut rng) = rng::BrowserRng::new() else {
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

mod rng {
    //! `crypto.getRandomValues` as the `rand_core` RNG sealing takes (`crypto.subtle` is absent on
    //! plain-http intranet pages, getRandomValues is not). A failed fill is remembered: the
    //! caller checks [`BrowserRng::failed`] after use and throws away what it made.

    pub struct BrowserRng {
        crypto: web_sys::Crypto,
        failed: bool,
    }

    impl BrowserRng {
        /// `None` when the page has no `crypto`.
        pub fn new() -> Option<BrowserRng> {
            let crypto = web_sys::window()?.crypto().ok()?;
            Some(BrowserRng {
                crypto,
                failed: false,
            })
        }

        pub fn failed(&self) -> bool {
            self.failed
        }
    }

    impl rand_core::RngCore for BrowserRng {
        fn next_u32(&mut self) -> u32 {
            let mut bytes = [0u8; 4];
            self.fill_bytes(&mut bytes);
            u32::from_le_bytes(bytes)
        }

        fn next_u64(&mut self) -> u64 {
            let mut bytes = [0u8; 8];
            self.fill_bytes(&mut bytes);
            u64::from_le_bytes(bytes)
        }

        fn fill_bytes(&mut self, dest: &mut [u8]) {
            if self.try_fill_bytes(dest).is_err() {
                self.failed = true;
            }
        }

        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            // getRandomValues fills at most 65,536 bytes a call.
            for chunk in dest.chunks_mut(65_536) {
                if self.crypto.get_random_values_with_u8_array(chunk).is_err() {
                    self.failed = true;
                    return Err(rand_core::Error::from(
                        std::num::NonZeroU32::new(rand_core::Error::CUSTOM_START)
                            .unwrap_or(std::num::NonZeroU32::MIN),
                    ));
                }
            }
            Ok(())
        }
    }

    impl rand_core::CryptoRng for BrowserRng {}
}
