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
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// Scrolls a section into view without touching the URL fragment.
pub fn scroll_to(element_id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(element_id))
    {
        element.scroll_into_view();
    }
}

/// The browser's CSPRNG (`crypto.getRandomValues`, which plain-http pages have, unlike
/// `crypto.subtle`) as a `rand_core` RNG, for the session keys of SealedSecrets.
///
/// `RngCore::fill_bytes` cannot fail, so a failure is recorded instead: the caller checks
/// [`BrowserRng::failed`] after use and throws away what it made.
pub struct BrowserRng {
    crypto: web_sys::Crypto,
    failed: bool,
}

impl BrowserRng {
    /// `None` when the page has no `crypto` (no browser made in the last decade).
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

/// Reads a dropped or picked file as text, then calls `then` with it.
pub fn read_file_text(file: web_sys::File, then: impl Fn(String) + 'static) {
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            then(text.as_string().unwrap_or_default());
        }
    });
}

/// Seconds since the Unix epoch, by the browser's clock (the certificate's expiry check).
pub fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
