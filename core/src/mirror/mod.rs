//! Air-gapped mirroring: which container images and chart archives the chosen values pull, and the
//! scripts that copy them from the vendor's registry and Helm repository into your own.
//!
//! Everything about the images is catalog data: each chart file's `images:` (which values form an
//! image's registry, repository and tag, and when it is pulled), the `mirror:` block of
//! `catalog/platform.yaml` (the vendor's registry and Helm repository, the archive name of each
//! chart, what counts as a public registry), and the `images` checks among the cross-chart rules
//! of `catalog/environment.yaml`. This module knows no image.
//!
//! - `reference.rs` — the image reference grammar and the container runtime's reading of a name.
//! - `inventory.rs` — every image of a chart's answers (or an environment) as the kubelet will
//!   pull it, read from the merged values, each part traced to its parameter, missing parts named.
//! - `plan.rs` — what a mirror copies: each image from its source registry to yours, keeping
//!   repository and tag, and each chart archive into your registry as OCI.
//! - `export.rs` — images.txt, mirror.sh and mirror.ps1.
//! - `checks.rs` — the `images` checks of the environment catalog (public registry, floating or
//!   missing tag, several registries, refused references).

mod checks;
mod export;
mod inventory;
mod plan;
pub mod reference;

pub use crate::catalog::environment::ImageCheck;
pub use crate::catalog::mirror::{ChartArchive, MirrorFact, MirrorFacts, PublicRegistries};

pub use checks::environment_image_diagnostics;
pub use checks::{chart_image_diagnostics, image_diagnostics, lint_image_check};
pub use export::{
    images_txt, inventory_report, mirror_files, mirror_ps1, mirror_sh, IMAGES_TXT, MIRROR_PS1,
    MIRROR_PS1_PRELUDE, MIRROR_SH, MIRROR_SH_PRELUDE,
};
pub use inventory::{
    chart_inventory, inventory_of_charts, inventory_of_merged, ImageInventory, Origin, Part,
    PartState,
};
pub use plan::{
    chart_mirror, environment_mirror, ChartCopy, ImageCopy, MirrorMember, MirrorOptions,
    MirrorPlan, SOURCE_HELM_ALIAS,
};

/// The mirror block checked: values the scripts can use, known charts, each chart once.
pub fn lint_mirror_facts(facts: &MirrorFacts, chart_ids: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(why) = reference::check_registry(&facts.source_registry.value) {
        problems.push(format!("platform: mirror.source_registry {why}"));
    }
    if let Err(why) = reference::check_url(&facts.helm_repository.value) {
        problems.push(format!("platform: mirror.helm_repository {why}"));
    }
    if let Err(why) = reference::check_repository(&facts.chart_folder.value) {
        problems.push(format!("platform: mirror.chart_folder {why}"));
    }
    if facts.public_registries.hosts.is_empty() {
        problems.push("platform: mirror.public_registries lists no host".into());
    }
    let mut seen = Vec::new();
    for archive in &facts.charts {
        if !chart_ids.contains(&archive.chart.as_str()) {
            problems.push(format!(
                "platform: mirror names unknown chart `{}`",
                archive.chart
            ));
        }
        if seen.contains(&archive.chart.as_str()) {
            problems.push(format!(
                "platform: mirror lists chart {} twice",
                archive.chart
            ));
        }
        seen.push(archive.chart.as_str());
        if let Some(Err(why)) = archive.name.as_deref().map(reference::check_chart_name) {
            problems.push(format!(
                "platform: mirror chart {}: the name {why}",
                archive.chart
            ));
        }
    }
    problems
}

/// The platform catalog's mirror block, when it has one.
pub fn mirror_facts() -> Option<&'static MirrorFacts> {
    crate::catalog::registry::platform()?.mirror.as_ref()
}
