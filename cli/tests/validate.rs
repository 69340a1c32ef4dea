//! `pecfg validate` run as a process on answers files written to a temporary folder.

use std::path::PathBuf;
use std::process::{Command, Output};

/// An answers file under the temporary folder, removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes `text` to a file of its own under the temporary folder.
fn answers_file(name: &str, text: &str) -> TempFile {
    let path =
        std::env::temp_dir().join(format!("pecfg-validate-test-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    TempFile(path)
}

fn pecfg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(args)
        .output()
        .expect("pecfg runs")
}

fn validate(chart: &str, file: &TempFile) -> (i32, String, String) {
    let output = pecfg(&["validate", chart, "--answers", file.0.to_str().unwrap()]);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn clean_answers_exit_0_with_a_summary() {
    let file = answers_file(
        "clean.yaml",
        "chart: tenant-monitor\nvalues:\n  fluent: {enable: \"true\"}\n",
    );
    let (code, stdout, stderr) = validate("tenant-monitor", &file);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stdout, "0 errors, 0 warnings\n");
}

#[test]
fn warnings_alone_do_not_fail() {
    let file = answers_file(
        "warnings.yaml",
        "chart: middleware\nvalues:\n  autoscaling: {targetCPUUtilizationPercentage: 30}\n",
    );
    let (code, stdout, _) = validate("middleware", &file);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(
        "warning autoscaling.targetCPUUtilizationPercentage: `autoscaling.targetCPUUtilizationPercentage` is 30;"
    ));
    assert!(stdout.contains("[middleware.cpu-target-too-low]"));
    assert!(stdout.ends_with("0 errors, 2 warnings\n"), "{stdout}");
}

#[test]
fn errors_exit_1_with_one_line_per_diagnostic() {
    let file = answers_file(
        "bad.yaml",
        "chart: ixn\nrelease: ixn-80dd\nvalues:\n  replicaCount: 2\n  tenant: {id: 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd, sid: 80dd}\n",
    );
    let (code, stdout, stderr) = validate("ixn", &file);
    assert_eq!(code, 1, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.contains(
            &"error replicaCount: `replicaCount` is 2; expected one of 0, 1 (004_1b95b01158e7ce5e.txt:1683-1763). [field.allowed]"
        ),
        "{stderr}"
    );
    // Errors first, then warnings, then the counts.
    let first_warning = lines
        .iter()
        .position(|line| line.starts_with("warning "))
        .unwrap_or(lines.len() - 1);
    assert!(lines[..first_warning]
        .iter()
        .all(|line| line.starts_with("error ")));
    assert!(lines[first_warning..lines.len() - 1]
        .iter()
        .all(|line| line.starts_with("warning ")));
    assert!(
        lines.last().is_some_and(|last| last.contains(" errors, ")),
        "{stderr}"
    );
}

#[test]
fn chart_must_match_the_answers_file() {
    let file = answers_file("other.yaml", "chart: ges\n");
    let (code, _, stderr) = validate("ixn", &file);
    assert_eq!(code, 1);
    assert!(stderr.contains("is for chart `ges`, not `ixn`"), "{stderr}");
}

#[test]
fn bad_invocations_explain_themselves() {
    // A usage error exits 2 (clap's convention), naming what is missing.
    let output = pecfg(&["validate", "ixn"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("<--answers <FILE>|--environment <FILE>|--group <FILE>>"));

    let file = answers_file("broken.yaml", "chart: ixn\nvalues: [1]\n");
    let (code, _, stderr) = validate("ixn", &file);
    assert_eq!(code, 1);
    assert!(stderr.contains("`values` must be a map"), "{stderr}");

    let (code, _, stderr) = validate("nochart", &file);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'nochart'"), "{stderr}");
}
