//! The files a chart session exports, as downloaded and as previewed: which values a preview masks, the guard line a masked preview starts with, whether Copy may hand it out, and the one export decision.

use serde::Serialize;

use super::ChartSession;
use crate::export::{
    blocking_reasons, commands_ps1, commands_sh, commands_sh_redacted, render_files, secrets_yaml,
    secrets_yaml_redacted, values_file_name, values_schema_json, values_yaml, values_yaml_masked,
    zip_bytes, zip_name, ExportOptions, COMMANDS_FILE, COMMANDS_PS1_FILE, SCHEMA_FILE,
    SECRETS_FILE,
};
use crate::mask::{guard_preview, redacted_secrets, PreviewKind};
use crate::validation::Evaluated;

/// Why Copy refuses a masked preview.
const MASKED_COPY: &str = "the preview hides secret values; tick \"Show secret values\" to copy \
                           the real file, or download it";

/// A file of one chart's export (sealed-secrets.yaml is apart: it needs the controller's
/// certificate and randomness, see `export::sealed_secrets_yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFile {
    Values,
    Secrets,
    Commands,
    PowerShell,
    Schema,
}

impl ExportFile {
    pub const ALL: [ExportFile; 5] = [
        ExportFile::Values,
        ExportFile::Secrets,
        ExportFile::Commands,
        ExportFile::PowerShell,
        ExportFile::Schema,
    ];

    /// The file's name for this chart.
    pub fn name(self, chart_id: &str) -> String {
        match self {
            ExportFile::Values => format!("{chart_id}-values.yaml"),
            ExportFile::Secrets => SECRETS_FILE.to_string(),
            ExportFile::Commands => COMMANDS_FILE.to_string(),
            ExportFile::PowerShell => COMMANDS_PS1_FILE.to_string(),
            ExportFile::Schema => SCHEMA_FILE.to_string(),
        }
    }
}

/// A file as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Preview {
    pub name: String,
    /// The text shown: the file itself, or (values hidden) a guarded preview whose first line
    /// makes it fail if run or applied.
    pub text: String,
    /// True when the text is not the file (values are hidden): Copy must not hand it out.
    pub masked: bool,
}

impl ChartSession<'_> {
    /// Why the files may not be written (downloaded, copied, saved by `pecfg render`): every
    /// error, and export options that cannot go into a script. Empty: exporting is allowed.
    pub fn blocking_reasons(&self, options: &ExportOptions) -> Vec<String> {
        blocking_reasons(self.diagnostics(), options)
    }

    /// The real file.
    pub fn file(&self, file: ExportFile, options: &ExportOptions) -> (String, String) {
        let it = self.evaluated();
        let text = match file {
            ExportFile::Values => values_yaml(&it, options.values_mode),
            ExportFile::Secrets => secrets_yaml(&it, options.secret_encoding),
            ExportFile::Commands => commands_sh(&it, options),
            ExportFile::PowerShell => commands_ps1(&it, options),
            ExportFile::Schema => values_schema_json(self.chart),
        };
        (file.name(&self.chart.id), text)
    }

    /// values.yaml as the preview shows it (see [`ChartSession::preview`]): the one file the
    /// page's first module writes itself, so it names no other exporter.
    pub fn values_preview(&self, options: &ExportOptions, reveal: bool) -> Preview {
        let it = self.evaluated();
        let name = self.values_file_name();
        let real = values_yaml(&it, options.values_mode);
        if reveal {
            return Preview {
                name,
                text: real,
                masked: false,
            };
        }
        let shown = values_yaml_masked(&it, options.values_mode);
        Preview {
            name,
            masked: shown != real,
            text: guard_preview(PreviewKind::Yaml, shown, &real),
        }
    }

    /// The file as a preview shows it: secret values and `sensitive` values hidden unless
    /// `reveal`, and then a guard line on top whenever the text is not the real file.
    pub fn preview(&self, file: ExportFile, options: &ExportOptions, reveal: bool) -> Preview {
        if file == ExportFile::Values {
            return self.values_preview(options, reveal);
        }
        let (name, real) = self.file(file, options);
        if reveal {
            return Preview {
                name,
                text: real,
                masked: false,
            };
        }
        let it = self.evaluated();
        let (kind, shown) = match file {
            ExportFile::Values => return self.values_preview(options, reveal),
            ExportFile::Secrets => (
                PreviewKind::Yaml,
                secrets_yaml_redacted(&it, options.secret_encoding),
            ),
            ExportFile::Commands => (PreviewKind::Shell, commands_sh_redacted(&it, options)),
            ExportFile::PowerShell => {
                // The secrets replaced, the values as they are: the evaluation is the same one.
                let redacted = redacted_secrets(self.answers());
                let it = Evaluated::new(self.chart, &redacted, self.evaluation());
                (PreviewKind::PowerShell, commands_ps1(&it, options))
            }
            ExportFile::Schema => {
                return Preview {
                    name,
                    text: real,
                    masked: false,
                }
            }
        };
        let masked = shown != real;
        Preview {
            name,
            text: guard_preview(kind, shown, &real),
            masked,
        }
    }

    /// The text Copy puts on the clipboard: the real file, only while exporting is allowed and
    /// the preview on screen is that file (a masked preview would hand out placeholders).
    pub fn copy_text(
        &self,
        file: ExportFile,
        options: &ExportOptions,
        reveal: bool,
    ) -> Result<String, String> {
        if let Some(reason) = self.blocking_reasons(options).first() {
            return Err(format!("exports are disabled: {reason}"));
        }
        let preview = self.preview(file, options, reveal);
        if preview.masked {
            return Err(MASKED_COPY.into());
        }
        Ok(preview.text)
    }

    /// The files of "download all" and `pecfg render`, in their order.
    pub fn files(&self, options: &ExportOptions) -> Vec<(String, String)> {
        render_files(&self.evaluated(), options)
    }

    /// `<chart>-<release>.zip` and its bytes: [`ChartSession::files`] and any `extra` file
    /// (sealed-secrets.yaml).
    pub fn zip(&self, options: &ExportOptions, extra: Vec<(String, String)>) -> (String, Vec<u8>) {
        let mut files = self.files(options);
        files.extend(extra);
        (zip_name(&self.evaluated()), zip_bytes(&files))
    }

    /// `<chart>-values.yaml`.
    pub fn values_file_name(&self) -> String {
        values_file_name(self.chart)
    }

    /// What Copy of values.yaml puts on the clipboard (see [`ChartSession::copy_text`]).
    pub fn values_copy_text(
        &self,
        options: &ExportOptions,
        reveal: bool,
    ) -> Result<String, String> {
        if let Some(reason) = self.blocking_reasons(options).first() {
            return Err(format!("exports are disabled: {reason}"));
        }
        let preview = self.values_preview(options, reveal);
        if preview.masked {
            return Err(MASKED_COPY.into());
        }
        Ok(preview.text)
    }

    /// "Save answers": the answers file of the user's own answers, without a secret value, and
    /// a header saying which secret inputs it leaves out and what `pecfg render` then needs.
    pub fn saved_answers(&self) -> (String, String) {
        let own = crate::share::without_secrets(self.own_answers());
        let mut text = String::new();
        let secret_keys: Vec<String> = self
            .chart
            .secrets
            .iter()
            .flat_map(|spec| {
                spec.keys
                    .iter()
                    .filter(|key| key.required)
                    .map(move |key| format!("{}/{}", spec.name, key.key))
            })
            .collect();
        text.push_str(&format!(
            "# pe-configurator answers for {} (chart {}): no secret value is saved here.\n",
            self.chart.name, self.chart.id
        ));
        if !secret_keys.is_empty() {
            text.push_str(&crate::export::comment_block(&format!(
                "Before `pecfg render`, add the secret values under `secrets:` (secret name -> key -> \
                 value), or render with --force and create the Secrets yourself. This chart's \
                 required keys: {}.",
                secret_keys.join(", ")
            )));
        }
        // Credentials the chart reads from values (IXN's database passwords) are left out like
        // secrets: say which, so that `pecfg render` refusing them is no surprise.
        let withheld: Vec<&str> = self
            .chart
            .params
            .iter()
            .filter(|param| crate::mask::holds_credential(param, &self.own_answers().values))
            .map(|param| param.path.as_str())
            .collect();
        if !withheld.is_empty() {
            text.push_str(&crate::export::comment_block(&format!(
                "Credentials given as values are left out too: add them under `values:` before \
                 `pecfg render`: {}.",
                withheld.join(", ")
            )));
        }
        text.push_str(&crate::answers::answers_yaml(&own));
        (format!("{}-answers.yaml", self.chart.id), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::registry::chart;
    use crate::session::Change;
    use serde_yaml::Value;

    const NODE_DB: &str = "ixnService.ixnNode.secrets.db.password";

    #[test]
    fn saved_answers_name_the_credentials_they_leave_out() {
        let ixn = chart("ixn").expect("ixn");
        let mut session = super::super::ChartSession::fresh(ixn);
        session
            .apply(Change::Set {
                path: NODE_DB.into(),
                value: Value::from("node-pass-55"),
            })
            .expect("set");
        let (name, text) = session.saved_answers();
        assert_eq!(name, "ixn-answers.yaml");
        assert!(!text.contains("node-pass-55"), "{text}");
        assert!(
            text.contains("Credentials given as values are left out too"),
            "{text}"
        );
        assert!(text.contains(NODE_DB), "{text}");
        // Nothing withheld, nothing said.
        let fresh = super::super::ChartSession::fresh(ixn).saved_answers().1;
        assert!(!fresh.contains("left out too"), "{fresh}");
    }

    #[test]
    fn a_sensitive_value_is_masked_in_the_preview_and_copy_refuses_it() {
        let ixn = chart("ixn").expect("ixn");
        let mut session = super::super::ChartSession::fresh(ixn);
        session
            .apply(Change::Set {
                path: NODE_DB.into(),
                value: Value::from("node-pass-55"),
            })
            .expect("set");
        let options = ExportOptions::default();
        let preview = session.preview(ExportFile::Values, &options, false);
        assert!(preview.masked);
        assert!(!preview.text.contains("node-pass-55"));
        assert!(preview
            .text
            .starts_with(crate::mask::guard_line(PreviewKind::Yaml)));
        let shown = session.preview(ExportFile::Values, &options, true);
        assert!(!shown.masked && shown.text.contains("node-pass-55"));
        assert_eq!(shown.text, session.file(ExportFile::Values, &options).1);
        let refused = session.copy_text(ExportFile::Values, &options, false);
        assert!(refused.is_err());
    }
}
