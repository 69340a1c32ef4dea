//! `pecfg render` run as a binary: it writes the same bytes as the core's `render_files` (what
//! the browser's "download all" holds), honours its flags, and refuses bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

use pecfg_core::answers::parse_answers;
use pecfg_core::catalog::registry::{all_charts, chart};
use pecfg_core::export::{
    commands_ps1, render_files, zip_bytes, zip_name, ExportOptions, HelmFlavor, SecretEncoding,
    ValuesMode,
};
use pecfg_core::validation::Evaluated;

fn scenario_path(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/scenarios")
        .join(format!("{id}.answers.yaml"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pecfg-render-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pecfg(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(args)
        .output()
        .expect("pecfg runs")
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

#[test]
fn render_writes_the_browser_files_for_every_chart() {
    for chart in all_charts() {
        let out = temp_dir(&chart.id);
        let answers_path = scenario_path(&chart.id);
        let output = pecfg(&[
            "render",
            &chart.id,
            "--answers",
            answers_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let answers = parse_answers(&std::fs::read_to_string(&answers_path).unwrap()).unwrap();
        let files = render_files(&Evaluated::of(chart, &answers), &ExportOptions::default());
        for (name, text) in &files {
            assert_eq!(read(&out, name), text.as_bytes(), "{}: {name}", chart.id);
        }
        let mut listed: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        listed.sort();
        let mut expected: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
        expected.sort();
        assert_eq!(listed, expected, "only the four files");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join("commands.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "commands.sh is executable");
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn render_flags_reach_the_exporters() {
    let chart = chart("ixn").unwrap();
    let out = temp_dir("flags");
    let answers_path = scenario_path("ixn");
    let output = pecfg(&[
        "render",
        "ixn",
        "--answers",
        answers_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--full",
        "--string-data",
        "--helm3",
        "--chart-ref",
        "genesys/ixn",
        "--version",
        "100.0.1",
        "--zip",
        "--powershell",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("wrote "), "{stdout}");
    let answers = parse_answers(&std::fs::read_to_string(&answers_path).unwrap()).unwrap();
    let options = ExportOptions {
        values_mode: ValuesMode::Full,
        secret_encoding: SecretEncoding::StringData,
        helm: HelmFlavor::V3,
        chart_ref: Some("genesys/ixn".into()),
        chart_version: Some("100.0.1".into()),
        ..ExportOptions::default()
    };
    let files = render_files(&Evaluated::of(chart, &answers), &options);
    for (name, text) in &files {
        assert_eq!(read(&out, name), text.as_bytes(), "{name}");
    }
    let commands = String::from_utf8(read(&out, "commands.sh")).unwrap();
    assert!(commands.contains("--version \"$CHART_VERSION\" --atomic"));
    assert!(String::from_utf8(read(&out, "ixn-values.yaml"))
        .unwrap()
        .contains("# -- "));
    assert!(String::from_utf8(read(&out, "secrets.yaml"))
        .unwrap()
        .contains("stringData:"));
    assert_eq!(
        read(&out, "commands.ps1"),
        commands_ps1(&Evaluated::of(chart, &answers), &options).as_bytes()
    );
    assert_eq!(
        read(&out, &zip_name(&Evaluated::of(chart, &answers))),
        zip_bytes(&files)
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn render_refuses_bad_input() {
    let out = temp_dir("bad");
    let ixn = scenario_path("ixn");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["render"], "<CHART>"),
        (vec!["render", "ixn", "--out", "x"], "--answers <FILE>"),
        (
            vec!["render", "ixn", "--answers", ixn.to_str().unwrap()],
            "--out <DIR>",
        ),
        (
            vec![
                "render",
                "nope",
                "--answers",
                ixn.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            "invalid value 'nope'",
        ),
        (
            vec![
                "render",
                "ges",
                "--answers",
                ixn.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            "is for chart `ixn`, not `ges`",
        ),
        (
            vec![
                "render",
                "ixn",
                "--answers",
                "/nonexistent/answers.yaml",
                "--out",
                out.to_str().unwrap(),
            ],
            "/nonexistent/answers.yaml",
        ),
        (
            vec!["render", "ixn", "--bogus"],
            "unexpected argument '--bogus'",
        ),
    ];
    for (args, message) in cases {
        let output = pecfg(&args);
        assert!(!output.status.success(), "{args:?} must fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let bad_answers = out.join("bad.yaml");
    std::fs::write(&bad_answers, "chart: ixn\nvalues: [1]\n").unwrap();
    let output = pecfg(&[
        "render",
        "ixn",
        "--answers",
        bad_answers.to_str().unwrap(),
        "--out",
        out.join("files").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        !out.join("files").exists(),
        "nothing written for a bad answers file"
    );
    std::fs::remove_dir_all(&out).unwrap();
}
