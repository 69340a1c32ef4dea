//! The environment view: the member charts, the shared facts entered once, each member's state, the cross-chart checks and the plan's picture; the plan panel (install.sh/ps1, report, zip, GitOps, environment file and link); and the banner a member chart's form shows.
//!
//! The environment is a capability of the tools module: every view here draws what it answers
//! (`protocol::EnvironmentView`, asked again by the store after each change) and every edit is a
//! `SetupChange` it makes. The inputs are built once per shape of the view (which charts, which
//! facts), so that typing a fact does not rebuild the input being typed in.

use leptos::prelude::*;
use pecfg_core::environment::{INSTALL_PS1, INSTALL_SH};
use pecfg_core::session::protocol::{
    Download, EnvironmentView as View, OpenedEnvironment, Request, SetupChange,
};
use pecfg_core::session::{Change, FactView, MemberView, PlanFile, Preview};

use crate::browser::{copy_to_clipboard, download, download_base64, read_file_text};
use crate::capability::{tools, ModuleStatus, TOOLS};
use crate::components::diagnostics_list::count_text;
use crate::components::highlight::highlight_html;
use crate::components::plan_options::{plan_seal, BlockedReasons, PlanChoices, PlanOptionInputs};
use crate::components::sealed_export::{Sealing, SealingCertInput};
use crate::persistence::page_url_without_fragment;
use crate::state::{use_app_state, AppState, Page};

/// The view, when the tools module made one.
fn made(state: AppState) -> Option<View> {
    state.environment_view().and_then(Result::ok)
}

/// The part of a fact the page builds inputs from: not the text typed (read per input).
#[derive(Clone, PartialEq)]
struct FactShape {
    id: String,
    doc: String,
    secret: bool,
    carriers: Vec<String>,
    /// Input id, field, label, masked.
    inputs: Vec<(String, Option<String>, String, bool)>,
}

impl FactShape {
    fn of(fact: &FactView) -> FactShape {
        FactShape {
            id: fact.id.clone(),
            doc: fact.doc.clone(),
            secret: fact.secret,
            carriers: fact.carriers.clone(),
            inputs: fact
                .inputs
                .iter()
                .map(|input| {
                    (
                        input.id.clone(),
                        input.field.clone(),
                        input.label.clone(),
                        input.masked,
                    )
                })
                .collect(),
        }
    }
}

fn edit(state: AppState, change: SetupChange, problem: RwSignal<Option<String>>) {
    problem.set(state.edit_environment(change).err());
}

/// The middle column in environment mode.
#[component]
pub fn EnvironmentView() -> impl IntoView {
    let state = use_app_state();
    let problem = RwSignal::new(None::<String>);
    let members = Memo::new(move |_| made(state).map(|view| view.members).unwrap_or_default());
    let shapes = Memo::new(move |_| {
        made(state)
            .map(|view| view.facts.iter().map(FactShape::of).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let member_list = move || {
        members
            .get()
            .into_iter()
            .map(|member: MemberView| {
                let checkbox_id = format!("env-member-{}", member.chart);
                let chart = member.chart.clone();
                let toggle = move |event| {
                    let on = event_target_checked(&event);
                    edit(
                        state,
                        SetupChange::Member {
                            chart: chart.clone(),
                            member: on,
                        },
                        problem,
                    );
                };
                view! {
                    <li>
                        <label class="toggle" for=checkbox_id.clone()>
                            <input type="checkbox" id=checkbox_id.clone() prop:checked=member.member on:change=toggle/>
                            {format!(" {} ", member.name)}
                            <span class="chart-meta">{format!("(step {})", member.step)}</span>
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    let fact_inputs = move || {
        shapes
            .get()
            .into_iter()
            .map(|fact| {
                let inputs = fact
                    .inputs
                    .iter()
                    .cloned()
                    .map(|(input_id, field, label, masked)| {
                        let read_id = input_id.clone();
                        let text = move || {
                            made(state)
                                .and_then(|view| {
                                    view.facts.iter().flat_map(|fact| fact.inputs.iter()).find(|input| input.id == read_id).map(|input| input.text.clone())
                                })
                                .unwrap_or_default()
                        };
                        let fact_id = fact.id.clone();
                        let on_input = move |event| {
                            edit(
                                state,
                                SetupChange::Fact {
                                    fact: fact_id.clone(),
                                    field: field.clone(),
                                    text: event_target_value(&event),
                                },
                                problem,
                            );
                        };
                        view! {
                            <label class="inline-field" for=input_id.clone()>{label}
                                <input class="text-input" type=if masked { "password" } else { "text" } id=input_id.clone()
                                    spellcheck="false" autocomplete="off" prop:value=text on:input=on_input/>
                            </label>
                        }
                    })
                    .collect_view();
                let problem_id = fact.id.clone();
                let fact_problem = move || {
                    made(state).and_then(|view| {
                        view.facts
                            .iter()
                            .find(|shown| shown.id == problem_id)
                            .and_then(|shown| shown.problem.clone())
                    })
                };
                let carried = if fact.carriers.is_empty() {
                    "no chart".to_string()
                } else {
                    fact.carriers.join("; ")
                };
                view! {
                    <div class="field shared-fact" data-fact=fact.id.clone()>
                        <div class="field-head"><strong>{fact.id.clone()}</strong>
                            {fact.secret.then(|| view! { <span class="badge secret-badge">"secret: only in Secrets"</span> })}
                        </div>
                        <p class="field-doc">{fact.doc.clone()}</p>
                        <div class="shared-inputs">{inputs}</div>
                        {move || fact_problem().map(|message| view! { <p class="message error" role="alert">{message}</p> })}
                        <p class="field-source">{format!("Carried by {carried}")}</p>
                    </div>
                }
            })
            .collect_view()
    };

    let rows = move || {
        let view = made(state)?;
        if view.rows.is_empty() {
            return Some(
                view! { <p class="section-doc" id="env-empty">"Tick the charts this environment deploys."</p> }
                    .into_any(),
            );
        }
        let rows = view
            .rows
            .into_iter()
            .map(|row| {
                let id = row.chart.clone();
                let open = {
                    let id = id.clone();
                    move |_| state.open_chart(&id)
                };
                view! {
                    <tr data-chart=id.clone()>
                        <td>{row.step}</td>
                        <td>{row.name}</td>
                        <td><code>{row.release}</code></td>
                        <td><code>{row.namespace}</code></td>
                        <td class="env-counts">
                            {(row.errors > 0).then(|| view! { <span class="badge error">{count_text(row.errors, "error", "errors")}</span> })}
                            {(row.warnings > 0).then(|| view! { <span class="badge warning">{count_text(row.warnings, "warning", "warnings")}</span> })}
                            {(row.errors == 0 && row.warnings == 0).then_some("ok")}
                        </td>
                        <td class="env-shared">{if row.applied.is_empty() { "–".to_string() } else { row.applied.join(", ") }}</td>
                        <td><button type="button" class="small-button" id=format!("env-open-{id}") on:click=open>"Open form"</button></td>
                    </tr>
                }
            })
            .collect_view();
        let unused = (!view.unused.is_empty()).then(|| {
            view! { <p class="field-source">{format!("No member carries: {}", view.unused.join(", "))}</p> }
        });
        Some(
            view! {
                <table class="env-table" id="env-charts">
                    <thead><tr><th>"Step"</th><th>"Chart"</th><th>"Release"</th><th>"Namespace"</th><th>"Checks"</th><th>"Shared facts applied"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {unused}
            }
            .into_any(),
        )
    };
    let checks = move || {
        made(state)
            .map(|view| view.findings)
            .unwrap_or_default()
            .into_iter()
            .map(|finding| {
                let class = if finding.severity == pecfg_core::diagnostic::Severity::Error {
                    "summary-entry error"
                } else {
                    "summary-entry warning"
                };
                let charts = finding.charts.join(", ");
                let first = finding.charts.first().cloned();
                view! {
                    <li class=class data-rule=finding.rule.to_string()>
                        {first.map(|id| view! {
                            <button type="button" class="link-button" on:click=move |_| state.open_chart(&id)>{format!("[{charts}]")}</button>
                        })}
                        " "<code>{finding.path}</code>" "{finding.message}
                    </li>
                }
            })
            .collect_view()
    };
    let counts = move || {
        made(state)
            .map(|view| {
                format!(
                    "{} · {}",
                    count_text(view.errors, "error", "errors"),
                    count_text(view.warnings, "warning", "warnings")
                )
            })
            .unwrap_or_default()
    };
    // The picture is plan.svg's own bytes, shown as an image (no inline style, nothing to run).
    let picture = move || made(state).and_then(|view| view.picture);
    let failed = move || state.environment_view().and_then(Result::err);

    view! {
        <div class="form-header">
            <h2 class="panel-title" id="form-title">"Environment"</h2>
            <p class="chart-description">"Several charts deployed together for one tenant or site: the facts they share are entered once below and applied to every member's form, where a chart's own value still wins (and is reported). The plan installs the members in the platform guide's order."</p>
        </div>
        <ModuleStatus module=&TOOLS/>
        {move || failed().map(|message| view! { <p class="module-error" role="alert">{message}</p> })}
        {move || problem.get().map(|message| view! { <p class="yaml-error" role="alert">{format!("Not changed: {message}")}</p> })}
        // Drawn once the tools module has made the view: an input typed into before it could
        // take the change would drop what was typed.
        <Show when=move || made(state).is_some()>
        <div class="env-body">
            <section class="form-section">
                <label class="inline-field" for="env-name">"Environment name (a DNS-1123 label; names the GitOps objects)"
                    <input class="text-input" id="env-name" type="text" spellcheck="false"
                        prop:value=move || state.with_environment(|setup| setup.name.clone())
                        on:input=move |event| edit(state, SetupChange::Name(event_target_value(&event)), problem)/>
                </label>
                <h3>"Charts"</h3>
                <ul class="env-members">{member_list}</ul>
            </section>
            <section class="form-section" id="env-shared">
                <h3>"Shared facts"</h3>
                <p class="section-doc">"Given once for every member that carries them. Secret facts go into each chart's Secrets only, and are never kept in drafts or links."</p>
                <div class="field-list">{fact_inputs}</div>
            </section>
            <section class="form-section">
                <h3>"Members"</h3>
                {rows}
            </section>
            <section class="form-section">
                <h3>"Checks " <span class="count" id="env-check-counts">{counts}</span></h3>
                <ul class="summary-list" id="env-checks">{checks}</ul>
            </section>
            <section class="form-section">
                <h3>"The plan"</h3>
                <div class="env-picture" id="env-picture">
                    {move || picture().map(|url| view! {
                        <img src=url alt="The install plan: namespaces left to right in deployment order, each chart with the Secrets it reads, the shared facts, and every finding at its chart"/>
                    })}
                </div>
            </section>
        </div>
        </Show>
    }
}

/// The right column in environment mode: the plan's files, its blocking reasons and downloads,
/// and the environment file and link.
#[component]
pub fn EnvironmentPlan() -> impl IntoView {
    let state = use_app_state();
    let tab = RwSignal::new(PlanFile::InstallSh);
    let choices = PlanChoices::new();
    let options = choices.options;
    let link = RwSignal::new(None::<Result<String, String>>);
    let opened = RwSignal::new(None::<Result<String, String>>);
    // The same certificate input as a chart's export (and the same stored certificate). The
    // plan is sealed when downloaded, not on every keystroke: RSA per Secret of every member.
    let sealing = Sealing::new(state);
    let seal_plan_too = RwSignal::new(false);
    let seal_problem = RwSignal::new(None::<String>);
    let blocking = Memo::new(move |_| match state.environment_view() {
        None => vec!["the environment is not ready yet".to_string()],
        Some(Err(message)) => vec![message],
        Some(Ok(view)) => view.blocking,
    });
    let preview = tools::derived::<Preview>(move || {
        // Asked again whenever the environment changed (the store made a new view).
        made(state)?;
        Some(Request::PlanFile {
            setup: state.environment(),
            answers: state.member_answers(),
            file: tab.get(),
            options: options.get(),
            reveal: state.reveal(),
        })
    });
    let preview_text = Memo::new(move |_| match preview.get() {
        Some(Ok(preview)) => preview.text,
        Some(Err(message)) => format!("# {message}\n"),
        None => String::new(),
    });
    let download_plan = move |_| {
        if !blocking.with_untracked(Vec::is_empty) {
            return;
        }
        let seal = match plan_seal(&sealing, seal_plan_too.get_untracked()) {
            Ok(seal) => seal,
            Err(message) => return seal_problem.set(Some(message)),
        };
        let request = Request::PlanZip {
            setup: state.environment_untracked(),
            answers: state.member_answers(),
            options: options.get_untracked(),
            seal,
        };
        let made = tools::ask::<Download>(&request)
            .and_then(|zip| download_base64(&zip.name, "application/zip", &zip.base64));
        seal_problem.set(made.err());
    };
    let save_file = move |_| {
        let saved = tools::ask::<Preview>(&Request::PlanFile {
            setup: state.environment_untracked(),
            answers: state.member_answers(),
            file: PlanFile::EnvironmentFile,
            options: options.get_untracked(),
            reveal: false,
        });
        match saved {
            Ok(file) => download(&file.name, "text/yaml", file.text.as_bytes()),
            Err(message) => opened.set(Some(Err(message))),
        }
    };
    let load = move |read: Result<String, String>| {
        let text = match read {
            Ok(text) => text,
            Err(message) => return opened.set(Some(Err(message))),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let file =
                tools::ask_when_ready::<OpenedEnvironment>(Request::OpenEnvironment { text }).await;
            // Nothing changes on a refusal: the page keeps what it had.
            let outcome = file.map(|file| {
                for answers in file.answers {
                    let id = answers.chart.clone();
                    let _ = state.apply_to(&id, Change::Replace(answers));
                }
                state.set_environment(file.setup);
                file.summary
            });
            let _ = opened.try_set(Some(outcome));
        });
    };
    let on_file = move |event: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file_text(file, load);
        }
        input.set_value("");
    };
    let make_link = move |_| {
        let made = tools::ask::<String>(&Request::EnvironmentLink {
            setup: state.environment_untracked(),
            answers: state.member_answers(),
        })
        .map(|fragment| format!("{}#{fragment}", page_url_without_fragment()));
        if let Ok(url) = &made {
            copy_to_clipboard(url);
        }
        link.set(Some(made));
    };
    let tabs = [
        (PlanFile::InstallSh, INSTALL_SH, "plan-tab-install-sh"),
        (PlanFile::InstallPs1, INSTALL_PS1, "plan-tab-install-ps1"),
        (PlanFile::Report, "report", "plan-tab-report"),
        (PlanFile::EnvironmentFile, "environment file", "plan-tab-environment"),
    ]
    .into_iter()
    .map(|(which, label, id)| {
        view! {
            <button type="button" role="tab" class="tab" id=id aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{label}</button>
        }
    })
    .collect_view();
    let zip_label = move || match made(state).and_then(|view| view.zip_name) {
        Some(name) => format!("Download plan ({name})"),
        None => "Download plan".to_string(),
    };

    view! {
        <h2 class="panel-title">"Install plan"</h2>
        <div class="export-options">
            <PlanOptionInputs choices=choices prefix="plan" argocd="Argo CD Applications" flux="Flux HelmReleases"/>
            <label class="toggle"><input type="checkbox" id="plan-reveal" prop:checked=move || state.reveal()
                on:change=move |event| state.set_reveal(event_target_checked(&event))/>" Show secret values"</label>
        </div>
        <label class="toggle"><input type="checkbox" id="plan-seal" prop:checked=move || seal_plan_too.get()
            on:change=move |event| seal_plan_too.set(event_target_checked(&event))/>" Seal every Secret for Git (SealedSecrets: <chart>-sealed-secrets.yaml, and under gitops/ with a GitOps option)"</label>
        <Show when=move || seal_plan_too.get()><SealingCertInput sealing=sealing/></Show>
        {move || seal_problem.get().map(|message| view! { <p class="yaml-error" role="alert" id="plan-seal-error">{format!("Not downloaded: {message}")}</p> })}
        <div class="export-actions">
            <button type="button" class="small-button" id="plan-download" disabled=move || !blocking.with(Vec::is_empty) on:click=download_plan>{zip_label}</button>
        </div>
        <BlockedReasons reasons=blocking id="plan-blocked" title="The plan cannot be downloaded yet:" shown=6
            more=": see Checks, or open each chart's form."/>
        <div role="tablist" class="tabs" aria-label="Plan files">{tabs}</div>
        <pre class="preview" id="plan-preview" tabindex="0" aria-label="Plan file preview"><code inner_html=move || highlight_html(&preview_text.get())></code></pre>
        <h3>"Environment file"</h3>
        <div class="export-actions">
            <button type="button" class="small-button" id="env-save" on:click=save_file>"Save environment file (without secrets)"</button>
            <label class="small-button" for="env-open-file">"Open environment file"</label>
            <input type="file" id="env-open-file" class="visually-hidden" accept=".yaml,.yml" on:change=on_file/>
            <button type="button" class="small-button" id="env-share" on:click=make_link>"Copy environment link (no secrets)"</button>
        </div>
        {move || opened.get().map(|outcome| match outcome {
            Ok(summary) => view! { <p role="status" id="env-opened">{summary}</p> }.into_any(),
            Err(message) => view! { <p class="yaml-error" role="alert" id="env-opened">{format!("Not opened: {message}")}</p> }.into_any(),
        })}
        {move || link.get().map(|made| match made {
            Ok(url) => view! {
                <label for="env-share-url" class="visually-hidden">"Environment link"</label>
                <input id="env-share-url" class="text-input" type="text" readonly prop:value=url/>
            }.into_any(),
            Err(message) => view! { <p class="yaml-error" role="alert">{format!("No link: {message}")}</p> }.into_any(),
        })}
        <p class="field-source">"Run with pecfg: pecfg plan --environment FILE --out DIR (the same plan)."</p>
    }
}

/// Above a member chart's form: which environment it belongs to, what the shared facts filled
/// in, and where the chart keeps its own value instead (the chart session's own report).
#[component]
pub fn EnvironmentBanner() -> impl IntoView {
    let state = use_app_state();
    let listed = |applied: &[pecfg_core::shared::Applied]| {
        applied
            .iter()
            .map(|applied| format!("{} ({})", applied.target, applied.fact))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let report = move || {
        state
            .with_session(|session| {
                let (applied, overridden) = session.shared_report();
                (listed(applied), listed(overridden))
            })
            .unwrap_or_default()
    };
    view! {
        <Show when=move || state.is_member()>
            <div class="env-banner" id="env-banner" role="note">
                <p>
                    {move || state.with_environment(|setup| format!("Part of environment {}: ", setup.name))}
                    {move || {
                        let (applied, _) = report();
                        if applied.is_empty() {
                            "no shared fact applies yet.".to_string()
                        } else {
                            format!("shared facts fill {applied}.")
                        }
                    }}
                    " "
                    <button type="button" class="link-button" id="env-back" on:click=move |_| state.show(Page::Environment)>"Back to the environment"</button>
                </p>
                {move || {
                    let (_, overridden) = report();
                    (!overridden.is_empty()).then(|| view! {
                        <p class="message warning">{format!("This chart keeps its own value instead of the shared fact at: {overridden}.")}</p>
                    })
                }}
            </div>
        </Show>
    }
}
