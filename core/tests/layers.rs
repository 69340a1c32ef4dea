//! The core's floors: each module imports only from floors below its own, so no import runs back
//! up and no two modules import each other. Read from the sources' `crate::` paths (test modules
//! aside), so a new import that climbs fails here with the file and the module it reached.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The floors from the ground up; a module may use the modules of lower floors only.
const FLOORS: &[&[&str]] = &[
    &["path", "diagnostic", "text"],
    &["yaml"],
    &["catalog"],
    &["answers", "kinds"],
    &["values", "schema"],
    &["shared"],
    &["mask", "listing"],
    &["validation"],
    &["import", "export", "share"],
    &["embed_policy", "mirror"],
    &["environment"],
    &["group"],
    &["session", "lint", "docs"],
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`validation/rules.rs` → `validation`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// The code of a file without its `#[cfg(test)]` modules (tests may read any floor).
fn without_tests(text: &str) -> String {
    let mut kept = String::new();
    let mut skipping = false;
    let mut depth = 0i32;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !skipping && line.trim() == "#[cfg(test)]" {
            // Attributes may sit between `#[cfg(test)]` and its `mod … {`.
            while lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("#["))
            {
                lines.next();
            }
            if let Some(next) = lines.peek() {
                if next.trim_start().starts_with("mod ") && next.trim_end().ends_with('{') {
                    skipping = true;
                    depth = 0;
                    continue;
                }
            }
        }
        if skipping {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if depth <= 0 && line.contains('}') {
                skipping = false;
            }
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

#[test]
fn no_import_runs_back_up_a_floor() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut climbs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        let Some(floor) = floor_of(&module) else {
            unplaced.push(module);
            continue;
        };
        let code = without_tests(&std::fs::read_to_string(file).unwrap());
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let used: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if used == module || used.is_empty() {
                continue;
            }
            match floor_of(&used) {
                Some(below) if below < floor => {}
                _ => climbs
                    .entry(format!(
                        "{} ({module})",
                        file.strip_prefix(&src).unwrap().display()
                    ))
                    .or_default()
                    .push(used),
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "modules with no floor in FLOORS: {unplaced:?}"
    );
    for used in climbs.values_mut() {
        used.sort();
        used.dedup();
    }
    assert!(
        climbs.is_empty(),
        "imports that run up or sideways: {climbs:#?}"
    );
}
