//! The environment view: the member charts, the shared facts entered once, each member's state, the cross-chart checks and the plan's picture; the plan panel (install.sh/ps1, report, zip, GitOps, environment file and link); and the banner a member chart's form shows.

use leptos::prelude::*;
use pecfg_core::catalog::registry::{all_charts, chart};
use pecfg_core::environment::{
    carriers, chart_answers, deployment_order, encode_environment_fragment, environment_catalog,
    environment_file, environment_yaml, parse_environment, plan_blocking_reasons,
    plan_files_sealed, plan_svg_data_url, plan_zip_name, without_secrets, GitOps, PlanOptions,
    Resolved, INSTALL_PS1, INSTALL_SH,
};
use pecfg_core::export::{zip_bytes, ExportContext, HelmFlavor, SecretEncoding};
use pecfg_core::mask::{guard_preview, redacted_secrets, PreviewKind};
use pecfg_core::validation::Evaluated;
use pecfg_core::validation::Severity;
use pecfg_core::values::new_answers;

use crate::browser::{copy_to_clipboard, download, read_file_text, BrowserRng};
use crate::components::highlight::highlight_html;
use crate::components::sealed_export::{Sealing, SealingCertInput};
use crate::persistence::page_url_without_fragment;
use crate::state::{use_app_state, AppState, Page};

fn chart_name(id: &str) -> String {
    chart(id).map_or_else(|| id.to_string(), |chart| chart.name.clone())
}

/// The environment file of what the page holds (secrets included: it stays in memory).
fn current_file(state: AppState) -> pecfg_core::environment::EnvironmentFile {
    state.environment.with_untracked(|setup| {
        state
            .answers
            .with_untracked(|all| environment_file(setup, all, |id| chart(id).map(new_answers)))
    })
}

/// Replaces the page's environment and its members' answers with an opened file's.
fn apply_file(state: AppState, file: pecfg_core::environment::EnvironmentFile) {
    state.answers.update(|all| {
        for answers in chart_answers(&file) {
            all.insert(answers.chart.clone(), answers);
        }
    });
    state
        .environment
        .set(pecfg_core::environment::setup_of(&file));
}

/// The middle column in environment mode.
#[component]
pub fn EnvironmentView() -> impl IntoView {
    let state = use_app_state();
    let steps = deployment_order();
    let members = steps
        .iter()
        .map(|(id, step)| {
            let id = id.clone();
            let checkbox_id = format!("env-member-{id}");
            let is_member = {
                let id = id.clone();
                move || state.environment.with(|setup| setup.has(&id))
            };
            let toggle = {
                let id = id.clone();
                move |event| {
                    let on = event_target_checked(&event);
                    state
                        .environment
                        .update(|setup| setup.set_member(&id, on));
                }
            };
            view! {
                <li>
                    <label class="toggle" for=checkbox_id.clone()>
                        <input type="checkbox" id=checkbox_id.clone() prop:checked=is_member on:change=toggle/>
                        {format!(" {} ", chart_name(&id))}
                        <span class="chart-meta">{format!("(step {step})")}</span>
                    </label>
                </li>
            }
        })
        .collect_view();

    let all_carriers = carriers(all_charts());
    let facts = environment_catalog()
        .map(|catalog| catalog.shared_facts.clone())
        .unwrap_or_default();
    let fact_problems = Memo::new(move |_| state.environment.with(|setup| setup.fact_problems()));
    let fact_inputs = facts
        .into_iter()
        .map(|fact| {
            let targets: Vec<String> = all_carriers
                .iter()
                .filter(|(id, _, _)| id == &fact.id)
                .map(|(_, chart, target)| format!("{chart}: {target}"))
                .collect();
            let fields: Vec<Option<String>> = if fact.secret {
                fact.fields.iter().cloned().map(Some).collect()
            } else {
                vec![None]
            };
            let inputs = fields
                .into_iter()
                .map(|field| {
                    let input_id = match &field {
                        Some(field) => format!("shared-{}-{field}", fact.id),
                        None => format!("shared-{}", fact.id),
                    };
                    let label = field.clone().unwrap_or_else(|| fact.id.clone());
                    let input_type = if field.as_deref() == Some("password") {
                        "password"
                    } else {
                        "text"
                    };
                    let (fact_id, read_field) = (fact.id.clone(), field.clone());
                    let text = move || {
                        state
                            .environment
                            .with(|setup| setup.fact_text(&fact_id, read_field.as_deref()))
                    };
                    let fact_id = fact.id.clone();
                    let on_input = move |event| {
                        let typed = event_target_value(&event);
                        state.environment.update(|setup| {
                            setup.set_fact(&fact_id, field.as_deref(), Some(&typed))
                        });
                    };
                    view! {
                        <label class="inline-field" for=input_id.clone()>{label}
                            <input class="text-input" type=input_type id=input_id.clone() spellcheck="false" autocomplete="off"
                                prop:value=text on:input=on_input/>
                        </label>
                    }
                })
                .collect_view();
            let problem_id = fact.id.clone();
            let problem = move || {
                fact_problems.with(|problems| {
                    problems
                        .iter()
                        .find(|(id, _)| id == &problem_id)
                        .map(|(_, message)| message.clone())
                })
            };
            view! {
                <div class="field shared-fact" data-fact=fact.id.clone()>
                    <div class="field-head"><strong>{fact.id.clone()}</strong>
                        {fact.secret.then(|| view! { <span class="badge secret-badge">"secret: only in Secrets"</span> })}
                    </div>
                    <p class="field-doc">{fact.doc.clone()}</p>
                    <div class="shared-inputs">{inputs}</div>
                    {move || problem().map(|message| view! { <p class="message error" role="alert">{message}</p> })}
                    <p class="field-source">{format!("Carried by {}", if targets.is_empty() { "no chart".to_string() } else { targets.join("; ") })}</p>
                </div>
            }
        })
        .collect_view();

    let rows = move || {
        let resolved = state.env_resolved.get();
        let diagnostics = state.env_diagnostics.get();
        let Some(resolved) = resolved else {
            return view! { <p class="section-doc" id="env-empty">"Tick the charts this environment deploys."</p> }.into_any();
        };
        let rows = resolved
            .charts
            .iter()
            .map(|entry| {
                let id = entry.chart.id.clone();
                let context = ExportContext::new(&Evaluated::of(entry.chart, &entry.answers));
                let (errors, warnings) = diagnostics
                    .iter()
                    .filter(|d| d.charts.contains(&id))
                    .fold((0, 0), |(e, w), d| match d.severity {
                        Severity::Error => (e + 1, w),
                        Severity::Warning => (e, w + 1),
                    });
                let shared: Vec<String> = resolved
                    .applied
                    .iter()
                    .filter(|applied| applied.chart == id)
                    .map(|applied| format!("{} ← {}", applied.target, applied.fact))
                    .collect();
                let open = {
                    let id = id.clone();
                    move |_| state.open_chart(&id)
                };
                view! {
                    <tr data-chart=id.clone()>
                        <td>{entry.step}</td>
                        <td>{entry.chart.name.clone()}</td>
                        <td><code>{context.release.clone()}</code></td>
                        <td><code>{context.namespace.clone()}</code></td>
                        <td class="env-counts">
                            {(errors > 0).then(|| view! { <span class="badge error">{format!("{errors} errors")}</span> })}
                            {(warnings > 0).then(|| view! { <span class="badge warning">{format!("{warnings} warnings")}</span> })}
                            {(errors == 0 && warnings == 0).then_some("ok")}
                        </td>
                        <td class="env-shared">{if shared.is_empty() { "–".to_string() } else { shared.join(", ") }}</td>
                        <td><button type="button" class="small-button" id=format!("env-open-{id}") on:click=open>"Open form"</button></td>
                    </tr>
                }
            })
            .collect_view();
        let unused = (!resolved.unused.is_empty()).then(|| {
            view! { <p class="field-source">{format!("No member carries: {}", resolved.unused.join(", "))}</p> }
        });
        view! {
            <table class="env-table" id="env-charts">
                <thead><tr><th>"Step"</th><th>"Chart"</th><th>"Release"</th><th>"Namespace"</th><th>"Checks"</th><th>"Shared facts applied"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {unused}
        }
        .into_any()
    };

    let checks = move || {
        state.env_diagnostics.with(|diagnostics| {
            diagnostics
                .iter()
                .map(|diagnostic| {
                    let class = match diagnostic.severity {
                        Severity::Error => "summary-entry error",
                        Severity::Warning => "summary-entry warning",
                    };
                    let charts = diagnostic.charts.join(", ");
                    let first = diagnostic.charts.first().cloned();
                    view! {
                        <li class=class data-rule=diagnostic.rule.to_string()>
                            {first.map(|id| view! {
                                <button type="button" class="link-button" on:click=move |_| state.open_chart(&id)>{format!("[{charts}]")}</button>
                            })}
                            " "<code>{diagnostic.path.clone()}</code>" "{diagnostic.message.clone()}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let counts = move || {
        state.env_diagnostics.with(|all| {
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            format!("{errors} errors · {} warnings", all.len() - errors)
        })
    };
    // The picture is plan.svg's own bytes, shown as an image (no inline style, nothing to run).
    let picture = move || {
        state.env_resolved.with(|resolved| {
            resolved.as_ref().map(|resolved| {
                state
                    .env_diagnostics
                    .with(|diagnostics| plan_svg_data_url(resolved, diagnostics))
            })
        })
    };

    view! {
        <div class="form-header">
            <h2 class="panel-title" id="form-title">"Environment"</h2>
            <p class="chart-description">"Several charts deployed together for one tenant or site: the facts they share are entered once below and applied to every member's form, where a chart's own value still wins (and is reported). The plan installs the members in the platform guide's order."</p>
        </div>
        <div class="env-body">
            <section class="form-section">
                <label class="inline-field" for="env-name">"Environment name (a DNS-1123 label; names the GitOps objects)"
                    <input class="text-input" id="env-name" type="text" spellcheck="false"
                        prop:value=move || state.environment.with(|setup| setup.name.clone())
                        on:input=move |event| { let name = event_target_value(&event); state.environment.update(|setup| setup.name = name); }/>
                </label>
                <h3>"Charts"</h3>
                <ul class="env-members">{members}</ul>
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
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PlanTab {
    Sh,
    Ps1,
    Report,
    EnvFile,
}

/// The secrets of every member redacted, for the on-screen preview of the scripts.
fn masked(resolved: &Resolved) -> Resolved {
    let mut masked = resolved.clone();
    for entry in &mut masked.charts {
        entry.answers = redacted_secrets(&entry.answers);
    }
    masked
}

/// The right column in environment mode: the plan's files, its blocking reasons and downloads,
/// and the environment file and link.
#[component]
pub fn EnvironmentPlan() -> impl IntoView {
    let state = use_app_state();
    let tab = RwSignal::new(PlanTab::Sh);
    let gitops = RwSignal::new(String::new());
    let helm3 = RwSignal::new(false);
    let string_data = RwSignal::new(false);
    let reveal = state.reveal_secrets;
    let link = RwSignal::new(None::<String>);
    let opened = RwSignal::new(None::<Result<String, String>>);
    // The same certificate input as a chart's export (and the same stored certificate). The
    // plan is sealed when downloaded, not on every keystroke: RSA per Secret of every member.
    let sealing = Sealing::new(state);
    let seal_plan_too = RwSignal::new(false);
    let seal_problem = RwSignal::new(None::<String>);
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
    let blocking = Memo::new(move |_| {
        let mut reasons = state.env_resolved.with(|resolved| match resolved {
            None => vec!["the environment has no chart yet".to_string()],
            Some(resolved) => state
                .env_diagnostics
                .with(|diagnostics| plan_blocking_reasons(resolved, diagnostics)),
        });
        state.environment.with(|setup| {
            reasons.extend(
                setup
                    .fact_problems()
                    .into_iter()
                    .map(|(_, message)| message),
            )
        });
        reasons
    });
    let preview = Memo::new(move |_| {
        let options = options.get();
        let which = tab.get();
        if which == PlanTab::EnvFile {
            return state
                .env_resolved
                .with(|_| environment_yaml(&without_secrets(&current_file(state))));
        }
        state.env_resolved.with(|resolved| {
            let Some(resolved) = resolved else {
                return String::new();
            };
            let shown = if reveal.get() {
                None
            } else {
                Some(masked(resolved))
            };
            match which {
                PlanTab::Report => pecfg_core::environment::plan_report(resolved, &options),
                PlanTab::Sh => match shown {
                    None => pecfg_core::environment::install_sh(resolved, &options),
                    Some(masked) => guard_preview(
                        PreviewKind::Shell,
                        pecfg_core::environment::install_sh(&masked, &options),
                        &pecfg_core::environment::install_sh(resolved, &options),
                    ),
                },
                PlanTab::Ps1 => match shown {
                    None => pecfg_core::environment::install_ps1(resolved, &options),
                    Some(masked) => guard_preview(
                        PreviewKind::PowerShell,
                        pecfg_core::environment::install_ps1(&masked, &options),
                        &pecfg_core::environment::install_ps1(resolved, &options),
                    ),
                },
                PlanTab::EnvFile => String::new(),
            }
        })
    });
    let download_plan = move |_| {
        if !blocking.with_untracked(Vec::is_empty) {
            return;
        }
        state.env_resolved.with_untracked(|resolved| {
            let Some(resolved) = resolved else {
                return;
            };
            let options = options.get_untracked();
            let sealed = if seal_plan_too.get_untracked() {
                let Some(Ok(cert)) = sealing.cert.get_untracked() else {
                    seal_problem.set(Some(
                        "give a usable certificate to seal the plan, or untick sealing".into(),
                    ));
                    return;
                };
                let Some(mut rng) = BrowserRng::new() else {
                    seal_problem.set(Some("this browser has no crypto.getRandomValues".into()));
                    return;
                };
                let sealed = pecfg_core::environment::seal_plan(
                    resolved,
                    &options,
                    &cert,
                    sealing.scope.get_untracked(),
                    &mut rng,
                );
                match sealed {
                    Ok(_) if rng.failed() => {
                        seal_problem.set(Some(
                            "the browser gave no random bytes: nothing was sealed".into(),
                        ));
                        return;
                    }
                    Ok(sealed) => sealed,
                    Err(message) => {
                        seal_problem.set(Some(message));
                        return;
                    }
                }
            } else {
                Vec::new()
            };
            seal_problem.set(None);
            let files = plan_files_sealed(resolved, &options, &sealed);
            download(
                &plan_zip_name(resolved),
                "application/zip",
                &zip_bytes(&files),
            );
        });
    };
    let save_file = move |_| {
        let file = without_secrets(&current_file(state));
        let name = if pecfg_core::kinds::is_dns1123_label(&file.environment) {
            format!("{}-environment.yaml", file.environment)
        } else {
            "environment.yaml".to_string()
        };
        download(&name, "text/yaml", environment_yaml(&file).as_bytes());
    };
    let load = move |text: String| match parse_environment(&text) {
        Ok(file) => {
            let summary = format!(
                "Opened environment {} with {} chart(s).",
                file.environment,
                file.charts.len()
            );
            apply_file(state, file);
            opened.set(Some(Ok(summary)));
        }
        // Nothing changes: the page keeps what it had.
        Err(message) => opened.set(Some(Err(message))),
    };
    let on_file = move |event: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file_text(file, load);
        }
        input.set_value("");
    };
    let make_link = move |_| match encode_environment_fragment(&current_file(state)) {
        Ok(fragment) => {
            let url = format!("{}#{fragment}", page_url_without_fragment());
            copy_to_clipboard(&url);
            link.set(Some(url));
        }
        Err(message) => link.set(Some(message)),
    };
    let tabs = [
        (PlanTab::Sh, INSTALL_SH, "plan-tab-install-sh"),
        (PlanTab::Ps1, INSTALL_PS1, "plan-tab-install-ps1"),
        (PlanTab::Report, "report", "plan-tab-report"),
        (PlanTab::EnvFile, "environment file", "plan-tab-environment"),
    ]
    .into_iter()
    .map(|(which, label, id)| {
        view! {
            <button type="button" role="tab" class="tab" id=id aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{label}</button>
        }
    })
    .collect_view();
    let zip_label = move || {
        state.env_resolved.with(|resolved| {
            resolved.as_ref().map_or_else(
                || "Download plan".to_string(),
                |resolved| format!("Download plan ({})", plan_zip_name(resolved)),
            )
        })
    };

    view! {
        <h2 class="panel-title">"Install plan"</h2>
        <div class="export-options">
            <label class="inline-field" for="plan-gitops">"GitOps manifests"
                <select id="plan-gitops" class="text-input" on:change=move |event| gitops.set(event_target_value(&event))>
                    <option value="" selected=true>"none (scripts only)"</option>
                    <option value="argocd">"Argo CD Applications"</option>
                    <option value="flux">"Flux HelmReleases"</option>
                </select>
            </label>
            <label class="toggle"><input type="checkbox" id="plan-helm3" prop:checked=move || helm3.get()
                on:change=move |event| helm3.set(event_target_checked(&event))/>" Helm 3 flags"</label>
            <label class="toggle"><input type="checkbox" id="plan-string-data" prop:checked=move || string_data.get()
                on:change=move |event| string_data.set(event_target_checked(&event))/>" Secrets as stringData"</label>
            <label class="toggle"><input type="checkbox" id="plan-reveal" prop:checked=move || reveal.get()
                on:change=move |event| reveal.set(event_target_checked(&event))/>" Show secret values"</label>
        </div>
        <label class="toggle"><input type="checkbox" id="plan-seal" prop:checked=move || seal_plan_too.get()
            on:change=move |event| seal_plan_too.set(event_target_checked(&event))/>" Seal every Secret for Git (SealedSecrets: <chart>-sealed-secrets.yaml, and under gitops/ with a GitOps option)"</label>
        <Show when=move || seal_plan_too.get()><SealingCertInput sealing=sealing/></Show>
        {move || seal_problem.get().map(|message| view! { <p class="yaml-error" role="alert" id="plan-seal-error">{format!("Not downloaded: {message}")}</p> })}
        <div class="export-actions">
            <button type="button" class="small-button" id="plan-download" disabled=move || !blocking.with(Vec::is_empty) on:click=download_plan>{zip_label}</button>
        </div>
        {move || blocking.with(|reasons| (!reasons.is_empty()).then(|| view! {
            <div class="blocked-reason" role="status" id="plan-blocked">
                <p>"The plan cannot be downloaded yet:"</p>
                <ul>{reasons.iter().take(6).map(|reason| view! { <li>{reason.clone()}</li> }).collect_view()}</ul>
                {(reasons.len() > 6).then(|| view! { <p>{format!("… and {} more: see Checks, or open each chart's form.", reasons.len() - 6)}</p> })}
            </div>
        }))}
        <div role="tablist" class="tabs" aria-label="Plan files">{tabs}</div>
        <pre class="preview" id="plan-preview" tabindex="0" aria-label="Plan file preview"><code inner_html=move || highlight_html(&preview.get())></code></pre>
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
        {move || link.get().map(|url| view! {
            <label for="env-share-url" class="visually-hidden">"Environment link"</label>
            <input id="env-share-url" class="text-input" type="text" readonly prop:value=url/>
        })}
        <p class="field-source">"Run with pecfg: pecfg plan --environment FILE --out DIR (the same plan)."</p>
    }
}

/// Above a member chart's form: which environment it belongs to, what the shared facts filled
/// in, and where the chart keeps its own value instead.
#[component]
pub fn EnvironmentBanner() -> impl IntoView {
    let state = use_app_state();
    let member = move || {
        let id = state.chart_id.get();
        state.environment.with(|setup| setup.has(&id))
    };
    view! {
        <Show when=member>
            <div class="env-banner" id="env-banner" role="note">
                <p>
                    {move || state.environment.with(|setup| format!("Part of environment {}: ", setup.name))}
                    {move || state.shared_report.with(|(applied, _)| if applied.is_empty() {
                        "no shared fact applies yet.".to_string()
                    } else {
                        format!("shared facts fill {}.", applied.iter().map(|a| format!("{} ({})", a.target, a.fact)).collect::<Vec<_>>().join(", "))
                    })}
                    " "
                    <button type="button" class="link-button" id="env-back" on:click=move |_| state.page.set(Page::Environment)>"Back to the environment"</button>
                </p>
                {move || state.shared_report.with(|(_, overridden)| (!overridden.is_empty()).then(|| view! {
                    <p class="message warning">{format!("This chart keeps its own value instead of the shared fact at: {}.", overridden.iter().map(|a| format!("{} ({})", a.target, a.fact)).collect::<Vec<_>>().join(", "))}</p>
                }))}
            </div>
        </Show>
    }
}
