//! pecfg-tools: the capabilities the app's first view does not need (today values.schema.json),
//! a second wasm-bindgen program the page loads the first time one of them is asked for.
//!
//! One entry point, `call` (main.rs, the module's one export, over [`dispatch`] here): a JSON
//! request in, a JSON response out, `{"ok": …}` or `{"error": "message"}`. The app's loader
//! (`src/capability.rs`) calls it synchronously once the module is loaded. The export lives in
//! the bin: a wasm32 bin exports only its own crate's `#[wasm_bindgen]` functions (one in this
//! library would be dropped at link time, with wasm-bindgen's intrinsics). Requests are externally tagged, one key naming the capability:
//!
//! - `{"schema": {"chart": "<id>"}}` → `{"ok": "<values.schema.json text>"}`
//!
//! A capability is added here as one [`Request`] variant and one arm of [`respond`], and on the
//! app's side as one function in `src/capability.rs`'s `tools` that builds the request.
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

use serde::Deserialize;
use serde_json::{json, Value};

/// What the page may ask of this module.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// `values.schema.json` of a chart of the embedded catalog.
    Schema { chart: String },
}

/// The response to a JSON request, as JSON text (see the crate doc).
pub fn dispatch(request: &str) -> String {
    let response = match serde_json::from_str::<Request>(request) {
        Ok(request) => match respond(request) {
            Ok(value) => json!({ "ok": value }),
            Err(message) => json!({ "error": message }),
        },
        Err(error) => json!({ "error": format!("malformed request: {error}") }),
    };
    // A `Value` with string keys always serializes; the fallback only satisfies the type.
    serde_json::to_string(&response)
        .unwrap_or_else(|_| r#"{"error":"the response could not be written"}"#.to_string())
}

/// The work behind one well-formed request.
pub fn respond(request: Request) -> Result<Value, String> {
    match request {
        Request::Schema { chart } => {
            let chart = pecfg_core::catalog::registry::chart(&chart)
                .ok_or_else(|| format!("unknown chart: {chart:?}"))?;
            Ok(Value::String(pecfg_core::export::values_schema_json(chart)))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn response(request: &str) -> Value {
        serde_json::from_str(&dispatch(request)).unwrap()
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
        let message = error_of(r#"{"zip":{"chart":"ges"}}"#);
        assert!(message.starts_with("malformed request: "), "{message}");
        assert!(message.contains("unknown variant `zip`"), "{message}");
        assert!(
            message.contains("`schema`"),
            "it names what is known: {message}"
        );
        // Two requests in one are refused too, not half answered.
        let message = error_of(r#"{"schema":{"chart":"ges"},"zip":{}}"#);
        assert!(message.starts_with("malformed request: "), "{message}");
    }
}
