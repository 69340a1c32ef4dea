//! One collapsible section of the form with its counts (changed, errors, warnings) and a reset for the whole section.

use leptos::prelude::*;
use pecfg_core::catalog::{Chart, Param, Section};
use pecfg_core::state::{reset_section, FieldState};
use pecfg_core::validation::Severity;
use serde_yaml::Value;

use crate::components::field::{param_is_visible, Field};
use crate::state::{section_of, use_app_state};

pub fn section_dom_id(section_id: &str) -> String {
    format!(
        "section-{}",
        section_id.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

#[component]
pub fn SectionView(
    chart: &'static Chart,
    section: &'static Section,
    params: Vec<&'static Param>,
) -> impl IntoView {
    let state = use_app_state();
    let counts = Memo::new(move |_| {
        state.diagnostics.with(|diagnostics| {
            let mine = diagnostics
                .iter()
                .filter(|d| section_of(chart, &d.path) == Some(section.id.as_str()));
            let (mut errors, mut warnings) = (0, 0);
            for diagnostic in mine {
                match diagnostic.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                }
            }
            (errors, warnings)
        })
    });
    // Reads each field's own override signal, so only a changed field wakes this section.
    let field_overrides: Vec<_> = params
        .iter()
        .map(|param| (*param, state.field(&param.path).overridden))
        .collect();
    let any_visible = Memo::new(move |_| {
        let (search, changed, essentials) = (
            state.search.get(),
            state.changed_only.get(),
            state.essentials_only.get(),
        );
        field_overrides.iter().any(|(param, overridden)| {
            let status = match overridden.get() {
                None => FieldState::Default,
                Some(Value::Null) => FieldState::Cleared,
                Some(_) => FieldState::Set,
            };
            param_is_visible(param, &search, changed, essentials, status)
        })
    });
    let total = params.len();
    let fields = params
        .into_iter()
        .map(|param| view! { <Field param=param/> })
        .collect_view();
    let reset = move |_| {
        state.update_answers(|answers| reset_section(chart, &mut answers.values, &section.id))
    };
    view! {
        <details class="form-section" id=section_dom_id(&section.id) open=true class:hidden=move || !any_visible.get()>
            <summary>
                <span class="section-title">{section.title.clone()}</span>
                <span class="section-count">{format!("{total} fields")}</span>
                {move || (counts.get().0 > 0).then(|| view! { <span class="badge error">{format!("{} errors", counts.get().0)}</span> })}
                {move || (counts.get().1 > 0).then(|| view! { <span class="badge warning">{format!("{} warnings", counts.get().1)}</span> })}
            </summary>
            {(!section.doc.is_empty()).then(|| view! { <p class="section-doc">{section.doc.clone()}</p> })}
            <button type="button" class="small-button section-reset" on:click=reset>{format!("Reset section {}", section.title)}</button>
            <div class="field-list">{fields}</div>
        </details>
    }
}
