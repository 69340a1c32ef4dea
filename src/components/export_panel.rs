//! The export panel: checks summary, live previews of every exported file (secrets redacted unless asked), copy, download, download all, and the YAML, diff and import views.
//!
//! values.schema.json comes from the tools module (`capability.rs`), loaded when its tab is
//! first opened; until it is ready the tab shows the load's state, and Copy and Download wait.

use leptos::prelude::*;
use pecfg_core::export::{
    commands_ps1, commands_sh, commands_sh_redacted, render_files, secrets_yaml,
    secrets_yaml_redacted, values_yaml, zip_bytes, zip_name, ExportOptions, HelmFlavor,
    SecretEncoding, ValuesMode, COMMANDS_FILE, COMMANDS_PS1_FILE, SCHEMA_FILE, SECRETS_FILE,
};
use pecfg_core::mask::{
    guard_preview, has_masked_values, masked_answers, redacted_secrets, PreviewKind,
};
use pecfg_core::validation::Evaluated;
use pecfg_core::validation::Severity;

use crate::browser::{copy_to_clipboard, download};
use crate::capability::{tools, LoadState, ModuleStatus, TOOLS};
use crate::components::diagnostics_list::DiagnosticsSummary;
use crate::components::diff_view::DiffView;
use crate::components::highlight::HighlightedCode;
use crate::components::import_panel::ImportPanel;
use crate::components::sealed_export::{Sealing, SealingCertInput};
use crate::components::share_bar::ShareBar;
use crate::components::yaml_view::YamlView;
use crate::embed::announce_export;
use crate::state::use_app_state;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Values,
    Secrets,
    Sealed,
    Commands,
    PowerShell,
    Schema,
    YamlView,
    Diff,
    Import,
}

const TABS: [(Tab, &str); 9] = [
    (Tab::Values, "values.yaml"),
    (Tab::Secrets, "secrets.yaml"),
    (Tab::Sealed, "sealed-secrets.yaml"),
    (Tab::Commands, "commands.sh"),
    (Tab::PowerShell, "commands.ps1"),
    (Tab::Schema, "values.schema.json"),
    (Tab::YamlView, "Edit YAML"),
    (Tab::Diff, "Diff"),
    (Tab::Import, "Import"),
];

#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = use_app_state();
    let tab = RwSignal::new(Tab::Values);
    let full = RwSignal::new(false);
    let string_data = RwSignal::new(false);
    let helm3 = RwSignal::new(false);
    let reveal = state.reveal_secrets;
    let copy_refused = RwSignal::new(false);
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
    let errors = Memo::new(move |_| {
        state
            .diagnostics
            .with(|all| all.iter().filter(|d| d.severity == Severity::Error).count())
    });
    // The core's export decision, the same `pecfg render` asks: errors and unsafe options (a
    // chart reference that would be a helm flag) block download, download-all and Copy alike.
    let blocking = Memo::new(move |_| {
        let options = options.get();
        state
            .diagnostics
            .with(|all| pecfg_core::export::blocking_reasons(all, &options))
    });
    let blocked = move || blocking.with(|reasons| !reasons.is_empty());
    // values.schema.json from the tools module: None until it is loaded. Read only by the
    // schema tab, so the text is written when that tab shows it (a memo runs when read).
    let schema = Memo::new(move |_| match TOOLS.state() {
        LoadState::Ready(_) => Some(tools::values_schema(&state.chart.get().id)),
        _ => None,
    });
    let schema_text = move || schema.get().and_then(Result::ok);
    let schema_waits = move || tab.get() == Tab::Schema && schema_text().is_none();
    let actions_disabled = move || blocked() || schema_waits();

    // What the preview shows: secrets and `sensitive` values stay masked unless the user asks to
    // see them, and a masked preview starts with a line that makes it fail if run or applied.
    let preview = Memo::new(move |_| {
        let chart = state.chart.get();
        let options = options.get();
        state.current.with(|answers| match tab.get() {
            // The common case, nothing to mask, renders the file once (this runs per keystroke).
            Tab::Values if reveal.get() || !has_masked_values(chart, &answers.values) => {
                values_yaml(&Evaluated::of(chart, answers), options.values_mode)
            }
            Tab::Values => guard_preview(
                PreviewKind::Yaml,
                values_yaml(
                    &Evaluated::of(chart, &masked_answers(chart, answers)),
                    options.values_mode,
                ),
                &values_yaml(&Evaluated::of(chart, answers), options.values_mode),
            ),
            Tab::Secrets if reveal.get() => {
                secrets_yaml(&Evaluated::of(chart, answers), options.secret_encoding)
            }
            Tab::Secrets => guard_preview(
                PreviewKind::Yaml,
                secrets_yaml_redacted(&Evaluated::of(chart, answers), options.secret_encoding),
                &secrets_yaml(&Evaluated::of(chart, answers), options.secret_encoding),
            ),
            Tab::Commands if reveal.get() => commands_sh(&Evaluated::of(chart, answers), &options),
            Tab::Commands => guard_preview(
                PreviewKind::Shell,
                commands_sh_redacted(&Evaluated::of(chart, answers), &options),
                &commands_sh(&Evaluated::of(chart, answers), &options),
            ),
            Tab::PowerShell if reveal.get() => {
                commands_ps1(&Evaluated::of(chart, answers), &options)
            }
            Tab::PowerShell => guard_preview(
                PreviewKind::PowerShell,
                commands_ps1(&Evaluated::of(chart, &redacted_secrets(answers)), &options),
                &commands_ps1(&Evaluated::of(chart, answers), &options),
            ),
            Tab::Sealed => sealing.preview(),
            Tab::Schema => schema_text().unwrap_or_default(),
            Tab::YamlView | Tab::Diff | Tab::Import => String::new(),
        })
    });
    let file_name = move || match tab.get() {
        Tab::Values => format!("{}-values.yaml", state.chart_id.get()),
        Tab::Secrets => SECRETS_FILE.to_string(),
        Tab::Commands => COMMANDS_FILE.to_string(),
        Tab::PowerShell => COMMANDS_PS1_FILE.to_string(),
        Tab::Sealed => pecfg_core::export::SEALED_SECRETS_FILE.to_string(),
        _ => SCHEMA_FILE.to_string(),
    };
    // Downloads always carry the real content; only the preview is masked. None: the schema
    // while the tools module is not loaded.
    let real_content = move || {
        let chart = state.chart.get_untracked();
        let options = options.get_untracked();
        state
            .current
            .with_untracked(|answers| match tab.get_untracked() {
                Tab::Values => Some(values_yaml(
                    &Evaluated::of(chart, answers),
                    options.values_mode,
                )),
                Tab::Secrets => Some(secrets_yaml(
                    &Evaluated::of(chart, answers),
                    options.secret_encoding,
                )),
                Tab::Commands => Some(commands_sh(&Evaluated::of(chart, answers), &options)),
                Tab::PowerShell => Some(commands_ps1(&Evaluated::of(chart, answers), &options)),
                // The bytes on screen: sealed once per change, not again for the download.
                Tab::Sealed => Some(untrack(|| sealing.preview())),
                _ => untrack(schema_text),
            })
    };
    let download_current = move |_: web_sys::MouseEvent| {
        let name = file_name();
        let Some(content) = real_content() else {
            return;
        };
        download(&name, "text/plain", content.as_bytes());
        if matches!(tab.get_untracked(), Tab::Values | Tab::Schema) {
            state.current.with_untracked(|answers| {
                announce_export(
                    state.chart.get_untracked(),
                    answers,
                    options.get_untracked().values_mode,
                )
            });
        }
    };
    let download_all = move |_: web_sys::MouseEvent| {
        let chart = state.chart.get_untracked();
        let (mut files, name) = state.current.with_untracked(|answers| {
            (
                render_files(&Evaluated::of(chart, answers), &options.get_untracked()),
                zip_name(&Evaluated::of(chart, answers)),
            )
        });
        if let Some(text) = sealing.file_untracked() {
            files.push((pecfg_core::export::SEALED_SECRETS_FILE.to_string(), text));
        }
        download(&name, "application/zip", &zip_bytes(&files));
        state.current.with_untracked(|answers| {
            announce_export(chart, answers, options.get_untracked().values_mode)
        });
    };
    // Copy hands out the real file only: a masked preview would put placeholders where the
    // credentials go.
    let copy_current = move |_: web_sys::MouseEvent| {
        if blocking.with_untracked(|reasons| !reasons.is_empty()) {
            return;
        }
        let Some(real) = real_content() else {
            return;
        };
        let shown = preview.get_untracked();
        let refused = shown != real;
        if !refused {
            copy_to_clipboard(&shown);
        }
        copy_refused.set(refused);
    };
    Effect::new(move |_| {
        // A refusal is about the file that was on screen; a new tab or the reveal flag resets it.
        tab.track();
        reveal.track();
        copy_refused.set(false);
    });
    let is_file_tab = move || {
        matches!(
            tab.get(),
            Tab::Values
                | Tab::Secrets
                | Tab::Sealed
                | Tab::Commands
                | Tab::PowerShell
                | Tab::Schema
        )
    };
    let blocked_reason = move || {
        blocked().then(|| {
            let options_problems = blocking.get().len().saturating_sub(errors.get());
            if options_problems == 0 {
                format!(
                    "Exports are disabled while {} error(s) remain; warnings do not block.",
                    errors.get()
                )
            } else {
                format!("Exports are disabled: {}", blocking.get().join("; "))
            }
        })
    };

    let tab_buttons = TABS
        .iter()
        .map(|(which, label)| {
            let which = *which;
            view! {
                <button type="button" role="tab" class="tab" id=format!("tab-{}", label.replace(['.', ' '], "-").to_lowercase())
                    aria-selected=move || (tab.get() == which).to_string() on:click=move |_| tab.set(which)>{*label}</button>
            }
        })
        .collect_view();

    view! {
        <DiagnosticsSummary/>
        <h2 class="panel-title">"Export"</h2>
        <div role="tablist" class="tabs" aria-label="Files and views">{tab_buttons}</div>
        // Outside the file tabs: the same flag unmasks Edit YAML and the Diff.
        <div class="export-options reveal-option">
            <label class="toggle"><input type="checkbox" id="reveal-secrets" prop:checked=move || reveal.get()
                on:change=move |event| reveal.set(event_target_checked(&event))/>" Show secret values"</label>
        </div>
        <Show when=is_file_tab>
            <Show when=move || tab.get() == Tab::Sealed><SealingCertInput sealing=sealing/></Show>
            <div class="export-options">
                <label class="toggle"><input type="checkbox" id="full-values" prop:checked=move || full.get()
                    on:change=move |event| full.set(event_target_checked(&event))/>" Full values file with docs"</label>
                <label class="toggle"><input type="checkbox" id="string-data" prop:checked=move || string_data.get()
                    on:change=move |event| string_data.set(event_target_checked(&event))/>" Secrets as stringData"</label>
                <label class="toggle"><input type="checkbox" id="helm3" prop:checked=move || helm3.get()
                    on:change=move |event| helm3.set(event_target_checked(&event))/>" Helm 3 flags (--atomic)"</label>
                <label class="inline-field">"Chart reference "
                    <input type="text" class="text-input" id="chart-ref" spellcheck="false" placeholder=move || state.chart.get().chart_ref.as_ref().map(|fact| fact.value.clone()).unwrap_or_else(|| "repo/chart".into())
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
                <button type="button" class="small-button" id="download-all" disabled=blocked on:click=download_all>
                    {move || state.current.with(|answers| format!("Download all ({})", zip_name(&Evaluated::of(state.chart.get(), answers))))}
                </button>
            </div>
            {move || copy_refused.get().then(|| view! {
                <p class="blocked-reason" role="status" id="copy-refused">"The preview hides secret values; tick \"Show secret values\" to copy the real file, or download it."</p>
            })}
            {move || blocked_reason().map(|reason| view! { <p class="blocked-reason" role="status">{reason}</p> })}
            <Show when=move || tab.get() == Tab::Schema>
                <ModuleStatus module=&TOOLS/>
                {move || schema.get().and_then(Result::err).map(|message| view! {
                    <p class="module-error" role="alert">{message}</p>
                })}
            </Show>
            <pre class="preview" id="export-preview" tabindex="0" aria-label="File preview" aria-busy=move || schema_waits().then_some("true")>
                <HighlightedCode text=preview/>
            </pre>
        </Show>
        <Show when=move || tab.get() == Tab::YamlView><YamlView/></Show>
        <Show when=move || tab.get() == Tab::Diff><DiffView/></Show>
        <Show when=move || tab.get() == Tab::Import><ImportPanel/></Show>
        <ShareBar/>
    }
}
