//! Embedding in docs portals: options from the URL query (`?chart=ixn&embed=1&theme=dark&hide=picker&origin=…`) and the postMessage API, wired to the trust decisions of `pecfg_core::embed_policy`.
//!
//! Host → app: `{type: "pecfg:select-chart", chart}`, `{type: "pecfg:set-values", chart?, values}`.
//! App → host: `{type: "pecfg:ready", charts}`, `{type: "pecfg:values-changed", chart, values,
//! errors, warnings}`, `{type: "pecfg:exported", chart, files}`, `{type: "pecfg:error", message}`.
//!
//! The API exists only when the page is in a frame (`window.parent !== window`) and `origin=`
//! lists the host's http(s) origins; there is no fallback (the referrer and the opener are chosen
//! by whoever opens the page). A message is handled only if its origin is listed *and* its source
//! is the parent window; it is then schema-checked and size-capped in the core. Messages carry
//! no secret and no `sensitive` value. Values a host sets are not saved as the user's draft until
//! the user edits (`AppState::host_set`, read by `persistence.rs`). See `docs/embedding.md`.

use std::cell::RefCell;

use leptos::prelude::*;
use pecfg_core::catalog::registry::{chart_ids, is_known};
use pecfg_core::embed_policy::{
    check_message, error_message, exported_message, exported_values_file, is_trusted,
    parse_origin_list, ready_message, reply_targets, values_changed_message, HostMessage,
};
use pecfg_core::export::{ValuesMode, SCHEMA_FILE};
use pecfg_core::session::{Change, ChartSession};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::capability::{tools, TOOLS};
use crate::state::AppState;

/// What the URL query asks of the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedOptions {
    pub chart: Option<String>,
    pub embed: bool,
    pub theme: Option<String>,
    pub hide: Vec<String>,
    /// The raw `origin=` list; checked by `embed_policy::parse_origin_list` when the API starts.
    pub host_origin: Option<String>,
}

/// Reads the options from a query string (`?a=b&c=d`).
pub fn parse_query(query: &str) -> EmbedOptions {
    let mut options = EmbedOptions::default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return options;
    };
    options.chart = params.get("chart").filter(|id| is_known(id));
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

/// The host the API talks to, once `install_message_api` has accepted it.
struct Host {
    parent: web_sys::Window,
    accepted: Vec<String>,
    /// The parent's origin as the browser reports it (`location.ancestorOrigins`, else the
    /// referrer): only a hint for where to post, never a reason to trust.
    parent_hint: Option<String>,
    /// The origin of the last message accepted from the parent.
    last_sender: Option<String>,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// The parent window, when the page is in a frame; `None` at the top level (a page opened with
/// `window.open` is top-level: its opener gets no API at all).
fn parent_window(window: &web_sys::Window) -> Option<web_sys::Window> {
    let parent = window.parent().ok().flatten()?;
    (parent != *window).then_some(parent)
}

fn parent_origin_hint(window: &web_sys::Window) -> Option<String> {
    let ancestors = js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|list| !list.is_undefined());
    if let Some(first) = ancestors
        .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from(0)).ok())
        .and_then(|origin| origin.as_string())
    {
        return Some(first);
    }
    let referrer = window.document()?.referrer();
    web_sys::Url::new(&referrer).ok().map(|url| url.origin())
}

fn post(parent: &web_sys::Window, target: &str, message: &serde_json::Value) {
    if let Ok(data) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&data, target);
    }
}

/// Posts one of the app's own messages to the host, if there is one.
fn broadcast(message: &serde_json::Value) {
    HOST.with(|host| {
        if let Some(host) = host.borrow().as_ref() {
            for target in reply_targets(
                &host.accepted,
                host.parent_hint.as_deref(),
                host.last_sender.as_deref(),
            ) {
                post(&host.parent, &target, message);
            }
        }
    });
}

/// Tells the host that the user downloaded files: values.yaml without its `sensitive` values,
/// and values.schema.json (never secrets.yaml or the commands). The schema comes from the tools
/// module (`capability.rs`), so the message leaves once it is loaded (a failed load is tried
/// again: the download is the user asking); if it cannot be loaded, the host gets values.yaml
/// alone rather than nothing, and the console says why.
pub fn announce_export(session: &ChartSession, mode: ValuesMode) {
    if HOST.with(|host| host.borrow().is_none()) {
        return;
    }
    let values = exported_values_file(session.chart(), session.answers(), mode);
    let chart_id = session.chart().id.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let schema = match TOOLS.retry().await {
            Ok(_) => tools::values_schema(&chart_id),
            Err(message) => Err(message),
        };
        let files = match schema {
            Ok(schema) => vec![values, (SCHEMA_FILE.to_string(), schema)],
            Err(message) => {
                web_sys::console::warn_1(
                    &format!("pecfg:exported without {SCHEMA_FILE}: {message}").into(),
                );
                vec![values]
            }
        };
        broadcast(&exported_message(&chart_id, &files));
    });
}

/// The handling of one message the checks let through.
fn apply(state: AppState, message: HostMessage) -> Result<(), String> {
    match message {
        HostMessage::SelectChart { chart } => state.open_chart(&chart),
        HostMessage::SetValues { chart, values } => {
            let values = pecfg_core::yaml::read::host_values(&serde_json::Value::Object(values))
                .map_err(|error| error.to_string())?;
            let id = chart.unwrap_or_else(|| state.chart_id_untracked());
            if id != state.chart_id_untracked() {
                state.open_chart(&id);
            }
            state.apply_to(&id, Change::MergeValues(values))?;
            // Remember what the host left, so the draft writer leaves it out of storage.
            state.remember_host_answers(&id);
        }
    }
    Ok(())
}

fn on_message(state: AppState, event: web_sys::MessageEvent) {
    let origin = event.origin();
    let accepted = HOST.with(|host| {
        let mut host = host.borrow_mut();
        let Some(host) = host.as_mut() else {
            return false;
        };
        let from_parent = event
            .source()
            .is_some_and(|source| JsValue::from(source) == JsValue::from(host.parent.clone()));
        let trusted = from_parent && is_trusted(&host.accepted, &origin);
        if trusted {
            host.last_sender = Some(origin.clone());
        }
        trusted
    });
    if !accepted {
        return;
    }
    let Some(text) = js_sys::JSON::stringify(&event.data())
        .ok()
        .and_then(|text| text.as_string())
    else {
        return;
    };
    let outcome = match check_message(&text) {
        Ok(None) => return,
        Ok(Some(message)) => apply(state, message),
        Err(reason) => Err(reason),
    };
    if let Err(reason) = outcome {
        HOST.with(|host| {
            if let Some(host) = host.borrow().as_ref() {
                post(&host.parent, &origin, &error_message(&reason));
            }
        });
    }
}

/// Wires the postMessage API to the store, when the page is framed by a host `origin=` names.
pub fn install_message_api(state: AppState, options: &EmbedOptions) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = parent_window(&window) else {
        return;
    };
    let Some(list) = &options.host_origin else {
        return;
    };
    let accepted = match parse_origin_list(list) {
        Ok(accepted) => accepted,
        Err(reason) => {
            // The portal team needs to see why the API is off; the page itself works on.
            web_sys::console::warn_1(
                &format!("pe-configurator: the postMessage API is off: {reason}").into(),
            );
            return;
        }
    };
    let parent_hint = parent_origin_hint(&window);
    HOST.with(|host| {
        *host.borrow_mut() = Some(Host {
            parent,
            accepted,
            parent_hint,
            last_sender: None,
        });
    });

    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event| {
        on_message(state, event);
    });
    let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();

    broadcast(&ready_message(&chart_ids()));
    Effect::new(move |_| {
        // Values that cannot be written as JSON are not sent; the page shows what is wrong.
        let message = state.with_session(|session| {
            let (errors, warnings) = session.counts();
            values_changed_message(session.answers(), errors, warnings)
        });
        if let Some(Ok(message)) = message {
            broadcast(&message);
        }
    });
}
