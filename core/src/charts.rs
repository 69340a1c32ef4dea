//! The catalog compiled into every binary (app and CLI), and the chart registry built from it.
//!
//! Each file is embedded twice over: the YAML its authors edit (`CHART_FILES`, read by `pecfg lint`
//! and the tests) and the same tree as JSON compiled by `core/build.rs`, which is what the
//! registry reads. A binary that never lints (the page) carries only the JSON and no YAML parser
//! for it; `core/tests/catalog.rs` checks that both readings give the same catalog.

use std::sync::OnceLock;

use crate::catalog::Chart;
use crate::platform::Platform;

/// The JSON build.rs compiled from `catalog/<name>.yaml`.
macro_rules! compiled {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/catalog/", $name, ".json"))
    };
}

/// Both forms of every chart file, from one list of ids.
macro_rules! charts {
    ($($id:literal),* $(,)?) => {
        /// Chart ids with their catalog file, in the order the picker shows them.
        pub const CHART_FILES: &[(&str, &str)] =
            &[$(($id, include_str!(concat!("../../catalog/", $id, ".yaml")))),*];
        /// The same files compiled to JSON, in the same order.
        const COMPILED_CHARTS: &[(&str, &str)] = &[$(($id, compiled!($id))),*];
    };
}

// Adding a chart means adding a file under `catalog/` and its id here.
charts!("ges", "tenant", "tenant-monitor", "ixn", "middleware");

pub const PLATFORM_FILE: &str = include_str!("../../catalog/platform.yaml");
const COMPILED_PLATFORM: &str = compiled!("platform");
/// `catalog/environment.yaml` compiled (read by `environment::environment_catalog`).
pub(crate) const COMPILED_ENVIRONMENT: &str = compiled!("environment");

/// Bench builds only (`--features bench-chart`, `make bench`): a generated chart of ~1,500
/// parameters (`examples/gen_bench_chart.rs`, path in `PECFG_BENCH_CHART` at compile time), so the
/// benchmark can show how costs grow with the catalog. Never part of a shipped build.
#[cfg(feature = "bench-chart")]
const BENCH_CHART_FILE: &str = compiled!("bench-chart");

/// The compiled charts of this build: the catalog's, and in a bench build the generated one.
fn sources() -> &'static [(&'static str, &'static str)] {
    #[cfg(not(feature = "bench-chart"))]
    {
        COMPILED_CHARTS
    }
    #[cfg(feature = "bench-chart")]
    {
        static SOURCES: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
        SOURCES.get_or_init(|| {
            let mut sources = COMPILED_CHARTS.to_vec();
            sources.push(("bench1500", BENCH_CHART_FILE));
            sources
        })
    }
}

/// One slot per chart, each parsed on first use: the page shows one chart and parses only that
/// one at start (the others' parse, validator and key order come when they are opened).
fn slots() -> &'static [OnceLock<Chart>] {
    static SLOTS: OnceLock<Vec<OnceLock<Chart>>> = OnceLock::new();
    SLOTS.get_or_init(|| sources().iter().map(|_| OnceLock::new()).collect())
}

/// A chart of the registry from its slot, parsed on first use. The files are checked by
/// `cargo test` (the id in each file is the one it is listed under), so a parse failure here is a
/// build defect and panics with the file's error.
#[expect(
    clippy::panic,
    reason = "the catalog is compiled in and parsed by every test run; no input reaches this"
)]
fn parsed(slot: &'static OnceLock<Chart>, (id, json): (&str, &str)) -> &'static Chart {
    slot.get_or_init(|| {
        serde_json::from_str(json).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"))
    })
}

/// Every chart of the catalog, in the picker's order (each parsed once, all of them now).
pub fn all_charts() -> &'static [&'static Chart] {
    static ALL: OnceLock<Vec<&'static Chart>> = OnceLock::new();
    ALL.get_or_init(|| {
        slots()
            .iter()
            .zip(sources())
            .map(|(slot, source)| parsed(slot, *source))
            .collect()
    })
}

/// One chart by id, parsed on first use; `None` for an id the catalog does not have.
pub fn chart(id: &str) -> Option<&'static Chart> {
    slots()
        .iter()
        .zip(sources())
        .find(|(_, (known, _))| *known == id)
        .map(|(slot, source)| parsed(slot, *source))
}

/// A chart of the registry, with where it sits in it (the caches of its validator and key order
/// are kept by that index); `None` for a chart from elsewhere (a test's own, `pecfg lint`'s file).
pub fn registered(chart: &Chart) -> Option<(usize, &'static Chart)> {
    slots().iter().enumerate().find_map(|(index, slot)| {
        let known = slot.get()?;
        std::ptr::eq(known, chart).then_some((index, known))
    })
}

/// How many charts the registry holds (the length of its caches).
pub fn registry_len() -> usize {
    sources().len()
}

pub fn chart_ids() -> Vec<&'static str> {
    sources().iter().map(|(id, _)| *id).collect()
}

include!(concat!(env!("OUT_DIR"), "/catalog/summaries.rs"));

/// What the chart picker shows of each chart, in its order: id, name and number of parameters,
/// written by build.rs, so that drawing the picker parses no chart (`tests/catalog.rs` checks
/// them against the parsed charts). A chart without a summary (the bench build's) is parsed.
pub fn chart_summaries() -> Vec<(&'static str, &'static str, usize)> {
    chart_ids()
        .into_iter()
        .filter_map(|id| {
            SUMMARIES
                .iter()
                .find(|(known, _, _)| *known == id)
                .copied()
                .or_else(|| chart(id).map(|chart| (id, chart.name.as_str(), chart.params.len())))
        })
        .collect()
}

#[expect(
    clippy::panic,
    reason = "the platform file is compiled in and parsed by every test run; no input reaches this"
)]
pub fn platform() -> &'static Platform {
    static PLATFORM: OnceLock<Platform> = OnceLock::new();
    PLATFORM.get_or_init(|| {
        serde_json::from_str(COMPILED_PLATFORM)
            .unwrap_or_else(|error| panic!("catalog/platform.yaml: {error}"))
    })
}
