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

/// Every chart of the catalog, parsed once. The files are checked by `cargo test`, so a parse
/// failure here is a build defect and panics with the file's error.
#[expect(
    clippy::panic,
    reason = "the catalog is compiled in and parsed by every test run; no input reaches this"
)]
pub fn all_charts() -> &'static [Chart] {
    static CHARTS: OnceLock<Vec<Chart>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        let charts = COMPILED_CHARTS.iter().map(|(id, json)| {
            serde_json::from_str(json).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"))
        });
        #[cfg(feature = "bench-chart")]
        let charts = charts.chain(std::iter::once_with(|| {
            serde_json::from_str(BENCH_CHART_FILE)
                .unwrap_or_else(|error| panic!("PECFG_BENCH_CHART: {error}"))
        }));
        charts.collect()
    })
}

pub fn chart(id: &str) -> Option<&'static Chart> {
    all_charts().iter().find(|chart| chart.id == id)
}

pub fn chart_ids() -> Vec<&'static str> {
    COMPILED_CHARTS.iter().map(|(id, _)| *id).collect()
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
