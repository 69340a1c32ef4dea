//! Conformance of the exporters with the real readers of their files: PyYAML (YAML 1.1, as Helm
//! reads values), `helm template`/`helm lint` (Helm 4) and `kubectl create secret` (kubectl 1.33).
//!
//! - every chart's scenario (`core/tests/scenarios/`): values.yaml reads back as the intended typed
//!   values in serde_yaml, PyYAML and Helm; `helm lint` passes with the generated schema;
//!   commands.sh, run for real (kubectl's `apply` and helm's `upgrade` replaced by recorders),
//!   creates exactly the Secrets of secrets.yaml;
//! - random strings (values, keys, template blocks) read back unchanged in all three readers;
//! - 1,250 random secret values and 40 random registry logins pass through commands.sh's quoting
//!   into kubectl byte for byte, and kubectl's docker-registry Secret equals ours.
//!
//! The tools come from PATH or `<repo>/.tools/bin` (scripts/setup-test-tools.sh). Without them a
//! test prints `SKIPPED: …` and passes, unless PECFG_REQUIRE_TOOLS=1, where it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::catalog::{parse_chart, Chart};
use pecfg_core::export::{
    filled_secrets, render_files, secrets_yaml, values_yaml, ExportOptions, SecretEncoding,
    ValuesMode,
};
use pecfg_core::schema::yaml_to_json;
use pecfg_core::validation::Evaluated;
use pecfg_core::values::{defaults_tree, merged_values, overrides_only};
use serde_json::Value as Json;
use serde_yaml::Value;

// ------------------------------------------------------------------------------------ tools

struct Tools {
    helm: PathBuf,
    kubectl: PathBuf,
    python: PathBuf,
}

fn find_tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    let in_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../.tools/bin")
        .join(name);
    on_path
        .or_else(|| in_repo.is_file().then_some(in_repo))
        .map(|path| path.canonicalize().unwrap_or(path))
}

/// The tools, or `None` after printing `SKIPPED: …` (a failure under PECFG_REQUIRE_TOOLS=1).
fn tools(test: &str) -> Option<Tools> {
    let helm = find_tool("helm");
    let kubectl = find_tool("kubectl");
    let python = find_tool("python3").filter(|python| {
        Command::new(python)
            .args(["-c", "import yaml"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    let mut missing = Vec::new();
    if helm.is_none() {
        missing.push("helm");
    }
    if kubectl.is_none() {
        missing.push("kubectl");
    }
    if python.is_none() {
        missing.push("python3 with PyYAML");
    }
    if missing.is_empty() {
        return Some(Tools {
            helm: helm.unwrap(),
            kubectl: kubectl.unwrap(),
            python: python.unwrap(),
        });
    }
    let missing = missing.join(", ");
    if std::env::var("PECFG_REQUIRE_TOOLS").is_ok_and(|value| value == "1") {
        panic!("{test}: {missing} not found and PECFG_REQUIRE_TOOLS=1 (run scripts/setup-test-tools.sh)");
    }
    println!("SKIPPED: {test}: {missing} not found (scripts/setup-test-tools.sh installs them)");
    None
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pecfg-conformance-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn write_files(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

// ----------------------------------------------------------------------------- readers

/// Every file read by PyYAML's SafeLoader (YAML 1.1), each as the list of its documents. Keys
/// must come back as strings and values as JSON types: a date, a non-string key or a float NaN
/// means the emitter let YAML 1.1 read something else.
fn pyyaml(tools: &Tools, paths: &[PathBuf]) -> Vec<Json> {
    const SCRIPT: &str = r#"
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
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        documents = list(yaml.load_all(handle, Loader=yaml.SafeLoader))
    check(documents, path)
    out.append(documents)
sys.stdout.write(json.dumps(out, allow_nan=False))
"#;
    let output = run(Command::new(&tools.python)
        .arg("-c")
        .arg(SCRIPT)
        .args(paths));
    let parsed: Json = serde_json::from_slice(&output.stdout).unwrap();
    parsed.as_array().unwrap().clone()
}

/// The values Helm rendered with: the test chart's ConfigMap holds `toJson .Values` in base64.
fn helm_values(tools: &Tools, chart_dir: &Path, values: &Path) -> Json {
    let output = run(Command::new(&tools.helm).args([
        "template".as_ref(),
        "conformance".as_ref(),
        chart_dir.as_os_str(),
        "-f".as_ref(),
        values.as_os_str(),
    ]));
    let rendered = String::from_utf8(output.stdout).unwrap();
    let config_map: Value = serde_yaml::from_str(&rendered).unwrap();
    let encoded = config_map["data"]["values.json.b64"].as_str().unwrap();
    serde_json::from_slice(&BASE64.decode(encoded).unwrap()).unwrap()
}

/// A copy of `tests/helm-chart`, with `schema` as its values.schema.json when given.
fn test_chart(dir: &Path, schema: Option<&str>) -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/helm-chart");
    let target = dir.join("chart");
    std::fs::create_dir_all(target.join("templates")).unwrap();
    for name in ["Chart.yaml", "values.yaml", "templates/values.yaml"] {
        std::fs::copy(source.join(name), target.join(name)).unwrap();
    }
    if let Some(schema) = schema {
        std::fs::write(target.join("values.schema.json"), schema).unwrap();
    }
    target
}

/// Numbers as f64: Helm reads every number as a float64; PyYAML keeps ints apart.
fn numbers_as_floats(value: &Json) -> Json {
    match value {
        Json::Number(number) => serde_json::Number::from_f64(number.as_f64().unwrap())
            .map(Json::Number)
            .unwrap(),
        Json::Array(items) => Json::Array(items.iter().map(numbers_as_floats).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), numbers_as_floats(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn without_nulls(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), without_nulls(value)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Checks that serde_yaml, PyYAML and Helm all read `values_path` as `intended`.
fn check_values_file(
    tools: &Tools,
    chart_dir: &Path,
    values_path: &Path,
    intended: &Json,
    what: &str,
) {
    let text = std::fs::read_to_string(values_path).unwrap();
    let serde: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(&yaml_to_json(&serde), intended, "{what}: serde_yaml");
    let python = pyyaml(tools, &[values_path.to_path_buf()]);
    assert_eq!(&python[0][0], intended, "{what}: PyYAML");
    let helm = helm_values(tools, chart_dir, values_path);
    assert_eq!(
        numbers_as_floats(&helm),
        numbers_as_floats(intended),
        "{what}: helm template"
    );
}

// --------------------------------------------------------------------------- scenarios

fn scenario(id: &str) -> Answers {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/scenarios")
        .join(format!("{id}.answers.yaml"));
    parse_answers(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn values_files_read_back_in_pyyaml_and_helm_and_lint_with_the_schema() {
    let Some(tools) = tools("values_files_read_back_in_pyyaml_and_helm_and_lint_with_the_schema")
    else {
        return;
    };
    for chart in all_charts() {
        let dir = temp_dir(&format!("values-{}", chart.id));
        let answers = scenario(&chart.id);
        let files = render_files(&Evaluated::of(chart, &answers), &ExportOptions::default());
        let schema = &files[3].1;
        let chart_dir = test_chart(&dir, Some(schema));

        let overrides = dir.join("overrides.yaml");
        std::fs::write(
            &overrides,
            values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly),
        )
        .unwrap();
        let intended = overrides_only(&defaults_tree(chart), &answers.values)
            .unwrap_or(Value::Mapping(Default::default()));
        check_values_file(
            &tools,
            &chart_dir,
            &overrides,
            &yaml_to_json(&intended),
            &chart.id,
        );

        let full = dir.join("full.yaml");
        std::fs::write(
            &full,
            values_yaml(&Evaluated::of(chart, &answers), ValuesMode::Full),
        )
        .unwrap();
        let python = pyyaml(&tools, std::slice::from_ref(&full));
        assert_eq!(
            without_nulls(&python[0][0]),
            yaml_to_json(&merged_values(chart, &answers.values)),
            "{}: full values in PyYAML",
            chart.id
        );
        let serde: Value = serde_yaml::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap();
        assert_eq!(yaml_to_json(&serde), python[0][0], "{}: full", chart.id);
        assert_eq!(
            numbers_as_floats(&helm_values(&tools, &chart_dir, &full)),
            numbers_as_floats(&python[0][0]),
            "{}: full values in helm",
            chart.id
        );

        for values in [&overrides, &full] {
            run(Command::new(&tools.helm)
                .arg("lint")
                .arg(&chart_dir)
                .arg("-f")
                .arg(values));
        }
        // Without overrides: the empty values file lints too.
        let empty = dir.join("empty.yaml");
        std::fs::write(
            &empty,
            values_yaml(
                &Evaluated::of(chart, &Answers::new(&chart.id)),
                ValuesMode::OverridesOnly,
            ),
        )
        .unwrap();
        run(Command::new(&tools.helm)
            .arg("lint")
            .arg(&chart_dir)
            .arg("-f")
            .arg(&empty));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Fake `kubectl` and `helm` for running commands.sh without a cluster: `kubectl apply` appends
/// what it reads to $PECFG_CAPTURE, other kubectl commands run the real kubectl; helm logs its
/// arguments to $PECFG_HELM_LOG and runs the real `helm template` (the upgrade is only logged).
fn shims(tools: &Tools, dir: &Path) -> PathBuf {
    let bin = dir.join("shims");
    std::fs::create_dir_all(&bin).unwrap();
    let kubectl = format!(
        "#!/usr/bin/env bash\nif [ \"$1\" = apply ]; then\n  {{ cat; printf '\\n---\\n'; }} >> \"$PECFG_CAPTURE\"\n  exit 0\nfi\nexec '{}' \"$@\"\n",
        tools.kubectl.display()
    );
    let helm = format!(
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$PECFG_HELM_LOG\"\nif [ \"$1\" = template ]; then\n  exec '{}' \"$@\"\nfi\n",
        tools.helm.display()
    );
    for (name, text) in [("kubectl", kubectl), ("helm", helm)] {
        let path = bin.join(name);
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    bin
}

struct ScriptRun {
    output: Output,
    /// Every manifest piped into `kubectl apply`.
    applied: Vec<Value>,
    helm_calls: Vec<String>,
}

fn run_commands_sh(tools: &Tools, dir: &Path, env: &[(&str, &str)]) -> ScriptRun {
    let bin = shims(tools, dir);
    let capture = dir.join("applied.yaml");
    let helm_log = dir.join("helm.log");
    let _ = std::fs::remove_file(&capture);
    let _ = std::fs::remove_file(&helm_log);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg(dir.join("commands.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("PECFG_CAPTURE", &capture)
        .env("PECFG_HELM_LOG", &helm_log)
        .env_remove("CHART_REF")
        .env_remove("RELEASE");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let applied = std::fs::read_to_string(&capture)
        .map(|text| parse_documents(&text))
        .unwrap_or_default();
    let helm_calls = std::fs::read_to_string(&helm_log)
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default();
    ScriptRun {
        output,
        applied,
        helm_calls,
    }
}

fn parse_documents(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|document| serde::Deserialize::deserialize(document).unwrap())
        .filter(|document: &Value| !document.is_null())
        .collect()
}

/// name → (namespace, type, key → decoded bytes) of the Secrets among `documents`.
type SecretTable = BTreeMap<String, (String, String, BTreeMap<String, Vec<u8>>)>;

/// Fails with the first difference, readable, rather than two huge tables.
fn assert_same_secrets(actual: &SecretTable, expected: &SecretTable, what: &str) {
    for (name, (namespace, secret_type, data)) in expected {
        let Some((actual_namespace, actual_type, actual_data)) = actual.get(name) else {
            panic!("{what}: Secret {name} is missing");
        };
        assert_eq!(
            (actual_namespace, actual_type),
            (namespace, secret_type),
            "{what}: {name}"
        );
        for (key, bytes) in data {
            let actual_bytes = actual_data.get(key);
            assert!(
                actual_bytes == Some(bytes),
                "{what}: {name}/{key} is {:?}, expected {:?}",
                actual_bytes.map(|bytes| String::from_utf8_lossy(bytes).into_owned()),
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(actual_data.len(), data.len(), "{what}: keys of {name}");
    }
    assert_eq!(actual.len(), expected.len(), "{what}: number of Secrets");
}

fn secrets_of(documents: &[Value]) -> SecretTable {
    documents
        .iter()
        .filter(|document| document["kind"].as_str() == Some("Secret"))
        .map(|document| {
            let mut data = BTreeMap::new();
            if let Some(map) = document["data"].as_mapping() {
                for (key, value) in map {
                    let bytes = BASE64.decode(value.as_str().unwrap_or("")).unwrap();
                    data.insert(key.as_str().unwrap().to_string(), bytes);
                }
            }
            if let Some(map) = document["stringData"].as_mapping() {
                for (key, value) in map {
                    let text = value.as_str().unwrap().as_bytes().to_vec();
                    data.insert(key.as_str().unwrap().to_string(), text);
                }
            }
            (
                document["metadata"]["name"].as_str().unwrap().to_string(),
                (
                    document["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    document["type"].as_str().unwrap_or("Opaque").to_string(),
                    data,
                ),
            )
        })
        .collect()
}

const READINGS: [&str; 4] = [
    "data, serde_yaml",
    "stringData, serde_yaml",
    "data, PyYAML",
    "stringData, PyYAML",
];

/// The Secrets of secrets.yaml (data and stringData) as read by serde_yaml and by PyYAML.
fn secrets_files(tools: &Tools, dir: &Path, chart: &Chart, answers: &Answers) -> Vec<SecretTable> {
    let data = dir.join("secrets-data.yaml");
    let string_data = dir.join("secrets-stringdata.yaml");
    std::fs::write(
        &data,
        secrets_yaml(&Evaluated::of(chart, answers), SecretEncoding::Data),
    )
    .unwrap();
    std::fs::write(
        &string_data,
        secrets_yaml(&Evaluated::of(chart, answers), SecretEncoding::StringData),
    )
    .unwrap();
    let mut tables = Vec::new();
    for path in [&data, &string_data] {
        tables.push(secrets_of(&parse_documents(
            &std::fs::read_to_string(path).unwrap(),
        )));
    }
    for documents in pyyaml(tools, &[data, string_data]) {
        let documents: Vec<Value> = documents
            .as_array()
            .unwrap()
            .iter()
            .filter(|document| !document.is_null())
            .map(|document| serde_json::from_value(document.clone()).unwrap())
            .collect();
        tables.push(secrets_of(&documents));
    }
    tables
}

#[test]
fn commands_sh_creates_exactly_the_secrets_of_secrets_yaml() {
    let Some(tools) = tools("commands_sh_creates_exactly_the_secrets_of_secrets_yaml") else {
        return;
    };
    for chart in all_charts() {
        let dir = temp_dir(&format!("commands-{}", chart.id));
        let chart_dir = test_chart(
            &dir,
            Some(
                &render_files(
                    &Evaluated::of(chart, &Answers::new(&chart.id)),
                    &ExportOptions::default(),
                )[3]
                .1,
            ),
        );
        let answers = scenario(&chart.id);
        let options = ExportOptions {
            chart_ref: Some(chart_dir.display().to_string()),
            ..ExportOptions::default()
        };
        write_files(
            &dir,
            &render_files(&Evaluated::of(chart, &answers), &options),
        );
        let script = run_commands_sh(&tools, &dir, &[]);
        assert!(
            script.output.status.success(),
            "{}: commands.sh failed:\n{}",
            chart.id,
            String::from_utf8_lossy(&script.output.stderr)
        );

        let namespace = pecfg_core::export::namespace(&Evaluated::of(chart, &answers));
        let release = pecfg_core::export::release_name(&Evaluated::of(chart, &answers));
        assert_eq!(script.applied[0]["kind"].as_str(), Some("Namespace"));
        assert_eq!(
            script.applied[0]["metadata"]["name"].as_str(),
            Some(namespace.as_str())
        );
        // The guide labels the ixn namespace `name: ixn` (004:1884-1886), through real kubectl.
        if namespace == "ixn" {
            assert_eq!(
                script.applied[0]["metadata"]["labels"]["name"].as_str(),
                Some("ixn")
            );
        }

        let created = secrets_of(&script.applied);
        let filled = filled_secrets(&Evaluated::of(chart, &answers));
        assert_eq!(
            created.len(),
            filled.len(),
            "{}: one Secret per filled secret",
            chart.id
        );
        for secret in &filled {
            let (created_namespace, secret_type, data) = &created[&secret.name];
            assert_eq!(created_namespace, &namespace);
            assert_eq!(secret_type, secret.secret_type.as_str());
            let expected: BTreeMap<String, Vec<u8>> = secret
                .keys
                .iter()
                .map(|key| (key.key.clone(), key.value.as_bytes().to_vec()))
                .collect();
            assert_eq!(data, &expected, "{}: {}", chart.id, secret.name);
        }
        for (index, table) in secrets_files(&tools, &dir, chart, &answers)
            .iter()
            .enumerate()
        {
            assert_same_secrets(
                table,
                &created,
                &format!("{}: secrets.yaml ({})", chart.id, READINGS[index]),
            );
        }

        let values_file = dir.join(format!("{}-values.yaml", chart.id));
        // Flags first, then `--`, then the positionals: nothing typed can become a helm flag.
        let flags = format!("-n {namespace} -f {}", values_file.display());
        let positionals = format!("-- {release} {}", chart_dir.display());
        assert_eq!(
            script.helm_calls,
            [
                format!("template {flags} {positionals}"),
                format!(
                    "upgrade --install {flags} --rollback-on-failure{} {positionals}",
                    // The guide's own install flags (catalog `install.flags`), e.g. tenant's wait.
                    chart
                        .install
                        .flags
                        .iter()
                        .map(|flag| format!(" {flag}"))
                        .collect::<String>()
                ),
            ],
            "{}",
            chart.id
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn commands_sh_stops_until_the_chart_reference_is_set() {
    let Some(tools) = tools("commands_sh_stops_until_the_chart_reference_is_set") else {
        return;
    };
    let chart = pecfg_core::catalog::registry::chart("ges").unwrap();
    let dir = temp_dir("chart-ref");
    let chart_dir = test_chart(&dir, None);
    let answers = scenario("ges");
    write_files(
        &dir,
        &render_files(&Evaluated::of(chart, &answers), &ExportOptions::default()),
    );
    let stopped = run_commands_sh(&tools, &dir, &[]);
    assert!(!stopped.output.status.success());
    assert!(String::from_utf8_lossy(&stopped.output.stderr).contains("set CHART_REF"));
    assert!(
        stopped.applied.is_empty() && stopped.helm_calls.is_empty(),
        "nothing ran"
    );
    let chart_ref = chart_dir.display().to_string();
    let ran = run_commands_sh(&tools, &dir, &[("CHART_REF", &chart_ref)]);
    assert!(
        ran.output.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.output.stderr)
    );
    assert_eq!(ran.helm_calls.len(), 2);
    assert!(
        ran.helm_calls[1].starts_with("upgrade --install -n ges-prod ")
            && ran.helm_calls[1].ends_with(&format!(" -- ges {chart_ref}"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------------------------ random inputs

/// SplitMix64: a small deterministic generator, so a failure reproduces.
struct Random(u64);

impl Random {
    /// The test's fixed seed, or PECFG_FUZZ_SEED to explore others.
    fn seeded(default: u64) -> Random {
        let seed = std::env::var("PECFG_FUZZ_SEED")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or(default);
        Random(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A random value: mostly text, sometimes a number, a boolean, a list or a map.
    fn value(&mut self, depth: usize) -> Value {
        match self.below(if depth == 0 { 5 } else { 9 }) {
            0 => Value::Bool(self.below(2) == 0),
            1 => {
                const FLOATS: [f64; 6] = [0.5, -2.25, 1e300, 1.5e-7, 1234.0, 3.0];
                if self.below(2) == 0 {
                    Value::from(self.next() as i64 >> self.below(64))
                } else {
                    Value::from(FLOATS[self.below(FLOATS.len())])
                }
            }
            5 => Value::Sequence((0..self.below(4)).map(|_| self.value(depth - 1)).collect()),
            6 | 7 => Value::Mapping(
                (0..self.below(4))
                    .map(|index| {
                        (
                            format!("m{index}{}", self.text(3)).into(),
                            self.value(depth - 1),
                        )
                    })
                    .collect(),
            ),
            _ => self.text(16).into(),
        }
    }

    /// Text made of printable ASCII, shell and YAML metacharacters, YAML 1.1 look-alikes,
    /// newlines, tabs, control characters and Unicode (NEL, LS, BOM, emoji…).
    fn text(&mut self, max_pieces: usize) -> String {
        const PIECES: &[&str] = &[
            "'",
            "\"",
            "$",
            "`",
            "!",
            "\\",
            "\n",
            "\t",
            "\r",
            " ",
            "#",
            ":",
            "-",
            "{",
            "}",
            "[",
            "]",
            ",",
            "*",
            "&",
            "?",
            "|",
            ">",
            "%",
            "@",
            "~",
            ";",
            "(",
            ")",
            "<",
            "^",
            "=",
            "é",
            "ß",
            "€",
            "日本",
            "🚀",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{2029}",
            "\u{feff}",
            "\u{7f}",
            "\u{1}",
            "\u{1b}",
            "\u{8}",
            "on",
            "off",
            "yes",
            "no",
            "y",
            "n",
            "~",
            "null",
            "true",
            "0755",
            "1e3",
            "0x1F",
            "1_000",
            "12:30",
            "9200",
            "- ",
            ": ",
            " #",
            "---",
            "...",
            "'\\''",
            "$(id)",
            "${HOME}",
            "!!",
            "\n\n",
            "  ",
            "|-",
            "<<",
            "0o17",
            ".inf",
            "2001-12-14",
        ];
        let pieces = self.below(max_pieces + 1);
        let mut text = String::new();
        for _ in 0..pieces {
            if self.below(3) == 0 {
                text.push_str(PIECES[self.below(PIECES.len())]);
            } else {
                text.push(char::from(0x20 + self.below(0x5f) as u8));
            }
        }
        text
    }
}

fn synthetic_chart(params: &str, secrets: &str) -> Chart {
    parse_chart(&format!(
        "id: fuzz\nname: Fuzz\ndescription: d\nguide: g.txt\nnamespace: {{value: fuzz-ns, lines: [1, 1]}}\n\
         release: {{pattern: fuzz, doc: d, lines: [1, 1]}}\nsections: [{{id: s, title: S}}]\n\
         params:\n{params}secrets:\n{secrets}"
    ))
    .unwrap()
}

#[test]
fn random_strings_read_back_unchanged_in_serde_yaml_pyyaml_and_helm() {
    let Some(tools) = tools("random_strings_read_back_unchanged_in_serde_yaml_pyyaml_and_helm")
    else {
        return;
    };
    let mut random = Random::seeded(0x5EED_0001);
    // Template parameters exercise forced `|-` blocks; the rest are keys the catalog lacks.
    let params: String = (0..300)
        .map(|index| {
            format!("  - {{path: t.p{index}, kind: template, section: s, doc: d, lines: [1, 1]}}\n")
        })
        .collect();
    let chart = synthetic_chart(&params, "  []\n");
    let mut values = serde_yaml::Mapping::new();
    let mut templates = serde_yaml::Mapping::new();
    for index in 0..300 {
        templates.insert(format!("p{index}").into(), random.text(12).into());
    }
    values.insert("t".into(), Value::Mapping(templates));
    let mut free = serde_yaml::Mapping::new();
    for index in 0..1200 {
        let key = format!("k{index}{}", random.text(4));
        let value = random.value(2);
        free.insert(key.into(), value);
    }
    values.insert("free".into(), Value::Mapping(free));
    let mut answers = Answers::new("fuzz");
    answers.values = Value::Mapping(values.clone());

    let dir = temp_dir("fuzz-values");
    let chart_dir = test_chart(&dir, None);
    let path = dir.join("values.yaml");
    std::fs::write(
        &path,
        values_yaml(&Evaluated::of(&chart, &answers), ValuesMode::OverridesOnly),
    )
    .unwrap();
    check_values_file(
        &tools,
        &chart_dir,
        &path,
        &yaml_to_json(&Value::Mapping(values)),
        "random strings",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn random_secret_values_pass_through_commands_sh_byte_for_byte() {
    let Some(tools) = tools("random_secret_values_pass_through_commands_sh_byte_for_byte") else {
        return;
    };
    let mut random = Random::seeded(0x5EED_0002);
    const GENERIC: usize = 25;
    const KEYS: usize = 50;
    const LOGINS: usize = 40;
    let mut secrets_yaml_text = String::new();
    for index in 0..GENERIC {
        secrets_yaml_text.push_str(&format!(
            "  - name: generic-{index}\n    type: Opaque\n    doc: d\n    lines: [1, 1]\n    keys:\n"
        ));
        for key in 0..KEYS {
            secrets_yaml_text.push_str(&format!("      - {{key: k{key}, doc: d}}\n"));
        }
    }
    // A NUL byte fits in no command-line argument: commands.sh applies that Secret as a manifest.
    secrets_yaml_text.push_str(
        "  - name: with-nul\n    type: Opaque\n    doc: d\n    lines: [1, 1]\n    keys:\n      - {key: k, doc: d}\n",
    );
    for index in 0..LOGINS {
        secrets_yaml_text.push_str(&format!(
            "  - name: pull-{index}\n    type: kubernetes.io/dockerconfigjson\n    doc: d\n    lines: [1, 1]\n    keys:\n      - {{key: .dockerconfigjson, format: docker_config_json, doc: d}}\n"
        ));
    }
    let chart = synthetic_chart("  []\n", &secrets_yaml_text);
    let mut answers = Answers::new("fuzz");
    let mut count = 0;
    for index in 0..GENERIC {
        let keys = answers
            .secrets
            .entry(format!("generic-{index}"))
            .or_default();
        for key in 0..KEYS {
            // No NUL: no command-line argument can carry one (commands.sh falls back to a manifest).
            let value = random.text(24).replace('\0', "");
            keys.insert(format!("k{key}"), value.into());
            count += 1;
        }
    }
    answers
        .secrets
        .entry("with-nul".into())
        .or_default()
        .insert("k".into(), "before\0after 'q' $x".into());
    for index in 0..LOGINS {
        let mut login = serde_yaml::Mapping::new();
        login.insert(
            "registry".into(),
            format!("reg{index}.example.com:5000").into(),
        );
        // kubectl refuses an empty user name or password.
        login.insert("username".into(), format!("u{}", random.text(10)).into());
        login.insert("password".into(), format!("p{}", random.text(16)).into());
        if index % 3 != 0 {
            login.insert("email".into(), random.text(6).into());
        }
        answers
            .secrets
            .entry(format!("pull-{index}"))
            .or_default()
            .insert(".dockerconfigjson".into(), Value::Mapping(login));
    }
    assert!(count >= 1000);

    let dir = temp_dir("fuzz-secrets");
    let chart_dir = test_chart(&dir, None);
    let options = ExportOptions {
        chart_ref: Some(chart_dir.display().to_string()),
        ..ExportOptions::default()
    };
    write_files(
        &dir,
        &render_files(&Evaluated::of(&chart, &answers), &options),
    );
    let script = run_commands_sh(&tools, &dir, &[]);
    assert!(
        script.output.status.success(),
        "commands.sh failed:\n{}",
        String::from_utf8_lossy(&script.output.stderr)
    );
    let created = secrets_of(&script.applied);
    let filled = filled_secrets(&Evaluated::of(&chart, &answers));
    assert_eq!(created.len(), GENERIC + LOGINS + 1);
    for secret in &filled {
        let (_, secret_type, data) = &created[&secret.name];
        assert_eq!(secret_type, secret.secret_type.as_str());
        for key in &secret.keys {
            assert_eq!(
                data.get(&key.key).map(Vec::as_slice),
                Some(key.value.as_bytes()),
                "{}/{}: kubectl got other bytes than {:?}",
                secret.name,
                key.key,
                key.value
            );
        }
        assert_eq!(data.len(), secret.keys.len());
    }
    // secrets.yaml, read by serde_yaml and PyYAML in both encodings, holds the same Secrets.
    for (index, table) in secrets_files(&tools, &dir, &chart, &answers)
        .iter()
        .enumerate()
    {
        assert_same_secrets(
            table,
            &created,
            &format!("secrets.yaml ({})", READINGS[index]),
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
