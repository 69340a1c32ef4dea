//! The plan as a picture: an SVG with one box per namespace, the charts inside in deployment order, the Secrets each reads (missing ones marked) and the findings of the checks, and the shared facts underneath.
//!
//! Pure text out, like every exporter: the page can show it as it is and `pecfg plan` writes it
//! as `plan.svg`. Every text from the environment goes through [`xml_text`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{EnvDiagnostic, Resolved};
use crate::catalog::Severity;
use crate::export::{filled_secrets, ExportContext};

pub const PLAN_SVG: &str = "plan.svg";

const BOX_WIDTH: usize = 320;
const GAP: usize = 24;
const LINE: usize = 18;
const MARGIN: usize = 16;

/// Text for an SVG text node: XML's five characters escaped, control characters shown as `�`,
/// and at most 44 characters (a box is that wide).
pub fn xml_text(text: &str) -> String {
    xml_text_within(text, 44)
}

/// [`xml_text`] with another bound: at most `limit` characters, then `…`.
pub(crate) fn xml_text_within(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == limit {
            out.push('…');
            break;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One line inside a box.
struct Row {
    text: String,
    class: &'static str,
}

/// The picture as a `data:` URL for an `<img>`: the page's CSP forbids inline styles, and an
/// image cannot run anything, so the page shows the same bytes `plan.svg` holds.
pub fn plan_svg_data_url(resolved: &Resolved, diagnostics: &[EnvDiagnostic]) -> String {
    use base64::Engine as _;
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(plan_svg(resolved, diagnostics))
    )
}

/// The picture of the plan, with the findings of `diagnostics` shown at their charts.
pub fn plan_svg(resolved: &Resolved, diagnostics: &[EnvDiagnostic]) -> String {
    // Namespaces in deployment order, each with its charts' rows.
    let mut namespaces: Vec<(String, Vec<Row>)> = Vec::new();
    for entry in &resolved.charts {
        let context = ExportContext::new(&entry.evaluated());
        let mut rows = vec![
            Row {
                text: format!(
                    "{}. {} (step {})",
                    index_of(resolved, &entry.chart.id),
                    entry.chart.id,
                    entry.step
                ),
                class: "chart",
            },
            Row {
                text: entry.chart.name.clone(),
                class: "detail",
            },
            Row {
                text: format!("release {}", context.release),
                class: "detail",
            },
        ];
        let filled = filled_secrets(&entry.evaluated());
        for spec in &entry.chart.secrets {
            match filled
                .iter()
                .find(|secret| secret.catalog_name == spec.name)
            {
                Some(secret) => rows.push(Row {
                    text: format!("● Secret {}", secret.name),
                    class: "secret",
                }),
                None => rows.push(Row {
                    text: format!("○ Secret {} not filled in", spec.name),
                    class: "missing",
                }),
            }
        }
        let mine = |severity: Severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity && d.charts.iter().any(|c| c == &entry.chart.id))
                .count()
        };
        let (errors, warnings) = (mine(Severity::Error), mine(Severity::Warning));
        if errors > 0 {
            rows.push(Row {
                text: format!("✗ {errors} error(s): not installable yet"),
                class: "error",
            });
        }
        if warnings > 0 {
            rows.push(Row {
                text: format!("! {warnings} warning(s)"),
                class: "warning",
            });
        }
        rows.push(Row {
            text: String::new(),
            class: "detail",
        });
        match namespaces
            .iter_mut()
            .find(|(name, _)| name == &context.namespace)
        {
            Some((_, existing)) => existing.extend(rows),
            None => namespaces.push((context.namespace.clone(), rows)),
        }
    }
    let tallest = namespaces
        .iter()
        .map(|(_, rows)| rows.len())
        .max()
        .unwrap_or(0);
    let box_height = LINE * (tallest + 2);
    let mut shared: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for applied in &resolved.applied {
        let charts = shared.entry(applied.fact.as_str()).or_default();
        if !charts.contains(&applied.chart.as_str()) {
            charts.push(&applied.chart);
        }
    }
    let width = MARGIN * 2 + namespaces.len().max(1) * (BOX_WIDTH + GAP) - GAP;
    let shared_top = MARGIN + LINE * 2 + box_height + GAP;
    let height = shared_top + LINE * (shared.len() + resolved.overridden.len() + 2) + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">"
    );
    out.push_str(
        "<style>.ns{fill:#f4f6fa;stroke:#5b6b8c}.title{font-weight:bold}.chart{font-weight:bold;fill:#1d2b4f}\
         .detail{fill:#4a5568}.secret{fill:#276749}.missing{fill:#b7791f}.error{fill:#c53030;font-weight:bold}\
         .warning{fill:#b7791f}.arrow{stroke:#5b6b8c;stroke-width:2;marker-end:url(#head)}</style>\n",
    );
    out.push_str(
        "<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"6\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#5b6b8c\"/></marker></defs>\n",
    );
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{}\" class=\"title\">Environment {} — install order left to right</text>",
        MARGIN + LINE,
        xml_text(&resolved.name)
    );
    let top = MARGIN + LINE * 2;
    for (index, (namespace, rows)) in namespaces.iter().enumerate() {
        let x = MARGIN + index * (BOX_WIDTH + GAP);
        let _ = writeln!(
            out,
            "<rect class=\"ns\" x=\"{x}\" y=\"{top}\" width=\"{BOX_WIDTH}\" height=\"{box_height}\" rx=\"8\"/>"
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" class=\"title\">namespace {}</text>",
            x + 12,
            top + LINE,
            xml_text(namespace)
        );
        for (line, row) in rows.iter().enumerate() {
            if row.text.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" class=\"{}\">{}</text>",
                x + 12,
                top + LINE * (line + 2) + 4,
                row.class,
                xml_text(&row.text)
            );
        }
        if index + 1 < namespaces.len() {
            let y = top + box_height / 2;
            let _ = writeln!(
                out,
                "<line class=\"arrow\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
                x + BOX_WIDTH + 2,
                x + BOX_WIDTH + GAP - 4
            );
        }
    }
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{shared_top}\" class=\"title\">Shared facts (given once)</text>"
    );
    for (line, (fact, charts)) in shared.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" class=\"detail\">{} → {}</text>",
            shared_top + LINE * (line + 1),
            xml_text(fact),
            xml_text(&charts.join(", "))
        );
    }
    for (line, overridden) in resolved.overridden.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" class=\"warning\">{} keeps its own {}</text>",
            shared_top + LINE * (shared.len() + line + 1),
            xml_text(&overridden.chart),
            xml_text(&format!("{} ({})", overridden.target, overridden.fact))
        );
    }
    out.push_str("</svg>\n");
    out
}

fn index_of(resolved: &Resolved, chart_id: &str) -> usize {
    resolved
        .charts
        .iter()
        .position(|entry| entry.chart.id == chart_id)
        .map_or(0, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_bounded() {
        assert_eq!(
            xml_text("a<b>&\"'\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}"
        );
        assert_eq!(xml_text(&"x".repeat(50)).chars().count(), 45);
    }
}
