//! commands.sh (bash) and commands.ps1 (PowerShell): namespace, Secrets, then helm template and
//! helm upgrade --install.

use super::secrets::{filled_secrets, secret_manifest, FilledSecret};
use super::values_file::wrap;
use super::{ChartRef, ExportContext, ExportOptions, HelmFlavor, SecretEncoding};
use crate::catalog::{Chart, SecretType};
use crate::validation::Evaluated;

/// Quotes a word for bash (and any POSIX shell) so that it reaches the program byte for byte:
/// safe words stay bare, anything else goes in single quotes, where only `'` needs care.
pub fn sh_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A PowerShell single-quoted string: quote characters (ASCII and the typographic ones
/// PowerShell also accepts) are doubled.
pub fn ps_quote(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub(crate) fn comment_lines(text: &str, prefix: &str) -> String {
    wrap(text, 96)
        .iter()
        .map(|line| format!("{prefix}{line}\n"))
        .collect()
}

pub(crate) fn helm_major(flavor: HelmFlavor) -> &'static str {
    match flavor {
        HelmFlavor::V3 => "3",
        HelmFlavor::V4 => "4",
    }
}

/// `--atomic` (Helm 3) or its Helm 4 name `--rollback-on-failure`: a failed upgrade is rolled back.
pub(crate) fn rollback_flag(flavor: HelmFlavor) -> &'static str {
    match flavor {
        HelmFlavor::V3 => "--atomic",
        HelmFlavor::V4 => "--rollback-on-failure",
    }
}

fn unfilled(chart: &Chart, filled: &[FilledSecret]) -> Vec<String> {
    chart
        .secrets
        .iter()
        .filter(|spec| !filled.iter().any(|secret| secret.catalog_name == spec.name))
        .map(|spec| spec.name.clone())
        .collect()
}

/// The bash script.
pub fn commands_sh(it: &Evaluated, options: &ExportOptions) -> String {
    write_commands_sh(it, options, false)
}

/// The bash script for the screen: every secret value (and registry password) replaced by
/// `<redacted: N bytes>`; the downloaded script has them.
pub fn commands_sh_redacted(it: &Evaluated, options: &ExportOptions) -> String {
    write_commands_sh(it, options, true)
}

/// What a script or file that writes `count` Secrets' values says about them (the count, not the
/// names: a name comes from the answers and has no business in a comment).
pub(crate) fn secret_values_note(count: usize, keep: &str) -> String {
    match count {
        0 => "It holds no secret value: no Secret is filled in.".to_string(),
        1 => format!("It holds the values of 1 Secret: {keep}."),
        count => format!("It holds the values of {count} Secrets: {keep}."),
    }
}

/// The comment block both scripts start with: what they install, whether they hold secret values
/// (read from what they write), what they need.
fn script_header(
    it: &Evaluated,
    context: &ExportContext,
    options: &ExportOptions,
    values_file: &str,
) -> String {
    let chart = it.chart;
    let mut out = comment_lines(
        &format!(
            "Installs {} (chart {}) as release {} in namespace {}.",
            chart.name, chart.id, context.release, context.namespace
        ),
        "# ",
    );
    let filled = filled_secrets(it).len();
    let held = if options.sealed_secrets && filled > 0 {
        format!(
            "It holds no secret value: its Secrets are applied sealed, from {}.",
            super::SEALED_SECRETS_FILE
        )
    } else {
        secret_values_note(filled, "keep it private and delete it after use")
    };
    out.push_str(&comment_lines(
        &format!("Written by pe-configurator. {held}"),
        "# ",
    ));
    out.push_str(&comment_lines(
        &format!(
            "Needs kubectl (connected to the cluster) and Helm {}; keep {values_file} next to \
             this script.",
            helm_major(options.helm)
        ),
        "# ",
    ));
    out
}

fn redacted(text: &str) -> String {
    format!("<redacted: {} bytes>", text.len())
}

fn write_commands_sh(it: &Evaluated, options: &ExportOptions, redact: bool) -> String {
    let chart = it.chart;
    let context = ExportContext::new(it);
    let values_file = super::values_file_name(chart);
    let chart_ref = ChartRef::resolve(chart, options);
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&script_header(it, &context, options, &values_file));
    out.push_str("set -euo pipefail\n\n");

    out.push_str("SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
    out.push_str(&format!(
        "VALUES_FILE=\"$SCRIPT_DIR\"/{}\n",
        sh_quote(&values_file)
    ));
    out.push_str(&format!("NAMESPACE={}\n", sh_quote(&context.namespace)));
    let mut guards = Vec::new();
    if context.release_known {
        out.push_str(&format!("RELEASE={}\n", sh_quote(&context.release)));
    } else {
        out.push_str(&comment_lines(
            &format!(
                "The release name is not known yet ({}): set it here or export RELEASE.",
                chart.release.doc.trim()
            ),
            "# ",
        ));
        out.push_str("RELEASE=\"${RELEASE:-}\"\n");
        guards.push(("RELEASE", "the release name"));
    }
    match &chart_ref {
        ChartRef::Known { value, doc } => {
            if !doc.is_empty() {
                out.push_str(&comment_lines(doc, "# "));
            }
            out.push_str(&format!("CHART_REF={}\n", sh_quote(value)));
        }
        ChartRef::Unknown { hint } => {
            out.push_str(&comment_lines(
                &format!(
                    "The chart reference (repo/chart, .tgz URL or folder){}: set it here or \
                     export CHART_REF.",
                    hint.as_deref()
                        .map(|hint| format!("; the guide installs it from {hint}"))
                        .unwrap_or_default()
                ),
                "# ",
            ));
            out.push_str("CHART_REF=\"${CHART_REF:-}\"\n");
            guards.push(("CHART_REF", "the chart reference"));
        }
    }
    let version_flag = match options.chart_version.as_deref().map(str::trim) {
        Some(version) if !version.is_empty() => {
            out.push_str(&format!("CHART_VERSION={}\n", sh_quote(version)));
            " --version \"$CHART_VERSION\""
        }
        _ => "",
    };
    for (variable, what) in &guards {
        out.push_str(&format!(
            "if [ -z \"${variable}\" ]; then\n  echo {} >&2\n  exit 1\nfi\n",
            sh_quote(&format!(
                "commands.sh: set {variable} ({what}) at the top of this file or in the environment"
            ))
        ));
    }

    let install = InstallWords::of(chart, &context.namespace, options.helm, Shell::Bash);
    if chart.install.repo_login {
        out.push_str(REPO_LOGIN_SH);
    }
    out.push_str("\n# 1. The namespace (created when missing, left as it is otherwise)\n");
    out.push_str(&format!(
        "kubectl create namespace \"$NAMESPACE\" --dry-run=client -o yaml | {}kubectl apply -f -\n",
        install.label
    ));

    let filled = filled_secrets(it);
    if options.sealed_secrets {
        out.push_str(&sealed_step(&filled, |file| {
            format!("kubectl apply -f \"$SCRIPT_DIR\"/{}\n", sh_quote(file))
        }));
    } else {
        out.push_str("\n# 2. The secrets (created, or updated when they exist)\n");
        if filled.is_empty() {
            out.push_str("# No secret is filled in.\n");
        }
    }
    for secret in filled.iter().filter(|_| !options.sealed_secrets) {
        out.push_str(&secret_command(secret, &context.namespace, redact));
    }
    let missing = unfilled(chart, &filled);
    if !missing.is_empty() {
        out.push_str(&comment_lines(
            &format!(
                "Not filled in, create them yourself if the chart needs them: {}.",
                missing.join(", ")
            ),
            "# ",
        ));
    }

    out.push_str(
        "\n# 3. Render the chart with these values (installs nothing; stops here on an error)\n",
    );
    out.push_str(&format!(
        "helm template -n \"$NAMESPACE\" -f \"$VALUES_FILE\"{version_flag}{} -- \"$RELEASE\" \"$CHART_REF\" > /dev/null\n",
        install.login
    ));
    out.push_str("\n# 4. Install, or upgrade when the release exists (rolled back if it fails)\n");
    out.push_str(&format!(
        "helm upgrade --install -n \"$NAMESPACE\" -f \"$VALUES_FILE\"{version_flag}{}{} -- \"$RELEASE\" \"$CHART_REF\"\n",
        install.upgrade, install.login
    ));
    out
}

/// bash: the repository login the guide's install command uses, from the environment when given.
const REPO_LOGIN_SH: &str =
    "# The chart repository asks for a login (the guide's JFROG_USER and JFROG_PASSWORD): export\n\
# HELM_REPO_USERNAME and HELM_REPO_PASSWORD before running this script.\n\
REPO_LOGIN=()\n\
if [ -n \"${HELM_REPO_USERNAME:-}\" ]; then\n  \
REPO_LOGIN=(--username \"$HELM_REPO_USERNAME\" --password \"${HELM_REPO_PASSWORD:-}\")\n\
fi\n";

/// PowerShell: the same login, splatted into the helm calls.
const REPO_LOGIN_PS1: &str = "# The chart repository asks for a login (the guide's JFROG_USER and JFROG_PASSWORD): set\n\
# $env:HELM_REPO_USERNAME and $env:HELM_REPO_PASSWORD before running this script.\n\
$RepoLogin = @()\n\
if ($env:HELM_REPO_USERNAME) { $RepoLogin = @('--username', $env:HELM_REPO_USERNAME, '--password', $env:HELM_REPO_PASSWORD) }\n";

/// The parts of the guide's install command that are catalog data, as script words: the
/// namespace's labels (a `kubectl label --local` step of the namespace pipeline), the upgrade's
/// rollback flag and extra flags, and the repository login.
#[derive(Clone, Copy)]
enum Shell {
    Bash,
    PowerShell,
}

struct InstallWords {
    label: String,
    upgrade: String,
    login: &'static str,
}

impl InstallWords {
    fn of(chart: &Chart, namespace: &str, flavor: HelmFlavor, shell: Shell) -> InstallWords {
        let quote = match shell {
            Shell::Bash => sh_quote,
            Shell::PowerShell => ps_quote,
        };
        let labels = namespace_labels(namespace);
        let label = if labels.is_empty() {
            String::new()
        } else {
            let words: Vec<String> = labels.iter().map(|label| quote(label)).collect();
            format!("kubectl label --local -f - {} -o yaml | ", words.join(" "))
        };
        let mut upgrade = format!(" {}", rollback_flag(flavor));
        for flag in &chart.install.flags {
            upgrade.push(' ');
            upgrade.push_str(&quote(flag));
        }
        let login = match (chart.install.repo_login, shell) {
            (false, _) => "",
            (true, Shell::Bash) => " \"${REPO_LOGIN[@]}\"",
            (true, Shell::PowerShell) => " @RepoLogin",
        };
        InstallWords {
            label,
            upgrade,
            login,
        }
    }
}

/// The labels the guides give this namespace (`catalog/environment.yaml`), as `key=value`.
fn namespace_labels(namespace: &str) -> Vec<String> {
    crate::catalog::environment::environment_catalog()
        .ok()
        .and_then(|catalog| {
            catalog
                .namespace_labels
                .iter()
                .find(|entry| entry.namespace == namespace)
        })
        .map(|entry| {
            entry
                .labels
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Step 2 when the Secrets are sealed: apply sealed-secrets.yaml (next to the script), which
/// holds no value in the clear; the controller in the cluster turns it into the Secrets.
fn sealed_step(filled: &[FilledSecret], apply: impl Fn(&str) -> String) -> String {
    let mut out = String::from(
        "\n# 2. The secrets, sealed: the sealed-secrets controller opens them into Secrets\n",
    );
    if filled.is_empty() {
        out.push_str("# No secret is filled in.\n");
        return out;
    }
    // The count, not the names: a name comes from the values and has no business in a comment.
    out.push_str(&format!(
        "# Keep {} next to this script: {} SealedSecret(s).\n",
        super::SEALED_SECRETS_FILE,
        filled.len()
    ));
    out.push_str(&apply(super::SEALED_SECRETS_FILE));
    out
}

/// `kubectl create secret … --dry-run=client -o yaml | kubectl apply -f -`, one argument a line.
pub(crate) fn secret_command(secret: &FilledSecret, namespace: &str, redact: bool) -> String {
    // The name goes through the comment writer: a line break in it cannot start a command.
    let mut out = format!(
        "\n{}",
        comment_lines(&format!("Secret {}", secret.name), "# ")
    );
    if !redact && secret.keys.iter().any(|key| key.value.contains('\0')) {
        // No command-line argument can carry a NUL byte; the manifest can (base64).
        out.push_str("# It holds a NUL character, which no command-line argument can carry.\n");
        out.push_str("kubectl apply -f - <<'PECFG_SECRET_EOF'\n");
        out.push_str(&secret_manifest(
            &FilledSecret {
                doc: String::new(),
                ..secret.clone()
            },
            namespace,
            SecretEncoding::Data,
            false,
        ));
        out.push_str("PECFG_SECRET_EOF\n");
        return out;
    }
    let mut args: Vec<String> = Vec::new();
    let docker = match secret.keys.as_slice() {
        [key] if secret.secret_type == SecretType::DockerConfigJson => key.docker.as_ref(),
        _ => None,
    };
    if let Some(login) = docker {
        out.push_str(&format!(
            "kubectl create secret docker-registry {} -n \"$NAMESPACE\" \\\n",
            sh_quote(&secret.name)
        ));
        args.push(format!("--docker-server={}", sh_quote(&login.server)));
        args.push(format!("--docker-username={}", sh_quote(&login.username)));
        let password = if redact {
            redacted(&login.password)
        } else {
            login.password.clone()
        };
        args.push(format!("--docker-password={}", sh_quote(&password)));
        if !login.email.is_empty() {
            args.push(format!("--docker-email={}", sh_quote(&login.email)));
        }
    } else {
        out.push_str(&format!(
            "kubectl create secret generic {} -n \"$NAMESPACE\" \\\n",
            sh_quote(&secret.name)
        ));
        if secret.secret_type != SecretType::Opaque {
            args.push(format!("--type={}", sh_quote(secret.secret_type.as_str())));
        }
        for key in &secret.keys {
            let value = if redact {
                redacted(&key.value)
            } else {
                key.value.clone()
            };
            args.push(format!(
                "--from-literal={}={}",
                sh_quote(&key.key),
                sh_quote(&value)
            ));
        }
    }
    for arg in args {
        out.push_str(&format!("  {arg} \\\n"));
    }
    out.push_str("  --dry-run=client -o yaml | kubectl apply -f -\n");
    out
}

/// The PowerShell script. Secrets go through `kubectl apply` as base64 manifests in here-strings,
/// so no value passes through PowerShell's argument quoting to a native program.
pub fn commands_ps1(it: &Evaluated, options: &ExportOptions) -> String {
    let chart = it.chart;
    let context = ExportContext::new(it);
    let values_file = super::values_file_name(chart);
    let chart_ref = ChartRef::resolve(chart, options);
    let check = "if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }\n";
    let mut out = script_header(it, &context, options, &values_file);
    out.push_str("$ErrorActionPreference = 'Stop'\n\n");
    out.push_str(&format!(
        "$ValuesFile = Join-Path $PSScriptRoot {}\n",
        ps_quote(&values_file)
    ));
    out.push_str(&format!("$Namespace = {}\n", ps_quote(&context.namespace)));
    let mut guards = Vec::new();
    if context.release_known {
        out.push_str(&format!("$Release = {}\n", ps_quote(&context.release)));
    } else {
        out.push_str("# The release name is not known yet: set it here.\n$Release = ''\n");
        guards.push("$Release");
    }
    match &chart_ref {
        ChartRef::Known { value, .. } => {
            out.push_str(&format!("$ChartRef = {}\n", ps_quote(value)));
        }
        ChartRef::Unknown { hint } => {
            out.push_str(&comment_lines(
                &format!(
                    "The chart reference (repo/chart, .tgz URL or folder){}: set it here.",
                    hint.as_deref()
                        .map(|hint| format!("; the guide installs it from {hint}"))
                        .unwrap_or_default()
                ),
                "# ",
            ));
            out.push_str("$ChartRef = ''\n");
            guards.push("$ChartRef");
        }
    }
    let version_flag = match options.chart_version.as_deref().map(str::trim) {
        Some(version) if !version.is_empty() => {
            out.push_str(&format!("$ChartVersion = {}\n", ps_quote(version)));
            " --version $ChartVersion"
        }
        _ => "",
    };
    for variable in guards {
        out.push_str(&format!(
            "if (-not {variable}) {{ throw {} }}\n",
            ps_quote(&format!(
                "commands.ps1: set {variable} at the top of this file"
            ))
        ));
    }
    let install = InstallWords::of(chart, &context.namespace, options.helm, Shell::PowerShell);
    if chart.install.repo_login {
        out.push_str(REPO_LOGIN_PS1);
    }
    out.push_str("\n# 1. The namespace (created when missing, left as it is otherwise)\n");
    out.push_str(&format!(
        "kubectl create namespace $Namespace --dry-run=client -o yaml | {}kubectl apply -f -\n",
        install.label
    ));
    out.push_str(check);
    let filled = filled_secrets(it);
    if options.sealed_secrets {
        out.push_str(&sealed_step(&filled, |file| {
            format!(
                "kubectl apply -f (Join-Path $PSScriptRoot {})\n{check}",
                ps_quote(file)
            )
        }));
    } else {
        out.push_str("\n# 2. The secrets (created, or updated when they exist)\n");
        if filled.is_empty() {
            out.push_str("# No secret is filled in.\n");
        }
    }
    for secret in filled.iter().filter(|_| !options.sealed_secrets) {
        out.push('\n');
        out.push_str(&comment_lines(&format!("Secret {}", secret.name), "# "));
        out.push_str("@'\n");
        out.push_str(&secret_manifest(
            &FilledSecret {
                doc: String::new(),
                ..secret.clone()
            },
            &context.namespace,
            SecretEncoding::Data,
            false,
        ));
        out.push_str("'@ | kubectl apply -f -\n");
        out.push_str(check);
    }
    out.push_str(
        "\n# 3. Render the chart with these values (installs nothing; stops here on an error)\n",
    );
    out.push_str(&format!(
        "helm template -n $Namespace -f $ValuesFile{version_flag}{} -- $Release $ChartRef | Out-Null\n",
        install.login
    ));
    out.push_str(check);
    out.push_str("\n# 4. Install, or upgrade when the release exists (rolled back if it fails)\n");
    out.push_str(&format!(
        "helm upgrade --install -n $Namespace -f $ValuesFile{version_flag}{}{} -- $Release $ChartRef\n",
        install.upgrade, install.login
    ));
    out.push_str(check);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting() {
        assert_eq!(
            sh_quote("abc-1.2_x/y:z=w@v%u+t,s"),
            "abc-1.2_x/y:z=w@v%u+t,s"
        );
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote("$HOME `x` !a"), "'$HOME `x` !a'");
        assert_eq!(sh_quote("~"), "'~'");
        assert_eq!(ps_quote("it's ‘x’"), "'it''s ‘‘x’’'");
    }
}
