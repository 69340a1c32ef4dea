//! SealedSecrets opened by an independent implementation of the controller's decryption
//! (`sealed/unseal.py`, Python `cryptography` over OpenSSL), with a key pair and self-signed
//! certificate it generates for the run:
//!
//! - every chart's scenario, sealed by `pecfg render --sealed-cert` in all three scopes, opens
//!   into exactly the Secrets of secrets.yaml (names, namespace, type, every byte);
//! - 1,000 random values (quotes, `$`, backticks, newlines, NUL, Unicode, empty) sealed in all
//!   three scopes open byte for byte, and none opens under another name or namespace;
//! - with kubectl (`.tools/bin`), the manifests pass `kubectl apply --dry-run=client` against a
//!   stand-in API server on 127.0.0.1 that knows the SealedSecret CRD's schema.
//!
//! Without python3 + cryptography + PyYAML a test prints `SKIPPED: …` and passes, unless
//! PECFG_REQUIRE_TOOLS=1 (what `make test` sets), where it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::parse_chart;
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::export::{
    filled_secrets, namespace, sealed_secrets_yaml, FilledSecret, SealScope, SealingCert,
};
use pecfg_core::validation::Evaluated;
use serde_json::Value as Json;

const UNSEAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sealed/unseal.py");

fn find_tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    let in_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../.tools/bin")
        .join(name);
    on_path.or_else(|| in_repo.is_file().then_some(in_repo))
}

fn required() -> bool {
    std::env::var("PECFG_REQUIRE_TOOLS").is_ok_and(|value| value == "1")
}

/// python3 with `cryptography` and PyYAML, or `None` after printing `SKIPPED: …`.
fn python(test: &str) -> Option<PathBuf> {
    let python = find_tool("python3").filter(|python| {
        Command::new(python)
            .args(["-c", "import cryptography, yaml"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    if python.is_none() {
        assert!(
            !required(),
            "{test}: python3 with cryptography and PyYAML not found and PECFG_REQUIRE_TOOLS=1 \
             (run scripts/setup-test-tools.sh)"
        );
        println!("SKIPPED: {test}: python3 with cryptography and PyYAML not found");
    }
    python
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pecfg-sealed-{}-{name}", std::process::id()));
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

/// A fresh RSA key pair and self-signed certificate: `dir/key.pem`, `dir/cert.pem`.
fn keygen(python: &Path, dir: &Path, bits: u32) -> PathBuf {
    run(Command::new(python)
        .arg(UNSEAL)
        .arg("keygen")
        .arg(dir)
        .arg(bits.to_string()));
    dir.join("cert.pem")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// What the Python opener found: (namespace, name) → (scope, type, key → bytes).
type Opened = BTreeMap<(String, String), (String, String, BTreeMap<String, Vec<u8>>)>;

fn unseal(python: &Path, key: &Path, files: &[PathBuf]) -> Opened {
    let output = run(Command::new(python)
        .arg(UNSEAL)
        .arg("open")
        .arg(key)
        .args(files));
    let parsed: Json = serde_json::from_slice(&output.stdout).unwrap();
    let mut opened = Opened::new();
    for secret in parsed.as_array().unwrap() {
        let text = |field: &str| secret[field].as_str().unwrap_or_default().to_string();
        let data = secret["data"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, value)| (key.clone(), BASE64.decode(value.as_str().unwrap()).unwrap()))
            .collect();
        // The template names the Secret the controller will create: the same name and namespace.
        assert_eq!(secret["template"]["name"], secret["name"]);
        assert_eq!(secret["template"]["namespace"], secret["namespace"]);
        let previous = opened.insert(
            (text("namespace"), text("name")),
            (text("scope"), text("type"), data),
        );
        assert!(previous.is_none(), "{} sealed twice", text("name"));
    }
    opened
}

/// Every filled secret came back byte for byte, with its type, in the given scope.
fn assert_opened(
    opened: &Opened,
    filled: &[FilledSecret],
    namespace: &str,
    scope: SealScope,
    what: &str,
) -> usize {
    let mut values = 0;
    for secret in filled {
        let Some((opened_scope, secret_type, data)) =
            opened.get(&(namespace.to_string(), secret.name.clone()))
        else {
            panic!("{what}: {namespace}/{} was not sealed", secret.name);
        };
        assert_eq!(opened_scope, scope.as_str(), "{what}: {}", secret.name);
        assert_eq!(secret_type, secret.secret_type.as_str(), "{what}");
        for key in &secret.keys {
            let bytes = data.get(&key.key);
            assert!(
                bytes.map(Vec::as_slice) == Some(key.value.as_bytes()),
                "{what}: {}/{} opened as {:?}, sealed {:?}",
                secret.name,
                key.key,
                bytes.map(|bytes| String::from_utf8_lossy(bytes).into_owned()),
                key.value
            );
            values += 1;
        }
        assert_eq!(
            data.len(),
            secret.keys.len(),
            "{what}: keys of {}",
            secret.name
        );
    }
    assert_eq!(
        opened.len(),
        filled.len(),
        "{what}: number of SealedSecrets"
    );
    values
}

fn scenario_path(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/scenarios")
        .join(format!("{id}.answers.yaml"))
}

#[test]
fn every_chart_sealed_by_pecfg_render_opens_in_python_byte_for_byte() {
    let Some(python) = python("every_chart_sealed_by_pecfg_render_opens_in_python_byte_for_byte")
    else {
        return;
    };
    let dir = temp_dir("charts");
    // The controller's default key size.
    let cert = keygen(&python, &dir.join("keys"), 4096);
    let mut values = 0;
    for chart in all_charts() {
        let answers_path = scenario_path(&chart.id);
        let answers = parse_answers(&std::fs::read_to_string(&answers_path).unwrap()).unwrap();
        let filled = filled_secrets(&Evaluated::of(chart, &answers));
        for scope in SealScope::ALL {
            let out = dir.join(format!("{}-{}", chart.id, scope.as_str()));
            let output = run(Command::new(env!("CARGO_BIN_EXE_pecfg")).args([
                "render".as_ref(),
                chart.id.as_ref(),
                "--answers".as_ref(),
                answers_path.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
                "--sealed-cert".as_ref(),
                cert.as_os_str(),
                "--scope".as_ref(),
                scope.as_str().as_ref(),
                "--powershell".as_ref(),
            ]));
            assert!(String::from_utf8_lossy(&output.stdout).contains("sealed-secrets.yaml"));
            let opened = unseal(
                &python,
                &dir.join("keys/key.pem"),
                &[out.join("sealed-secrets.yaml")],
            );
            let what = format!("{} {}", chart.id, scope.as_str());
            values += assert_opened(
                &opened,
                &filled,
                &namespace(&Evaluated::of(chart, &answers)),
                scope,
                &what,
            );
            // The scripts apply the sealed file and create no Secret of their own.
            let sh = std::fs::read_to_string(out.join("commands.sh")).unwrap();
            let ps1 = std::fs::read_to_string(out.join("commands.ps1")).unwrap();
            assert!(!sh.contains("kubectl create secret"), "{what}");
            assert!(!ps1.contains("@'"), "{what}: no inline Secret manifest");
            if !filled.is_empty() {
                assert!(sh.contains("kubectl apply -f \"$SCRIPT_DIR\"/sealed-secrets.yaml\n"));
                assert!(ps1.contains("(Join-Path $PSScriptRoot 'sealed-secrets.yaml')"));
            }
        }
    }
    assert!(values > 0);
    println!("the Python opener read back {values} chart values");
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------------------------ random inputs

/// SplitMix64: deterministic, so a failure reproduces (PECFG_FUZZ_SEED explores others).
struct Random(u64);

impl Random {
    fn seeded(default: u64) -> Random {
        Random(
            std::env::var("PECFG_FUZZ_SEED")
                .ok()
                .and_then(|text| text.parse().ok())
                .unwrap_or(default),
        )
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

    /// Empty sometimes; else shell and YAML metacharacters, NUL and other controls, newlines,
    /// Unicode, and printable ASCII; now and then a long value.
    fn value(&mut self) -> String {
        const PIECES: &[&str] = &[
            "'", "\"", "$", "`", "\\", "\n", "\r\n", "\t", "\0", "\u{1}", "\u{7f}", " ", "#", ": ",
            "- ", "$(id)", "${HOME}", "`id`", "'\\''", "!!", "|", ">", "---", "é", "日本", "🚀",
            "\u{85}", "\u{2028}", "\u{feff}", "null", "~", "yes", "0755", "=",
        ];
        if self.below(20) == 0 {
            return String::new();
        }
        let pieces = if self.below(25) == 0 {
            400
        } else {
            self.below(24) + 1
        };
        let mut text = String::new();
        for _ in 0..pieces {
            if self.below(2) == 0 {
                text.push_str(PIECES[self.below(PIECES.len())]);
            } else {
                text.push(char::from(0x20 + self.below(0x5f) as u8));
            }
        }
        text
    }
}

#[test]
fn a_thousand_random_values_open_byte_for_byte_and_only_under_their_own_label() {
    let Some(python) =
        python("a_thousand_random_values_open_byte_for_byte_and_only_under_their_own_label")
    else {
        return;
    };
    const SECRETS: usize = 20;
    const KEYS: usize = 50;
    let mut catalog = String::new();
    for index in 0..SECRETS {
        catalog.push_str(&format!(
            "  - name: random-{index}\n    type: Opaque\n    doc: d\n    lines: [1, 1]\n    keys:\n"
        ));
        for key in 0..KEYS {
            catalog.push_str(&format!("      - {{key: k{key}, doc: d}}\n"));
        }
    }
    let chart = parse_chart(&format!(
        "id: fuzz\nname: Fuzz\ndescription: d\nguide: g.txt\nnamespace: {{value: fuzz-ns, lines: [1, 1]}}\n\
         release: {{pattern: fuzz, doc: d, lines: [1, 1]}}\nsections: [{{id: s, title: S}}]\n\
         params: []\nsecrets:\n{catalog}"
    ))
    .unwrap();
    let mut random = Random::seeded(0x5EA1_0001);
    let mut answers = Answers::new("fuzz");
    for index in 0..SECRETS {
        let keys = answers
            .secrets
            .entry(format!("random-{index}"))
            .or_default();
        for key in 0..KEYS {
            keys.insert(format!("k{key}"), random.value().into());
        }
    }
    let filled = filled_secrets(&Evaluated::of(&chart, &answers));
    let count: usize = filled.iter().map(|secret| secret.keys.len()).sum();
    assert_eq!(
        count,
        SECRETS * KEYS,
        "every value, the empty ones too, is filled"
    );
    assert!(filled
        .iter()
        .flat_map(|secret| &secret.keys)
        .any(|key| key.value.contains('\0')));

    let dir = temp_dir("random");
    // 2048 bits keeps the 13,000 RSA operations of the Python side to seconds.
    let cert_path = keygen(&python, &dir.join("keys"), 2048);
    let cert = SealingCert::parse(&std::fs::read_to_string(&cert_path).unwrap(), now()).unwrap();
    let key = dir.join("keys/key.pem");
    let mut files = Vec::new();
    let mut opened_values = 0;
    for scope in SealScope::ALL {
        let path = dir.join(format!("sealed-{}.yaml", scope.as_str()));
        let text = sealed_secrets_yaml(
            &Evaluated::of(&chart, &answers),
            &cert,
            scope,
            &mut rand_core::OsRng,
        )
        .unwrap();
        std::fs::write(&path, text).unwrap();
        let opened = unseal(&python, &key, std::slice::from_ref(&path));
        opened_values += assert_opened(&opened, &filled, "fuzz-ns", scope, scope.as_str());
        files.push(path);
    }
    // Every value under every label but its own: another name, another namespace, and so on.
    let output = run(Command::new(&python)
        .arg(UNSEAL)
        .arg("wrong")
        .arg(&key)
        .args(&files));
    let wrong: Json = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        wrong["opened"], 0,
        "a value opened under a label not its own"
    );
    assert!(wrong["refused"].as_u64().unwrap() >= 3 * count as u64);
    println!(
        "the Python opener read back {opened_values} random values and refused {} wrong openings",
        wrong["refused"]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pecfg_render_refuses_an_unusable_certificate_and_writes_nothing() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/sealed");
    let answers = scenario_path("ixn");
    for (cert, message) in [
        ("expired-cert.pem", "expired on 2001-01-01"),
        ("ec-cert.pem", "not RSA"),
        ("key.pem", "PRIVATE key"),
    ] {
        let out = temp_dir(&format!("refused-{cert}"));
        let _ = std::fs::remove_dir(&out);
        let output = Command::new(env!("CARGO_BIN_EXE_pecfg"))
            .args(["render", "ixn", "--answers"])
            .arg(&answers)
            .arg("--out")
            .arg(&out)
            .arg("--sealed-cert")
            .arg(fixtures.join(cert))
            .output()
            .unwrap();
        assert!(!output.status.success(), "{cert}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{cert}: {stderr}");
        assert!(!out.exists(), "{cert}: nothing is written");
    }
    for (args, message) in [
        (
            vec!["--scope", "wide"],
            "[possible values: strict, namespace-wide, cluster-wide]",
        ),
        (vec!["--scope", "strict"], "--sealed-cert <PEM>"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_pecfg"))
            .args(["render", "ixn", "--answers"])
            .arg(&answers)
            .args(["--out", "/nonexistent"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains(message));
    }
}

// ------------------------------------------------------------------------------ kubectl

/// The stand-in API server (`sealed/apiserver.py`), stopped when dropped.
struct ApiServer {
    child: std::process::Child,
    port: u16,
    log: PathBuf,
}

impl ApiServer {
    fn start(python: &Path, dir: &Path) -> ApiServer {
        use std::io::BufRead as _;
        let log = dir.join("requests.log");
        let mut child = Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/sealed/apiserver.py"
            ))
            .arg(&log)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap();
        ApiServer { child, port, log }
    }

    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn kubectl_apply_dry_run_reads_every_sealed_secret_as_written() {
    let test = "kubectl_apply_dry_run_reads_every_sealed_secret_as_written";
    let Some(python) = python(test) else {
        return;
    };
    let Some(kubectl) = find_tool("kubectl") else {
        assert!(
            !required(),
            "{test}: kubectl not found and PECFG_REQUIRE_TOOLS=1"
        );
        println!("SKIPPED: {test}: kubectl not found (scripts/setup-test-tools.sh installs it)");
        return;
    };
    let dir = temp_dir("kubectl");
    let cert_path = keygen(&python, &dir.join("keys"), 2048);
    let cert = SealingCert::parse(&std::fs::read_to_string(&cert_path).unwrap(), now()).unwrap();
    let server = ApiServer::start(&python, &dir);
    let kubeconfig = dir.join("kubeconfig");
    std::fs::write(&kubeconfig, "").unwrap();
    let mut checked = 0;
    for chart in all_charts() {
        let answers =
            parse_answers(&std::fs::read_to_string(scenario_path(&chart.id)).unwrap()).unwrap();
        if filled_secrets(&Evaluated::of(chart, &answers)).is_empty() {
            continue;
        }
        for scope in SealScope::ALL {
            let path = dir.join(format!("{}-{}.yaml", chart.id, scope.as_str()));
            let text = sealed_secrets_yaml(
                &Evaluated::of(chart, &answers),
                &cert,
                scope,
                &mut rand_core::OsRng,
            )
            .unwrap();
            std::fs::write(&path, &text).unwrap();
            let output = run(Command::new(&kubectl)
                .env("KUBECONFIG", &kubeconfig)
                .arg(format!("--server=http://127.0.0.1:{}", server.port))
                .arg("--cache-dir")
                .arg(dir.join("kube-cache"))
                .args(["apply", "--dry-run=client", "-o", "json", "-f"])
                .arg(&path));
            let printed: Json = serde_json::from_slice(&output.stdout).unwrap();
            let items = match printed["kind"].as_str() {
                Some("List") => printed["items"].as_array().unwrap().clone(),
                _ => vec![printed],
            };
            let written: Vec<Json> = serde_yaml::Deserializer::from_str(&text)
                .map(|document| serde::Deserialize::deserialize(document).unwrap())
                .filter(|document: &serde_yaml::Value| !document.is_null())
                .map(|document| pecfg_core::schema::yaml_to_json(&document))
                .collect();
            assert_eq!(items.len(), written.len(), "{} {scope:?}", chart.id);
            for (item, ours) in items.iter().zip(&written) {
                assert_eq!(item["kind"], "SealedSecret");
                assert_eq!(item["apiVersion"], "bitnami.com/v1alpha1");
                assert_eq!(item["metadata"]["name"], ours["metadata"]["name"]);
                assert_eq!(item["metadata"]["namespace"], ours["metadata"]["namespace"]);
                assert_eq!(
                    item["spec"], ours["spec"],
                    "kubectl read the spec as written"
                );
                checked += 1;
            }
        }
    }
    let requests = server.requests();
    assert!(
        requests.iter().all(|request| request.starts_with("GET ")),
        "a dry run sends nothing: {requests:?}"
    );
    assert!(checked > 0);
    println!("kubectl read back {checked} SealedSecrets");
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pecfg_plan_seals_every_chart_of_an_environment_and_gitops_lists_them() {
    let Some(python) =
        python("pecfg_plan_seals_every_chart_of_an_environment_and_gitops_lists_them")
    else {
        return;
    };
    let dir = temp_dir("plan");
    let cert = keygen(&python, &dir.join("keys"), 2048);
    let environment =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/environments/all-charts.yaml");
    let out = dir.join("plan");
    let output = run(Command::new(env!("CARGO_BIN_EXE_pecfg")).args([
        "plan".as_ref(),
        "--environment".as_ref(),
        environment.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--gitops".as_ref(),
        "argocd".as_ref(),
        "--sealed-cert".as_ref(),
        cert.as_os_str(),
        "--scope".as_ref(),
        "namespace-wide".as_ref(),
    ]));
    let printed = String::from_utf8_lossy(&output.stdout);
    let text = std::fs::read_to_string(&environment).unwrap();
    let resolved = pecfg_core::environment::resolve(
        &pecfg_core::environment::parse_environment(&text).unwrap(),
    )
    .unwrap();
    let kustomization = std::fs::read_to_string(out.join("gitops/kustomization.yaml")).unwrap();
    let mut values = 0;
    for entry in &resolved.charts {
        let id = &entry.chart.id;
        let file = out.join(format!("{id}-sealed-secrets.yaml"));
        assert!(
            printed.contains(&format!("{id}-sealed-secrets.yaml")),
            "{printed}"
        );
        let filled = filled_secrets(&Evaluated::of(entry.chart, &entry.answers));
        let opened = unseal(
            &python,
            &dir.join("keys/key.pem"),
            std::slice::from_ref(&file),
        );
        values += assert_opened(
            &opened,
            &filled,
            &namespace(&entry.evaluated()),
            SealScope::NamespaceWide,
            &format!("plan {id}"),
        );
        // The same SealedSecrets go to Git, listed for kustomize.
        assert_eq!(
            std::fs::read_to_string(out.join(format!("gitops/sealed-secrets/{id}.yaml"))).unwrap(),
            std::fs::read_to_string(&file).unwrap()
        );
        assert!(
            kustomization.contains(&format!("- sealed-secrets/{id}.yaml")),
            "{kustomization}"
        );
        // No plain secret value of this chart in any GitOps file.
        for secret in &filled {
            for key in secret.keys.iter().filter(|key| key.value.len() >= 6) {
                for gitops in std::fs::read_dir(out.join("gitops")).unwrap() {
                    let path = gitops.unwrap().path();
                    if path.is_file() {
                        let text = std::fs::read_to_string(&path).unwrap();
                        assert!(
                            !text.contains(&key.value),
                            "{}: {}/{} in plain text",
                            path.display(),
                            secret.name,
                            key.key
                        );
                    }
                }
            }
        }
    }
    assert!(values > 0);
    println!("the Python opener read back {values} values of the environment's plan");
    // A scope without a certificate is refused before anything is written.
    let refused = Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(["plan", "--environment"])
        .arg(&environment)
        .arg("--out")
        .arg(dir.join("refused"))
        .args(["--scope", "strict"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--sealed-cert <PEM>"));
    assert!(!dir.join("refused").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
