//! Snapshot files shared by the core's integration tests: compare, or rewrite with
//! UPDATE_SNAPSHOTS=1, and on a difference show it as a line diff.

use std::path::PathBuf;

/// Compares `actual` with the snapshot file, or writes it when UPDATE_SNAPSHOTS=1.
pub fn check_snapshot(chart_id: &str, name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(chart_id)
        .join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|value| value == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs from the snapshot (UPDATE_SNAPSHOTS=1 rewrites it); - snapshot, + now:\n{}",
            path.display(),
            line_diff(&expected, actual)
        )),
        Err(_) => failures.push(format!(
            "{} is missing (UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )),
    }
}

/// The changed lines of `new` against `old` (longest common subsequence), with two lines of
/// context around each change and `@@ line n` before each hunk.
pub fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i, a[i]));
            i += 1;
        } else {
            ops.push(('+', i, b[j]));
            j += 1;
        }
    }
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let near = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= 2);
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, (op, line, text)) in ops.iter().enumerate() {
        if !near(k) {
            continue;
        }
        if last_shown.is_none_or(|last| last + 1 != k) {
            out.push_str(&format!("@@ line {}\n", line + 1));
        }
        out.push_str(&format!("{op} {text}\n"));
        last_shown = Some(k);
    }
    if old.ends_with('\n') != new.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    out
}
