//! The CLI asks the same front door as the page: the type an import was taken as, what a preview masks and where an environment's findings land come from `pecfg_core::session`, and the CLI prints exactly those answers. Files as Windows tools save them (a byte-order mark, UTF-16) read as their text; README.md's usage block is `pecfg --help`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{pecfg, temp_dir};
use pecfg_core::catalog::registry::chart;
use pecfg_core::session::{read_import, ChartSession, EnvironmentSession, ExportFile};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A file of the repository, by its path from the root.
fn repo(path: &str) -> PathBuf {
    common::repo().join(path)
}

const IXN_PASSWORD: &str = "ixnService.ixnServer.secrets.db.password";

/// An IXN answers file with a database password (a `sensitive` value the chart reads).
fn ixn_with_password(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(repo("core/tests/scenarios/ixn.answers.yaml")).unwrap();
    let file = dir.join("ixn.yaml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn the_import_type_is_the_sessions_and_the_cli_prints_it() {
    let dir = temp_dir("import");
    let ixn = chart("ixn").unwrap();
    let cases = [
        ("values.yaml", "replicaCount: 1\ntenant: {sid: 0100}\n"),
        ("answers.yaml", "chart: ixn\nvalues: {replicaCount: 1}\n"),
        (
            "secrets.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: redis-ors-secret}\nstringData: {voice-redis-ors-stream: '{\"password\": \"p\"}'}\n",
        ),
    ];
    for (name, text) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let imported = read_import(ixn, text).unwrap();
        let output = pecfg(&["import", "ixn", file.to_str().unwrap()]);
        assert!(output.status.success(), "{name}: {output:?}");
        let printed = stdout(&output);
        let first = format!("taken as {}: {}", imported.kind.label(), imported.summary);
        assert_eq!(printed.lines().next(), Some(first.as_str()), "{name}");
        for line in &imported.lines {
            assert!(printed.contains(&line.text), "{name}: {}", line.text);
        }
    }
    // The old values file's `sid: 0100` is explained as the page explains it.
    let printed = stdout(&pecfg(&[
        "import",
        "ixn",
        dir.join("values.yaml").to_str().unwrap(),
    ]));
    assert!(
        printed.contains("is read by Helm as the number 64"),
        "{printed}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_preview_masks_what_the_pages_preview_masks() {
    let dir = temp_dir("preview");
    let file = ixn_with_password(&dir);
    let ixn = chart("ixn").unwrap();
    let answers =
        pecfg_core::answers::parse_answers(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let session = ChartSession::new(ixn, answers);
    let options = pecfg_core::export::ExportOptions::default();
    let masked = session.preview(ExportFile::Values, &options, false);
    let printed = stdout(&pecfg(&[
        "preview",
        "ixn",
        "--answers",
        file.to_str().unwrap(),
    ]));
    assert_eq!(printed, masked.text);
    assert!(
        masked.masked,
        "the scenario holds a password at {IXN_PASSWORD}"
    );
    assert!(printed.starts_with(pecfg_core::mask::guard_line(
        pecfg_core::mask::PreviewKind::Yaml
    )));
    let revealed = stdout(&pecfg(&[
        "preview",
        "ixn",
        "--answers",
        file.to_str().unwrap(),
        "--reveal",
    ]));
    assert_eq!(revealed, session.file(ExportFile::Values, &options).1);
    assert_ne!(revealed, printed);
    // Secrets too: redacted unless revealed.
    let secrets = stdout(&pecfg(&[
        "preview",
        "ixn",
        "--answers",
        file.to_str().unwrap(),
        "--file",
        "secrets",
    ]));
    assert_eq!(
        secrets,
        session.preview(ExportFile::Secrets, &options, false).text
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_environments_findings_land_where_the_member_form_shows_them() {
    let dir = temp_dir("findings");
    let base = std::fs::read_to_string(repo("tests/environments/all-charts.yaml")).unwrap();
    // IXN keeps a tenant id of its own, unlike the Tenant's: a cross-chart finding on both.
    let mut tree: serde_yaml::Value = serde_yaml::from_str(&base).unwrap();
    tree["charts"]["ixn"]["values"]["tenant"]["id"] =
        serde_yaml::Value::from("11111111-2222-4333-8444-555555555555");
    let text = serde_yaml::to_string(&tree).unwrap();
    let file_path = dir.join("env.yaml");
    std::fs::write(&file_path, &text).unwrap();
    let file = pecfg_core::environment::parse_environment(&text).unwrap();
    let session = EnvironmentSession::from_file(file);
    for member in ["ixn", "tenant"] {
        let output = pecfg(&[
            "validate",
            "--environment",
            file_path.to_str().unwrap(),
            member,
        ]);
        let printed = format!(
            "{}{}",
            stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
        let placed = session.findings_for(member);
        let field = if member == "ixn" {
            "tenant.id"
        } else {
            "tenantid"
        };
        assert!(
            placed
                .iter()
                .any(|d| d.rule == "env.one-tenant-id" && d.path == field),
            "{member}: {placed:#?}"
        );
        for finding in placed {
            let line = format!(
                "{} {}: {} [{}]",
                finding.severity.as_str(),
                finding.path,
                finding.message,
                finding.rule
            );
            assert!(printed.contains(&line), "{member}: {line}\n{printed}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_saved_by_windows_tools_read_as_their_text() {
    let dir = temp_dir("windows");
    let text = std::fs::read_to_string(repo("core/tests/scenarios/ixn.answers.yaml")).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(crlf.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(crlf.encode_utf16().flat_map(u16::to_le_bytes));
    let plain = pecfg(&[
        "validate",
        "ixn",
        "--answers",
        repo("core/tests/scenarios/ixn.answers.yaml")
            .to_str()
            .unwrap(),
    ]);
    for (name, bytes) in [("bom.yaml", bom), ("utf16.yaml", utf16)] {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let output = pecfg(&["validate", "ixn", "--answers", file.to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            plain.status.code(),
            "{name}: {output:?}"
        );
        assert_eq!(stdout(&output), stdout(&plain), "{name}");
    }
    // UTF-16 without its byte-order mark: refused, saying so.
    let file = dir.join("utf16-nobom.yaml");
    std::fs::write(
        &file,
        crlf.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let output = pecfg(&["validate", "ixn", "--answers", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("UTF-16 without a byte-order mark"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_readme_usage_is_pecfg_help() {
    let help = stdout(&pecfg(&["--help"]));
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let block = readme
        .split("<!-- pecfg --help -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md holds the usage block after <!-- pecfg --help -->");
    assert_eq!(block, help, "README.md's usage block is not `pecfg --help`");
}

#[test]
fn completions_name_every_command() {
    let script = stdout(&pecfg(&["completions", "bash"]));
    for command in ["render", "preview", "images", "plan", "import", "validate"] {
        assert!(script.contains(command), "{command}");
    }
    let status = Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(status.success(), "bash -n on the completion script");
}
