//! Compiles the catalog (`catalog/*.yaml`) into deflated JSON in `OUT_DIR`, which the binaries embed.
//!
//! Why: the page parsed five YAML catalogs at start-up through serde_yaml, whose event parser
//! (libyaml translated to Rust) and per-type deserializers were the largest single part of the
//! wasm, and YAML parsing was the largest part of start-up. The YAML files stay the source the
//! catalog's authors edit and that `pecfg lint` and the tests read; the binaries read the same
//! tree as JSON with serde_json, which they carry anyway. `core/tests/catalog.rs` proves that the
//! two readings give equal catalogs, so nothing the YAML says is lost on the way.
//!
//! Each file is stored deflated (`<name>.json.deflate`: the JSON's length as a little-endian u32,
//! then the JSON as raw deflate), because an embedded file sits in the page's linear memory for as
//! long as the page is open: the five charts' 254 KB of JSON were a quarter of the wasm's memory
//! after load, of which the page reads one chart at start. Deflated they are 59 KB; the page
//! inflates a chart when it first reads it (flate2, which share links already use). The plain
//! JSON is written next to it, for a person to read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::DeflateEncoder;
use flate2::Compression;

fn main() {
    // Read when the script runs, not when it is compiled: cargo reuses a compiled build script
    // for a checkout at another place that shares the target directory, and `env!` would then
    // compile that other checkout's catalog.
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let catalog = manifest_dir.join("../catalog");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("catalog");
    println!("cargo:rerun-if-changed={}", catalog.display());
    if let Err(error) = fs::create_dir_all(&out) {
        fail(&format!("{}: {error}", out.display()));
    }
    let entries = match fs::read_dir(&catalog) {
        Ok(entries) => entries,
        Err(error) => fail(&format!("{}: {error}", catalog.display())),
    };
    // Every file that is a chart (it has an id, a name and parameters), by id.
    let mut charts = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path.file_stem().unwrap_or_default().to_string_lossy();
            let compiled = out.join(&*name);
            let tree = compile(&path, &compiled);
            if let Some(summary) = summary(&tree) {
                charts.push((summary, path, compiled.with_extension("json.deflate")));
            }
        }
    }
    charts.sort();
    // The chart list every binary is built with: adding a chart means adding its file.
    let mut listing = String::from(
        "// Written by core/build.rs from the chart files of catalog/, in id order.\n\n\
         /// The chart ids, by id.\n\
         const CHART_IDS: &[&str] = &[\n",
    );
    for ((id, _, _, _), _, _) in &charts {
        listing.push_str(&format!("    {id:?},\n"));
    }
    listing.push_str(
        "];\n\n/// Chart ids with their catalog file (the YAML the lint and the tests read), by id.\n\
         #[cfg(feature = \"embedded-catalog\")]\n\
         pub const CHART_FILES: &[(&str, &str)] = &[\n",
    );
    for ((id, _, _, _), yaml, _) in &charts {
        listing.push_str(&format!(
            "    ({id:?}, include_str!({:?})),\n",
            yaml.display().to_string()
        ));
    }
    listing.push_str("];\n\n/// The same files compiled to deflated JSON, in the same order.\n#[cfg(feature = \"embedded-catalog\")]\nconst COMPILED_CHARTS: &[(&str, &[u8])] = &[\n");
    for ((id, _, _, _), _, deflated) in &charts {
        listing.push_str(&format!(
            "    ({id:?}, include_bytes!({:?})),\n",
            deflated.display().to_string()
        ));
    }
    listing.push_str("];\n\n/// (id, name, description, number of parameters) of every chart, for the picker.\nconst SUMMARIES: &[(&str, &str, &str, usize)] = &[\n");
    for ((id, name, description, params), _, _) in &charts {
        listing.push_str(&format!(
            "    ({id:?}, {name:?}, {description:?}, {params}),\n"
        ));
    }
    listing.push_str("];\n");
    write_if_changed(&out.join("charts.rs"), listing.as_bytes());
    // `make bench` only: the generated chart named at compile time.
    println!("cargo:rerun-if-env-changed=PECFG_BENCH_CHART");
    if std::env::var_os("CARGO_FEATURE_BENCH_CHART").is_some() {
        match std::env::var_os("PECFG_BENCH_CHART") {
            Some(path) => {
                let path = PathBuf::from(path);
                println!("cargo:rerun-if-changed={}", path.display());
                compile(&path, &out.join("bench-chart"));
            }
            None => {
                fail("the bench-chart feature needs PECFG_BENCH_CHART (scripts/bench.sh sets it)")
            }
        }
    }
}

/// What the chart picker shows of a chart file (a file with `id`, `name` and `params`), so the
/// page need not parse every chart to draw it.
fn summary(tree: &serde_yaml::Value) -> Option<(String, String, String, usize)> {
    Some((
        tree.get("id")?.as_str()?.to_string(),
        tree.get("name")?.as_str()?.to_string(),
        tree.get("description")
            .and_then(serde_yaml::Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string(),
        tree.get("params")?.as_sequence()?.len(),
    ))
}

/// One YAML file to `<stem>.json` and `<stem>.json.deflate`, returning the tree. A file that is
/// not YAML, or holds a key JSON cannot (a number or a list as a key), stops the build with the
/// file's name; the catalog has neither.
fn compile(from: &Path, stem: &Path) -> serde_yaml::Value {
    let text = match fs::read_to_string(from) {
        Ok(text) => text,
        Err(error) => fail(&format!("{}: {error}", from.display())),
    };
    let tree: serde_yaml::Value = match serde_yaml::from_str(&text) {
        Ok(tree) => tree,
        Err(error) => fail(&format!("{}: {error}", from.display())),
    };
    let json = match serde_json::to_string(&tree) {
        Ok(json) => json,
        Err(error) => fail(&format!(
            "{}: not representable as JSON: {error}",
            from.display()
        )),
    };
    write_if_changed(&stem.with_extension("json"), json.as_bytes());
    let Ok(length) = u32::try_from(json.len()) else {
        fail(&format!("{}: over 4 GiB of JSON", from.display()));
    };
    let mut deflated = length.to_le_bytes().to_vec();
    let mut encoder = DeflateEncoder::new(&mut deflated, Compression::best());
    if let Err(error) = encoder
        .write_all(json.as_bytes())
        .and_then(|()| encoder.finish().map(drop))
    {
        fail(&format!("{}: deflate: {error}", from.display()));
    }
    write_if_changed(&stem.with_extension("json.deflate"), &deflated);
    tree
}

/// Written only when changed, so an unchanged catalog does not rebuild its dependents.
fn write_if_changed(to: &Path, bytes: &[u8]) {
    if fs::read(to).ok().as_deref() != Some(bytes) {
        if let Err(error) = fs::write(to, bytes) {
            fail(&format!("{}: {error}", to.display()));
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("catalog: {message}");
    std::process::exit(1);
}
