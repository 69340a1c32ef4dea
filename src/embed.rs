//! Embedding in docs portals: options from the URL query (`?chart=ixn&embed=1&theme=dark&hide=picker`) and the postMessage API with origin checks.
//!
//! Host → app: `{type: "pecfg:select-chart", chart}`, `{type: "pecfg:set-values", values}`.
//! App → host: `{type: "pecfg:ready", charts}`, `{type: "pecfg:values-changed", chart, values,
//! errors, warnings}`, `{type: "pecfg:exported", chart, files}`. Messages carry values only: secret
//! values never leave the page. Only the host origin is trusted: the `origin` query parameter, or
//! else the origin of `document.referrer`; every other sender is ignored.

use leptos::prelude::*;
use pecfg_core::charts::{chart, chart_ids};
use pecfg_core::validation::Severity;
use pecfg_core::values::merge;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// What the URL query asks of the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedOptions {
    pub chart: Option<String>,
    pub embed: bool,
    pub theme: Option<String>,
    pub hide: Vec<String>,
    pub host_origin: Option<String>,
}

/// Reads the options from a query string (`?a=b&c=d`).
pub fn parse_query(query: &str) -> EmbedOptions {
    let mut options = EmbedOptions::default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return options;
    };
    options.chart = params.get("chart").filter(|id| chart(id).is_some());
    options.embed = params
        .get("embed")
        .is_some_and(|flag| flag == "1" || flag == "true");
    options.theme = params
        .get("theme")
        .filter(|theme| theme == "light" || theme == "dark");
    options.hide = params
        .get("hide")
        .map(|list| {
            list.split(',')
                .map(|part| part.trim().to_string())
                .filter(|part| !part.is_empty())
                .collect()
        })
        .unwrap_or_default();
    options.host_origin = params.get("origin").filter(|origin| !origin.is_empty());
    options
}

pub fn current_options() -> EmbedOptions {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .map(|query| parse_query(&query))
        .unwrap_or_default()
}

/// The origin messages may come from and go to, or `None` when the page is not embedded.
fn trusted_origin(options: &EmbedOptions) -> Option<String> {
    if let Some(origin) = &options.host_origin {
        return Some(origin.clone());
    }
    let referrer = web_sys::window()?.document()?.referrer();
    let url = web_sys::Url::new(&referrer).ok()?;
    let origin = url.origin();
    (origin != "null" && !origin.is_empty()).then_some(origin)
}

/// Applies theme, compact layout and hidden parts to `<html>`, where the stylesheet reads them.
pub fn apply_page_options(options: &EmbedOptions) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    if let Some(theme) = &options.theme {
        let _ = root.set_attribute("data-theme", theme);
    }
    if options.embed {
        let _ = root.set_attribute("data-embed", "1");
    }
    if !options.hide.is_empty() {
        let _ = root.set_attribute("data-hide", &options.hide.join(" "));
    }
}

fn post_to_host(origin: &str, message: serde_json::Value) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    if let Ok(data) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&data, origin);
    }
}

/// Sends the exported (non-secret) files to the host, when embedded.
pub fn announce_export(chart_id: &str, files: &[(String, String)]) {
    let options = current_options();
    if let Some(origin) = trusted_origin(&options) {
        let files: serde_json::Map<String, serde_json::Value> = files
            .iter()
            .map(|(name, text)| (name.clone(), json!(text)))
            .collect();
        post_to_host(
            &origin,
            json!({"type": "pecfg:exported", "chart": chart_id, "files": files}),
        );
    }
}

/// Wires the postMessage API to the store. Does nothing when there is no host to trust.
pub fn install_message_api(state: AppState, options: &EmbedOptions) {
    let Some(origin) = trusted_origin(options) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };

    let trusted = origin.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if event.origin() != trusted {
                return;
            }
            let Some(text) = js_sys::JSON::stringify(&event.data())
                .ok()
                .and_then(|text| text.as_string())
            else {
                return;
            };
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&text) else {
                return;
            };
            match message.get("type").and_then(|kind| kind.as_str()) {
                Some("pecfg:select-chart") => {
                    if let Some(id) = message
                        .get("chart")
                        .and_then(|id| id.as_str())
                        .filter(|id| chart(id).is_some())
                    {
                        state.chart_id.set(id.to_string());
                    }
                }
                Some("pecfg:set-values") => {
                    if let Some(id) = message
                        .get("chart")
                        .and_then(|id| id.as_str())
                        .filter(|id| chart(id).is_some())
                    {
                        state.chart_id.set(id.to_string());
                    }
                    if let Some(values) = message
                        .get("values")
                        .and_then(|values| serde_yaml::to_value(values).ok())
                    {
                        state.update_answers(|answers| {
                            answers.values = merge(&answers.values, &values)
                        });
                    }
                }
                _ => {}
            }
        });
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_message.forget();

    post_to_host(
        &origin,
        json!({"type": "pecfg:ready", "charts": chart_ids()}),
    );
    Effect::new(move |_| {
        let chart_id = state.chart_id.get();
        let values = state
            .current
            .with(|answers| serde_json::to_value(&answers.values).unwrap_or_default());
        let (errors, warnings) = state.diagnostics.with(|diagnostics| {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            (errors, diagnostics.len() - errors)
        });
        post_to_host(
            &origin,
            json!({"type": "pecfg:values-changed", "chart": chart_id, "values": values, "errors": errors, "warnings": warnings}),
        );
    });
}
