//! The post-pass over the saved corpus: every input of `fuzz/corpus/<target>/` through its target (all in-process oracles), then what the exporters wrote through the slow external readers: PyYAML (YAML 1.1) must read each values.yaml as the same typed values and each secrets.yaml with string keys, and `bash -n` must accept each commands.sh.
//!
//! PyYAML comes from PATH or `<repo>/.tools/bin` (scripts/setup-test-tools.sh); without it the
//! external half prints `SKIPPED` and passes, unless PECFG_REQUIRE_TOOLS=1.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pecfg_fuzz::{run_with, Exported, TARGETS};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn python_with_yaml() -> Option<PathBuf> {
    let repo_tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/bin/python3");
    let candidates = [PathBuf::from("python3"), repo_tools];
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import yaml"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

/// PyYAML's SafeLoader over every file, as JSON: one document per values file (a file of
/// comments only reads as `{}`, as Helm reads it), a list of documents per secrets file. Keys
/// must be strings and values JSON types.
const PYYAML: &str = r#"
import json, sys, yaml
def check(node, where):
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise SystemExit("%s: key %r is a %s" % (where, key, type(key).__name__))
            check(value, where + "." + key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check(value, "%s[%d]" % (where, index))
    elif not (node is None or isinstance(node, (str, bool, int, float))):
        raise SystemExit("%s: %r is a %s" % (where, node, type(node).__name__))
out = []
kind = sys.argv[1]
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as handle:
        if kind == "values":
            node = yaml.load(handle, Loader=yaml.SafeLoader)
            node = {} if node is None else node
        else:
            node = list(yaml.load_all(handle, Loader=yaml.SafeLoader))
    check(node, path)
    out.append(node)
json.dump(out, sys.stdout)
"#;

fn pyyaml(python: &Path, kind: &str, files: &[PathBuf]) -> Vec<serde_json::Value> {
    let output = Command::new(python)
        .args(["-c", PYYAML, kind])
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "PyYAML refused a {kind} file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_corpus_passes_every_oracle_and_the_external_readers() {
    let mut all = Exported::default();
    let mut inputs = 0;
    for target in TARGETS {
        let files = corpus(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let exported = std::panic::catch_unwind(|| run_with(target, &data, true))
                .unwrap_or_else(|_| panic!("{target}: {} fails an oracle", file.display()));
            all.values_files.extend(exported.values_files);
            all.scripts.extend(exported.scripts);
            all.secrets_files.extend(exported.secrets_files);
            inputs += 1;
        }
    }
    println!("replayed {inputs} inputs of {} targets", TARGETS.len());

    let Some(python) = python_with_yaml() else {
        assert!(
            std::env::var("PECFG_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "python3 with PyYAML not found and PECFG_REQUIRE_TOOLS=1"
        );
        println!("SKIPPED: the external readers (python3 with PyYAML not found)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("pecfg-fuzz-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // values.yaml: the same typed values in PyYAML as in the boundary's YAML 1.1 reading.
    let mut seen = BTreeSet::new();
    let mut paths = Vec::new();
    let mut expected = Vec::new();
    for (text, meant) in &all.values_files {
        if seen.insert(text.clone()) {
            let path = dir.join(format!("values-{}.yaml", paths.len()));
            std::fs::write(&path, text).unwrap();
            paths.push(path);
            expected.push(meant.clone());
        }
    }
    for (chunk, meant) in paths.chunks(200).zip(expected.chunks(200)) {
        let read = pyyaml(&python, "values", chunk);
        for ((path, read), meant) in chunk.iter().zip(&read).zip(meant) {
            assert_eq!(
                read,
                meant,
                "PyYAML reads {} otherwise:\n{}",
                path.display(),
                std::fs::read_to_string(path).unwrap()
            );
        }
    }

    // secrets.yaml: documents PyYAML reads with string keys and JSON types.
    let secrets: BTreeSet<&String> = all.secrets_files.iter().collect();
    let secret_paths: Vec<PathBuf> = secrets
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let path = dir.join(format!("secrets-{index}.yaml"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    for chunk in secret_paths.chunks(200) {
        pyyaml(&python, "secrets", chunk);
    }

    // commands.sh: bash parses it.
    let scripts: BTreeSet<&String> = all.scripts.iter().collect();
    for (index, script) in scripts.iter().enumerate() {
        let path = dir.join(format!("commands-{index}.sh"));
        std::fs::write(&path, script).unwrap();
        let output = Command::new("bash").arg("-n").arg(&path).output().unwrap();
        assert!(
            output.status.success(),
            "bash -n refuses {}: {}\n{script}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    println!(
        "external readers: {} values.yaml (PyYAML), {} secrets.yaml (PyYAML), {} commands.sh (bash -n)",
        paths.len(),
        secret_paths.len(),
        scripts.len()
    );
    std::fs::remove_dir_all(&dir).ok();
}
