//! What the environment's and the unit group's plan panels share: the plan's options (GitOps, Helm 3 flags, stringData) as inputs and as `PlanOptions`, the seal decision of a download, and the list of what blocks it.

use leptos::prelude::*;
use pecfg_core::environment::{GitOps, PlanOptions};
use pecfg_core::export::{HelmFlavor, SecretEncoding};
use pecfg_core::session::protocol::PlanSeal;

use crate::browser::now_unix;
use crate::components::sealed_export::Sealing;

/// The plan's options as the user chose them.
#[derive(Clone, Copy)]
pub struct PlanChoices {
    gitops: RwSignal<String>,
    helm3: RwSignal<bool>,
    string_data: RwSignal<bool>,
    /// What a request for the plan carries.
    pub options: Memo<PlanOptions>,
}

impl PlanChoices {
    pub fn new() -> PlanChoices {
        let gitops = RwSignal::new(String::new());
        let helm3 = RwSignal::new(false);
        let string_data = RwSignal::new(false);
        let options = Memo::new(move |_| PlanOptions {
            helm: if helm3.get() {
                HelmFlavor::V3
            } else {
                HelmFlavor::V4
            },
            secret_encoding: if string_data.get() {
                SecretEncoding::StringData
            } else {
                SecretEncoding::Data
            },
            gitops: GitOps::parse(&gitops.get()),
        });
        PlanChoices {
            gitops,
            helm3,
            string_data,
            options,
        }
    }
}

impl Default for PlanChoices {
    fn default() -> Self {
        Self::new()
    }
}

/// The GitOps select and the two flags; ids are `{prefix}-gitops`, `{prefix}-helm3` and
/// `{prefix}-string-data` (the tests and the labels find them by these).
#[component]
pub fn PlanOptionInputs(
    choices: PlanChoices,
    prefix: &'static str,
    argocd: &'static str,
    flux: &'static str,
) -> impl IntoView {
    let PlanChoices {
        gitops,
        helm3,
        string_data,
        ..
    } = choices;
    let gitops_id = format!("{prefix}-gitops");
    let helm3_id = format!("{prefix}-helm3");
    let string_data_id = format!("{prefix}-string-data");
    view! {
        <label class="inline-field" for=gitops_id.clone()>"GitOps manifests"
            <select id=gitops_id.clone() class="text-input" on:change=move |event| gitops.set(event_target_value(&event))>
                <option value="" selected=true>"none (scripts only)"</option>
                <option value="argocd">{argocd}</option>
                <option value="flux">{flux}</option>
            </select>
        </label>
        <label class="toggle"><input type="checkbox" id=helm3_id prop:checked=move || helm3.get()
            on:change=move |event| helm3.set(event_target_checked(&event))/>" Helm 3 flags"</label>
        <label class="toggle"><input type="checkbox" id=string_data_id prop:checked=move || string_data.get()
            on:change=move |event| string_data.set(event_target_checked(&event))/>" Secrets as stringData"</label>
    }
}

/// How a plan download is sealed: not at all unless `wanted`; with the certificate given, or why
/// it cannot be (the download then does not happen).
pub fn plan_seal(sealing: &Sealing, wanted: bool) -> Result<Option<PlanSeal>, String> {
    if !wanted {
        return Ok(None);
    }
    if !matches!(sealing.cert.get_untracked(), Some(Ok(_))) {
        return Err("give a usable certificate to seal the plan, or untick sealing".into());
    }
    Ok(Some(PlanSeal {
        pem: sealing.cert_text.get_untracked(),
        scope: sealing.scope.get_untracked().as_str().to_string(),
        now: now_unix(),
    }))
}

/// Why a plan cannot be downloaded yet: the first `shown` reasons, then how many more and where
/// they all are. Nothing while nothing blocks it.
#[component]
pub fn BlockedReasons(
    reasons: Memo<Vec<String>>,
    id: &'static str,
    title: &'static str,
    shown: usize,
    more: &'static str,
) -> impl IntoView {
    move || {
        reasons.with(|reasons| {
            (!reasons.is_empty()).then(|| {
                view! {
                    <div class="blocked-reason" role="status" id=id>
                        <p>{title}</p>
                        <ul>{reasons.iter().take(shown).map(|reason| view! { <li>{reason.clone()}</li> }).collect_view()}</ul>
                        {(reasons.len() > shown).then(|| view! { <p>{format!("\u{2026} and {} more{more}", reasons.len() - shown)}</p> })}
                    </div>
                }
            })
        })
    }
}
