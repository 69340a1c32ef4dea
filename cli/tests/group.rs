//! `pecfg plan --group` and `pecfg validate --group` as a user runs them: the example group
//! (`tests/groups/example.yaml`) planned with Argo CD and with Flux, every unit sealed with a
//! certificate (`unit=PEM`, or one PEM for every unit), the zip; a group whose checks fail is
//! refused unless forced; a refused group file or an unknown unit in `--sealed-cert` writes
//! nothing; every unit's install.sh passes `bash -n`.

mod common;

use common::{pecfg, repo, temp_dir, text};

use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    repo().join("tests/groups/example.yaml")
}

/// The sealed-secrets test certificate of the core's tests (a throwaway key; valid 2026-2036).
fn cert() -> PathBuf {
    repo().join("core/tests/fixtures/sealed/cert.pem")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_example_group_is_planned_per_unit_with_argocd_sealed_and_zipped() {
    let dir = temp_dir("argocd");
    let out = dir.join("plan");
    let eu = format!("eu-west-a={}", path(&cert()));
    let output = pecfg(&[
        "plan",
        "--group",
        path(&example()),
        "--out",
        path(&out),
        "--gitops",
        "argocd",
        "--sealed-cert",
        &eu,
        "--sealed-cert",
        path(&cert()),
        "--zip",
    ]);
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("rollout"), "{printed}");
    assert!(printed.contains("wrote "), "{printed}");
    for file in [
        "group-report.txt",
        "group.svg",
        "acme-plan.zip",
        "units/eu-west-a/t100/install.sh",
        "units/eu-west-a/t100/install.ps1",
        "units/eu-west-a/t100/ixn-values.yaml",
        "units/eu-west-a/t100/ixn-sealed-secrets.yaml",
        "units/eu-west-a/t200/tenant-sealed-secrets.yaml",
        "units/ap-south-a/t100/plan.svg",
        "units/us-east-b/t200/tenant-sealed-secrets.yaml",
        "argocd/tenant.yaml",
        "argocd/kustomization.yaml",
    ] {
        assert!(out.join(file).is_file(), "{file} missing:\n{printed}");
    }
    assert!(!out.join("units/eu-west-a/t100/gitops").exists());
    assert!(!out.join("clusters").exists());
    // Every unit's install.sh is a script bash reads, and is executable.
    for unit in [
        "eu-west-a",
        "eu-west-b",
        "us-east-a",
        "us-east-b",
        "ap-south-a",
    ] {
        for tenant in ["t100", "t200"] {
            let script = out.join(format!("units/{unit}/{tenant}/install.sh"));
            if !script.exists() {
                continue;
            }
            let status = Command::new("bash")
                .arg("-n")
                .arg(&script)
                .status()
                .unwrap();
            assert!(status.success(), "{}", script.display());
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&script).unwrap().permissions().mode();
            assert_eq!(mode & 0o111, 0o111, "{}", script.display());
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn flux_writes_a_folder_per_cluster() {
    let dir = temp_dir("flux");
    let out = dir.join("plan");
    let output = pecfg(&[
        "plan",
        "--out",
        path(&out),
        "--group",
        path(&example()),
        "--gitops",
        "flux",
        "--sealed-cert",
        &format!("us-east-a={}", path(&cert())),
    ]);
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.contains(
            "not sealed (no --sealed-cert for them): eu-west-a, eu-west-b, us-east-b, ap-south-a"
        ),
        "{printed}"
    );
    for unit in [
        "eu-west-a",
        "eu-west-b",
        "us-east-a",
        "us-east-b",
        "ap-south-a",
    ] {
        assert!(out
            .join(format!("clusters/{unit}/kustomization.yaml"))
            .is_file());
    }
    assert!(out.join("clusters/us-east-a/sealed-secrets.yaml").is_file());
    assert!(!out.join("clusters/eu-west-a/sealed-secrets.yaml").exists());
    assert!(out.join("clusters/us-east-a/t200/tenant.yaml").is_file());
    let report = std::fs::read_to_string(out.join("group-report.txt")).unwrap();
    assert!(
        report.contains("bootstrap the master units first (eu-west-a, us-east-a)"),
        "{report}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_reports_every_unit_and_fails_on_an_error() {
    let output = pecfg(&["validate", "--group", path(&example())]);
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("[group.unit-pair]"), "{printed}");
    assert!(
        printed.contains("warning [us-east-a/t200] [tenant] namespace:"),
        "{printed}"
    );
    assert!(printed.contains("0 error(s)"), "{printed}");

    let dir = temp_dir("errors");
    let file = dir.join("group.yaml");
    let broken = std::fs::read_to_string(example()).unwrap().replace(
        "role: secondary\n    cluster: {server: \"https://eu-west-b",
        "role: primary\n    cluster: {server: \"https://eu-west-b",
    );
    std::fs::write(&file, broken).unwrap();
    let output = pecfg(&["validate", "--group", path(&file)]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("[group.one-primary]"),
        "{}",
        text(&output)
    );
    // The plan is refused and nothing is written, unless forced.
    let out = dir.join("plan");
    let output = pecfg(&["plan", "--group", path(&file), "--out", path(&out)]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("block the plan"),
        "{}",
        text(&output)
    );
    assert!(!out.exists());
    let output = pecfg(&[
        "plan",
        "--group",
        path(&file),
        "--out",
        path(&out),
        "--force",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("--force despite"));
    assert!(out.join("group-report.txt").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refused_group_or_an_unknown_unit_writes_nothing() {
    let dir = temp_dir("refused");
    let out = dir.join("plan");
    let file = dir.join("group.yaml");
    std::fs::write(
        &file,
        "group: g\nunits:\n  - {name: ../x, region: r, role: primary, cluster: {context: c}}\n",
    )
    .unwrap();
    let output = pecfg(&["plan", "--group", path(&file), "--out", path(&out)]);
    assert!(!output.status.success());
    let printed = text(&output);
    assert!(
        printed.contains("units[0].name must be a DNS-1123 label"),
        "{printed}"
    );
    assert!(!printed.contains("../x"));
    assert!(!out.exists());
    let output = pecfg(&[
        "plan",
        "--group",
        path(&example()),
        "--out",
        path(&out),
        "--sealed-cert",
        &format!("mars-1={}", path(&cert())),
    ]);
    assert!(!output.status.success());
    assert!(text(&output).contains("names unit `mars-1`, which the group does not have"));
    assert!(!out.exists());
    let output = pecfg(&["plan", "--group", path(&example())]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(text(&output).contains("--out <DIR>"), "{}", text(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}
