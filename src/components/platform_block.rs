//! The platform block, first on every chart: namespace, release name (derived by the chart's rule), registry, pull secret and priority class.

use leptos::prelude::*;
use pecfg_core::catalog::registry::platform;
use pecfg_core::catalog::{Chart, SecretType};
use pecfg_core::listing::secret_inputs;
use pecfg_core::session::Change;
use pecfg_core::values::derived_release_name;
use serde_yaml::Value;

use crate::components::doc_text::{DocText, GuideSource};
use crate::components::field::{Field, FieldMessages};
use crate::components::secret_input::SecretField;
use crate::components::widgets::ShownText;
use crate::state::use_app_state;

/// Catalog paths shown in the platform block instead of their own section.
pub fn platform_paths(chart: &Chart) -> Vec<&str> {
    [
        &chart.platform.image_registry,
        &chart.platform.image_pull_secrets,
        &chart.platform.priority_class_name,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect()
}

#[component]
pub fn PlatformBlock(chart: &'static Chart) -> impl IntoView {
    let state = use_app_state();
    let derived_release = Memo::new(move |_| {
        state
            .with_session(|session| derived_release_name(chart, &session.evaluation().merged))
            .flatten()
    });
    let release_placeholder = move || match derived_release.get() {
        Some(name) => name,
        None => format!(
            "{} (fill in {} first)",
            chart.release.pattern,
            chart.release.from_path.clone().unwrap_or_default()
        ),
    };
    // Memos: the answers change on every keystroke anywhere in the form, these two rarely, and
    // an input written only when its text differs from what it shows (`ShownText`).
    let namespace = Memo::new(move |_| {
        state
            .with_session(|session| session.answers().namespace.clone())
            .flatten()
            .unwrap_or_default()
    });
    let release = Memo::new(move |_| {
        state
            .with_session(|session| session.answers().release.clone())
            .flatten()
            .unwrap_or_default()
    });
    let (namespace_shown, namespace_value) = ShownText::new(namespace.into());
    let (release_shown, release_value) = ShownText::new(release.into());
    let on_namespace = move |event| {
        let text = event_target_value(&event);
        namespace_shown.typed(&text);
        let _ = state.apply(Change::Namespace(Some(text)));
    };
    let on_release = move |event| {
        let text = event_target_value(&event);
        release_shown.typed(&text);
        let _ = state.apply(Change::Release(Some(text)));
    };
    let namespace_doc = if chart.namespace.doc.is_empty() {
        "From the platform guide's namespace table.".to_string()
    } else {
        chart.namespace.doc.clone()
    };
    let priority_choices: Vec<Value> = platform()
        .map(|platform| platform.priority_classes.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|class| Value::String(class.name.clone()))
        .collect();
    let platform_fields = platform_paths(chart)
        .into_iter()
        .filter_map(|path| chart.param(path))
        .map(|param| {
            let choices = (Some(&param.path) == chart.platform.priority_class_name.as_ref())
                .then(|| priority_choices.clone());
            view! { <Field chart=chart param=param choices=choices.unwrap_or_default()/> }
        })
        .collect_view();
    let pull_secret_fields = secret_inputs(chart)
        .into_iter()
        .filter(|input| {
            chart.secrets.iter().any(|secret| {
                secret.name == input.secret_name
                    && secret.secret_type == SecretType::DockerConfigJson
            })
        })
        .map(|input| view! { <SecretField input=input/> })
        .collect_view();

    view! {
        <section class="platform-block form-section-static" id="section-platform" aria-labelledby="platform-title">
            <h3 id="platform-title">"Platform"</h3>
            <form class="field" data-path="namespace" on:submit=|event| event.prevent_default()>
                <div class="field-head"><label class="field-label" for="field-namespace">"Namespace"</label></div>
                <input id="field-namespace" class="text-input" type="text" spellcheck="false" autocomplete="off"
                    placeholder=chart.namespace.value.clone() node_ref=namespace_shown.node prop:value=namespace_value on:input=on_namespace/>
                <FieldMessages path="namespace".to_string()/>
                <p class="field-doc"><DocText text=namespace_doc/></p>
                <GuideSource chart=chart source=&chart.namespace.source/>
            </form>
            <form class="field" data-path="release" on:submit=|event| event.prevent_default()>
                <div class="field-head"><label class="field-label" for="field-release">"Release name"</label></div>
                <input id="field-release" class="text-input" type="text" spellcheck="false" autocomplete="off"
                    placeholder=release_placeholder node_ref=release_shown.node prop:value=release_value on:input=on_release/>
                <FieldMessages path="release".to_string()/>
                <p class="field-doc"><DocText text=chart.release.doc.clone()/></p>
                <GuideSource chart=chart source=&chart.release.source/>
            </form>
            {platform_fields}
            {pull_secret_fields}
        </section>
    }
}
