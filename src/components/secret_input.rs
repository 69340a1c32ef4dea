//! Secret input: masked with a reveal toggle, marked as going to a Secret and never to values.yaml. Its value lives only in memory.

use leptos::prelude::*;
use pecfg_core::answers::secret_text;
use pecfg_core::listing::SecretInput;
use pecfg_core::session::Change;

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
                .with_session(|session| {
                    secret_text(&session.answers().secrets, &name, &key, field.as_deref())
                })
                .unwrap_or_default()
        })
    };
    let on_input = move |event| {
        let _ = state.apply(Change::Secret {
            name: name.clone(),
            key: key.clone(),
            field: field.clone(),
            text: event_target_value(&event),
        });
    };
    let multiline_hint = input.kind == "secret";
    // Secret fields follow the same search and view filters as the value fields.
    let visible = {
        let input = input.clone();
        Memo::new(move |_| {
            state
                .filters()
                .shows_secret(&input, !current.get().is_empty())
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
            {multiline_hint.then(|| view! { <span class="field-source">"Kept in memory only: never saved, shared or logged; a reload forgets it."</span> })}
            <p class="field-doc">{input.doc.clone()}</p>
            <span class="field-source">{input.source.clone()}</span>
        </div>
    }
}
