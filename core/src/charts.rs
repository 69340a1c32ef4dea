//! The catalog files compiled into every binary (app and CLI), and the chart registry built from them.

use std::sync::OnceLock;

use crate::catalog::{parse_chart, Chart};
use crate::platform::{parse_platform, Platform};

/// Chart ids with their catalog file, in the order the picker shows them.
/// Adding a chart means adding a file under `catalog/` and a line here.
pub const CHART_FILES: [(&str, &str); 5] = [
    ("ges", include_str!("../../catalog/ges.yaml")),
    ("tenant", include_str!("../../catalog/tenant.yaml")),
    (
        "tenant-monitor",
        include_str!("../../catalog/tenant-monitor.yaml"),
    ),
    ("ixn", include_str!("../../catalog/ixn.yaml")),
    ("middleware", include_str!("../../catalog/middleware.yaml")),
];

pub const PLATFORM_FILE: &str = include_str!("../../catalog/platform.yaml");

/// Bench builds only (`--features bench-chart`, `make bench`): a generated chart of ~1,500
/// parameters (`examples/gen_bench_chart.rs`, path in `PECFG_BENCH_CHART` at compile time), so the
/// benchmark can show how costs grow with the catalog. Never part of a shipped build.
#[cfg(feature = "bench-chart")]
const BENCH_CHART_FILE: &str = include_str!(env!("PECFG_BENCH_CHART"));

/// Every chart of the catalog, parsed once. The files are checked by `cargo test`, so a parse
/// failure here is a build defect and panics with the file's error.
#[expect(
    clippy::panic,
    reason = "the catalog is compiled in and parsed by every test run; no input reaches this"
)]
pub fn all_charts() -> &'static [Chart] {
    static CHARTS: OnceLock<Vec<Chart>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        let charts = CHART_FILES.iter().map(|(id, text)| {
            parse_chart(text).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"))
        });
        #[cfg(feature = "bench-chart")]
        let charts = charts.chain(std::iter::once_with(|| {
            parse_chart(BENCH_CHART_FILE)
                .unwrap_or_else(|error| panic!("PECFG_BENCH_CHART: {error}"))
        }));
        charts.collect()
    })
}

pub fn chart(id: &str) -> Option<&'static Chart> {
    all_charts().iter().find(|chart| chart.id == id)
}

pub fn chart_ids() -> Vec<&'static str> {
    CHART_FILES.iter().map(|(id, _)| *id).collect()
}

#[expect(
    clippy::panic,
    reason = "the platform file is compiled in and parsed by every test run; no input reaches this"
)]
pub fn platform() -> &'static Platform {
    static PLATFORM: OnceLock<Platform> = OnceLock::new();
    PLATFORM.get_or_init(|| {
        parse_platform(PLATFORM_FILE)
            .unwrap_or_else(|error| panic!("catalog/platform.yaml: {error}"))
    })
}
