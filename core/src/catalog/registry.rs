//! The catalog compiled into every binary (app and CLI), and the chart registry built from it.
//!
//! Each file is embedded twice over: the YAML its authors edit (`CHART_FILES`, read by `pecfg lint`
//! and the tests) and the same tree as JSON compiled by `core/build.rs`, which is what the
//! registry reads. A binary that never lints (the page) carries only the JSON and no YAML parser
//! for it; `core/tests/catalog.rs` checks that both readings give the same catalog. The JSON is
//! stored deflated and inflated when a file is first read (see build.rs for why).

use std::io::Read;
use std::sync::OnceLock;

use flate2::read::DeflateDecoder;

use crate::catalog::platform::Platform;
use crate::catalog::Chart;

/// The deflated JSON build.rs compiled from `catalog/<name>.yaml` (read with [`inflate`]).
macro_rules! compiled {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("OUT_DIR"),
            "/catalog/",
            $name,
            ".json.deflate"
        ))
    };
}

/// A compiled file's JSON: build.rs wrote its length (a little-endian u32), then the JSON as raw
/// deflate. The length sizes the buffer once, so inflating needs no more memory than the text.
fn inflate(file: &[u8]) -> Result<Vec<u8>, String> {
    let (length, deflated) = file
        .split_first_chunk::<4>()
        .ok_or_else(|| "shorter than its length prefix".to_string())?;
    let length = usize::try_from(u32::from_le_bytes(*length)).map_err(|error| error.to_string())?;
    let mut json = Vec::with_capacity(length);
    DeflateDecoder::new(deflated)
        .read_to_end(&mut json)
        .map_err(|error| format!("inflate: {error}"))?;
    if json.len() != length {
        return Err(format!("{} bytes inflated, {length} expected", json.len()));
    }
    Ok(json)
}

/// A compiled file parsed: inflated, then read by serde_json.
fn read_compiled<T: serde::de::DeserializeOwned>(file: &[u8]) -> Result<T, String> {
    serde_json::from_slice(&inflate(file)?).map_err(|error| error.to_string())
}

// `CHART_FILES`, `COMPILED_CHARTS` and `SUMMARIES`, listed by build.rs from the files of
// `catalog/`: adding a chart means adding its file, nothing here.
include!(concat!(env!("OUT_DIR"), "/catalog/charts.rs"));

pub const PLATFORM_FILE: &str = include_str!("../../../catalog/platform.yaml");
const COMPILED_PLATFORM: &[u8] = compiled!("platform");
/// `catalog/environment.yaml` compiled (read by `environment::environment_catalog`).
const COMPILED_ENVIRONMENT: &[u8] = compiled!("environment");

/// The environment catalog, parsed (`environment::environment_catalog` keeps it).
pub(crate) fn compiled_environment<T: serde::de::DeserializeOwned>() -> Result<T, String> {
    read_compiled(COMPILED_ENVIRONMENT)
}

/// `catalog/group.yaml` compiled (read by `catalog::group::group_catalog`).
const COMPILED_GROUP: &[u8] = compiled!("group");

/// The unit-group catalog, parsed (`catalog::group::group_catalog` keeps it).
pub(crate) fn compiled_group<T: serde::de::DeserializeOwned>() -> Result<T, String> {
    read_compiled(COMPILED_GROUP)
}

/// Bench builds only (`--features bench-chart`, `make bench`): a generated chart of ~1,500
/// parameters (`examples/gen_bench_chart.rs`, path in `PECFG_BENCH_CHART` at compile time), so the
/// benchmark can show how costs grow with the catalog. Never part of a shipped build.
#[cfg(feature = "bench-chart")]
const BENCH_CHART_FILE: &[u8] = compiled!("bench-chart");

/// The compiled charts of this build: the catalog's, and in a bench build the generated one.
fn sources() -> &'static [(&'static str, &'static [u8])] {
    #[cfg(not(feature = "bench-chart"))]
    {
        COMPILED_CHARTS
    }
    #[cfg(feature = "bench-chart")]
    {
        static SOURCES: OnceLock<Vec<(&str, &[u8])>> = OnceLock::new();
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
fn parsed(slot: &'static OnceLock<Chart>, (id, file): (&str, &[u8])) -> &'static Chart {
    slot.get_or_init(|| {
        read_compiled(file).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"))
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
        read_compiled(COMPILED_PLATFORM)
            .unwrap_or_else(|error| panic!("catalog/platform.yaml: {error}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_file_inflates_to_the_length_it_states() {
        let mut files: Vec<&[u8]> = sources().iter().map(|(_, file)| *file).collect();
        files.extend([COMPILED_PLATFORM, COMPILED_ENVIRONMENT]);
        for file in files {
            let json = inflate(file).expect("a compiled file inflates");
            assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok());
            // Stored deflated for the memory it saves: far smaller than the text.
            assert!(
                file.len() * 2 < json.len(),
                "{} of {}",
                file.len(),
                json.len()
            );
        }
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        assert!(inflate(&[]).is_err());
        assert!(inflate(&[1, 0]).is_err());
        let ixn = COMPILED_CHARTS
            .iter()
            .find(|(id, _)| *id == "ixn")
            .map(|(_, file)| *file)
            .expect("ixn is compiled");
        // A length prefix that disagrees with what inflates.
        let mut wrong_length = ixn.to_vec();
        wrong_length[0] ^= 1;
        assert!(inflate(&wrong_length).is_err());
        // Deflate data cut short.
        assert!(inflate(&ixn[..ixn.len() / 2]).is_err());
        assert!(read_compiled::<Chart>(&ixn[..ixn.len() / 2]).is_err());
    }
}
