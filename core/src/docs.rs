//! The Markdown reference of a chart (helm-docs style tables), generated from its catalog.

use std::fmt::Write;

use crate::catalog::Chart;
use crate::kinds::display_value;
use crate::listing::{secret_inputs, source_text};

pub fn chart_markdown(chart: &Chart) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} (`{}`)\n", chart.name, chart.id);
    let _ = writeln!(out, "{}\n", chart.description);
    let _ = writeln!(out, "- Guide: `{}`", chart.guide);
    let _ = writeln!(
        out,
        "- Namespace: `{}` ({})",
        chart.namespace.value,
        source_text(chart, &chart.namespace.source)
    );
    let _ = writeln!(
        out,
        "- Release name: `{}`: {} ({})",
        chart.release.pattern,
        chart.release.doc,
        source_text(chart, &chart.release.source)
    );
    if let Some(chart_ref) = &chart.chart_ref {
        let _ = writeln!(
            out,
            "- Chart: `{}` ({})",
            chart_ref.value,
            source_text(chart, &chart_ref.source)
        );
    }
    let _ = writeln!(out, "- Parameters: {}\n", chart.params.len());

    for section in &chart.sections {
        let _ = writeln!(out, "## {}\n", section.title);
        if !section.doc.is_empty() {
            let _ = writeln!(out, "{}\n", section.doc);
        }
        let _ = writeln!(
            out,
            "| Key | Kind | Default | Required | Description | Source |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        for param in chart
            .params
            .iter()
            .filter(|param| param.section == section.id)
        {
            let default = match (&param.default, &param.prefill) {
                (Some(value), _) => format!("`{}`", table_cell(&inline_yaml(value))),
                // A value to set is not what the chart does without it.
                (None, Some(value)) => {
                    format!("— (set: `{}`)", table_cell(&inline_yaml(value)))
                }
                (None, None) => "—".into(),
            };
            let mut description = param.doc.clone();
            if !param.allowed.is_empty() {
                let allowed: Vec<String> = param.allowed.iter().map(display_value).collect();
                let _ = write!(description, " Allowed: {}.", allowed.join(", "));
            }
            if let Some(decision) = &param.decision {
                let _ = write!(description, " *Decision:* {decision}");
            }
            let checked_by = chart.rules_checking(&param.path);
            if !checked_by.is_empty() {
                let ids: Vec<String> = checked_by.iter().map(|id| format!("`{id}`")).collect();
                let _ = write!(description, " *Checked by:* {}.", ids.join(", "));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                param.path,
                param.kind.as_str(),
                default,
                if param.required { "yes" } else { "no" },
                table_cell(&description),
                source_text(chart, &param.source)
            );
        }
        out.push('\n');
    }

    if !chart.secrets.is_empty() {
        let _ = writeln!(out, "## Secrets\n");
        let _ = writeln!(
            out,
            "Secret values never go into values.yaml; they go into these Secrets.\n"
        );
        for secret in &chart.secrets {
            let _ = writeln!(
                out,
                "- `{}` ({}): {} ({})",
                secret.name,
                secret.secret_type.as_str(),
                secret.doc,
                source_text(chart, &secret.source)
            );
        }
        let _ = writeln!(out, "\n| Secret input | Kind | Required | Description |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for input in secret_inputs(chart) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                input.path,
                input.kind,
                if input.required { "yes" } else { "no" },
                table_cell(&input.doc)
            );
        }
        out.push('\n');
    }
    if !chart.commands.is_empty() {
        let _ = writeln!(out, "## Documented commands\n");
        for command in &chart.commands {
            let _ = writeln!(
                out,
                "- {} ({})\n\n  ```sh\n  {}\n  ```\n",
                command.doc,
                source_text(chart, &command.source),
                command.template.replace('\n', "\n  ")
            );
        }
    }
    if !chart.concepts.is_empty() {
        let _ = writeln!(out, "## Settings without a documented key\n");
        let _ = writeln!(
            out,
            "The guide describes these settings, but not the chart's key for them; they are not in the form and never written to values.yaml.\n"
        );
        for concept in &chart.concepts {
            let _ = writeln!(
                out,
                "- {}: {} *Decision:* {} ({})",
                concept.name,
                concept.doc,
                concept.decision,
                source_text(chart, &concept.source)
            );
        }
        out.push('\n');
    }
    if !chart.rules.is_empty() {
        let _ = writeln!(out, "## Rules checked\n");
        for rule in &chart.rules {
            let _ = writeln!(
                out,
                "- `{}` ({}, {}): {} ({})",
                rule.id,
                rule.verb.name(),
                rule.severity.as_str(),
                rule.doc,
                source_text(chart, &rule.source)
            );
        }
    }
    out
}

fn inline_yaml(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(text) => serde_json::to_string(text).unwrap_or_default(),
        other => display_value(other),
    }
}

/// Table cells cannot hold pipes or newlines.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
