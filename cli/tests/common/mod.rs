//! Helpers the CLI's integration tests share: running `pecfg`, a scratch folder per test, the repository's root, and reading a PowerShell script for the lines it would run.

// Each test file is a crate of its own that uses some of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository's root (the CLI's manifest is one level down).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh, empty scratch folder for one test, named by the test file and `name`.
pub fn temp_dir(name: &str) -> PathBuf {
    let crate_name = env!("CARGO_CRATE_NAME");
    let dir =
        std::env::temp_dir().join(format!("pecfg-{crate_name}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the built `pecfg` with `args`.
pub fn pecfg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(args)
        .output()
        .unwrap()
}

/// What a run printed, standard output then standard error.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The lines of a PowerShell script that start outside any string (single-quoted, or an
/// `@' … '@` here-string): the only ones PowerShell could run as commands. No pwsh is available
/// here, so this reader is how the tests check that commands.ps1 and install.ps1 run nothing but
/// their own lines.
pub fn ps1_command_lines(script: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_quote = false;
    let mut in_here = false;
    for line in script.split('\n') {
        if in_here {
            if line.starts_with("'@") {
                in_here = false;
                lines.push(line);
            }
            continue;
        }
        if !in_quote {
            lines.push(line);
        }
        if !in_quote && line.trim_end() == "@'" {
            in_here = true;
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_quote && c == '#' {
                break;
            }
            if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                if in_quote && chars.peek().is_some_and(|next| *next == c) {
                    chars.next();
                } else {
                    in_quote = !in_quote;
                }
            }
        }
    }
    lines
}
