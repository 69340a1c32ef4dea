//! The chart registry: every chart of the catalog by id, parsed when first asked for — from the compiled catalog a binary embeds, or from a chart file the page fetched and registered.
//!
//! With the `embedded-catalog` feature (the CLI, the tools module, the tests) each file is
//! embedded twice over: the YAML its authors edit (`CHART_FILES`, read by `pecfg lint` and the
//! tests) and the same tree as JSON compiled by `core/build.rs`, which is what the registry
//! reads, stored deflated and inflated when a file is first read (see build.rs for why);
//! `core/tests/catalog.rs` checks that both readings give the same catalog. Without it (the
//! page's first module) the binary holds only the chart ids and what the picker shows; the page
//! fetches one chart's JSON (`examples/write_catalog.rs` writes them beside the page) and
//! [`register`]s it, so its first load carries no chart it does not show.

use std::io::Read;
use std::sync::OnceLock;

use flate2::read::DeflateDecoder;

use crate::catalog::platform::Platform;
use crate::catalog::Chart;

/// The deflated JSON build.rs compiled from `catalog/<name>.yaml` (read with [`inflate`]).
#[cfg_attr(not(feature = "embedded-catalog"), allow(unused_macros))]
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

// `CHART_IDS`, `SUMMARIES`, and with the embedded catalog `CHART_FILES` and `COMPILED_CHARTS`,
// listed by build.rs from the files of `catalog/`: adding a chart means adding its file.
include!(concat!(env!("OUT_DIR"), "/catalog/charts.rs"));

#[cfg(feature = "embedded-catalog")]
pub const PLATFORM_FILE: &str = include_str!("../../../catalog/platform.yaml");
#[cfg(feature = "embedded-catalog")]
const COMPILED_PLATFORM: &[u8] = compiled!("platform");
/// `catalog/environment.yaml` compiled (read by `environment::environment_catalog`).
#[cfg(feature = "embedded-catalog")]
const COMPILED_ENVIRONMENT: &[u8] = compiled!("environment");

/// The environment catalog, parsed (`environment::environment_catalog` keeps it). A binary
/// without the embedded catalog has none: the environment is the tools module's.
pub(crate) fn compiled_environment<T: serde::de::DeserializeOwned>() -> Result<T, String> {
    #[cfg(feature = "embedded-catalog")]
    {
        read_compiled(COMPILED_ENVIRONMENT)
    }
    #[cfg(not(feature = "embedded-catalog"))]
    {
        Err("this build carries no environment catalog".to_string())
    }
}

/// The compiled files of this build: every chart's, or none (the page registers what it fetches).
#[cfg(feature = "embedded-catalog")]
fn compiled_charts() -> &'static [(&'static str, &'static [u8])] {
    COMPILED_CHARTS
}

#[cfg(not(feature = "embedded-catalog"))]
fn compiled_charts() -> &'static [(&'static str, &'static [u8])] {
    &[]
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

/// A chart id, with its compiled file when the build embeds it.
type Source = (&'static str, Option<&'static [u8]>);

/// The charts of this build, in the picker's order: each id with its compiled file when the build
/// embeds it. A bench build adds the generated chart.
fn sources() -> &'static [Source] {
    static SOURCES: OnceLock<Vec<Source>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        #[cfg_attr(not(feature = "bench-chart"), allow(unused_mut))]
        let mut sources: Vec<Source> = CHART_IDS
            .iter()
            .map(|id| {
                let file = compiled_charts()
                    .iter()
                    .find(|(known, _)| known == id)
                    .map(|(_, file)| *file);
                (*id, file)
            })
            .collect();
        #[cfg(feature = "bench-chart")]
        sources.push(("bench1500", Some(BENCH_CHART_FILE)));
        sources
    })
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
fn parsed(
    slot: &'static OnceLock<Chart>,
    (id, file): (&str, Option<&'static [u8]>),
) -> Option<&'static Chart> {
    if let Some(chart) = slot.get() {
        return Some(chart);
    }
    let file = file?;
    Some(slot.get_or_init(|| {
        read_compiled(file).unwrap_or_else(|error| panic!("catalog/{id}.yaml: {error}"))
    }))
}

/// Every chart of the embedded catalog, in the picker's order (each parsed once, all of them
/// now). A build without the embedded catalog (the page's first module) has none here: it holds
/// the charts it registered, each asked for by id ([`chart`]).
pub fn all_charts() -> &'static [&'static Chart] {
    static ALL: OnceLock<Vec<&'static Chart>> = OnceLock::new();
    ALL.get_or_init(|| {
        slots()
            .iter()
            .zip(sources())
            .filter(|(_, (_, file))| file.is_some())
            .filter_map(|(slot, source)| parsed(slot, *source))
            .collect()
    })
}

/// One chart by id, parsed on first use; `None` for an id the catalog does not have (or, without
/// the embedded catalog, has not been registered yet).
pub fn chart(id: &str) -> Option<&'static Chart> {
    slots()
        .iter()
        .zip(sources())
        .find(|(_, (known, _))| *known == id)
        .and_then(|(slot, source)| parsed(slot, *source))
}

/// Registers a chart file fetched at run time (the JSON `examples/write_catalog.rs` writes):
/// parsed, checked to be the chart of that id, and kept for as long as the program runs. A
/// chart already there (embedded or registered) is returned as it is.
pub fn register(id: &str, json: &[u8]) -> Result<&'static Chart, String> {
    let Some((slot, _)) = slots()
        .iter()
        .zip(sources())
        .find(|(_, (known, _))| *known == id)
    else {
        return Err(format!(
            "this version has no chart `{}`",
            id.chars().take(40).collect::<String>()
        ));
    };
    if let Some(chart) = slot.get() {
        return Ok(chart);
    }
    let chart: Chart =
        serde_json::from_slice(json).map_err(|error| format!("catalog/{id}.json: {error}"))?;
    if chart.id != id {
        return Err(format!("catalog/{id}.json is the chart `{}`", chart.id));
    }
    Ok(slot.get_or_init(|| chart))
}

/// Whether the chart's file is in this build (then [`chart`] parses it when asked), or must be
/// [`register`]ed first.
pub fn is_embedded(id: &str) -> bool {
    sources()
        .iter()
        .any(|(known, file)| *known == id && file.is_some())
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

/// Whether this version has a chart of that id (its file embedded, registered, or to fetch).
pub fn is_known(id: &str) -> bool {
    sources().iter().any(|(known, _)| *known == id)
}

pub fn chart_ids() -> Vec<&'static str> {
    sources().iter().map(|(id, _)| *id).collect()
}

/// What the picker and the first view show of a chart, without parsing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub params: usize,
}

/// What the chart picker shows of each chart, in its order: id, name, description and number of
/// parameters, written by build.rs, so that drawing the picker parses no chart
/// (`tests/catalog.rs` checks them against the parsed charts). A chart without a summary (the
/// bench build's) is parsed, when it can be.
pub fn chart_summaries() -> Vec<Summary> {
    chart_ids()
        .into_iter()
        .filter_map(|id| {
            SUMMARIES
                .iter()
                .find(|(known, _, _, _)| *known == id)
                .map(|(id, name, description, params)| Summary {
                    id,
                    name,
                    description,
                    params: *params,
                })
                .or_else(|| {
                    chart(id).map(|chart| Summary {
                        id,
                        name: chart.name.as_str(),
                        description: chart.description.as_str(),
                        params: chart.params.len(),
                    })
                })
        })
        .collect()
}

/// The compiled JSON of every file the page fetches: `(file name, JSON)` for each chart
/// (`<id>.json`) and the platform (`platform.json`), as build.rs compiled them. Written beside the
/// page by `examples/write_catalog.rs`; `register` and `register_platform` read them back.
#[cfg(feature = "embedded-catalog")]
pub fn compiled_files() -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for (id, file) in sources() {
        if let Some(file) = file {
            files.push((format!("{id}.json"), inflate(file)?));
        }
    }
    files.push(("platform.json".to_string(), inflate(COMPILED_PLATFORM)?));
    Ok(files)
}

static PLATFORM: OnceLock<Platform> = OnceLock::new();

/// The platform facts (`catalog/platform.yaml`): compiled in, or registered by the page before
/// any session is made (`register_platform`). `None` only in a page that has not fetched them.
#[cfg_attr(
    feature = "embedded-catalog",
    expect(
        clippy::panic,
        reason = "the platform file is compiled in and parsed by every test run; no input reaches this"
    )
)]
pub fn platform() -> Option<&'static Platform> {
    if let Some(platform) = PLATFORM.get() {
        return Some(platform);
    }
    #[cfg(feature = "embedded-catalog")]
    {
        Some(PLATFORM.get_or_init(|| {
            read_compiled(COMPILED_PLATFORM)
                .unwrap_or_else(|error| panic!("catalog/platform.yaml: {error}"))
        }))
    }
    #[cfg(not(feature = "embedded-catalog"))]
    {
        None
    }
}

/// Registers the platform file fetched at run time (`platform.json`).
pub fn register_platform(json: &[u8]) -> Result<&'static Platform, String> {
    if let Some(platform) = PLATFORM.get() {
        return Ok(platform);
    }
    let platform: Platform =
        serde_json::from_slice(json).map_err(|error| format!("catalog/platform.json: {error}"))?;
    Ok(PLATFORM.get_or_init(|| platform))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_file_inflates_to_the_length_it_states() {
        let mut files: Vec<&[u8]> = sources().iter().filter_map(|(_, file)| *file).collect();
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
