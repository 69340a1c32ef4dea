//! `pecfg render <chart> --answers FILE --out DIR`: the files of the browser's "download all".
//!
//! The files come from `pecfg_core::export::render_files`, the function the browser calls, so
//! they are the same bytes. With `--sealed-cert` it also writes sealed-secrets.yaml (same layout
//! as the page's, not the same bytes: every session key is fresh from the OS RNG).

use std::path::{Path, PathBuf};

use pecfg_core::answers::parse_answers;
use pecfg_core::export::{
    commands_ps1, render_files, sealed_secrets_yaml, zip_bytes, zip_name, ExportOptions,
    HelmFlavor, SealScope, SealingCert, SecretEncoding, ValuesMode, COMMANDS_PS1_FILE,
    SEALED_SECRETS_FILE,
};
use pecfg_core::validation::Evaluated;

const USAGE: &str = "\
Usage: pecfg render <chart> --answers FILE --out DIR [options]

Writes <chart>-values.yaml, secrets.yaml, commands.sh and values.schema.json into DIR.

Options:
  --full             values file with every parameter and its doc (default: overrides only)
  --string-data      secrets.yaml with stringData (default: base64 data)
  --helm3            commands for Helm 3 (--atomic; default: Helm 4, --rollback-on-failure)
  --chart-ref REF    chart reference to install (default: the catalog's, when it has one)
  --version V        chart version passed to helm (--version)
  --zip              also write <chart>-<release>.zip with the four files
  --powershell       also write commands.ps1
  --sealed-cert PEM  also write sealed-secrets.yaml: every Secret sealed with this sealed-secrets
                     controller certificate (kubeseal --fetch-cert); the commands then apply it
                     instead of creating the Secrets
  --scope SCOPE      strict (default), namespace-wide or cluster-wide (with --sealed-cert)
  --force            write the files even though validation reports errors (the browser
                     refuses; the errors are still printed)

The answers file holds chart, release, namespace, values (nested as in values.yaml) and
secrets (secret name -> key -> value; a JSON key may be a map of its fields).";

struct Args {
    chart: String,
    answers: PathBuf,
    out: PathBuf,
    options: ExportOptions,
    zip: bool,
    powershell: bool,
    sealed_cert: Option<PathBuf>,
    scope: Option<SealScope>,
    force: bool,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut chart = None;
    let mut answers = None;
    let mut out = None;
    let mut options = ExportOptions::default();
    let mut zip = false;
    let mut powershell = false;
    let mut sealed_cert = None;
    let mut scope = None;
    let mut force = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("pecfg render: {flag} needs a value\n\n{USAGE}"))
        };
        match *arg {
            "--answers" => answers = Some(PathBuf::from(value("--answers")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--chart-ref" => options.chart_ref = Some(value("--chart-ref")?),
            "--version" => options.chart_version = Some(value("--version")?),
            "--full" => options.values_mode = ValuesMode::Full,
            "--string-data" => options.secret_encoding = SecretEncoding::StringData,
            "--helm3" => options.helm = HelmFlavor::V3,
            "--zip" => zip = true,
            "--powershell" => powershell = true,
            "--force" => force = true,
            "--sealed-cert" => sealed_cert = Some(PathBuf::from(value("--sealed-cert")?)),
            "--scope" => {
                let word = value("--scope")?;
                scope = Some(SealScope::parse(&word).ok_or_else(|| {
                    format!(
                        "pecfg render: --scope is strict, namespace-wide or cluster-wide, not `{word}`"
                    )
                })?)
            }
            "--help" | "-h" => return Err(USAGE.to_string()),
            flag if flag.starts_with('-') => {
                return Err(format!("pecfg render: unknown option `{flag}`\n\n{USAGE}"))
            }
            id if chart.is_none() => chart = Some(id.to_string()),
            extra => return Err(format!("pecfg render: unexpected `{extra}`\n\n{USAGE}")),
        }
    }
    if scope.is_some() && sealed_cert.is_none() {
        return Err(format!(
            "pecfg render: --scope needs --sealed-cert\n\n{USAGE}"
        ));
    }
    options.sealed_secrets = sealed_cert.is_some();
    Ok(Args {
        chart: chart.ok_or_else(|| format!("pecfg render: which chart?\n\n{USAGE}"))?,
        answers: answers.ok_or_else(|| format!("pecfg render: --answers is missing\n\n{USAGE}"))?,
        out: out.ok_or_else(|| format!("pecfg render: --out is missing\n\n{USAGE}"))?,
        options,
        zip,
        powershell,
        sealed_cert,
        scope,
        force,
    })
}

pub fn run(args: &[&str]) -> Result<String, String> {
    let args = parse_args(args)?;
    let chart = crate::find_chart(&args.chart)?;
    let text = std::fs::read_to_string(&args.answers)
        .map_err(|error| format!("pecfg render: {}: {error}", args.answers.display()))?;
    let answers = parse_answers(&text)
        .map_err(|error| format!("pecfg render: {}: {error}", args.answers.display()))?;
    if answers.chart != chart.id {
        return Err(format!(
            "pecfg render: {} is for chart `{}`, not `{}`",
            args.answers.display(),
            answers.chart,
            chart.id
        ));
    }
    // The browser's decision: errors (and unsafe export options) block the files, unless the
    // user insists; either way nothing is written half-way.
    let diagnostics = pecfg_core::validation::validate(chart, &answers);
    let blocking = pecfg_core::export::blocking_reasons(&diagnostics, &args.options);
    let mut report = String::new();
    if !blocking.is_empty() {
        let list: String = blocking
            .iter()
            .map(|reason| format!("  {reason}\n"))
            .collect();
        if !args.force {
            return Err(format!(
                "pecfg render: not written, {} problem(s) block the export:\n{list}fix them, or pass --force",
                blocking.len()
            ));
        }
        report.push_str(&format!(
            "written with --force despite {} problem(s):\n{list}",
            blocking.len()
        ));
    }
    // Sealed before anything is written, so a refused certificate leaves no half-done folder.
    let sealed = match &args.sealed_cert {
        Some(path) => {
            let pem = std::fs::read_to_string(path)
                .map_err(|error| format!("pecfg render: {}: {error}", path.display()))?;
            let cert = SealingCert::parse(&pem, now_unix())
                .map_err(|error| format!("pecfg render: {}: {error}", path.display()))?;
            let scope = args.scope.unwrap_or_default();
            let text = sealed_secrets_yaml(
                &Evaluated::of(chart, &answers),
                &cert,
                scope,
                &mut rand_core::OsRng,
            )
            .map_err(|error| format!("pecfg render: {error}"))?;
            Some(text)
        }
        None => None,
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|error| format!("pecfg render: {}: {error}", args.out.display()))?;
    let mut files = render_files(&Evaluated::of(chart, &answers), &args.options);
    if let Some(text) = sealed {
        files.push((SEALED_SECRETS_FILE.to_string(), text));
    }
    let mut written = Vec::new();
    for (name, text) in &files {
        written.push(write_file(&args.out, name, text.as_bytes())?);
    }
    if args.powershell {
        let text = commands_ps1(&Evaluated::of(chart, &answers), &args.options);
        written.push(write_file(&args.out, COMMANDS_PS1_FILE, text.as_bytes())?);
    }
    if args.zip {
        let name = zip_name(&Evaluated::of(chart, &answers));
        written.push(write_file(&args.out, &name, &zip_bytes(&files))?);
    }
    report.extend(
        written
            .iter()
            .map(|path| format!("wrote {}\n", path.display())),
    );
    Ok(report)
}

/// Seconds since the Unix epoch, for the certificate's expiry check.
pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)
        .map_err(|error| format!("pecfg render: {}: {error}", path.display()))?;
    #[cfg(unix)]
    if name.ends_with(".sh") {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| format!("pecfg render: {}: {error}", path.display()))?;
    }
    Ok(path)
}
