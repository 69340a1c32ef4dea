//! `pecfg render <chart> --answers FILE --out DIR`: the files of the page's "download all", from the session the page keeps (the same export decision, the same bytes).
//!
//! With `--sealed-cert` it also writes sealed-secrets.yaml (same layout as the page's, not the
//! same bytes: every session key is fresh from the OS RNG).

use std::path::PathBuf;

use pecfg_core::export::{
    sealed_secrets_yaml, ExportOptions, HelmFlavor, SealScope, SealingCert, SecretEncoding,
    ValuesMode, SEALED_SECRETS_FILE,
};
use pecfg_core::session::{ChartSession, ExportFile};

use crate::files::{listed, now_unix, read_answers, read_text, write_file};

/// The export options every chart command shares (the page's export panel).
#[derive(clap::Args, Debug, Clone)]
pub struct ExportFlags {
    /// Values file with every parameter and its doc (default: overrides only).
    #[arg(long)]
    full: bool,
    /// secrets.yaml with stringData (default: base64 data).
    #[arg(long)]
    string_data: bool,
    /// Commands for Helm 3 (--atomic; default: Helm 4, --rollback-on-failure).
    #[arg(long)]
    helm3: bool,
    /// Chart reference to install (default: the catalog's, when it has one).
    #[arg(long, value_name = "REF", allow_hyphen_values = true)]
    chart_ref: Option<String>,
    /// Chart version passed to helm (--version).
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    version: Option<String>,
}

impl ExportFlags {
    pub fn options(&self, sealed: bool) -> ExportOptions {
        ExportOptions {
            values_mode: if self.full {
                ValuesMode::Full
            } else {
                ValuesMode::OverridesOnly
            },
            secret_encoding: if self.string_data {
                SecretEncoding::StringData
            } else {
                SecretEncoding::Data
            },
            helm: if self.helm3 {
                HelmFlavor::V3
            } else {
                HelmFlavor::V4
            },
            chart_ref: self.chart_ref.clone(),
            chart_version: self.version.clone(),
            sealed_secrets: sealed,
        }
    }
}

/// The answers file holds chart, release, namespace, values (nested as in values.yaml) and
/// secrets (secret name -> key -> value; a JSON key may be a map of its fields).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(value_parser = crate::chart_id_parser())]
    chart: String,
    /// The answers file.
    #[arg(long, value_name = "FILE")]
    answers: PathBuf,
    /// The folder to write <chart>-values.yaml, secrets.yaml, commands.sh and values.schema.json into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    export: ExportFlags,
    /// Also write <chart>-<release>.zip with the files.
    #[arg(long)]
    zip: bool,
    /// Also write commands.ps1.
    #[arg(long)]
    powershell: bool,
    /// Also write sealed-secrets.yaml: every Secret sealed with this sealed-secrets controller
    /// certificate (kubeseal --fetch-cert); the commands then apply it instead of creating the
    /// Secrets.
    #[arg(long, value_name = "PEM")]
    sealed_cert: Option<PathBuf>,
    /// The sealing scope (with --sealed-cert).
    #[arg(long, value_parser = ["strict", "namespace-wide", "cluster-wide"], requires = "sealed_cert")]
    scope: Option<String>,
    /// Write the files even though validation reports errors (the page refuses; the errors are
    /// still printed).
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<String, String> {
    let chart = crate::find_chart(&args.chart)?;
    let answers = read_answers("render", &args.answers, chart)?;
    let session = ChartSession::new(chart, answers);
    let options = args.export.options(args.sealed_cert.is_some());
    // The page's decision: errors (and unsafe export options) block the files, unless the user
    // insists; either way nothing is written half-way.
    let blocking = session.blocking_reasons(&options);
    let mut report = String::new();
    if !blocking.is_empty() {
        if !args.force {
            return Err(format!(
                "pecfg render: not written, {} problem(s) block the export:\n{}fix them, or pass --force",
                blocking.len(),
                listed(&blocking)
            ));
        }
        report.push_str(&format!(
            "written with --force despite {} problem(s):\n{}",
            blocking.len(),
            listed(&blocking)
        ));
    }
    // Sealed before anything is written, so a refused certificate leaves no half-done folder.
    let sealed = match &args.sealed_cert {
        Some(path) => {
            let pem = read_text("render", path)?;
            let cert = SealingCert::parse(&pem, now_unix())
                .map_err(|error| format!("pecfg render: {}: {error}", path.display()))?;
            let scope = args
                .scope
                .as_deref()
                .and_then(SealScope::parse)
                .unwrap_or_default();
            let text =
                sealed_secrets_yaml(&session.evaluated(), &cert, scope, &mut rand_core::OsRng)
                    .map_err(|error| format!("pecfg render: {error}"))?;
            Some(text)
        }
        None => None,
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|error| format!("pecfg render: {}: {error}", args.out.display()))?;
    let mut files = session.files(&options);
    if let Some(text) = sealed {
        files.push((SEALED_SECRETS_FILE.to_string(), text));
    }
    let mut written = Vec::new();
    for (name, text) in &files {
        written.push(write_file("render", &args.out, name, text.as_bytes())?);
    }
    if args.powershell {
        let (name, text) = session.file(ExportFile::PowerShell, &options);
        written.push(write_file("render", &args.out, &name, text.as_bytes())?);
    }
    if args.zip {
        let extra = files
            .iter()
            .filter(|(name, _)| name == SEALED_SECRETS_FILE)
            .cloned()
            .collect();
        let (name, bytes) = session.zip(&options, extra);
        written.push(write_file("render", &args.out, &name, &bytes)?);
    }
    report.extend(
        written
            .iter()
            .map(|path| format!("wrote {}\n", path.display())),
    );
    Ok(report)
}
