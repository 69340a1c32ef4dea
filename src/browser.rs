//! The few browser services the app needs (random bytes, clipboard, file download), behind plain functions.

use wasm_bindgen::{JsCast, JsValue};

/// 16 random bytes from the browser's CSPRNG, for "generate v4".
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// Copies text to the clipboard. `navigator.clipboard` is reached through Reflect because
/// web-sys only exposes it behind its unstable-API flag.
pub fn copy_to_clipboard(text: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator: JsValue = window.navigator().into();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return;
    };
    if clipboard.is_undefined() {
        return;
    }
    if let Ok(write_text) = js_sys::Reflect::get(&clipboard, &"writeText".into()) {
        if let Ok(function) = write_text.dyn_into::<js_sys::Function>() {
            let _ = function.call1(&clipboard, &JsValue::from_str(text));
        }
    }
}

/// Offers bytes as a file download (a Blob URL, so nothing touches the network).
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Moves focus to a field's input and scrolls it into view (summary links, table of contents).
pub fn focus_field(element_id: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(element) = document.get_element_by_id(element_id) {
        scroll_and_hold(element.clone(), web_sys::ScrollLogicalPosition::Center);
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus_with_options(&{
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                options
            });
        }
    }
}

/// Scrolls a section into view without touching the URL fragment; its top lands below the sticky
/// bars (their height is the CSS's `scroll-margin-top`).
pub fn scroll_to(element_id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(element_id))
    {
        scroll_and_hold(element, web_sys::ScrollLogicalPosition::Start);
    }
}

/// How many frames a jump keeps its target in view while the page settles.
const HOLD_FRAMES: u32 = 30;

/// Scrolls to an element, then keeps it there for a few frames: blocks that render as they come
/// near the viewport (section_view.rs), or a filter turned off for the jump, change the height of
/// what is above the target after the scroll, and the target would end up far off screen.
fn scroll_and_hold(element: web_sys::Element, block: web_sys::ScrollLogicalPosition) {
    let scroll = {
        let element = element.clone();
        move || {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(block);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    };
    scroll();
    hold(element, block, f64::NAN, HOLD_FRAMES);
}

fn hold(
    element: web_sys::Element,
    block: web_sys::ScrollLogicalPosition,
    last_place: f64,
    frames: u32,
) {
    if frames == 0 {
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        let window = web_sys::window();
        let scrolled = window
            .as_ref()
            .and_then(|window| window.scroll_y().ok())
            .unwrap_or(0.0);
        let height = window
            .as_ref()
            .and_then(|window| window.inner_height().ok())
            .and_then(|height| height.as_f64())
            .unwrap_or(0.0);
        let rect = element.get_bounding_client_rect();
        let (top, bottom) = (rect.top(), rect.bottom());
        // Its place in the document, not on screen: a user who scrolls on during the hold moves
        // the screen, not the element, and is never pulled back; a block drawn above it moves
        // the element itself.
        let place = top + scrolled;
        if (last_place.is_nan() || (place - last_place).abs() > 1.0)
            && (top < 0.0 || bottom > height)
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(block);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
        hold(element, block, place, frames - 1);
    });
}

/// Runs `action` in a task after the next frame is painted: what the page shows first is on
/// screen (and an input typed into meanwhile is handled) before `action` adds more.
pub fn after_paint(action: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(action, std::time::Duration::ZERO);
    });
}

/// Reads a dropped or picked file, then calls `then` with its text: decoded as Windows tools
/// write files too (`pecfg_core::text::decode`: a byte-order mark dropped, UTF-16 with one read),
/// or why it is not text. The browser's own `File.text()` would read UTF-16 as garbage.
pub fn read_file_text(file: web_sys::File, then: impl Fn(Result<String, String>) + 'static) {
    let promise = file.array_buffer();
    wasm_bindgen_futures::spawn_local(async move {
        let read = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(buffer) => pecfg_core::text::decode(&js_sys::Uint8Array::new(&buffer).to_vec()),
            Err(_) => Err("the browser could not read the file".to_string()),
        };
        then(read);
    });
}

/// Brings an element into view and focuses it once what was just rendered is laid out: two
/// animation frames, so that blocks rendered for the jump have their height and the scroll lands
/// where the element ends up (a scroll right after rendering fell short, or overshot).
pub fn focus_when_laid_out(element_id: &str) {
    let id = element_id.to_string();
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::request_animation_frame(move || focus_field(&id));
    });
}

/// Seconds since the Unix epoch, by the browser's clock (the certificate's expiry check).
pub fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function pecfgBase64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
"#)]
extern "C" {
    /// The bytes of standard base64 text (`atob`): the first module carries no decoder of its own.
    #[wasm_bindgen(js_name = pecfgBase64Bytes, catch)]
    fn base64_bytes(text: &str) -> Result<js_sys::Uint8Array, JsValue>;
}

/// Offers a download the tools module made (`protocol::Download`: its bytes as base64).
pub fn download_base64(file_name: &str, mime: &str, base64: &str) -> Result<(), String> {
    let bytes =
        base64_bytes(base64).map_err(|_| "the download's bytes could not be read".to_string())?;
    download(file_name, mime, &bytes.to_vec());
    Ok(())
}
