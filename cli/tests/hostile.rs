//! Runs the hostile-input corpus (`tests/hostile/*.yaml`) against the core's entry points and the exporters: each case is refused with its message, or accepted with Helm's meaning, and no output ever carries the payload.

mod common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::registry::chart;
use pecfg_core::export::{
    blocking_reasons, commands_ps1, commands_sh, secrets_yaml, values_yaml, ExportOptions,
    ValuesMode,
};
use pecfg_core::validation::validate;
use pecfg_core::validation::Evaluated;
use serde::Deserialize;
use serde_yaml::Value;

use common::ps1_command_lines;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    entry: String,
    #[serde(default = "default_chart")]
    chart: String,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    generate: Option<Generate>,
    outcome: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    expect: Option<Value>,
    #[serde(default)]
    values_yaml: Vec<String>,
    #[serde(default)]
    never: Vec<String>,
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    chart_ref: Option<String>,
    #[serde(default)]
    finding: Option<String>,
    /// `images`: the target registry given to the mirror (`pecfg images --target-registry`).
    #[serde(default)]
    target_registry: Option<String>,
    /// The input saved as a tool would save it: `utf-8-bom`, `utf-16le`, `utf-16be` (each with
    /// its byte-order mark), `utf-16le-nobom`; line ends become CRLF as Windows writes them. The
    /// bytes are decoded as every file the product reads (`text::decode`) before the entry point.
    #[serde(default)]
    encoding: Option<String>,
    /// The input read from this file of the repository instead of `input`.
    #[serde(default)]
    input_file: Option<String>,
}

/// The input as the bytes of a file a Windows tool wrote, and those bytes as the product reads
/// them: the decoded text, or the refusal.
fn encoded(encoding: &str, input: &str) -> Result<String, String> {
    let crlf = input.replace('\n', "\r\n");
    let utf16 = |big: bool| -> Vec<u8> {
        crlf.encode_utf16()
            .flat_map(|unit| {
                if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    };
    let bytes = match encoding {
        "utf-8-bom" => [&[0xEF, 0xBB, 0xBF][..], crlf.as_bytes()].concat(),
        "utf-16le" => [vec![0xFF, 0xFE], utf16(false)].concat(),
        "utf-16be" => [vec![0xFE, 0xFF], utf16(true)].concat(),
        "utf-16le-nobom" => utf16(false),
        other => panic!("unknown encoding {other}"),
    };
    pecfg_core::text::decode(&bytes)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    kind: String,
    n: usize,
}

fn default_chart() -> String {
    "ixn".into()
}

/// What an entry point made of the input.
struct Outcome {
    /// `Err(message)` when refused.
    result: Result<Option<Value>, String>,
    /// Every text the product would show or write outside secrets.yaml and the scripts.
    outputs: Vec<String>,
    /// values.yaml as exported (import and render).
    values_file: Option<String>,
    /// commands.sh and commands.ps1 (render), or install.sh and install.ps1 (environment).
    scripts: Option<(String, String)>,
    /// The scripts are an environment's install plan.
    plan: bool,
    /// The export decision (render only).
    blocked: Option<String>,
    /// mirror.sh and mirror.ps1 (images, and an environment's plan).
    mirror: Option<(String, String)>,
    /// A unit group's further install plans (one per unit and tenant after the first).
    more_scripts: Vec<(String, String)>,
}

impl Outcome {
    fn of(result: Result<Option<Value>, String>) -> Outcome {
        Outcome {
            result,
            outputs: Vec::new(),
            values_file: None,
            scripts: None,
            plan: false,
            blocked: None,
            mirror: None,
            more_scripts: Vec::new(),
        }
    }
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile")
}

fn generated(generate: &Generate) -> String {
    let n = generate.n;
    match generate.kind.as_str() {
        "aliases" => format!(
            "a: &a [{}]\nb: [{}]\n",
            vec!["x"; n].join(","),
            vec!["*a"; n].join(",")
        ),
        "env-aliases" => format!(
            "environment: x\ncharts:\n  ixn:\n    values:\n      a: &a [{}]\n      b: [{}]\n",
            vec!["x"; n].join(","),
            vec!["*a"; n].join(",")
        ),
        // The same square as the text of a template block: the file reads as one string, and
        // only validation's parse of the block meets the aliases.
        "template-aliases" => format!(
            "chart: ixn\nvalues:\n  ixnService:\n    volumes: |\n      a: &a [{}]\n      b: [{}]\n",
            vec!["x"; n].join(","),
            vec!["*a"; n].join(",")
        ),
        // A group of n units, each line a unit: past the group's bound, inside the input's.
        "group-units" => format!(
            "group: g\nunits:\n{}",
            (0..n)
                .map(|i| format!("  - {{name: u{i}, region: r, role: secondary, cluster: {{context: c}}}}\n"))
                .collect::<String>()
        ),
        // Values nested n deep in a tenant's chart on a unit.
        "group-nested" => format!(
            "group: g\nunits:\n  - {{name: a, region: r, role: primary, cluster: {{context: c}}}}\ntenants:\n  - {{name: t, units: {{a: {{charts: {{ixn: {{values: {}1{}}}}}}}}}}}\n",
            "{a: ".repeat(n),
            "}".repeat(n)
        ),
        "nested" => (0..n)
            .map(|depth| format!("{}k{depth}:\n", "  ".repeat(depth)))
            .collect(),
        "large" => format!("a: {}\n", "x".repeat(n)),
        "long-key" => format!("? {}\n: 1\n", "k".repeat(n)),
        "large-message" => format!(
            r#"{{"type": "pecfg:set-values", "chart": "ixn", "values": {{"a": "{}"}}}}"#,
            "x".repeat(n)
        ),
        other => panic!("unknown generator {other}"),
    }
}

fn fragment_of(json: &str) -> String {
    format!("#v1.{}", deflated(json))
}

fn deflated(json: &str) -> String {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(json.as_bytes()).unwrap();
    URL_SAFE_NO_PAD.encode(encoder.finish().unwrap())
}

/// An environment file through `pecfg plan`'s path: read, resolved, checked, and every file of
/// the plan written (as `--force` would) with both GitOps flavours.
fn run_environment(input: &str) -> Outcome {
    use pecfg_core::environment::{
        gitops_files, parse_environment, plan_blocking_reasons, plan_files, resolve,
        validate_environment, GitOps, PlanOptions, INSTALL_PS1, INSTALL_SH,
    };
    let parsed = parse_environment(input).and_then(|file| resolve(&file));
    let mut outcome = Outcome::of(parsed.as_ref().map(|_| None).map_err(Clone::clone));
    let Ok(resolved) = parsed else {
        return outcome;
    };
    let diagnostics = validate_environment(&resolved);
    let reasons = plan_blocking_reasons(&resolved, &diagnostics);
    if !reasons.is_empty() {
        outcome.blocked = Some(reasons.join("\n"));
    }
    outcome
        .outputs
        .extend(diagnostics.into_iter().map(|diagnostic| diagnostic.message));
    let files = plan_files(&resolved, &PlanOptions::default());
    let script = |name: &str| {
        files
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    };
    outcome.scripts = Some((script(INSTALL_SH), script(INSTALL_PS1)));
    outcome.mirror = Some((script("mirror.sh"), script("mirror.ps1")));
    outcome.plan = true;
    for (name, text) in &files {
        if name.ends_with("-secrets.yaml") {
            pecfg_core::yaml::read::read_yaml_documents(text).expect("a secrets file reads back");
        } else if name != INSTALL_SH && name != INSTALL_PS1 {
            outcome.outputs.push(text.clone());
        }
        if name.ends_with("-values.yaml") {
            pecfg_core::yaml::read::read_values_yaml(text).expect("a values file reads back");
        }
    }
    for flavor in [GitOps::ArgoCd, GitOps::Flux] {
        for (_, text) in gitops_files(&resolved, flavor) {
            pecfg_core::yaml::read::read_yaml_documents(&text).expect("a GitOps file reads back");
            outcome.outputs.push(text);
        }
    }
    outcome
}

/// A unit-group file through `pecfg plan --group`'s path: read, resolved, checked, and every file
/// of the plan written (as `--force` would) with both GitOps flavours; every unit's install plan
/// goes through the script oracles.
fn run_group(input: &str) -> Outcome {
    use pecfg_core::environment::{GitOps, PlanOptions, INSTALL_PS1, INSTALL_SH};
    use pecfg_core::group::{
        group_blocking_reasons, group_plan_files, parse_group, resolve_group, validate_group,
        GroupSealed,
    };
    let parsed = parse_group(input).and_then(|file| resolve_group(&file));
    let mut outcome = Outcome::of(parsed.as_ref().map(|_| None).map_err(Clone::clone));
    let Ok(group) = parsed else {
        return outcome;
    };
    let diagnostics = validate_group(&group);
    let reasons = group_blocking_reasons(&group, &diagnostics);
    if !reasons.is_empty() {
        outcome.blocked = Some(reasons.join("\n"));
    }
    outcome.outputs.extend(
        diagnostics
            .iter()
            .map(|diagnostic| diagnostic.message.clone()),
    );
    outcome.plan = true;
    for flavor in [None, Some(GitOps::ArgoCd), Some(GitOps::Flux)] {
        let options = PlanOptions {
            gitops: flavor,
            ..PlanOptions::default()
        };
        let files = group_plan_files(&group, &diagnostics, &options, &GroupSealed::default());
        let mut scripts: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (name, text) in &files {
            if let Some(folder) = name.strip_suffix(&format!("/{INSTALL_SH}")) {
                scripts.entry(folder.to_string()).or_default().0 = text.clone();
            } else if let Some(folder) = name.strip_suffix(&format!("/{INSTALL_PS1}")) {
                scripts.entry(folder.to_string()).or_default().1 = text.clone();
            } else if name.ends_with("-secrets.yaml") {
                pecfg_core::yaml::read::read_yaml_documents(text)
                    .expect("a secrets file reads back");
            } else {
                if name.ends_with(".yaml") {
                    pecfg_core::yaml::read::read_yaml_documents(text)
                        .unwrap_or_else(|error| panic!("{name} does not read back: {error}"));
                }
                outcome.outputs.push(text.clone());
            }
            if name.ends_with("/mirror.sh") && outcome.mirror.is_none() {
                let ps1 = files
                    .iter()
                    .find(|(other, _)| other == &name.replace("mirror.sh", "mirror.ps1"))
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default();
                outcome.mirror = Some((text.clone(), ps1));
            }
        }
        if flavor.is_none() {
            let mut all = scripts.into_values();
            outcome.scripts = all.next();
            outcome.more_scripts = all.collect();
        }
    }
    outcome
}

fn run(case: &Case, input: &str) -> Outcome {
    let chart = chart(&case.chart).unwrap_or_else(|| panic!("unknown chart {}", case.chart));
    match case.entry.as_str() {
        "edit-yaml" => Outcome::of(
            pecfg_core::yaml::read::read_values_yaml(input)
                .map(|read| Some(read.value))
                .map_err(|error| error.to_string()),
        ),
        "yaml-field" => Outcome::of(
            pecfg_core::yaml::read::read_yaml(input)
                .map(|read| Some(read.value))
                .map_err(|error| error.to_string()),
        ),
        "import-values" => {
            let result = pecfg_core::import::import_values(chart, input);
            let mut outcome = Outcome::of(
                result
                    .as_ref()
                    .map(|(values, _)| Some(values.clone()))
                    .map_err(Clone::clone),
            );
            if let Ok((values, report)) = result {
                let mut answers = Answers::new(&chart.id);
                answers.values = values;
                let file = values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly);
                outcome.outputs.push(file.clone());
                outcome.values_file = Some(file);
                outcome.outputs.push(format!("{report:?}"));
            }
            outcome
        }
        "answers" => Outcome::of(parse_answers(input).map(|answers| Some(answers.values))),
        "share-link" => {
            let result = pecfg_core::share::decode_share_fragment(&fragment_of(input));
            let mut outcome = Outcome::of(
                result
                    .as_ref()
                    .map(|answers| Some(answers.values.clone()))
                    .map_err(Clone::clone),
            );
            if let Ok(answers) = result {
                outcome.outputs.push(format!("{answers:?}"));
            }
            outcome
        }
        "environment" => run_environment(input),
        "group" => run_group(input),
        "environment-link" => {
            let result = pecfg_core::environment::decode_environment_fragment(&format!(
                "#e1.{}",
                deflated(input)
            ));
            let mut outcome = Outcome::of(result.as_ref().map(|_| None).map_err(Clone::clone));
            if let Ok(file) = result {
                outcome.outputs.push(format!("{file:?}"));
            }
            outcome
        }
        // A unit group's `#g1.` link: the input is the group file's text, deflated by the runner.
        "group-link" => {
            let result =
                pecfg_core::group::decode_group_fragment(&format!("#g1.{}", deflated(input)));
            let mut outcome = Outcome::of(result.as_ref().map(|_| None).map_err(Clone::clone));
            if let Ok(file) = result {
                outcome.outputs.push(format!("{file:?}"));
                outcome
                    .outputs
                    .push(pecfg_core::group::saved_group_text(&file).unwrap_or_default());
            }
            outcome
        }
        "environment-draft" => {
            let result = pecfg_core::environment::parse_environment_draft(input)
                .ok_or_else(|| "ignored".to_string());
            let mut outcome = Outcome::of(result.as_ref().map(|_| None).map_err(Clone::clone));
            if let Ok(setup) = result {
                outcome.outputs.push(format!("{setup:?}"));
            }
            outcome
        }
        "draft" => Outcome::of(
            pecfg_core::share::parse_draft(input)
                .map(|answers| Some(answers.values))
                .ok_or_else(|| "ignored".to_string()),
        ),
        "set-values" => {
            Outcome::of(
                pecfg_core::embed_policy::check_message(input).and_then(|message| match message {
                    Some(pecfg_core::embed_policy::HostMessage::SetValues { values, .. }) => {
                        pecfg_core::yaml::read::host_values(&serde_json::Value::Object(values))
                            .map(Some)
                            .map_err(|error| error.to_string())
                    }
                    other => Err(format!("not a set-values message: {other:?}")),
                }),
            )
        }
        "secrets-manifest" => Outcome::of(
            pecfg_core::import::secrets_from_manifests(chart, input).map(|secrets| {
                Some(serde_yaml::to_value(secrets).expect("secret values are a tree"))
            }),
        ),
        "validate" => {
            let parsed = parse_answers(input);
            let mut outcome = Outcome::of(parsed.clone().map(|answers| Some(answers.values)));
            if let Ok(answers) = parsed {
                for diagnostic in validate(chart, &answers) {
                    outcome.outputs.push(diagnostic.message);
                }
            }
            outcome
        }
        "render" => {
            let parsed = parse_answers(input);
            let mut outcome = Outcome::of(parsed.clone().map(|answers| Some(answers.values)));
            let Ok(answers) = parsed else {
                return outcome;
            };
            let options = ExportOptions {
                chart_ref: case.chart_ref.clone(),
                ..ExportOptions::default()
            };
            let diagnostics = validate(chart, &answers);
            let reasons = blocking_reasons(&diagnostics, &options);
            if !reasons.is_empty() {
                outcome.blocked = Some(reasons.join("\n"));
            }
            outcome
                .outputs
                .extend(diagnostics.into_iter().map(|diagnostic| diagnostic.message));
            // Written anyway (as `pecfg render --force` would): even then nothing may run.
            let file = values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly);
            outcome.outputs.push(file.clone());
            outcome.values_file = Some(file);
            outcome.scripts = Some((
                commands_sh(&Evaluated::of(chart, &answers), &options),
                commands_ps1(&Evaluated::of(chart, &answers), &options),
            ));
            // secrets.yaml must parse as YAML documents: a name cannot break its structure.
            let secrets = secrets_yaml(&Evaluated::of(chart, &answers), Default::default());
            pecfg_core::yaml::read::read_yaml_documents(&secrets).expect("secrets.yaml reads back");
            outcome
        }
        "images" => {
            let parsed = parse_answers(input);
            let mut outcome = Outcome::of(parsed.clone().map(|answers| Some(answers.values)));
            let Ok(answers) = parsed else {
                return outcome;
            };
            let options = pecfg_core::mirror::MirrorOptions {
                target_registry: case.target_registry.clone(),
                ..Default::default()
            };
            let plan = pecfg_core::mirror::chart_mirror(
                &pecfg_core::validation::Evaluated::of(chart, &answers),
                &options,
            );
            if !plan.refused.is_empty() {
                outcome.blocked = Some(plan.refused.join("\n"));
            }
            for image in &plan.inventory {
                outcome.outputs.extend(image.problems());
            }
            outcome.outputs.extend(
                pecfg_core::mirror::chart_image_diagnostics(
                    &pecfg_core::validation::Evaluated::of(chart, &answers),
                    case.target_registry.as_deref(),
                )
                .into_iter()
                .map(|diagnostic| diagnostic.message),
            );
            // Written anyway (what --out would write once the values are fixed): still harmless.
            outcome.outputs.push(pecfg_core::mirror::images_txt(&plan));
            outcome.mirror = Some((
                pecfg_core::mirror::mirror_sh(&plan),
                pecfg_core::mirror::mirror_ps1(&plan),
            ));
            outcome
        }
        // Any file the page's Import takes, decided by the session's one reading.
        "import" => {
            let result = pecfg_core::session::read_import(chart, input);
            let mut outcome = Outcome::of(result.as_ref().map(|_| None).map_err(Clone::clone));
            if let Ok(imported) = result {
                outcome.outputs.push(imported.summary.clone());
                outcome
                    .outputs
                    .extend(imported.lines.iter().map(|line| line.text.clone()));
                outcome
                    .outputs
                    .push(format!("taken as {}", imported.kind.label()));
            }
            outcome
        }
        // A sealed-secrets controller's certificate, as pasted or opened.
        "certificate" => {
            let result = pecfg_core::export::SealingCert::parse(input, 1_900_000_000);
            let mut outcome = Outcome::of(
                result
                    .as_ref()
                    .map(|cert| Some(Value::from(cert.key_bits as u64)))
                    .map_err(Clone::clone),
            );
            if let Ok(cert) = result {
                outcome.outputs.push(cert.subject.clone());
            }
            outcome
        }
        other => panic!("unknown entry point {other}"),
    }
}

/// Runs mirror.sh with stub `skopeo`, `docker` and `helm` that record their calls, on a PATH that
/// holds nothing else; returns the record (anything else is recorded as UNEXPECTED).
fn run_mirror_with_stubs(script: &str, name: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "pecfg-hostile-mirror-{}-{name}",
        std::process::id()
    ));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("calls.log");
    for tool in ["skopeo", "docker", "helm"] {
        let stub = bin.join(tool);
        std::fs::write(
            &stub,
            format!(
                "#!/bin/bash\nprintf '%s\\n' \"{tool} $1\" >> '{}'\nprintf 'version: 1.0.0\\n'\nexit 1\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
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
    let file = dir.join("mirror.sh");
    std::fs::write(&file, script).unwrap();
    let _ = Command::new("/bin/bash")
        .arg(&file)
        .env_clear()
        .env("PATH", &bin)
        .env("BASH_ENV", &env_file)
        .env("SOURCE_REGISTRY_USERNAME", "")
        .env("TARGET_REGISTRY_USERNAME", "")
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    let record = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();
    record
}

/// Runs commands.sh for real with `kubectl` and `helm` replaced by stubs that record their
/// calls, and a PATH that holds nothing else: any other command the script would run is caught
/// by bash's `command_not_found_handle` and recorded as unexpected. Returns the record.
fn run_with_stubs(script: &str, name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pecfg-hostile-{}-{name}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("calls.log");
    for tool in ["kubectl", "helm"] {
        let stub = bin.join(tool);
        std::fs::write(
            &stub,
            format!(
                "#!/bin/bash\nprintf '%s\\n' \"{tool} $1\" >> '{}'\nexit 0\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // The script needs `dirname` for its own folder, and install.sh `grep` for the digest of
    // what is installed; everything else must be kubectl or helm.
    std::os::unix::fs::symlink("/usr/bin/dirname", bin.join("dirname")).ok();
    std::os::unix::fs::symlink("/usr/bin/grep", bin.join("grep")).ok();
    let env_file = dir.join("env.sh");
    std::fs::write(
        &env_file,
        format!(
            "command_not_found_handle() {{ printf 'UNEXPECTED %s\\n' \"$1\" >> '{}'; return 127; }}\n",
            log.display()
        ),
    )
    .unwrap();
    let file = dir.join("commands.sh");
    std::fs::write(&file, script).unwrap();
    std::fs::write(dir.join("values.yaml"), "").unwrap();
    let _ = Command::new("/bin/bash")
        .arg(&file)
        .env_clear()
        .env("PATH", &bin)
        .env("BASH_ENV", &env_file)
        .env("RELEASE", "r")
        .env("CHART_REF", "repo/chart")
        // install.sh: the charts whose reference the catalog does not know.
        .env("CHART_REF_TENANT", "repo/tenant")
        .env("CHART_REF_TENANT_MONITOR", "repo/tenant-monitor")
        .env("CHART_REF_GES", "repo/ges")
        .env("CHART_REF_IXN", "repo/ixn")
        .env("CHART_REF_MIDDLEWARE", "repo/middleware")
        .status()
        .unwrap();
    let record = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();
    record
}

/// What a line of commands.ps1 that PowerShell runs may start with.
const PS1_COMMANDS: [&str; 7] = ["$", "kubectl ", "helm ", "if ", "@'", "'@ |", "#"];

/// What a line of install.ps1 that PowerShell runs may start with: the same, plus its own
/// helper (`function Assert-Step`, its calls and closing braces) and the `param` line.
const INSTALL_PS1_COMMANDS: [&str; 12] = [
    "$",
    "kubectl ",
    "helm ",
    "if ",
    "@'",
    "'@ |",
    "#",
    "}",
    "Assert-Step ",
    "Write-Output ",
    "function Assert-Step",
    "param(",
];

/// What a line of mirror.ps1 that PowerShell runs may start with, after its fixed prelude: the
/// prelude's own lines are checked as they are (they hold no value), so this lists the starts of
/// both.
const MIRROR_PS1_COMMANDS: [&str; 22] = [
    "#",
    "$",
    "}",
    "{",
    "if ",
    "} else",
    "else",
    "param(",
    "function ",
    "Write-Output ",
    "Assert-Step",
    "Connect-Registry ",
    "Connect-HelmRepository ",
    "Connect-HelmRegistry ",
    "Copy-Image ",
    "Copy-Chart ",
    "& ",
    "return ",
    "foreach ",
    "throw ",
    "Write-Output(",
    "$Password | & ",
];

/// The oracles of one generated script pair (commands.sh and .ps1, or an install plan's): run
/// with stubs, only kubectl and helm run and helm upgrade is reached; every PowerShell line starts
/// as a generated one; `bash -n` accepts it; no flag-like `never` text reaches it.
fn check_scripts(case: &Case, path: &Path, plan: bool, sh: &str, ps1: &str) -> Result<(), String> {
    let name = path.file_stem().unwrap().to_string_lossy().to_string();
    let record = run_with_stubs(sh, &name);
    if let Some(line) = record
        .lines()
        .find(|line| !(line.starts_with("kubectl ") || line.starts_with("helm ")))
    {
        return Err(format!("commands.sh ran something else: {line}\n{sh}"));
    }
    if !record.lines().any(|line| line.starts_with("helm upgrade")) {
        return Err(format!(
            "commands.sh did not reach helm upgrade:\n{record}\n{sh}"
        ));
    }
    let allowed: &[&str] = if plan {
        &INSTALL_PS1_COMMANDS
    } else {
        &PS1_COMMANDS
    };
    for line in ps1_command_lines(ps1) {
        let line = line.trim();
        if !line.is_empty() && !allowed.iter().any(|start| line.starts_with(start)) {
            return Err(format!("the PowerShell script would run {line:?}:\n{ps1}"));
        }
    }
    let file = std::env::temp_dir().join(format!("pecfg-hostile-{}-{name}.sh", std::process::id()));
    std::fs::write(&file, sh).unwrap();
    let status = Command::new("bash").arg("-n").arg(&file).status().unwrap();
    std::fs::remove_file(&file).ok();
    if !status.success() {
        return Err(format!("bash -n refuses commands.sh:\n{sh}"));
    }
    for never in &case.never {
        if never.starts_with('-') && (sh.contains(never.as_str()) || ps1.contains(never.as_str())) {
            return Err(format!("{never:?} reaches a script"));
        }
    }
    Ok(())
}

fn check_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let case: Case = serde_yaml::from_str(&text).map_err(|error| format!("bad case: {error}"))?;
    assert!(!case.about.is_empty());
    let input = match (&case.input, &case.generate, &case.input_file) {
        (Some(input), None, None) => input.clone(),
        (None, Some(generate), None) => generated(generate),
        (None, None, Some(file)) => {
            std::fs::read_to_string(corpus_dir().join("../..").join(file)).unwrap()
        }
        _ => return Err("give `input`, `generate` or `input_file`".into()),
    };
    let outcome = match case
        .encoding
        .as_deref()
        .map(|encoding| encoded(encoding, &input))
    {
        None => run(&case, &input),
        Some(Ok(text)) => run(&case, &text),
        Some(Err(refusal)) => Outcome::of(Err(refusal)),
    };
    match (case.outcome.as_str(), &outcome.result, &outcome.blocked) {
        ("refused", Err(message), _) => {
            if let Some(wanted) = &case.message {
                if !message.contains(wanted.as_str()) {
                    return Err(format!("refused with {message:?}, not with {wanted:?}"));
                }
            }
        }
        ("refused", Ok(_), _) => return Err("accepted, should be refused".into()),
        ("accepted", Ok(value), None) => {
            if let (Some(expect), Some(value)) = (&case.expect, value) {
                if value != expect {
                    return Err(format!("accepted as {value:?}, expected {expect:?}"));
                }
            }
        }
        ("blocked", Ok(_), Some(reasons)) => {
            if let Some(wanted) = &case.message {
                if !reasons.contains(wanted.as_str()) {
                    return Err(format!("blocked by {reasons:?}, not by {wanted:?}"));
                }
            }
        }
        (wanted, result, blocked) => {
            return Err(format!(
                "expected {wanted}, got {result:?} (blocked: {blocked:?})"
            ))
        }
    }
    if let Some(wanted) = &case.finding {
        if !outcome
            .outputs
            .iter()
            .any(|text| text.contains(wanted.as_str()))
        {
            return Err(format!("no finding says {wanted:?}: {:?}", outcome.outputs));
        }
    }
    let values_file = outcome.values_file.clone().unwrap_or_default();
    for line in &case.values_yaml {
        if !values_file.lines().any(|written| written == line) {
            return Err(format!(
                "values.yaml lacks the line {line:?}:\n{values_file}"
            ));
        }
    }
    let message = outcome.result.as_ref().err().cloned().unwrap_or_default();
    for never in &case.never {
        for text in outcome.outputs.iter().chain([&message]) {
            if text.contains(never.as_str()) {
                return Err(format!("{never:?} appears in an output:\n{text}"));
            }
        }
    }
    for (sh, ps1) in outcome.scripts.iter().chain(&outcome.more_scripts) {
        check_scripts(&case, path, outcome.plan, sh, ps1)?;
    }
    if let Some((sh, ps1)) = &outcome.mirror {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        // A refused value is never written into a script, not even into a comment; a payload
        // never starts a line.
        for never in &case.never {
            if sh.contains(never.as_str()) || ps1.contains(never.as_str()) {
                return Err(format!("{never:?} reaches a mirror script:\n{sh}"));
            }
        }
        if let Some(payload) = &case.payload {
            if sh
                .lines()
                .chain(ps1.lines())
                .any(|line| line.trim_start().starts_with(payload.as_str()))
            {
                return Err(format!(
                    "{payload:?} starts a line of a mirror script:\n{sh}"
                ));
            }
        }
        let record = run_mirror_with_stubs(sh, &name);
        if let Some(line) = record.lines().find(|line| {
            !(line.starts_with("skopeo ")
                || line.starts_with("docker ")
                || line.starts_with("helm "))
        }) {
            return Err(format!("mirror.sh ran something else: {line}\n{sh}"));
        }
        for line in ps1_command_lines(ps1) {
            let line = line.trim();
            if !line.is_empty()
                && !MIRROR_PS1_COMMANDS
                    .iter()
                    .any(|start| line.starts_with(start))
            {
                return Err(format!("mirror.ps1 would run {line:?}:\n{ps1}"));
            }
        }
        let file = std::env::temp_dir().join(format!(
            "pecfg-hostile-{}-{name}-mirror.sh",
            std::process::id()
        ));
        std::fs::write(&file, sh).unwrap();
        let status = Command::new("bash").arg("-n").arg(&file).status().unwrap();
        std::fs::remove_file(&file).ok();
        if !status.success() {
            return Err(format!("bash -n refuses mirror.sh:\n{sh}"));
        }
    }
    // values.yaml (when written) reads back through the same boundary.
    if outcome.values_file.is_some() {
        let read = pecfg_core::yaml::read::read_values_yaml(&values_file)
            .map_err(|error| format!("values.yaml does not read back: {error}\n{values_file}"))?;
        if let Some(payload) = &case.payload {
            let key = payload.trim_end_matches(':');
            if read.value.get(key).is_some() {
                return Err(format!(
                    "values.yaml holds a live `{key}` key:\n{values_file}"
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_hostile_case_is_refused_or_kept_harmless() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "the corpus has {} cases", paths.len());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            check_case(path)
                .err()
                .map(|why| format!("{}: {why}", path.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n\n")
    );
    println!("hostile corpus: {} cases", paths.len());
}

#[test]
fn pecfg_import_reports_what_helm_reads_differently() {
    let dir = std::env::temp_dir().join(format!("pecfg-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("old-values.yaml");
    std::fs::write(
        &file,
        "base: &b {port: 1}\nextra:\n  <<: *b\n  enabled: no\nreplicaCount: 1\nreplicaCont: 1\n",
    )
    .unwrap();
    let out = dir.join("answers.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(["import", "ixn"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.contains("retyped extra.enabled: `no` is read by Helm as the boolean false"),
        "{printed}"
    );
    assert!(printed.contains("merged extra"), "{printed}");
    assert!(
        printed.contains("did you mean `replicaCount`?"),
        "{printed}"
    );
    let answers = parse_answers(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(answers.values["extra"]["enabled"], Value::Bool(false));
    assert_eq!(answers.values["extra"]["port"], Value::from(1));
    // A refused file writes nothing and says why.
    std::fs::write(&file, "~: 1\n").unwrap();
    std::fs::remove_file(&out).ok();
    let output = Command::new(env!("CARGO_BIN_EXE_pecfg"))
        .args(["import", "ixn"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("null key"));
    assert!(!out.exists());
}

#[test]
fn pecfg_render_refuses_a_blocked_export_unless_forced() {
    let dir = std::env::temp_dir().join(format!("pecfg-render-block-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let answers = dir.join("answers.yaml");
    std::fs::write(&answers, "chart: middleware\nnamespace: \"mw\\nx\"\n").unwrap();
    let out = dir.join("out");
    let render = |force: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pecfg"));
        command
            .args(["render", "middleware", "--answers"])
            .arg(&answers)
            .arg("--out")
            .arg(&out);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = render(false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("block the export"));
    assert!(!out.exists(), "nothing is written when refused");
    let forced = render(true);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(String::from_utf8_lossy(&forced.stdout).contains("--force despite"));
    assert!(out.join("commands.sh").exists());
}

#[test]
fn the_script_oracles_catch_an_injected_command() {
    // The stub run sees a command that escaped a comment…
    let record = run_with_stubs(
        "#!/usr/bin/env bash\n# Secret \nreboot\nhelm upgrade --install r c\n",
        "oracle",
    );
    assert!(record.contains("UNEXPECTED reboot"), "{record}");
    assert!(record.contains("helm upgrade"), "{record}");
    // …and the PowerShell reader sees a line that starts outside any string.
    let ps1 = "$Namespace = 'a\nb'\n# Secret x\nlogoff\n@'\nnot: run\n'@ | kubectl apply -f -\n";
    let lines = ps1_command_lines(ps1);
    assert!(lines.contains(&"logoff"), "{lines:?}");
    assert!(
        !lines.contains(&"b'") && !lines.contains(&"not: run"),
        "{lines:?}"
    );
}
