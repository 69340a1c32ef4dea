//! The form of one chart: the platform block, the toolbar (search, changed only, essentials, reset), a sticky table of contents and every section.

use leptos::prelude::*;
use pecfg_core::catalog::{Chart, SecretType, Section};
use pecfg_core::listing::secret_inputs;
use pecfg_core::session::Change;

use crate::components::platform_block::{platform_paths, PlatformBlock};
use crate::components::secret_input::SecretField;
use crate::components::section_view::{SectionView, EAGER_CHART_FIELDS};
use crate::components::table_of_contents::TableOfContents;
use crate::state::use_app_state;

#[component]
pub fn FormArea(chart: &'static Chart) -> impl IntoView {
    let state = use_app_state();
    let in_platform_block = platform_paths(chart);
    let in_sections = |section: &Section| {
        chart
            .params
            .iter()
            .filter(|param| {
                param.section == section.id && !in_platform_block.contains(&param.path.as_str())
            })
            .collect::<Vec<_>>()
    };
    // The first section with fields shows its first block at once, a small chart every block;
    // the rest render as they come near the viewport (section_view.rs).
    let small = chart
        .sections
        .iter()
        .map(|section| in_sections(section).len())
        .sum::<usize>()
        <= EAGER_CHART_FIELDS;
    let mut first = true;
    let sections = chart
        .sections
        .iter()
        .map(|section| {
            let params = in_sections(section);
            let eager_blocks = if small {
                usize::MAX
            } else if first && !params.is_empty() {
                first = false;
                1
            } else {
                0
            };
            view! { <SectionView chart=chart section=section params=params eager_blocks=eager_blocks/> }
        })
        .collect_view();
    let other_secrets: Vec<_> = secret_inputs(chart)
        .into_iter()
        .filter(|input| {
            chart.secrets.iter().any(|secret| {
                secret.name == input.secret_name
                    && secret.secret_type != SecretType::DockerConfigJson
            })
        })
        .collect();
    let secrets_section = (!other_secrets.is_empty()).then(|| {
        let fields = other_secrets.into_iter().map(|input| view! { <SecretField input=input/> }).collect_view();
        view! {
            <details class="form-section" id="section-secrets" open=true>
                <summary><span class="section-title">"Secrets"</span></summary>
                <p class="section-doc">"Values for the Kubernetes Secrets this chart reads. They go into secrets.yaml and the commands only, and are kept in memory only: a reload, or closing the page, forgets them (drafts, links and saved answers never hold them)."</p>
                <div class="field-list">{fields}</div>
            </details>
        }
    });
    // Settings the guide describes without the chart's key: shown apart, with no input, so that
    // nothing is ever written under an invented key.
    let concepts_section = (!chart.concepts.is_empty()).then(|| {
        let items = chart
            .concepts
            .iter()
            .map(|concept| {
                view! {
                    <li class="concept"><strong>{concept.name.clone()}</strong>": "{concept.doc.clone()}</li>
                }
            })
            .collect_view();
        view! {
            <details class="form-section" id="section-concepts">
                <summary><span class="section-title">"Settings without a documented key"</span></summary>
                <p class="section-doc">"The guide describes these settings but not the chart's key for them, so they have no field and are never written to values.yaml; set them in the chart's own values.yaml once you know its key."</p>
                <ul class="concept-list">{items}</ul>
            </details>
        }
    });
    // A draft came back without its secret values: say so where the form comes back, once.
    let secret_count = secret_inputs(chart).len();
    let restore_notice =
        RwSignal::new(secret_count > 0 && crate::persistence::draft_restored(&chart.id));
    let restore_text = format!(
        "Your draft of {} was restored from this browser. Secret values are never stored, so {} empty again: enter {} before you download.",
        chart.name,
        if secret_count == 1 { "the secret value is" } else { "its secret values are" },
        if secret_count == 1 { "it" } else { "them" },
    );
    let reset_chart = move |_| {
        crate::components::undo::with_undo(
            state,
            &format!("{} is back to a new form.", chart.name),
            Change::ResetChart,
        );
    };

    view! {
        <div class="form-header">
            <h2 class="panel-title" id="form-title">{chart.name.clone()}</h2>
            <p class="chart-description">{chart.description.clone()}</p>
        </div>
        <Show when=move || restore_notice.get()>
            <div class="restore-notice" id="restore-notice" role="note">
                <span>{restore_text.clone()}</span>" "
                <button type="button" class="small-button" on:click=move |_| {
                    restore_notice.set(false);
                    crate::browser::scroll_to("section-secrets");
                }>"Go to the secrets"</button>
                <button type="button" class="link-button" aria-label="Dismiss" on:click=move |_| restore_notice.set(false)>"×"</button>
            </div>
        </Show>
        // A form of its own, as every field is (see `Field`): typing in the search box then
        // costs Chromium's autofill this form's controls, not every control of the page.
        <form class="toolbar" role="search" on:submit=|event| event.prevent_default()>
            <label class="visually-hidden" for="field-search">"Search fields"</label>
            <input id="field-search" type="search" class="text-input search" placeholder="Search by path, label or doc"
                prop:value=move || state.search() on:input=move |event| state.set_search(event_target_value(&event))/>
            <label class="toggle"><input type="checkbox" id="changed-only" prop:checked=move || state.changed_only()
                on:change=move |event| state.set_changed_only(event_target_checked(&event))/>" Changed only"</label>
            <label class="toggle"><input type="checkbox" id="essentials-only" prop:checked=move || state.essentials_only()
                on:change=move |event| state.set_essentials_only(event_target_checked(&event))/>" Required and essentials only"</label>
            <button type="button" class="small-button" id="reset-chart" on:click=reset_chart>"Reset chart"</button>
        </form>
        <div class="form-body">
            <TableOfContents chart=chart/>
            <div class="form-sections">
                <PlatformBlock chart=chart/>
                {sections}
                {secrets_section}
                {concepts_section}
            </div>
        </div>
    }
}
