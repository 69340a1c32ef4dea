//! Secret input: masked with a reveal toggle, marked as going to a Secret and never to values.yaml. Its value lives only in memory.

use leptos::prelude::*;
use pecfg_core::answers::{secret_text, set_secret};
use pecfg_core::listing::SecretInput;

use crate::components::field::input_dom_id;
use crate::state::use_app_state;

#[component]
pub fn SecretField(input: SecretInput) -> impl IntoView {
    let state = use_app_state();
    let revealed = RwSignal::new(false);
    let input_id = input_dom_id(&input.path);
    let (name, key, field) = (
        input.secret_name.clone(),
        input.secret_key.clone(),
        input.field.clone(),
    );
    let current = {
        let (name, key, field) = (name.clone(), key.clone(), field.clone());
        Memo::new(move |_| {
            state
                .current
                .with(|answers| secret_text(&answers.secrets, &name, &key, field.as_deref()))
        })
    };
    let on_input = move |event| {
        let text = event_target_value(&event);
        state.update_answers(|answers| {
            set_secret(&mut answers.secrets, &name, &key, field.as_deref(), &text)
        });
    };
    let multiline_hint = input.kind == "secret";
    // Secret fields follow the same search and view filters as the value fields.
    let visible = {
        let (path, label, doc, required) = (
            input.path.to_lowercase(),
            input.label.to_lowercase(),
            input.doc.to_lowercase(),
            input.required,
        );
        Memo::new(move |_| {
            let query = state.search.get().trim().to_lowercase();
            let matches = query.is_empty()
                || path.contains(&query)
                || label.contains(&query)
                || doc.contains(&query);
            let changed_ok = !state.changed_only.get() || !current.get().is_empty();
            let essentials_ok = !state.essentials_only.get() || required;
            matches && changed_ok && essentials_ok
        })
    };
    view! {
        <div class="field secret-field" class:hidden=move || !visible.get() class:changed=move || !current.get().is_empty()
            data-path=input.path.clone() data-kind="secret">
            <div class="field-head">
                <label class="field-label" for=input_id.clone()>
                    {input.label.clone()}
                    {input.required.then(|| view! { <span class="required" title="required">" *"</span> })}
                </label>
                <span class="secret-badge">"goes to a Secret, not to values.yaml"</span>
            </div>
            <div class="field-path-row">
                <code class="field-path">{format!("Secret {} · key {}", input.secret_name, input.secret_key)}</code>
                {input.field.clone().map(|field| view! { <code>{format!("field {field}")}</code> })}
            </div>
            <div class="input-row">
                <input
                    id=input_id
                    class="text-input"
                    type=move || if revealed.get() { "text" } else { "password" }
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || current.get()
                    on:input=on_input
                />
                <button type="button" class="small-button" aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|shown| *shown = !*shown)>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                </button>
            </div>
            {multiline_hint.then(|| view! { <span class="field-source">"Kept in memory only: never saved, shared or logged."</span> })}
            <p class="field-doc">{input.doc.clone()}</p>
            <span class="field-source">{input.source.clone()}</span>
        </div>
    }
}
