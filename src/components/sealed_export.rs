//! SealedSecrets in the export panel: the controller's certificate (pasted, dropped or picked;
//! kept in this browser, it is public), what it is or why it is refused, the scope, and
//! sealed-secrets.yaml sealed in the page by the tools module with `crypto.getRandomValues`.

use leptos::prelude::*;
use pecfg_core::export::SealScope;
use pecfg_core::session::protocol::{CertificateView, Request};
use wasm_bindgen::JsCast;

use crate::browser::{now_unix, read_file_text};
use crate::capability::tools;
use crate::state::AppState;

/// The certificate is public, so unlike secret values it may stay in localStorage.
const CERT_KEY: &str = "pecfg.sealing-cert";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The sealing inputs and their results, shared by the export panel's tab, preview and downloads.
#[derive(Clone, Copy)]
pub struct Sealing {
    pub cert_text: RwSignal<String>,
    pub scope: RwSignal<SealScope>,
    /// `None` while no certificate is given; else the checked certificate or why it is refused.
    pub cert: Memo<Option<Result<CertificateView, String>>>,
    /// sealed-secrets.yaml, sealed once per change of its inputs: the preview, Copy and both
    /// downloads hand out these same bytes.
    pub file: Memo<Option<Result<String, String>>>,
}

impl Sealing {
    pub fn new(state: AppState) -> Sealing {
        let saved = storage()
            .and_then(|storage| storage.get_item(CERT_KEY).ok().flatten())
            .unwrap_or_default();
        let cert_text = RwSignal::new(saved);
        let scope = RwSignal::new(SealScope::Strict);
        // Both asked of the tools module (loaded when a certificate is first given): `None`
        // while no certificate is given or the module is loading.
        let checked = tools::derived::<CertificateView>(move || {
            let pem = cert_text.get();
            (!pem.trim().is_empty()).then(|| Request::Certificate {
                pem,
                now: now_unix(),
            })
        });
        let cert = Memo::new(move |_| checked.get());
        let file = tools::derived::<String>(move || {
            if !matches!(cert.get(), Some(Ok(_))) {
                return None;
            }
            Some(Request::Seal {
                answers: state.with_session(|session| session.answers().clone())?,
                pem: cert_text.get(),
                scope: scope.get().as_str().to_string(),
                now: now_unix(),
            })
        });
        Effect::new(move |_| {
            let text = cert_text.get();
            if let Some(storage) = storage() {
                let _ = if text.trim().is_empty() {
                    storage.remove_item(CERT_KEY)
                } else {
                    storage.set_item(CERT_KEY, &text)
                };
            }
        });
        Sealing {
            cert_text,
            scope,
            cert,
            file,
        }
    }

    /// A usable certificate is given: the commands apply sealed-secrets.yaml and "download all"
    /// holds it.
    pub fn active(self) -> bool {
        self.cert.with(|cert| matches!(cert, Some(Ok(_))))
    }

    /// The text of the sealed-secrets.yaml tab: the file, or what is missing, as YAML comments.
    pub fn preview(self) -> String {
        match self.file.get() {
            Some(Ok(text)) => text,
            Some(Err(message)) => format!("# Not sealed: {message}\n"),
            None => match self.cert.get() {
                Some(Err(message)) => format!("# The certificate is refused: {message}\n"),
                None if !self.cert_text.with(|text| text.trim().is_empty()) => {
                    "# Reading the certificate\u{2026}\n".to_string()
                }
                _ => "# Give the sealed-secrets controller's certificate above (kubeseal \
                      --fetch-cert prints it) to seal every Secret of secrets.yaml here.\n"
                    .to_string(),
            },
        }
    }

    /// The file to download, when there is one.
    pub fn file_untracked(self) -> Option<String> {
        self.file.get_untracked().and_then(Result::ok)
    }
}

/// The certificate input, what the certificate is (or why it is refused) and the scope choice.
#[component]
pub fn SealingCertInput(sealing: Sealing) -> impl IntoView {
    let cert_text = sealing.cert_text;
    let scope = sealing.scope;
    let read_error = RwSignal::new(None::<String>);
    let load = move |read: Result<String, String>| match read {
        Ok(text) => {
            read_error.set(None);
            cert_text.set(text);
        }
        Err(message) => read_error.set(Some(format!("The file was not read: {message}"))),
    };
    let on_file = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file_text(file, load);
        }
        input.set_value("");
    };
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            read_file_text(file, load);
        }
    };
    let scope_options = SealScope::ALL
        .into_iter()
        .map(|choice| {
            let label = match choice {
                SealScope::Strict => "strict: only this name in this namespace",
                SealScope::NamespaceWide => "namespace-wide: any name in this namespace",
                SealScope::ClusterWide => "cluster-wide: any name, any namespace",
            };
            view! { <option value=choice.as_str() selected=move || scope.get() == choice>{label}</option> }
        })
        .collect_view();
    let info = move || {
        match sealing.cert.get() {
        None => None,
        Some(Err(message)) => Some(
            view! { <p class="yaml-error" role="alert" id="sealing-cert-error">{format!("Refused: {message}")}</p> }
                .into_any(),
        ),
        Some(Ok(cert)) => Some(
            view! {
                <dl class="sealing-cert-info" id="sealing-cert-info">
                    <dt>"Subject"</dt><dd>{cert.subject.clone()}</dd>
                    <dt>"Expires"</dt><dd>{cert.not_after.clone()}</dd>
                    <dt>"SHA-256"</dt><dd class="code">{cert.fingerprint.clone()}</dd>
                    <dt>"Key"</dt><dd class="code">{format!("RSA {} bits, {}", cert.key_bits, cert.key_fingerprint)}</dd>
                </dl>
            }
            .into_any(),
        ),
    }
    };
    view! {
        <div class="sealing-panel">
            <div class="drop-zone" on:dragover=|event: web_sys::DragEvent| event.prevent_default() on:drop=on_drop>
                <label for="sealing-cert-file">"The sealed-secrets controller's certificate (kubeseal --fetch-cert), as a file or dropped here: "</label>
                <input type="file" id="sealing-cert-file" accept=".pem,.crt,.cert,.txt" on:change=on_file/>
            </div>
            <label for="sealing-cert">"…or pasted (it is public; this browser keeps it):"</label>
            <textarea id="sealing-cert" class="code" rows="4" spellcheck="false" placeholder="-----BEGIN CERTIFICATE-----"
                prop:value=move || cert_text.get() on:input=move |event| cert_text.set(event_target_value(&event))></textarea>
            {move || read_error.get().map(|message| view! { <p class="yaml-error" role="alert">{message}</p> })}
            {info}
            <label class="inline-field">"Scope "
                <select id="seal-scope" on:change=move |event| scope.set(SealScope::parse(&event_target_value(&event)).unwrap_or_default())>
                    {scope_options}
                </select>
            </label>
            <p class="hint">"With a certificate, commands.sh and commands.ps1 apply sealed-secrets.yaml instead of creating the Secrets, and \"Download all\" holds it. Sealed in this page; nothing is sent."</p>
        </div>
    }
}
