//! The page header: product name and what it does, in one line.

use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1 class="site-title">"pe-configurator"</h1>
            <p class="site-tagline">
                "Helm values, Secrets and commands for Genesys Multicloud CX private edition. Runs entirely in your browser; nothing is sent anywhere."
            </p>
            // The release build places the single-file copy next to index.html; the copy itself hides this link.
            <a class="offline-download" href="pe-configurator-offline.html" download="pe-configurator.html">
                "Download offline copy"
            </a>
        </header>
    }
}
