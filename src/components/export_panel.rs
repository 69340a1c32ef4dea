//! The export panel: checks summary, live previews of every exported file (secret values masked unless asked), copy, download, download all, save answers, and the mirror, YAML, diff and import views.
//!
//! values.yaml is the one file the first module writes itself (`ChartSession::values_preview`):
//! it is what a first visit looks at. Every other file, "download all" and the other views are
//! asked of the tools module (`capability::tools`), loaded the first time one of them is shown;
//! until it is ready the tab shows the load's state, and Copy and Download wait.

use leptos::prelude::*;
use pecfg_core::export::{ExportOptions, HelmFlavor, SecretEncoding, ValuesMode};
use pecfg_core::session::protocol::{Download, Request};
use pecfg_core::session::{ExportFile, Preview};

use crate::browser::{copy_to_clipboard, download, download_base64};
use crate::capability::{tools, ModuleStatus, TOOLS};
use crate::components::diff_view::DiffView;
use crate::components::highlight::HighlightedCode;
use crate::components::import_panel::ImportPanel;
use crate::components::mirror_view::MirrorView;
use crate::components::sealed_export::{Sealing, SealingCertInput};
use crate::components::share_bar::ShareBar;
use crate::components::yaml_view::YamlView;
use crate::embed::announce_export;
use crate::state::use_app_state;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Values,
    Secrets,
    Sealed,
    Commands,
    PowerShell,
    Schema,
    Mirror,
    YamlView,
    Diff,
    Import,
}

/// Each tab, its label, and the id of its button (the tests and the start view's links use it).
const TABS: [(Tab, &str, &str); 10] = [
    (Tab::Values, "values.yaml", "values-yaml"),
    (Tab::Secrets, "secrets.yaml", "secrets-yaml"),
    (Tab::Sealed, "sealed-secrets.yaml", "sealed-secrets-yaml"),
    (Tab::Commands, "commands.sh", "commands-sh"),
    (Tab::PowerShell, "commands.ps1", "commands-ps1"),
    (Tab::Schema, "values.schema.json", "values-schema-json"),
    (Tab::Mirror, "Mirror", "mirror"),
    (Tab::YamlView, "Edit YAML", "edit-yaml"),
    (Tab::Diff, "Diff", "diff"),
    (Tab::Import, "Import", "import"),
];

impl Tab {
    /// The file the tab previews, when the tools module writes it.
    fn tools_file(self) -> Option<ExportFile> {
        match self {
            Tab::Secrets => Some(ExportFile::Secrets),
            Tab::Commands => Some(ExportFile::Commands),
            Tab::PowerShell => Some(ExportFile::PowerShell),
            Tab::Schema => Some(ExportFile::Schema),
            _ => None,
        }
    }

    fn is_file(self) -> bool {
        matches!(
            self,
            Tab::Values
                | Tab::Secrets
                | Tab::Sealed
                | Tab::Commands
                | Tab::PowerShell
                | Tab::Schema
        )
    }

    fn by_key(key: &str) -> Option<Tab> {
        TABS.iter()
            .find(|(_, _, id)| *id == key)
            .map(|(tab, _, _)| *tab)
    }
}

thread_local! {
    /// The tab shown: kept when the panel is drawn again (another chart's file arrived), and set
    /// by other parts of the page (the start view's "Import…") before the panel is drawn.
    static SHOWN_TAB: std::cell::Cell<Tab> = const { std::cell::Cell::new(Tab::Values) };
}

/// Opens a tab of the export panel (by its button id) the next time the panel is drawn.
pub fn open_tab_later(key: &str) {
    if let Some(tab) = Tab::by_key(key) {
        SHOWN_TAB.with(|shown| shown.set(tab));
    }
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = use_app_state();
    let tab = RwSignal::new(SHOWN_TAB.with(std::cell::Cell::get));
    Effect::new(move |_| {
        let shown = tab.get();
        SHOWN_TAB.with(|kept| kept.set(shown));
    });
    let full = RwSignal::new(false);
    let string_data = RwSignal::new(false);
    let helm3 = RwSignal::new(false);
    let copy_refused = RwSignal::new(None::<String>);
    let chart_ref = RwSignal::new(String::new());
    let chart_version = RwSignal::new(String::new());
    let sealing = Sealing::new(state);
    let options = Memo::new(move |_| ExportOptions {
        values_mode: if full.get() {
            ValuesMode::Full
        } else {
            ValuesMode::OverridesOnly
        },
        secret_encoding: if string_data.get() {
            SecretEncoding::StringData
        } else {
            SecretEncoding::Data
        },
        helm: if helm3.get() {
            HelmFlavor::V3
        } else {
            HelmFlavor::V4
        },
        chart_ref: Some(chart_ref.get()).filter(|text| !text.trim().is_empty()),
        chart_version: Some(chart_version.get()).filter(|text| !text.trim().is_empty()),
        sealed_secrets: sealing.active(),
    });
    // The core's export decision, the same `pecfg render` asks: errors (the environment's
    // included) and unsafe options block download, download-all and Copy alike.
    let blocking = Memo::new(move |_| {
        let options = options.get();
        state
            .with_session(|session| session.blocking_reasons(&options))
            .unwrap_or_default()
    });
    let errors = Memo::new(move |_| {
        state
            .with_session(|session| session.counts().0)
            .unwrap_or(0)
    });
    let blocked = move || blocking.with(|reasons| !reasons.is_empty());
    let answers = Memo::new(move |_| state.with_session(|session| session.answers().clone()));

    // values.yaml, written here; every other file by the tools module while its tab is shown.
    let values = Memo::new(move |_| {
        if tab.get() != Tab::Values {
            return None;
        }
        let options = options.get();
        let reveal = state.reveal();
        state.with_session(|session| session.values_preview(&options, reveal))
    });
    let remote = tools::derived::<Preview>(move || {
        Some(Request::File {
            answers: answers.get()?,
            file: tab.get().tools_file()?,
            options: options.get(),
            reveal: state.reveal(),
        })
    });
    let waits = move || tab.get().tools_file().is_some() && !matches!(remote.get(), Some(Ok(_)));
    let actions_disabled = move || blocked() || waits();
    let preview = Memo::new(move |_| match tab.get() {
        Tab::Values => values.get().map(|preview| preview.text).unwrap_or_default(),
        Tab::Sealed => sealing.preview(),
        _ => match remote.get() {
            Some(Ok(preview)) => preview.text,
            _ => String::new(),
        },
    });
    let file_name = move || match tab.get() {
        Tab::Values => state
            .with_session(|session| session.values_file_name())
            .unwrap_or_default(),
        Tab::Sealed => pecfg_core::export::SEALED_SECRETS_FILE.to_string(),
        other => other
            .tools_file()
            .map(|file| file.name(&state.chart_id()))
            .unwrap_or_default(),
    };
    let announce = move || {
        state.with_session_untracked(|session| {
            announce_export(session, options.get_untracked().values_mode)
        });
    };
    // Downloads always carry the real file; only the preview is masked.
    let download_current = move |_: web_sys::MouseEvent| {
        let options = options.get_untracked();
        let real = match tab.get_untracked() {
            Tab::Values => state
                .with_session_untracked(|session| session.values_preview(&options, true).text)
                .ok_or_else(|| "the chart is not loaded".to_string()),
            // The bytes on screen: sealed once per change, not again for the download.
            Tab::Sealed => sealing
                .file_untracked()
                .ok_or_else(|| "nothing is sealed yet".to_string()),
            other => match (other.tools_file(), answers.get_untracked()) {
                (Some(file), Some(answers)) => tools::ask::<Preview>(&Request::File {
                    answers,
                    file,
                    options,
                    reveal: true,
                })
                .map(|preview| preview.text),
                _ => Err("this tab has no file".to_string()),
            },
        };
        match real {
            Ok(text) => {
                download(&file_name(), "text/plain", text.as_bytes());
                copy_refused.set(None);
                if matches!(tab.get_untracked(), Tab::Values | Tab::Schema) {
                    announce();
                }
            }
            Err(message) => copy_refused.set(Some(message)),
        }
    };
    let download_all = move |_: web_sys::MouseEvent| {
        let Some(answers) = answers.get_untracked() else {
            return;
        };
        let request = Request::Zip {
            answers,
            options: options.get_untracked(),
            sealed: sealing.file_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let made = tools::ask_when_ready::<Download>(request)
                .await
                .and_then(|zip| download_base64(&zip.name, "application/zip", &zip.base64));
            match made {
                Ok(()) => {
                    let _ = copy_refused.try_set(None);
                    announce();
                }
                Err(message) => {
                    let _ = copy_refused.try_set(Some(format!("Download all failed: {message}")));
                }
            }
        });
    };
    // Copy hands out the real file only: a masked preview would put placeholders where the
    // credentials go (the core says so, and why).
    let copy_current = move |_: web_sys::MouseEvent| {
        let options = options.get_untracked();
        let reveal = state.reveal_untracked();
        let copied = match tab.get_untracked() {
            Tab::Values => state
                .with_session_untracked(|session| session.values_copy_text(&options, reveal))
                .unwrap_or_else(|| Err("the chart is not loaded".to_string())),
            Tab::Sealed => sealing
                .file_untracked()
                .ok_or_else(|| "nothing is sealed yet".to_string()),
            other => match (other.tools_file(), answers.get_untracked()) {
                (Some(file), Some(answers)) if !blocked() => tools::ask::<String>(&Request::Copy {
                    answers,
                    file,
                    options,
                    reveal,
                }),
                _ => Err("exports are disabled".to_string()),
            },
        };
        match copied {
            Ok(text) => {
                copy_to_clipboard(&text);
                copy_refused.set(None);
            }
            Err(message) => copy_refused.set(Some(message)),
        }
    };
    Effect::new(move |_| {
        // A refusal is about the file that was on screen; a new tab or the reveal flag resets it.
        tab.track();
        state.reveal();
        copy_refused.set(None);
    });
    let blocked_reason = move || {
        blocked().then(|| {
            let errors = errors.get();
            let options_problems = blocking.get().len().saturating_sub(errors);
            if options_problems == 0 {
                format!(
                    "Exports are disabled while {} remain{}; warnings do not block.",
                    crate::components::diagnostics_list::count_text(errors, "error", "errors"),
                    if errors == 1 { "s" } else { "" }
                )
            } else {
                format!("Exports are disabled: {}", blocking.get().join("; "))
            }
        })
    };
    let zip_label = move || {
        state
            .with_session(|session| {
                format!(
                    "Download all ({})",
                    pecfg_core::export::zip_name(&session.evaluated())
                )
            })
            .unwrap_or_default()
    };
    let save_answers = move |_: web_sys::MouseEvent| {
        if let Some((name, text)) = state.with_session_untracked(|session| session.saved_answers())
        {
            download(&name, "text/yaml", text.as_bytes());
        }
    };

    let tab_buttons = TABS
        .iter()
        .map(|(which, label, key)| {
            let which = *which;
            view! {
                <button type="button" role="tab" class="tab" id=format!("tab-{key}")
                    aria-selected=move || (tab.get() == which).to_string() on:click=move |_| tab.set(which)>{*label}</button>
            }
        })
        .collect_view();

    view! {
        <h2 class="panel-title">"Export"</h2>
        <div role="tablist" class="tabs" aria-label="Files and views">{tab_buttons}</div>
        // Outside the file tabs: the same flag unmasks Edit YAML and the Diff.
        <div class="export-options reveal-option">
            <label class="toggle"><input type="checkbox" id="reveal-secrets" prop:checked=move || state.reveal()
                on:change=move |event| state.set_reveal(event_target_checked(&event))/>" Show secret values"</label>
        </div>
        <Show when=move || tab.get().is_file()>
            <Show when=move || tab.get() == Tab::Sealed><SealingCertInput sealing=sealing/></Show>
            <div class="export-options">
                <label class="toggle"><input type="checkbox" id="full-values" prop:checked=move || full.get()
                    on:change=move |event| full.set(event_target_checked(&event))/>" Full values file with docs"</label>
                <label class="toggle"><input type="checkbox" id="string-data" prop:checked=move || string_data.get()
                    on:change=move |event| string_data.set(event_target_checked(&event))/>" Secrets as stringData"</label>
                <label class="toggle"><input type="checkbox" id="helm3" prop:checked=move || helm3.get()
                    on:change=move |event| helm3.set(event_target_checked(&event))/>" Helm 3 flags (--atomic)"</label>
                <label class="inline-field">"Chart reference "
                    <input type="text" class="text-input" id="chart-ref" spellcheck="false"
                        placeholder=move || state.chart().and_then(|chart| chart.chart_ref.as_ref().map(|fact| fact.value.clone())).unwrap_or_else(|| "repo/chart".into())
                        prop:value=move || chart_ref.get() on:input=move |event| chart_ref.set(event_target_value(&event))/></label>
                <label class="inline-field">"Chart version "
                    <input type="text" class="text-input" id="chart-version" spellcheck="false" placeholder="e.g. 100.0.112"
                        prop:value=move || chart_version.get() on:input=move |event| chart_version.set(event_target_value(&event))/></label>
            </div>
            <div class="export-actions">
                <button type="button" class="small-button" id="copy-file" disabled=actions_disabled on:click=copy_current>"Copy"</button>
                <button type="button" class="small-button" id="download-file" disabled=actions_disabled on:click=download_current>
                    {move || format!("Download {}", file_name())}
                </button>
                <button type="button" class="small-button" id="download-all" disabled=blocked on:click=download_all>{zip_label}</button>
            </div>
            {move || copy_refused.get().map(|message| view! {
                <p class="blocked-reason" role="status" id="copy-refused">{message}</p>
            })}
            {move || blocked_reason().map(|reason| view! { <p class="blocked-reason" role="status">{reason}</p> })}
            <Show when=move || tab.get().tools_file().is_some()>
                <ModuleStatus module=&TOOLS/>
                {move || remote.get().and_then(Result::err).map(|message| view! {
                    <p class="module-error" role="alert">{message}</p>
                })}
            </Show>
            <pre class="preview" id="export-preview" tabindex="0" aria-label="File preview" aria-busy=move || waits().then_some("true")>
                <HighlightedCode text=preview/>
            </pre>
        </Show>
        <Show when=move || tab.get() == Tab::Mirror><MirrorView/></Show>
        <Show when=move || tab.get() == Tab::YamlView><YamlView/></Show>
        <Show when=move || tab.get() == Tab::Diff><DiffView/></Show>
        <Show when=move || tab.get() == Tab::Import><ImportPanel/></Show>
        <div class="save-bar">
            <button type="button" class="small-button" id="save-answers" on:click=save_answers>"Save answers"</button>
            <span class="hint">"An answers file without secret values: open it here again, or give it to pecfg render."</span>
        </div>
        <ShareBar/>
    }
}
