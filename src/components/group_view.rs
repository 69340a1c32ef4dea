//! The unit-group view: a group file opened or typed in, its units as cards by region (the primary marked), its tenants and where they run, the findings across units, the rollout and the picture; and the side panel with the group plan's downloads, the saved file and the `#g1.` link.
//!
//! The group is a capability of the tools module, like the environment: the page holds only the
//! file's text (in memory: a draft would be the file written back without its secrets, comments
//! and anchors, so a reload would silently replace the user's own text) and draws what the module
//! answers (`protocol::GroupView`). Every decision — the boundary, the checks, the files, what is
//! secret — is the core's, so the page writes `pecfg plan --group`'s bytes.

use leptos::prelude::*;
use pecfg_core::diagnostic::Severity;
use pecfg_core::session::protocol::{Download, GroupView as View, Request, SavedText};
use pecfg_core::session::{PlanFileView, RegionView, UnitView};

use crate::browser::{copy_to_clipboard, download, download_base64, read_file_text};
use crate::capability::{tools, ModuleStatus, TOOLS};
use crate::components::diagnostics_list::count_text;
use crate::components::plan_options::{plan_seal, BlockedReasons, PlanChoices, PlanOptionInputs};
use crate::components::sealed_export::{Sealing, SealingCertInput};
use crate::persistence::page_url_without_fragment;
use crate::state::use_app_state;

/// Typing pauses this long before the text is read again: a large group takes the tools module
/// a noticeable moment to read, resolve and check, which must not sit on every keystroke.
const CHECK_DELAY_MS: u64 = 300;

/// The group as the page holds it: the text shown, the text last handed to the tools module, and
/// what the module made of it. Provided at the root, so the group stays while other pages show.
#[derive(Clone, Copy)]
pub struct GroupStore {
    /// What the text area shows.
    text: RwSignal<String>,
    /// The text last read (after a pause in typing, or at once when opened or linked).
    checked: RwSignal<String>,
    /// The view of `checked`: `None` while there is no text or the module is loading.
    view: Memo<Option<Result<View, String>>>,
    /// The last view made of a text that read, shown while the text now is refused.
    last_good: Memo<Option<View>>,
    /// What the last open (file or link) did.
    opened: RwSignal<Option<Result<String, String>>>,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl GroupStore {
    pub fn new() -> GroupStore {
        let checked = RwSignal::new(String::new());
        let view = tools::derived::<View>(move || {
            let text = checked.get();
            (!text.trim().is_empty()).then_some(Request::Group { text })
        });
        let last_good = Memo::new(move |previous: Option<&Option<View>>| {
            if checked.with(|text| text.trim().is_empty()) {
                return None;
            }
            match view.get() {
                Some(Ok(view)) => Some(view),
                _ => previous.cloned().flatten(),
            }
        });
        GroupStore {
            text: RwSignal::new(String::new()),
            checked,
            view,
            last_good,
            opened: RwSignal::new(None),
            pending: StoredValue::new(None),
        }
    }

    /// A text typed: shown at once, read once typing pauses.
    pub fn typed(&self, text: String) {
        self.text.set(text);
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        let (text, checked) = (self.text, self.checked);
        let handle = set_timeout_with_handle(
            move || {
                let now = text.get_untracked();
                if checked.with_untracked(|old| *old != now) {
                    checked.set(now);
                }
            },
            std::time::Duration::from_millis(CHECK_DELAY_MS),
        )
        .ok();
        self.pending.set_value(handle);
    }

    /// A whole text opened (a file, a link): shown and read at once.
    pub fn open(&self, text: String, summary: String) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        self.text.set(text.clone());
        self.checked.set(text);
        self.opened.set(Some(Ok(summary)));
    }

    /// A file or link that was not opened: why, and the text shown stays.
    pub fn not_opened(&self, message: String) {
        self.opened.set(Some(Err(message)));
    }

    /// The text the view and every request are made of.
    fn checked_untracked(&self) -> String {
        self.checked.get_untracked()
    }

    /// The view of the current text (tracked).
    pub fn view(&self) -> Option<Result<View, String>> {
        self.view.get()
    }

    /// The picker's line: the group's summary once one has read.
    pub fn summary(&self) -> Option<String> {
        self.last_good
            .with(|view| view.as_ref().map(|view| view.summary.clone()))
    }
}

impl Default for GroupStore {
    fn default() -> Self {
        GroupStore::new()
    }
}

/// The store, from context; a fresh one outside the app (a component test mounting one part).
pub fn use_group_store() -> GroupStore {
    use_context::<GroupStore>().unwrap_or_else(|| {
        let store = GroupStore::new();
        provide_context(store);
        store
    })
}

fn counts_badges(errors: usize, warnings: usize) -> impl IntoView {
    view! {
        {(errors > 0).then(|| view! { <span class="badge error">{count_text(errors, "error", "errors")}</span> })}
        {(warnings > 0).then(|| view! { <span class="badge warning">{count_text(warnings, "warning", "warnings")}</span> })}
        {(errors == 0 && warnings == 0).then(|| view! { <span class="badge ok">"ok"</span> })}
    }
}

fn unit_card(unit: UnitView) -> impl IntoView {
    let role = if unit.primary {
        "\u{2605} primary"
    } else {
        "secondary"
    };
    let facts = unit
        .facts
        .iter()
        .map(|(fact, value)| view! { <li><code>{fact.clone()}</code>": "{value.clone()}</li> })
        .collect_view();
    let tenants = if unit.tenants.is_empty() {
        view! { <p class="field-source">"No tenant runs here."</p> }.into_any()
    } else {
        let items = unit
            .tenants
            .into_iter()
            .map(|placement| {
                view! {
                    <li data-tenant=placement.tenant.clone() class:group-master=placement.master>
                        <strong>{placement.tenant.clone()}</strong>
                        {placement.master.then(|| view! { <span class="badge master-badge" title="this tenant's master location: installed first">"\u{25cf} master"</span> })}
                        " "
                        <span class="chart-meta">{placement.charts.join(", ")}</span>
                        " "
                        {counts_badges(placement.errors, placement.warnings)}
                        <div class="field-source"><code>{placement.folder.clone()}</code></div>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="group-placements">{items}</ul> }.into_any()
    };
    view! {
        <article class="group-unit" class:group-primary=unit.primary data-unit=unit.name.clone() data-role=unit.role.as_str()>
            <header class="group-unit-head">
                <h4>{unit.name.clone()}</h4>
                <span class="badge role-badge">{role}</span>
                {counts_badges(unit.errors, unit.warnings)}
            </header>
            <p class="group-cluster" title="the cluster: its Argo CD server, else its Argo CD name, else its kubeconfig context">{unit.cluster.clone()}</p>
            {(!unit.facts.is_empty()).then(|| view! { <ul class="group-facts">{facts}</ul> })}
            {tenants}
        </article>
    }
}

fn region_section(region: RegionView) -> impl IntoView {
    let note = if region.pair {
        format!("{} units", region.units.len())
    } else {
        "one unit: the guide's unit pair has two".to_string()
    };
    let cards = region.units.into_iter().map(unit_card).collect_view();
    view! {
        <section class="group-region" data-region=region.region.clone()>
            <h4 class="group-region-head">{region.region.clone()}" "<span class="chart-meta">{note}</span></h4>
            <div class="group-cards">{cards}</div>
        </section>
    }
}

/// The middle column in unit-group mode.
#[component]
pub fn GroupView() -> impl IntoView {
    let store = use_group_store();
    let shown = store.last_good;
    let load = move |read: Result<String, String>| match read {
        Ok(text) => {
            let lines = text.lines().count();
            store.open(text, format!("Opened a file of {lines} lines."));
        }
        // Nothing changes on a file that could not be read: the page keeps its text.
        Err(message) => store.not_opened(message),
    };
    let on_file = move |event: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            read_file_text(file, load);
        }
        input.set_value("");
    };
    let refused = move || match store.view() {
        Some(Err(message)) => Some(message),
        _ => None,
    };
    let status = move || {
        if let Some(message) = refused() {
            return Some(
                view! { <p class="yaml-error" role="alert" id="group-refused">{format!("Not read: {message}")}</p> }
                    .into_any(),
            );
        }
        let view = shown.get()?;
        Some(
            view! {
                <p role="status" id="group-summary">
                    {format!("Unit group {}: {}. ", view.name, view.summary)}
                    <span id="group-counts">{format!("{} \u{00b7} {}", count_text(view.errors, "error", "errors"), count_text(view.warnings, "warning", "warnings"))}</span>
                </p>
            }
            .into_any(),
        )
    };
    let stale = move || {
        (refused().is_some() && shown.with(Option::is_some)).then(|| {
            view! { <p class="message warning" id="group-stale">"Below: the last text that read. Fix the text above to see the group as it is now."</p> }
        })
    };
    let regions = move || {
        shown
            .get()
            .map(|view| view.regions.into_iter().map(region_section).collect_view())
    };
    let tenants = move || {
        let view = shown.get()?;
        let rows = view
            .tenants
            .into_iter()
            .map(|tenant| {
                let master = tenant.master.clone();
                let units = tenant
                    .units
                    .iter()
                    .map(|unit| {
                        if Some(unit) == master.as_ref() {
                            format!("\u{25cf} {unit}")
                        } else {
                            unit.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <tr data-tenant=tenant.name.clone()>
                        <td><strong>{tenant.name.clone()}</strong></td>
                        <td class="group-master-unit">{master.clone().unwrap_or_else(|| "none named".to_string())}</td>
                        <td>{units}</td>
                        <td>{counts_badges(tenant.errors, tenant.warnings)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="env-table" id="group-tenants">
                <thead><tr><th>"Tenant"</th><th>"Master unit"</th><th>"Runs on (\u{25cf} master)"</th><th>"Checks"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    let findings = move || {
        let view = shown.get()?;
        if view.across_units.is_empty() {
            return Some(
                view! { <p class="section-doc" id="group-no-findings">"No finding across units."</p> }
                    .into_any(),
            );
        }
        let items = view
            .across_units
            .into_iter()
            .map(|finding| {
                let class = if finding.severity == Severity::Error {
                    "summary-entry error"
                } else {
                    "summary-entry warning"
                };
                view! {
                    <li class=class data-rule=finding.rule.to_string()>
                        {format!("[{}] ", finding.shown_at)}<code>{finding.path.clone()}</code>" "{finding.message.clone()}
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="summary-list" id="group-findings">{items}</ul> }.into_any())
    };
    let rollout = move || {
        let view = shown.get()?;
        let steps = view
            .rollout
            .into_iter()
            .map(|step| {
                view! {
                    <li data-unit=step.unit.clone() data-tenant=step.tenant.clone()>
                        <code>{format!("{}/install.sh", step.folder)}</code>
                        {step.master.then(|| format!(" (master of {})", step.tenant))}
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ol class="group-rollout" id="group-rollout">{steps}</ol> })
    };
    // group.svg's own bytes as an image: the CSP allows no inline style, and an image runs nothing.
    let picture = move || shown.with(|view| view.as_ref().map(|view| view.picture.clone()));

    view! {
        <div class="form-header">
            <h2 class="panel-title" id="form-title">"Unit group"</h2>
            <p class="chart-description">"Private edition across clusters: a unit is one cluster with the services of one region, a region holds a unit pair, and the group has one primary unit that hosts every service. Open or write a group file (docs/unit-groups.md): each tenant on each unit becomes an environment, checked as one, and the checks across units run on the whole group. The plan is the one pecfg plan --group writes."</p>
        </div>
        <ModuleStatus module=&TOOLS/>
        <div class="env-body">
            <section class="form-section" id="group-file">
                <h3>"Group file"</h3>
                <div class="export-actions">
                    <label class="small-button" for="group-open-file">"Open group file"</label>
                    <input type="file" id="group-open-file" class="visually-hidden" accept=".yaml,.yml" on:change=on_file/>
                </div>
                {move || store.opened.get().map(|outcome| match outcome {
                    Ok(summary) => view! { <p role="status" id="group-opened">{summary}</p> }.into_any(),
                    Err(message) => view! { <p class="yaml-error" role="alert" id="group-opened">{format!("Not opened: {message}")}</p> }.into_any(),
                })}
                <label for="group-text">"The group file (YAML), read again as you type. It stays in this page's memory only: nothing is stored, and a reload forgets it."</label>
                <textarea id="group-text" class="code group-text" rows="18" spellcheck="false" autocomplete="off"
                    placeholder="group: acme\nunits:\n  - {name: eu-west-a, region: eu-west, role: primary, cluster: {context: eu-west-a}}\ntenants: …"
                    prop:value=move || store.text.get()
                    on:input=move |event| store.typed(event_target_value(&event))></textarea>
                {status}
            </section>
            {stale}
            <section class="form-section">
                <h3>"Units by region"</h3>
                <div class="group-regions" id="group-units">{regions}</div>
            </section>
            <section class="form-section">
                <h3>"Tenants and where they run"</h3>
                {tenants}
            </section>
            <section class="form-section">
                <h3>"Checks across units"</h3>
                <p class="section-doc">"Each unit's own findings are counted on its card; its errors are listed where the download is, and every finding is in its folder's environment-report.txt."</p>
                {findings}
            </section>
            <section class="form-section">
                <h3>"Rollout"</h3>
                <p class="section-doc">"Every tenant's master unit first (Tenant guide 002:1579-1589); run each folder's install.sh against its unit's cluster."</p>
                {rollout}
            </section>
            <section class="form-section">
                <h3>"The group"</h3>
                <div class="env-picture" id="group-picture">
                    {move || picture().map(|url| view! {
                        <img src=url alt="The unit group: a column per region, a box per unit with the primary starred, each tenant and its charts, every tenant's master marked, and the findings across units"/>
                    })}
                </div>
            </section>
        </div>
    }
}

/// The right column in unit-group mode: the plan's options and download, the file listing, and
/// the group file and link.
#[component]
pub fn GroupPlan() -> impl IntoView {
    let state = use_app_state();
    let store = use_group_store();
    let choices = PlanChoices::new();
    let options = choices.options;
    let link = RwSignal::new(None::<Result<String, String>>);
    let saved = RwSignal::new(None::<String>);
    // The same certificate input as a chart's export (and the same stored certificate), sealed
    // when downloaded: RSA per Secret of every unit is not work for every keystroke.
    let sealing = Sealing::new(state);
    let seal_too = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let files_open = RwSignal::new(false);
    let blocking = Memo::new(move |_| match store.view() {
        None => vec!["open or write a group file first".to_string()],
        Some(Err(message)) => vec![format!("the group file is refused: {message}")],
        Some(Ok(view)) => view.blocking,
    });
    // Listing the files makes every one of them: asked only while the listing is open.
    let files = tools::derived::<Vec<PlanFileView>>(move || {
        if !files_open.get() {
            return None;
        }
        store
            .view
            .with(|view| matches!(view, Some(Ok(_))).then_some(()))?;
        Some(Request::GroupFiles {
            text: store.checked.get(),
            options: options.get(),
        })
    });
    let download_plan = move |_| {
        if !blocking.with_untracked(Vec::is_empty) {
            return;
        }
        let seal = match plan_seal(&sealing, seal_too.get_untracked()) {
            Ok(seal) => seal,
            Err(message) => return problem.set(Some(message)),
        };
        let made = tools::ask::<Download>(&Request::GroupZip {
            text: store.checked_untracked(),
            options: options.get_untracked(),
            seal,
        })
        .and_then(|zip| download_base64(&zip.name, "application/zip", &zip.base64));
        problem.set(made.err());
    };
    let save_file = move |_| match tools::ask::<SavedText>(&Request::SavedGroup {
        text: store.checked_untracked(),
    }) {
        Ok(file) => {
            saved.set(None);
            download(&file.name, "text/yaml", file.text.as_bytes());
        }
        Err(message) => saved.set(Some(message)),
    };
    let make_link = move |_| {
        let made = tools::ask::<String>(&Request::GroupLink {
            text: store.checked_untracked(),
        })
        .map(|fragment| format!("{}#{fragment}", page_url_without_fragment()));
        if let Ok(url) = &made {
            copy_to_clipboard(url);
        }
        link.set(Some(made));
    };
    let zip_label = move || match store
        .last_good
        .with(|view| view.as_ref().map(|view| view.zip_name.clone()))
    {
        Some(name) => format!("Download group plan ({name})"),
        None => "Download group plan".to_string(),
    };
    let ready = move || store.view.with(|view| matches!(view, Some(Ok(_))));
    let listing = move || match files.get() {
        None => Some(view! { <p class="field-source">"Listing\u{2026}"</p> }.into_any()),
        Some(Err(message)) => {
            Some(view! { <p class="yaml-error" role="alert">{message}</p> }.into_any())
        }
        Some(Ok(list)) => {
            let total: usize = list.iter().map(|file| file.bytes).sum();
            let count = list.len();
            let items = list
                .into_iter()
                .map(|file| {
                    view! {
                        <li data-file=file.name.clone()>
                            <code>{file.name.clone()}</code>
                            {format!(" {} B", file.bytes)}
                            {file.holds_secrets.then(|| view! { <span class="badge secret-badge" title="holds secret values in the clear: never put it in Git">"secrets"</span> })}
                        </li>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <p class="field-source" id="group-files-total">{format!("{count} files, {total} bytes")}</p>
                    <ul class="group-file-list">{items}</ul>
                }
                .into_any(),
            )
        }
    };

    view! {
        <h2 class="panel-title">"Group plan"</h2>
        <div class="export-options">
            <PlanOptionInputs choices=choices prefix="group" argocd="Argo CD ApplicationSets" flux="Flux folders per cluster"/>
        </div>
        <label class="toggle"><input type="checkbox" id="group-seal" prop:checked=move || seal_too.get()
            on:change=move |event| seal_too.set(event_target_checked(&event))/>" Seal every unit's Secrets with one certificate (SealedSecrets: <chart>-sealed-secrets.yaml in each folder)"</label>
        <Show when=move || seal_too.get()>
            <p class="hint" id="group-seal-note">"One certificate seals every unit here: a key the clusters share. Each cluster's own controller certificate is pecfg's: pecfg plan --group FILE --out DIR --sealed-cert UNIT=cert.pem, once per unit."</p>
            <SealingCertInput sealing=sealing/>
        </Show>
        {move || problem.get().map(|message| view! { <p class="yaml-error" role="alert" id="group-download-error">{format!("Not downloaded: {message}")}</p> })}
        <div class="export-actions">
            <button type="button" class="small-button" id="group-download" disabled=move || !blocking.with(Vec::is_empty) on:click=download_plan>{zip_label}</button>
        </div>
        <BlockedReasons reasons=blocking id="group-blocked" title="The group plan cannot be downloaded yet:" shown=12
            more=" (pecfg validate --group FILE lists them all)."/>
        <details class="group-files" id="group-files" on:toggle=move |event| {
            // The `open` attribute is the details' state (no web-sys feature for its element).
            let details: web_sys::Element = event_target(&event);
            files_open.set(details.has_attribute("open"));
        }>
            <summary>"Files of the plan"</summary>
            {move || files_open.get().then(listing)}
        </details>
        <h3>"Group file"</h3>
        <div class="export-actions">
            <button type="button" class="small-button" id="group-save" disabled=move || !ready() on:click=save_file>"Save group file (without secrets)"</button>
            <button type="button" class="small-button" id="group-share" disabled=move || !ready() on:click=make_link>"Copy group link (no secrets)"</button>
        </div>
        <p class="field-source">"The saved file and the link hold the group as read, written again without any secret value (pull-secret credentials, Secrets, credentials in values), comments or anchors: keep your own file for those."</p>
        {move || saved.get().map(|message| view! { <p class="yaml-error" role="alert" id="group-save-error">{format!("Not saved: {message}")}</p> })}
        {move || link.get().map(|made| match made {
            Ok(url) => view! {
                <label for="group-share-url" class="visually-hidden">"Group link"</label>
                <input id="group-share-url" class="text-input" type="text" readonly prop:value=url.clone()/>
                {(url.len() > pecfg_core::share::SHARE_LINK_WARN_BYTES).then(|| view! {
                    <p class="message warning">{format!("This link is {} KB long: some chat tools and browsers cut links that long. Save the group file instead.", url.len() / 1024)}</p>
                })}
            }.into_any(),
            Err(message) => view! { <p class="yaml-error" role="alert">{format!("No link: {message}")}</p> }.into_any(),
        })}
        <p class="field-source">"Run with pecfg: pecfg plan --group FILE --out DIR (the same plan), pecfg validate --group FILE."</p>
    }
}
