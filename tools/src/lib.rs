//! pecfg-tools: the capabilities the app's first view does not need (every file but values.yaml, import, Edit YAML's reading, the diff, sealing, the environment and its plan, the unit group, the mirror, share links), a second wasm-bindgen program the page loads the first time one of them is asked for.
//!
//! One entry point, `call` (main.rs, the module's one export, over [`dispatch`] here): a JSON
//! request in, a JSON response out, `{"ok": …}` or `{"error": "message"}`. The app's loader
//! (`src/capability.rs`) calls it synchronously once the module is loaded. The export lives in
//! the bin: a wasm32 bin exports only its own crate's `#[wasm_bindgen]` functions (one in this
//! library would be dropped at link time, with wasm-bindgen's intrinsics). The requests and their
//! answers are the core's (`pecfg_core::session::protocol`: one `Request` variant per
//! capability, answered from the session API and natively tested there); this crate only wires
//! them to the page, with the browser's randomness for sealing.
//!
//! No panic is reachable from a request: a malformed one is an `{"error"}` response (in the page
//! a panic would abort this module's instance, and with it every later call).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use rand_core::CryptoRngCore;

#[cfg(target_arch = "wasm32")]
pub mod rng {
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

/// The JSON response to a JSON request: the core's one answer to every request of the page
/// (`pecfg_core::session::protocol`), with the randomness sealing takes.
pub fn dispatch(request: &str, rng: &mut dyn CryptoRngCore) -> String {
    pecfg_core::session::protocol::respond_json(request, rng)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    use serde_json::{json, Value};

    fn response(request: &str) -> Value {
        serde_json::from_str(&dispatch(request, &mut rand_core::OsRng)).unwrap()
    }

    fn error_of(request: &str) -> String {
        let response = response(request);
        let object = response.as_object().unwrap();
        assert_eq!(
            object.len(),
            1,
            "an error response is only the error: {response}"
        );
        object["error"].as_str().unwrap().to_string()
    }

    #[test]
    fn a_schema_request_returns_the_core_s_values_schema_json_for_every_chart() {
        for id in pecfg_core::catalog::registry::chart_ids() {
            let request = json!({ "schema": { "chart": id } }).to_string();
            let chart = pecfg_core::catalog::registry::chart(id).unwrap();
            assert_eq!(
                response(&request),
                json!({ "ok": pecfg_core::export::values_schema_json(chart) }),
                "{id}"
            );
        }
        // The text is the file, byte for byte: pretty JSON ending in a newline.
        let response = response(r#"{"schema":{"chart":"ixn"}}"#);
        let text = response["ok"].as_str().unwrap();
        assert!(
            text.starts_with("{\n") && text.ends_with("}\n"),
            "{text:.40}"
        );
        let schema: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "a JSON Schema draft-07 document"
        );
    }

    #[test]
    fn an_unknown_chart_is_an_error_naming_it() {
        assert_eq!(
            error_of(r#"{"schema":{"chart":"nope"}}"#),
            r#"unknown chart: "nope""#
        );
        assert_eq!(
            error_of(r#"{"schema":{"chart":""}}"#),
            r#"unknown chart: """#
        );
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        for request in [
            "",
            "{",
            "not json",
            "null",
            "[]",
            "\"schema\"",
            r#"{"schema":{"chart":"ges"}"#,
            r#"{"schema":{"chart":5}}"#,
            r#"{"schema":{}}"#,
            r#"{"schema":null}"#,
            r#"{"schema":{"chart":"ges","extra":1}}"#,
            "\u{0}\u{ffff}",
        ] {
            let message = error_of(request);
            assert!(
                message.starts_with("malformed request: "),
                "{request:?}: {message}"
            );
        }
    }

    #[test]
    fn an_unknown_request_kind_is_an_error_naming_it() {
        let message = error_of(r#"{"unzip":{"chart":"ges"}}"#);
        assert!(message.starts_with("malformed request: "), "{message}");
        assert!(message.contains("unknown variant `unzip`"), "{message}");
        assert!(
            message.contains("`schema`"),
            "it names what is known: {message}"
        );
        // Two requests in one are refused too, not half answered.
        let message = error_of(r#"{"schema":{"chart":"ges"},"images":{}}"#);
        assert!(message.starts_with("malformed request: "), "{message}");
    }
}
