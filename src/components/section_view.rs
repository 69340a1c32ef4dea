//! One collapsible section of the form with its counts (changed, errors, warnings) and a reset for the whole section; its fields are rendered lazily, a block at a time, as they come near the viewport.
//!
//! Why lazy: every live field costs the browser on every keystroke (style, layout and paint over
//! the whole document, and Chromium's per-change form-control work walks every control), and
//! IXN's 143 fields are ~6,000 DOM nodes of which the viewport shows a few (issue 13). So a
//! section holds its fields in blocks of [`BLOCK_FIELDS`]; the form's first block is rendered at
//! once (the whole form on a chart of at most [`EAGER_CHART_FIELDS`]), every other block is an
//! empty placeholder of about its height until an IntersectionObserver sees it within
//! [`NEAR_MARGIN`] of the viewport. A block is never torn
//! down once rendered (focus, list rows and half-typed text live in it). What else reaches a
//! field renders its block first: the search box and the "changed only" / "essentials" filters
//! (every block with a matching field), the table of contents (the whole section) and the checks
//! summary (the field's block, through [`reveal_field`]). The browser's own find-in-page does
//! not see fields not rendered yet; the form's search does.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use pecfg_core::answers::FieldState;
use pecfg_core::catalog::{Chart, Param, Section};
use pecfg_core::session::Change;
use serde_yaml::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::field::Field;
use crate::state::use_app_state;

/// A chart with at most this many fields in its sections renders them all at once: its form is
/// small enough (middleware, tenant-monitor) that laziness would only add placeholders.
pub const EAGER_CHART_FIELDS: usize = 40;
/// Fields per lazily rendered block: about two viewports of fields, so a block near the screen
/// is rendered whole and the rest of a long section (IXN's ixnServer has 29 fields) waits.
const BLOCK_FIELDS: usize = 6;
/// How far outside the viewport a block starts rendering, so scrolling and Tab meet rendered
/// fields, not placeholders.
const NEAR_MARGIN: &str = "75% 0px";
/// The height a placeholder reserves per field (a field is ~230–340 px wide-screen), so the
/// scrollbar and a jump from the table of contents land about where they will after rendering.
/// Set through the CSSOM (`style:`), which the page's CSP allows, unlike a `style` attribute.
const FIELD_HEIGHT_REM: usize = 18;

pub fn section_dom_id(section_id: &str) -> String {
    format!(
        "section-{}",
        section_id.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// The one observer of the page's placeholders, and its callback (kept alive with it).
type Observer = (
    web_sys::IntersectionObserver,
    Closure<dyn FnMut(js_sys::Array)>,
);

/// The page's lazy blocks: one shared IntersectionObserver, and each block's "rendered" flag by
/// the paths of its fields (chart id, NUL, path), so a link to a field can render it first.
#[derive(Default)]
struct Blocks {
    observer: Option<Observer>,
    /// Pending blocks by the number in their `data-lazy` attribute.
    pending: HashMap<u32, RwSignal<bool>>,
    by_path: HashMap<String, RwSignal<bool>>,
    next: u32,
}

thread_local! {
    static BLOCKS: RefCell<Blocks> = RefCell::default();
}

fn block_key(chart_id: &str, path: &str) -> String {
    format!("{chart_id}\u{0}{path}")
}

/// The observer, created on first use: each pending block seen near the viewport is rendered
/// and no longer watched.
fn observer() -> Option<web_sys::IntersectionObserver> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        if let Some((observer, _)) = &blocks.observer {
            return Some(observer.clone());
        }
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
            let mut seen = Vec::new();
            for entry in entries.iter() {
                let entry: web_sys::IntersectionObserverEntry = entry.unchecked_into();
                if entry.is_intersecting() {
                    seen.push(entry.target());
                }
            }
            let flags: Vec<_> = BLOCKS.with(|blocks| {
                let mut blocks = blocks.borrow_mut();
                seen.iter()
                    .filter_map(|target| {
                        if let Some((observer, _)) = &blocks.observer {
                            observer.unobserve(target);
                        }
                        let id = target.get_attribute("data-lazy")?.parse().ok()?;
                        blocks.pending.remove(&id)
                    })
                    .collect()
            });
            // Outside the borrow: setting a flag renders the block's fields.
            for flag in flags {
                flag.set(true);
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(NEAR_MARGIN);
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        )
        .ok()?;
        blocks.observer = Some((observer.clone(), callback));
        Some(observer)
    })
}

/// Renders the block holding `path` (a parameter's path, or a path inside it such as
/// `list[2].name`) of the chart's form, if it is not yet; true when the path names a block.
/// The caller waits a tick before scrolling to or focusing what it rendered.
pub fn reveal_field(chart: &'static Chart, path: &str) -> bool {
    let flag = BLOCKS.with(|blocks| {
        let blocks = blocks.borrow();
        let mut candidate = path;
        loop {
            if let Some(flag) = blocks.by_path.get(&block_key(&chart.id, candidate)) {
                return Some(*flag);
            }
            let cut = candidate.rfind(['.', '['])?;
            candidate = &candidate[..cut];
        }
    });
    match flag {
        Some(flag) => {
            if !flag.get_untracked() {
                flag.set(true);
            }
            true
        }
        None => false,
    }
}

/// Renders every block of a section: the table of contents jumps there to show that section.
pub fn reveal_section(chart: &'static Chart, section_id: &str) {
    for param in chart
        .params
        .iter()
        .filter(|param| param.section == section_id)
    {
        reveal_field(chart, &param.path);
    }
}

/// Scrolls to (and with `focus`, focuses) an element after the blocks just revealed are in
/// the DOM: Leptos renders on its scheduler, so the element may not exist yet.
pub fn after_render(action: impl FnOnce() + 'static) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        action();
    });
}

fn status_of(overridden: Option<&Value>) -> FieldState {
    match overridden {
        None => FieldState::Default,
        Some(Value::Null) => FieldState::Cleared,
        Some(_) => FieldState::Set,
    }
}

/// A run of up to [`BLOCK_FIELDS`] fields: rendered at once when `eager`, else a placeholder
/// until it comes near the viewport, a filter matches one of its fields, or a link reveals it.
#[component]
fn FieldBlock(chart: &'static Chart, params: Vec<&'static Param>, eager: bool) -> impl IntoView {
    let state = use_app_state();
    let rendered = RwSignal::new(eager);
    let count = params.len();
    let keys: Vec<String> = params
        .iter()
        .map(|param| block_key(&chart.id, &param.path))
        .collect();
    let id = BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        for key in &keys {
            blocks.by_path.insert(key.clone(), rendered);
        }
        blocks.next += 1;
        blocks.next
    });
    let node = NodeRef::<leptos::html::Div>::new();
    if !eager {
        // Watched from the moment the placeholder is in the DOM.
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                if !rendered.get_untracked() {
                    BLOCKS.with(|blocks| blocks.borrow_mut().pending.insert(id, rendered));
                    if let Some(observer) = observer() {
                        observer.observe(&element);
                    }
                }
            }
        });
        // A filter that matches a field here shows it, wherever the block is.
        let overrides: Vec<_> = params
            .iter()
            .map(|param| (*param, state.field(&param.path).overridden))
            .collect();
        Effect::new(move |_| {
            // Whether any filter narrows the form: then every block with a match is rendered,
            // so the filter shows all it finds.
            let filters = state.filters();
            if rendered.get() || !filters.narrows() {
                return;
            }
            let matched = overrides.iter().any(|(param, overridden)| {
                let status = overridden.with(|value| status_of(value.as_ref()));
                filters.shows(param, status)
            });
            if matched {
                rendered.set(true);
            }
        });
    }
    on_cleanup(move || {
        BLOCKS.with(|blocks| {
            let mut blocks = blocks.borrow_mut();
            if blocks.pending.remove(&id).is_some() {
                if let (Some((observer, _)), Some(element)) =
                    (&blocks.observer, node.get_untracked())
                {
                    observer.unobserve(&element);
                }
            }
            for key in &keys {
                blocks.by_path.remove(key);
            }
        })
    });
    // Rendered once, then kept: the flag never goes back to false.
    let fields = move || {
        rendered.get().then(|| {
            params
                .iter()
                .map(|param| view! { <Field chart=chart param=*param/> })
                .collect_view()
        })
    };
    view! {
        <div class="field-block" node_ref=node data-lazy=id data-pending=move || (!rendered.get()).then_some("")
            style:min-height=move || (!rendered.get()).then(|| format!("{}rem", count * FIELD_HEIGHT_REM))>
            {fields}
        </div>
    }
}

#[component]
pub fn SectionView(
    chart: &'static Chart,
    section: &'static Section,
    params: Vec<&'static Param>,
    /// How many of the section's blocks are rendered at once (the rest wait to come near).
    #[prop(optional)]
    eager_blocks: usize,
) -> impl IntoView {
    let state = use_app_state();
    let count = state.section_count(&section.id);
    // Reads each field's own override signal, so only a changed field wakes this section.
    let field_overrides: Vec<_> = params
        .iter()
        .map(|param| (*param, state.field(&param.path).overridden))
        .collect();
    let any_visible = Memo::new(move |_| {
        let filters = state.filters();
        field_overrides.iter().any(|(param, overridden)| {
            let status = overridden.with(|value| status_of(value.as_ref()));
            filters.shows(param, status)
        })
    });
    let total = params.len();
    let blocks = params
        .chunks(BLOCK_FIELDS)
        .enumerate()
        .map(|(index, block)| {
            view! { <FieldBlock chart=chart params=block.to_vec() eager={index < eager_blocks}/> }
        })
        .collect_view();
    let reset = move |_| {
        crate::components::undo::with_undo(
            state,
            &format!("Section {} is back to its defaults.", section.title),
            Change::ResetSection {
                section: section.id.clone(),
            },
        );
    };
    view! {
        <details class="form-section" id=section_dom_id(&section.id) open=true class:hidden=move || !any_visible.get()>
            <summary>
                <span class="section-title">{section.title.clone()}</span>
                <span class="section-count">{format!("{total} fields")}</span>
                {move || (count.get().errors > 0).then(|| view! { <span class="badge error">{format!("{} errors", count.get().errors)}</span> })}
                {move || (count.get().warnings > 0).then(|| view! { <span class="badge warning">{format!("{} warnings", count.get().warnings)}</span> })}
            </summary>
            {(!section.doc.is_empty()).then(|| view! { <p class="section-doc">{section.doc.clone()}</p> })}
            <button type="button" class="small-button section-reset" on:click=reset>{format!("Reset section {}", section.title)}</button>
            <div class="field-list">{blocks}</div>
        </details>
    }
}
