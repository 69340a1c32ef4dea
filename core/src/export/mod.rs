//! Exporters: values.yaml, secrets.yaml, commands.sh and the file set of "download all", from a chart and the answers.
//!
//! Every function here is pure: `(chart, answers, options) → text`. The browser and `pecfg render`
//! call the same functions, so they write the same bytes.
//!
//! - [`values_yaml`] — the overrides (or every parameter with its doc), never a secret value.
//! - [`secrets_yaml`] and [`secrets_yaml_redacted`] — one Secret manifest per filled-in secret.
//! - [`commands_sh`] (and [`commands_sh_redacted`] for the screen) and [`commands_ps1`] —
//!   namespace, secrets, `helm template`, `helm upgrade --install`.
//! - [`values_schema_json`] — `values.schema.json`.
//! - [`sealed_secrets_yaml`] — the Secrets sealed for a sealed-secrets controller (needs an RNG,
//!   so it is not among [`render_files`]; the front ends add it).
//! - [`render_files`] and [`zip_bytes`] — the four files, and them as a zip.

mod sealed;
mod secrets;
mod shell;
mod values_file;

use std::io::Write as _;

pub use sealed::{
    hybrid_encrypt, sealed_secret_manifest, sealed_secrets_yaml, SealScope, SealingCert,
    CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION, SEALED_SECRETS_FILE,
};
pub use secrets::{
    effective_name, filled_secrets, go_json_string, secret_manifest, secrets_yaml,
    secrets_yaml_redacted, DockerLogin, FilledKey, FilledSecret, DEFAULT_DOCKER_SERVER,
};
pub use shell::{commands_ps1, commands_sh, commands_sh_redacted, ps_quote, sh_quote};
// The environment's install plan writes its scripts with the same quoting and secret commands.
pub(crate) use sealed::sealed_secrets_yaml_with;
pub(crate) use secrets::secrets_yaml_with;
pub(crate) use shell::{
    comment_lines, helm_major, rollback_flag, secret_command, secret_values_note,
};

use crate::catalog::Chart;
use crate::validation::Evaluated;
use crate::values::derived_release_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValuesMode {
    /// Only what differs from the chart defaults.
    #[default]
    OverridesOnly,
    /// Every parameter, each preceded by its doc as a `# --` comment.
    Full,
}

/// How secrets.yaml carries the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretEncoding {
    /// `data:` with base64 values (what `kubectl create secret … -o yaml` writes).
    #[default]
    Data,
    /// `stringData:` with the values as text.
    StringData,
}

/// Which Helm the commands are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HelmFlavor {
    /// Helm 3: `--atomic`.
    V3,
    /// Helm 4: `--rollback-on-failure`.
    #[default]
    V4,
}

/// Choices of the export panel (and of `pecfg render`'s flags).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportOptions {
    pub values_mode: ValuesMode,
    pub secret_encoding: SecretEncoding,
    pub helm: HelmFlavor,
    /// The chart reference to install, when the user knows it; else the catalog's `chart_ref`.
    pub chart_ref: Option<String>,
    /// `--version` of the chart, when the user gives one.
    pub chart_version: Option<String>,
    /// The Secrets go to the cluster as `sealed-secrets.yaml`: the commands apply that file
    /// instead of creating the Secrets, and hold no secret value themselves.
    pub sealed_secrets: bool,
}

/// Where a chart comes from, for the plan and the GitOps sources.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartSource {
    /// What `helm` installs as it is (a folder, a .tgz, `repo/chart`, `oci://…/chart`).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A chart repository: `https://…` (a Helm repository) or `oci://…` (the chart's parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The chart's name in `repository` (default: the catalog's chart reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A YAML comment block of `text`, wrapped, every line starting `# ` (a line break in the text
/// cannot end the comment: `comment_lines` breaks at every kind of line break).
pub fn comment_block(text: &str) -> String {
    comment_lines(text, "# ")
}

/// Placeholder written where the release name cannot be derived yet.
pub const RELEASE_PLACEHOLDER: &str = "RELEASE";

/// The names every exporter writes into its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportContext {
    /// answers.release, or the name derived by the chart's rule, or [`RELEASE_PLACEHOLDER`].
    pub release: String,
    /// False when `release` is the placeholder.
    pub release_known: bool,
    /// answers.namespace, or the catalog's namespace.
    pub namespace: String,
}

impl ExportContext {
    pub fn new(it: &Evaluated) -> ExportContext {
        let (chart, answers) = (it.chart, it.answers);
        // As written (validation checks the same text); only a blank answer means "not given".
        let given = |text: &Option<String>| {
            text.as_deref()
                .filter(|text| !text.trim().is_empty())
                .map(str::to_string)
        };
        let release = given(&answers.release).or_else(|| derived_release_name(chart, it.merged()));
        ExportContext {
            release_known: release.is_some(),
            release: release.unwrap_or_else(|| RELEASE_PLACEHOLDER.to_string()),
            namespace: given(&answers.namespace).unwrap_or_else(|| chart.namespace.value.clone()),
        }
    }
}

/// The release name the files use (`RELEASE` while it cannot be derived).
pub fn release_name(it: &Evaluated) -> String {
    ExportContext::new(it).release
}

/// The namespace the files use.
pub fn namespace(it: &Evaluated) -> String {
    ExportContext::new(it).namespace
}

/// The chart reference the commands install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChartRef {
    Known {
        value: String,
        doc: String,
    },
    /// Not known, or known only as a pattern with placeholders (`<version>`): the user fills it.
    Unknown {
        hint: Option<String>,
    },
}

impl ChartRef {
    pub(crate) fn resolve(chart: &Chart, options: &ExportOptions) -> ChartRef {
        if let Some(value) = options
            .chart_ref
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty() && option_problem("", value).is_none())
        {
            return ChartRef::Known {
                value: value.to_string(),
                doc: String::new(),
            };
        }
        match &chart.chart_ref {
            Some(fact) if fact.value.contains(['<', '$']) => ChartRef::Unknown {
                hint: Some(fact.value.clone()),
            },
            Some(fact) => ChartRef::Known {
                value: fact.value.clone(),
                doc: fact.doc.trim().to_string(),
            },
            None => ChartRef::Unknown { hint: None },
        }
    }
}

/// Why a chart reference or version typed by the user cannot go into a script: a leading `-`
/// would make it a helm flag (`--post-renderer=…`), and a control character has no business there.
fn option_problem(what: &str, value: &str) -> Option<String> {
    if value.trim_start().starts_with('-') {
        Some(format!(
            "{what} may not start with `-` (helm would read it as a flag)"
        ))
    } else if value.chars().any(char::is_control) {
        Some(format!(
            "{what} may not hold a line break or control character"
        ))
    } else {
        None
    }
}

/// Why the files may not be written (downloaded, copied, saved by `pecfg render`): every error
/// among the diagnostics, and the export options that cannot be written safely. The browser and
/// the CLI both ask this one function; empty means exporting is allowed.
pub fn blocking_reasons(
    diagnostics: &[crate::validation::Diagnostic],
    options: &ExportOptions,
) -> Vec<String> {
    let mut reasons: Vec<String> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == crate::validation::Severity::Error)
        .map(|diagnostic| format!("{}: {}", diagnostic.path, diagnostic.message))
        .collect();
    for (what, value) in [
        ("the chart reference", &options.chart_ref),
        ("the chart version", &options.chart_version),
    ] {
        if let Some(problem) = value
            .as_deref()
            .and_then(|value| option_problem(what, value))
        {
            reasons.push(problem);
        }
    }
    reasons
}

/// `<chart>-values.yaml`.
pub fn values_file_name(chart: &Chart) -> String {
    format!("{}-values.yaml", chart.id)
}

pub const SECRETS_FILE: &str = "secrets.yaml";
pub const COMMANDS_FILE: &str = "commands.sh";
pub const COMMANDS_PS1_FILE: &str = "commands.ps1";
pub const SCHEMA_FILE: &str = "values.schema.json";

/// The values file: overrides only (default) or every parameter with its doc.
pub fn values_yaml(it: &Evaluated, mode: ValuesMode) -> String {
    values_file::values_yaml(it, mode)
}

/// The values file with every `sensitive` value masked: what a preview shows until the user
/// asks to see secret values.
pub fn values_yaml_masked(it: &Evaluated, mode: ValuesMode) -> String {
    values_file::values_yaml_masked(it, mode)
}

/// `values.schema.json`, pretty-printed, ending in a newline.
pub fn values_schema_json(chart: &Chart) -> String {
    // A serde_json tree always serializes; the fallback only satisfies the type.
    let mut text = serde_json::to_string_pretty(&crate::schema::values_schema(chart))
        .unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// The files of "download all" (and of `pecfg render`), in this order:
/// `<chart>-values.yaml`, `secrets.yaml`, `commands.sh`, `values.schema.json`.
pub fn render_files(it: &Evaluated, options: &ExportOptions) -> Vec<(String, String)> {
    vec![
        (
            values_file_name(it.chart),
            values_yaml(it, options.values_mode),
        ),
        (
            SECRETS_FILE.to_string(),
            secrets_yaml(it, options.secret_encoding),
        ),
        (COMMANDS_FILE.to_string(), commands_sh(it, options)),
        (SCHEMA_FILE.to_string(), values_schema_json(it.chart)),
    ]
}

/// `<chart>-<release>.zip`.
pub fn zip_name(it: &Evaluated) -> String {
    format!("{}-{}.zip", it.chart.id, release_name(it))
}

/// The files as a zip archive, byte for byte the same for the same files: fixed timestamps
/// (1980-01-01, the zip epoch), deflate, `commands.sh` executable.
pub fn zip_bytes(files: &[(String, String)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        let mode = if name.ends_with(".sh") { 0o755 } else { 0o644 };
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(mode);
        // Writing to memory does not fail; were it to, the file would be missing, not the page.
        let _ = writer
            .start_file(name.as_str(), options)
            .and_then(|()| writer.write_all(text.as_bytes()).map_err(Into::into));
    }
    writer
        .finish()
        .map(std::io::Cursor::into_inner)
        .unwrap_or_default()
}
