//! The mirror scripts run for real, with `skopeo`, `docker` and `helm` replaced by stubs that
//! record their calls, on a PATH that holds nothing else (any other command is caught by bash's
//! `command_not_found_handle` and recorded as unexpected): they copy exactly the images of
//! images.txt and the plan's charts, nothing when everything is there already, nothing with
//! `--dry-run`, stop at a failing copy naming the step, and use docker when skopeo is absent.
//! And `pecfg images`: the inventory it prints and the files it writes or refuses.

mod common;

use common::{pecfg, repo, temp_dir, text};

use std::path::{Path, PathBuf};
use std::process::Command;

/// A stub: records `<tool> <args>` and answers as a registry that holds nothing (or everything,
/// with PRESENT=1), fails its copy with FAIL_COPY=1. Bash builtins only: PATH has nothing else.
fn stub(tool: &str, log: &Path) -> String {
    let record = format!(
        "#!/bin/bash\nprintf '%s\\n' \"{tool} $*\" >> '{}'\n",
        log.display()
    );
    let body = match tool {
        "skopeo" => {
            "case \"$1\" in\n\
             login) while read -r _; do :; done; exit 0 ;;\n\
             inspect) [ \"${PRESENT:-0}\" = 1 ] && exit 0; exit 1 ;;\n\
             copy) [ \"${FAIL_COPY:-0}\" = 1 ] && exit 1; exit 0 ;;\n\
             esac\nexit 0\n"
        }
        "docker" => {
            "case \"$1\" in\n\
             login) while read -r _; do :; done; exit 0 ;;\n\
             manifest) [ \"${PRESENT:-0}\" = 1 ] && exit 0; exit 1 ;;\n\
             push) [ \"${FAIL_COPY:-0}\" = 1 ] && exit 1; exit 0 ;;\n\
             esac\nexit 0\n"
        }
        _ => {
            "case \"$1 $2\" in\n\
             'repo add'|'registry login') while read -r _; do :; done; exit 0 ;;\n\
             'show chart')\n\
               for arg in \"$@\"; do [ \"$arg\" = --version ] && { [ \"${PRESENT:-0}\" = 1 ] && exit 0; exit 1; }; done\n\
               printf 'name: x\\nversion: 9.9.9\\n'; exit 0 ;;\n\
             esac\n\
             if [ \"$1\" = pull ]; then\n\
               while [ $# -gt 0 ]; do case \"$1\" in --version) v=$2; shift ;; --destination) d=$2; shift ;; --) n=${2##*/}; shift ;; esac; shift; done\n\
               : > \"$d/$n-$v.tgz\"\n\
             fi\nexit 0\n"
        }
    };
    format!("{record}{body}")
}

struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    calls: Vec<String>,
}

/// Runs `script` with the stubs of `tools` on PATH and the environment given.
fn run(dir: &Path, script: &Path, tools: &[&str], args: &[&str], env: &[(&str, &str)]) -> Run {
    let bin = dir.join("bin");
    let _ = std::fs::remove_dir_all(&bin);
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("calls.log");
    let _ = std::fs::remove_file(&log);
    for tool in tools {
        let path = bin.join(tool);
        std::fs::write(&path, stub(tool, &log)).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env_file = dir.join("env.sh");
    std::fs::write(
        &env_file,
        format!(
            "command_not_found_handle() {{ printf 'UNEXPECTED %s\\n' \"$1\" >> '{}'; return 127; }}\n",
            log.display()
        ),
    )
    .unwrap();
    let mut command = Command::new("/bin/bash");
    command
        .arg(script)
        .args(args)
        .env_clear()
        .env("PATH", &bin)
        .env("BASH_ENV", &env_file)
        .env("SOURCE_REGISTRY_USERNAME", "vendor-user")
        .env("SOURCE_REGISTRY_PASSWORD", "vendor pw $(x)")
        .env("TARGET_REGISTRY_USERNAME", "robot")
        .env("TARGET_REGISTRY_PASSWORD", "robot-pw");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    Run {
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        calls: std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect(),
    }
}

fn calls_of<'c>(calls: &'c [String], start: &str) -> Vec<&'c str> {
    calls
        .iter()
        .filter(|call| call.starts_with(start))
        .map(String::as_str)
        .collect()
}

/// The plan of the air-gapped test environment, written by `pecfg plan`.
fn plan(dir: &Path) -> PathBuf {
    let out = dir.join("plan");
    let output = pecfg(&[
        "plan",
        "--environment",
        repo()
            .join("tests/environments/air-gapped.yaml")
            .to_str()
            .unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    for name in ["images.txt", "mirror.sh", "mirror.ps1"] {
        assert!(
            text(&output).contains(&format!("wrote {}", out.join(name).display())),
            "the report lists {name}"
        );
    }
    out
}

fn images_txt(plan: &Path) -> Vec<String> {
    std::fs::read_to_string(plan.join("images.txt"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

const VENDOR: &str = "pureengageuse1-docker-multicloud.jfrog.io";

/// Where images.txt's reference comes from: the vendor's registry, or Docker Hub for Fluent Bit.
fn source_of(reference: &str) -> String {
    let path = reference
        .strip_prefix("registry.example.com/")
        .expect("the test environment pulls from registry.example.com");
    if path.starts_with("fluent/") {
        format!("docker.io/{path}")
    } else {
        format!("{VENDOR}/{path}")
    }
}

#[test]
fn mirror_sh_copies_exactly_the_listed_images_and_charts() {
    let dir = temp_dir("copies");
    let plan = plan(&dir);
    let script = plan.join("mirror.sh");
    let status = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(status.success(), "bash -n refuses mirror.sh");
    let listed = images_txt(&plan);
    assert_eq!(listed.len(), 4, "{listed:?}");

    let first = run(&dir, &script, &["skopeo", "helm"], &[], &[]);
    assert_eq!(first.status, Some(0), "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("with skopeo copy --all"),
        "{}",
        first.stdout
    );
    let unexpected: Vec<&String> = first
        .calls
        .iter()
        .filter(|call| !(call.starts_with("skopeo ") || call.starts_with("helm ")))
        .collect();
    assert!(unexpected.is_empty(), "ran something else: {unexpected:?}");
    // Exactly the images of images.txt, each from its source, repository and tag kept.
    let mut copies: Vec<String> = calls_of(&first.calls, "skopeo copy")
        .into_iter()
        .map(str::to_string)
        .collect();
    copies.sort();
    let mut expected: Vec<String> = listed
        .iter()
        .map(|reference| {
            format!(
                "skopeo copy --all -- docker://{} docker://{reference}",
                source_of(reference)
            )
        })
        .collect();
    expected.sort();
    assert_eq!(copies, expected);
    assert_eq!(calls_of(&first.calls, "skopeo inspect").len(), 4);
    // The logins: the vendor's registry and yours, the vendor's Helm repository, helm to yours;
    // the password goes on stdin, never on the command line.
    assert_eq!(
        calls_of(&first.calls, "skopeo login"),
        [
            format!("skopeo login --username vendor-user --password-stdin -- {VENDOR}"),
            "skopeo login --username robot --password-stdin -- registry.example.com".into(),
        ]
    );
    assert!(
        first.calls.iter().all(|call| !call.contains("pw")),
        "{:?}",
        first.calls
    );
    assert_eq!(
        calls_of(&first.calls, "helm repo add"),
        ["helm repo add --force-update --username vendor-user --password-stdin -- pecfg-mirror-source https://pureengageuse1.jfrog.io/artifactory/api/helm/helm-multicloud"]
    );
    // Exactly the plan's charts, at the environment's versions, pushed as OCI.
    assert_eq!(
        calls_of(&first.calls, "helm pull"),
        [
            format!("helm pull --version 100.0.100.0011 --destination {} -- pecfg-mirror-source/tenant", plan.display()),
            format!("helm pull --version 100.0.100.0002 --destination {} -- pecfg-mirror-source/tenantmonitor", plan.display()),
            format!("helm pull --version 100.0.1 --destination {} -- pecfg-mirror-source/ixn", plan.display()),
        ]
    );
    assert_eq!(
        calls_of(&first.calls, "helm push"),
        [
            format!("helm push -- {}/tenant-100.0.100.0011.tgz oci://registry.example.com/helm-multicloud", plan.display()),
            format!("helm push -- {}/tenantmonitor-100.0.100.0002.tgz oci://registry.example.com/helm-multicloud", plan.display()),
            format!("helm push -- {}/ixn-100.0.1.tgz oci://registry.example.com/helm-multicloud", plan.display()),
        ]
    );
    assert!(
        first.stdout.ends_with("mirror.sh: done\n"),
        "{}",
        first.stdout
    );

    // A second run against a registry that holds everything copies nothing.
    let second = run(&dir, &script, &["skopeo", "helm"], &[], &[("PRESENT", "1")]);
    assert_eq!(second.status, Some(0), "{}", second.stderr);
    assert!(calls_of(&second.calls, "skopeo copy").is_empty());
    assert!(calls_of(&second.calls, "helm pull").is_empty());
    assert!(calls_of(&second.calls, "helm push").is_empty());
    assert_eq!(
        second.stdout.matches("is already there, skipped").count(),
        7
    );

    // --dry-run runs nothing at all, and says what it would do.
    let dry = run(&dir, &script, &["skopeo", "helm"], &["--dry-run"], &[]);
    assert_eq!(dry.status, Some(0), "{}", dry.stderr);
    assert!(dry.calls.is_empty(), "{:?}", dry.calls);
    assert_eq!(
        dry.stdout.matches("would copy ").count(),
        7,
        "{}",
        dry.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failing_copy_stops_mirror_sh_and_names_the_step() {
    let dir = temp_dir("failing");
    let plan = plan(&dir);
    let script = plan.join("mirror.sh");
    let failed = run(
        &dir,
        &script,
        &["skopeo", "helm"],
        &[],
        &[("FAIL_COPY", "1")],
    );
    assert_ne!(failed.status, Some(0));
    assert!(
        failed
            .stderr
            .contains("mirror.sh: stopped at: image ixn/ixn-server"),
        "{}",
        failed.stderr
    );
    // Nothing after the failing copy: one copy, no chart.
    assert_eq!(calls_of(&failed.calls, "skopeo copy").len(), 1);
    assert!(calls_of(&failed.calls, "helm pull").is_empty());
    assert!(!failed.stdout.contains("mirror.sh: done"));
    // A credential that cannot be read (no variable, no terminal) stops it at the login.
    let bin = dir.join("no-credentials");
    std::fs::create_dir_all(&bin).unwrap();
    let output = Command::new("/bin/bash")
        .arg(&script)
        .env_clear()
        .env("PATH", &bin)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("mirror.sh: stopped at: log in to the vendor registry"),
        "{}",
        text(&output)
    );
    // An unknown option is refused before anything runs.
    let refused = run(&dir, &script, &["skopeo", "helm"], &["--force"], &[]);
    assert_eq!(refused.status, Some(2));
    assert!(refused.calls.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_skopeo_mirror_sh_pulls_tags_and_pushes_with_docker() {
    let dir = temp_dir("docker");
    let plan = plan(&dir);
    let script = plan.join("mirror.sh");
    let listed = images_txt(&plan);
    let run1 = run(&dir, &script, &["docker", "helm"], &[], &[]);
    assert_eq!(run1.status, Some(0), "{}{}", run1.stdout, run1.stderr);
    assert!(
        run1.stdout
            .contains("skopeo is not installed: copies images with docker pull, tag and push"),
        "{}",
        run1.stdout
    );
    assert!(
        !run1.calls.iter().any(|call| call.contains("UNEXPECTED")),
        "{:?}",
        run1.calls
    );
    let mut pushed: Vec<String> = calls_of(&run1.calls, "docker push")
        .into_iter()
        .map(str::to_string)
        .collect();
    pushed.sort();
    let mut expected: Vec<String> = listed
        .iter()
        .map(|reference| format!("docker push -- {reference}"))
        .collect();
    expected.sort();
    assert_eq!(pushed, expected);
    for reference in &listed {
        let source = source_of(reference);
        assert!(run1.calls.contains(&format!("docker pull -- {source}")));
        assert!(run1
            .calls
            .contains(&format!("docker tag -- {source} {reference}")));
        assert!(run1
            .calls
            .contains(&format!("docker manifest inspect -- {reference}")));
    }
    let again = run(&dir, &script, &["docker", "helm"], &[], &[("PRESENT", "1")]);
    assert!(calls_of(&again.calls, "docker pull").is_empty());
    assert!(calls_of(&again.calls, "docker push").is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pecfg_images_prints_the_inventory_and_writes_the_scripts() {
    let dir = temp_dir("images");
    let answers = repo().join("core/tests/scenarios/ixn.answers.yaml");
    let answers = answers.to_str().unwrap();
    let output = pecfg(&["images", "ixn", "--answers", answers]);
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.contains(
            "ixn/ixn-server: pureengage-docker-staging.jfrog.io/ixn/interaction_server:100.0.100.0011"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("  tag        100.0.100.0011  (ixnService.image.ixnServer.tag)"),
        "{printed}"
    );
    assert!(printed.contains("[env.image-tag-pinned]"), "{printed}");
    assert!(
        printed.contains("not copied: image ixn/ixn-server"),
        "{printed}"
    );
    // GES: the tag the guide does not give is reported missing.
    let ges = pecfg(&[
        "images",
        "ges",
        "--answers",
        repo()
            .join("core/tests/scenarios/ges.answers.yaml")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        text(&ges).contains("  tag        missing: the guide gives no tag"),
        "{}",
        text(&ges)
    );
    // --out with your registry: the three files, the copies named.
    let out = dir.join("out");
    let output = pecfg(&[
        "images",
        "ixn",
        "--answers",
        answers,
        "--target-registry",
        "registry.example.com",
        "--version",
        "100.0.1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    for name in ["images.txt", "mirror.sh", "mirror.ps1"] {
        assert!(out.join(name).exists(), "{name}: {printed}");
    }
    let sh = std::fs::read_to_string(out.join("mirror.sh")).unwrap();
    assert!(sh.contains("copy_chart ixn 100.0.1 oci://registry.example.com/helm-multicloud\n"));
    let run1 = run(&dir, &out.join("mirror.sh"), &["skopeo", "helm"], &[], &[]);
    assert_eq!(run1.status, Some(0), "{}", run1.stderr);
    assert_eq!(calls_of(&run1.calls, "skopeo copy").len(), 4);
    // A bad option is refused, naming the option.
    let output = pecfg(&[
        "images",
        "ixn",
        "--answers",
        answers,
        "--target-registry",
        "-x",
    ]);
    assert!(!output.status.success());
    assert!(text(&output).contains("the target registry starts with `-`"));
    std::fs::remove_dir_all(&dir).unwrap();
}
