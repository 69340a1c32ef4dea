//! Writes the catalog files the page fetches (`<chart id>.json`, `platform.json`) into a folder: the JSON core/build.rs compiled, byte for byte, which the page's `catalog::registry::register` reads back. Run by trunk's pre-build hook (Trunk.toml) for every page build.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: write_catalog FOLDER");
        return ExitCode::FAILURE;
    };
    let files = match pecfg_core::catalog::registry::compiled_files() {
        Ok(files) => files,
        Err(error) => {
            eprintln!("write_catalog: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("write_catalog: {}: {error}", folder.display());
        return ExitCode::FAILURE;
    }
    for (name, json) in files {
        let path = folder.join(name);
        // Unchanged files keep their time, so an incremental build copies nothing new.
        if std::fs::read(&path).ok().as_deref() == Some(json.as_slice()) {
            continue;
        }
        if let Err(error) = std::fs::write(&path, json) {
            eprintln!("write_catalog: {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
