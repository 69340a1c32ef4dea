//! Snapshot files shared by the core's integration tests.

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
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .map_or_else(
                    || "the end".to_string(),
                    |index| format!("line {}", index + 1),
                );
            failures.push(format!(
                "{} differs from the snapshot at {line} (UPDATE_SNAPSHOTS=1 rewrites it)",
                path.display()
            ));
        }
        Err(_) => failures.push(format!(
            "{} is missing (UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )),
    }
}
