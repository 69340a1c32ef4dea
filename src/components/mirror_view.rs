//! The Mirror tab: the images this chart's answers pull and the charts to copy, as `pecfg images` reports them, with images.txt, mirror.sh and mirror.ps1 to copy them into your registry — all made by the tools module.

use leptos::prelude::*;
use pecfg_core::diagnostic::Severity;
use pecfg_core::mirror::MirrorOptions;
use pecfg_core::session::protocol::{ImagesView, Request};

use crate::browser::download;
use crate::capability::{tools, ModuleStatus, TOOLS};
use crate::state::use_app_state;

fn given(signal: RwSignal<String>) -> Option<String> {
    Some(signal.get().trim().to_string()).filter(|text| !text.is_empty())
}

#[component]
pub fn MirrorView() -> impl IntoView {
    let state = use_app_state();
    let target = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    let images = tools::derived::<ImagesView>(move || {
        Some(Request::Images {
            answers: state.with_session(|session| session.answers().clone())?,
            options: MirrorOptions {
                target_registry: given(target),
                source_registry: given(source),
                chart_version: given(version),
                helm_repository: None,
            },
        })
    });
    let input = |id: &'static str,
                 label: &'static str,
                 placeholder: &'static str,
                 signal: RwSignal<String>| {
        view! {
            <label class="inline-field" for=id>{label}
                <input type="text" class="text-input" id=id spellcheck="false" placeholder=placeholder
                    prop:value=move || signal.get() on:input=move |event| signal.set(event_target_value(&event))/>
            </label>
        }
    };
    let shown = move || match images.get()? {
        Err(message) => {
            Some(view! { <p class="module-error" role="alert">{message}</p> }.into_any())
        }
        Ok(view) => {
            let findings = view
                .findings
                .iter()
                .map(|finding| {
                    let class = if finding.severity == Severity::Error { "message error" } else { "message warning" };
                    view! { <li class=class data-rule=finding.rule.to_string()><code>{finding.path.clone()}</code>" "{finding.message.clone()}</li> }
                })
                .collect_view();
            let files = if view.refused.is_empty() {
                view.files
                    .into_iter()
                    .map(|(name, text)| {
                        let label = format!("Download {name}");
                        view! {
                            <button type="button" class="small-button" id=format!("mirror-{}", name.replace('.', "-"))
                                on:click=move |_| download(&name, "text/plain", text.as_bytes())>{label}</button>
                        }
                    })
                    .collect_view()
                    .into_any()
            } else {
                view! {
                    <div class="blocked-reason" role="status" id="mirror-refused">
                        <p>"No script while these cannot go into one:"</p>
                        <ul>{view.refused.into_iter().map(|reason| view! { <li>{reason}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any()
            };
            Some(
                view! {
                    <ul class="summary-list" id="mirror-findings">{findings}</ul>
                    <div class="export-actions">{files}</div>
                    <pre class="preview" id="mirror-report" tabindex="0" aria-label="Images to mirror">{view.report}</pre>
                }
                .into_any(),
            )
        }
    };
    view! {
        <div class="mirror-view">
            <p class="hint">"For an air-gapped install: copy every image these answers pull, and the chart, into your own registry, then point the values at it (image registry in the form)."</p>
            <div class="export-options">
                {input("mirror-target", "Your registry ", "registry.example.com/genesys", target)}
                {input("mirror-source", "Vendor registry ", "from the platform guide", source)}
                {input("mirror-version", "Chart version ", "e.g. 100.0.112", version)}
            </div>
            <ModuleStatus module=&TOOLS/>
            {shown}
        </div>
    }
}
