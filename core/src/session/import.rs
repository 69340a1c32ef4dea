//! Any text a user brings to a chart (a file, a drop, a paste): read once through the input boundary, taken as the kind of file it is (a values.yaml, an answers file, Secret manifests), and turned into the change it makes and the report on it.

use serde::Serialize;
use serde_yaml::Value;

use super::Change;
use crate::answers::parse_answers;
use crate::catalog::registry::{chart as registry_chart, chart_ids};
use crate::catalog::Chart;
use crate::import::{import_values, report_on_values, secrets_from_manifests, ImportReport};

/// What an imported text was taken as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// A Helm values file: merged into the chart's overrides.
    ValuesFile,
    /// The product's answers file: replaces the answers of the chart it names.
    AnswersFile,
    /// Kubernetes Secret manifests: their values fill the chart's secret inputs.
    SecretManifests,
}

impl ImportKind {
    /// How the page and the CLI name it.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::ValuesFile => "a values.yaml",
            ImportKind::AnswersFile => "an answers file",
            ImportKind::SecretManifests => "Secret manifests",
        }
    }
}

/// A text read and taken as one kind of file: the chart it applies to, the change to make, and
/// what to tell the user.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Imported {
    pub kind: ImportKind,
    /// The chart the change is for: the one imported into, or the one an answers file names.
    pub chart: String,
    /// One sentence on what importing did.
    pub summary: String,
    pub report: ImportReport,
    /// The report as the page lists it and the CLI prints it, one line per finding.
    pub lines: Vec<ReportLine>,
    /// The change importing makes, for the session of `chart`.
    pub change: Change,
}

/// What a line of an import report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// A plain scalar Helm reads as another type (`0100` is 64).
    Retyped,
    /// A map whose `<<` merge keys were applied.
    Merged,
    /// A key the catalog does not know (kept, written back as it is).
    Unknown,
    /// A known key whose value does not fit its kind.
    Type,
    /// A value equal to the chart default (it can be dropped).
    Default,
}

impl ReportKind {
    /// The word the CLI starts the line with.
    pub fn word(self) -> &'static str {
        match self {
            ReportKind::Retyped => "retyped",
            ReportKind::Merged => "merged",
            ReportKind::Unknown => "unknown",
            ReportKind::Type => "type",
            ReportKind::Default => "default",
        }
    }
}

/// One finding of an import report, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReportLine {
    pub kind: ReportKind,
    pub text: String,
}

/// The report of values read from a file, line by line, in the order the CLI prints them.
pub fn report_lines(chart: &Chart, values: &Value, report: &ImportReport) -> Vec<ReportLine> {
    let line = |kind, text| ReportLine { kind, text };
    let mut lines: Vec<ReportLine> = crate::import::retyped_explanations(chart, values, report)
        .into_iter()
        .map(|text| line(ReportKind::Retyped, text))
        .collect();
    lines.extend(
        report
            .merged
            .iter()
            .map(|path| line(ReportKind::Merged, crate::import::explain_merged(path))),
    );
    lines.extend(report.unknown.iter().map(|unknown| {
        line(
            ReportKind::Unknown,
            match &unknown.suggestion {
                Some(best) => format!("{}: kept as it is (did you mean `{best}`?)", unknown.path),
                None => format!("{}: kept as it is", unknown.path),
            },
        )
    }));
    lines.extend(report.type_mismatches.iter().map(|mismatch| {
        line(
            ReportKind::Type,
            format!("{}: expected {}", mismatch.path, mismatch.expected),
        )
    }));
    lines.extend(report.equal_to_default.iter().map(|path| {
        line(
            ReportKind::Default,
            format!("{path}: equal to the chart default"),
        )
    }));
    lines
}

impl Imported {
    /// `N retyped, N merged, N unknown, N type mismatches, N equal to the default`.
    pub fn counts(&self) -> String {
        format!(
            "{} retyped, {} merged, {} unknown, {} type mismatches, {} equal to the default",
            self.report.retyped.len(),
            self.report.merged.len(),
            self.report.unknown.len(),
            self.report.type_mismatches.len(),
            self.report.equal_to_default.len()
        )
    }
}

/// The keys an answers file may hold at its top level.
const ANSWERS_KEYS: [&str; 5] = ["chart", "release", "namespace", "values", "secrets"];

/// Reads `text` for `chart` and decides what it is, by its structure as YAML: a document with
/// `kind: Secret` makes Secret manifests; one map whose keys are an answers file's, `chart`
/// among them, is an answers file; anything else is a values file. A byte-order mark (as
/// Windows tools write) is ignored. A refusal says why and names places, never values.
pub fn read_import(chart: &Chart, text: &str) -> Result<Imported, String> {
    let text = crate::text::without_bom(text);
    let documents = match crate::yaml::read::read_yaml_documents(text) {
        Ok(documents) => documents,
        // Unreadable as documents, it is refused as the values file it most likely is: the
        // values reader's message (its depth limit is the values', not a document's).
        Err(error) => {
            return Err(crate::import::import_values(chart, text)
                .err()
                .unwrap_or_else(|| error.to_string()))
        }
    };
    let is_secret =
        |document: &Value| document.get("kind").and_then(Value::as_str) == Some("Secret");
    if documents.iter().any(is_secret) {
        let secrets = secrets_from_manifests(chart, text)?;
        let count = secrets.values().map(|keys| keys.len()).sum::<usize>();
        if count == 0 {
            return Err(format!(
                "the manifests hold no Secret of {} (it reads {})",
                chart.name,
                chart
                    .secrets
                    .iter()
                    .map(|spec| spec.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return Ok(Imported {
            kind: ImportKind::SecretManifests,
            chart: chart.id.clone(),
            summary: format!(
                "Filled {count} secret {} from the Secret manifests.",
                if count == 1 { "key" } else { "keys" }
            ),
            report: ImportReport::default(),
            lines: Vec::new(),
            change: Change::FillSecrets(secrets),
        });
    }
    let answers_file = matches!(documents.as_slice(), [Value::Mapping(map)]
        if map.get("chart").is_some_and(Value::is_string)
            && map.keys().all(|key| key.as_str().is_some_and(|key| ANSWERS_KEYS.contains(&key))));
    if answers_file {
        let answers = parse_answers(text)?;
        // Checked before anything changes: a change must not go to a chart nobody can show.
        let target = registry_chart(&answers.chart).ok_or_else(|| {
            format!(
                "the answers file names the chart `{}`, which this version does not know \
                 (charts: {})",
                answers.chart.chars().take(40).collect::<String>(),
                chart_ids().join(", ")
            )
        })?;
        let report = report_on_values(target, &answers.values);
        return Ok(Imported {
            kind: ImportKind::AnswersFile,
            chart: target.id.clone(),
            summary: format!("Loaded the answers file for {}.", target.name),
            lines: report_lines(target, &answers.values, &report),
            report,
            change: Change::Replace(answers),
        });
    }
    let (values, report) = import_values(chart, text)?;
    Ok(Imported {
        kind: ImportKind::ValuesFile,
        chart: chart.id.clone(),
        summary: format!("Imported the values file into {}.", chart.name),
        lines: report_lines(chart, &values, &report),
        report,
        change: Change::MergeValues(values),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ixn() -> &'static Chart {
        registry_chart("ixn").expect("ixn")
    }

    #[test]
    fn text_too_deep_for_a_document_is_refused_as_a_values_file_is() {
        let deep: String = (0..300)
            .map(|depth| format!("{}k{depth}:\n", "  ".repeat(depth)))
            .collect();
        let refused = read_import(ixn(), &deep).expect_err("refused");
        assert!(
            refused.contains("nested deeper than 120 levels"),
            "{refused}"
        );
    }

    #[test]
    fn each_kind_is_told_by_its_structure() {
        let values = read_import(
            ixn(),
            "replicaCount: 1\nchart: not-an-answers-key-alone\nx: 1\n",
        )
        .expect("values");
        assert_eq!(values.kind, ImportKind::ValuesFile);
        let answers =
            read_import(ixn(), "chart: ixn\nvalues: {replicaCount: 1}\n").expect("answers");
        assert_eq!(answers.kind, ImportKind::AnswersFile);
        // An answers file with `chart:` but no `values:` is still one (the old sniffing missed it).
        let bare = read_import(ixn(), "chart: ges\nrelease: ges\n").expect("answers");
        assert_eq!(
            (bare.kind, bare.chart.as_str()),
            (ImportKind::AnswersFile, "ges")
        );
        let secrets = read_import(
            ixn(),
            "apiVersion: v1\nkind: Secret\nmetadata: {name: redis-ors-secret}\nstringData: {voice-redis-ors-stream: '{\"password\": \"p\"}'}\n",
        )
        .expect("a Secret of the chart");
        assert_eq!(secrets.kind, ImportKind::SecretManifests);
        assert!(
            matches!(&secrets.change, Change::FillSecrets(filled) if filled.contains_key("redis-ors-secret"))
        );
        let foreign = read_import(ixn(), "kind: Secret\nmetadata: {name: other}\ndata: {}\n");
        assert!(foreign.is_err_and(|message| message.contains("no Secret of")));
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let answers = read_import(ixn(), "\u{feff}chart: ixn\nvalues: {replicaCount: 1}\n")
            .expect("a BOM is not part of the first key");
        assert_eq!(answers.kind, ImportKind::AnswersFile);
    }

    #[test]
    fn an_unknown_chart_is_refused_before_anything_changes() {
        let refused = read_import(ixn(), "chart: nope\nvalues: {}\n");
        assert!(refused.is_err_and(|message| message.contains("does not know")));
    }
}
