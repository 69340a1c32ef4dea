//! The group as a picture: an SVG with a column per region, a box per unit (the primary marked, its cluster, each tenant on it with its charts, the unit's findings), and the findings across units underneath.
//!
//! Pure text out, like `environment::plan_svg`, and built the same way: every text from the group
//! goes through `environment::xml_text` (escaped, control characters shown as `�`, bounded);
//! no script, no external reference.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{GroupDiagnostic, ResolvedGroup, Role};
use crate::catalog::Severity;
use crate::environment::{xml_text, xml_text_within};

/// The picture's file name.
pub const GROUP_SVG: &str = "group.svg";

const BOX_WIDTH: usize = 340;
const GAP: usize = 24;
const LINE: usize = 18;
const MARGIN: usize = 16;
/// At most this many findings across units are listed under the picture (the report has all).
const MAX_LISTED: usize = 40;

struct Row {
    text: String,
    class: &'static str,
}

/// The picture as a `data:` URL for an `<img>` (the page's CSP forbids inline styles).
pub fn group_svg_data_url(group: &ResolvedGroup, diagnostics: &[GroupDiagnostic]) -> String {
    use base64::Engine as _;
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(group_svg(group, diagnostics))
    )
}

/// The picture of the group, with each unit's findings counted in its box and the findings across
/// units listed underneath.
pub fn group_svg(group: &ResolvedGroup, diagnostics: &[GroupDiagnostic]) -> String {
    // (errors, warnings) per unit, counted once over the findings.
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for diagnostic in diagnostics {
        for unit in &diagnostic.units {
            let count = counts.entry(unit.as_str()).or_default();
            match diagnostic.severity {
                Severity::Error => count.0 += 1,
                Severity::Warning => count.1 += 1,
            }
        }
    }
    let regions = group.regions();
    // Each region's column: its units' boxes, one under the other.
    // (primary, rows) per unit box.
    type UnitBox = (bool, Vec<Row>);
    let mut columns: Vec<(String, Vec<UnitBox>)> = Vec::new();
    for (region, units) in &regions {
        let mut boxes = Vec::new();
        for unit in units {
            let mut rows = vec![
                Row {
                    text: match unit.role {
                        Role::Primary => format!("★ {} (primary)", unit.name),
                        Role::Secondary => format!("{} (secondary)", unit.name),
                    },
                    class: "unit",
                },
                Row {
                    text: unit.cluster.shown(),
                    class: "detail",
                },
            ];
            for (fact, value) in &unit.facts {
                rows.push(Row {
                    text: format!("{fact}: {}", crate::kinds::display_value(value)),
                    class: "detail",
                });
            }
            if unit.environments.is_empty() {
                rows.push(Row {
                    text: "no tenant".to_string(),
                    class: "detail",
                });
            }
            for environment in &unit.environments {
                rows.push(Row {
                    text: format!(
                        "{}tenant {}",
                        if environment.master { "● " } else { "○ " },
                        environment.tenant
                    ),
                    class: "tenant",
                });
                let charts: Vec<&str> = environment
                    .resolved
                    .charts
                    .iter()
                    .map(|entry| entry.chart.id.as_str())
                    .collect();
                rows.push(Row {
                    text: format!("   {}", charts.join(", ")),
                    class: "detail",
                });
            }
            let (errors, warnings) = counts.get(unit.name.as_str()).copied().unwrap_or((0, 0));
            if errors > 0 {
                rows.push(Row {
                    text: format!("✗ {errors} error(s)"),
                    class: "error",
                });
            }
            if warnings > 0 {
                rows.push(Row {
                    text: format!("! {warnings} warning(s)"),
                    class: "warning",
                });
            }
            boxes.push((unit.role == Role::Primary, rows));
        }
        columns.push((region.clone(), boxes));
    }
    let across: Vec<&GroupDiagnostic> = diagnostics.iter().filter(|d| d.across_units).collect();
    let listed = across.len().min(MAX_LISTED);
    let column_height = |boxes: &Vec<UnitBox>| {
        boxes
            .iter()
            .map(|(_, rows)| LINE * (rows.len() + 1) + GAP)
            .sum::<usize>()
    };
    let tallest = columns
        .iter()
        .map(|(_, boxes)| column_height(boxes))
        .max()
        .unwrap_or(0);
    let top = MARGIN + LINE * 3;
    let width = MARGIN * 2 + columns.len().max(1) * (BOX_WIDTH + GAP) - GAP;
    let findings_top = top + tallest + GAP;
    let extra = usize::from(across.len() > listed);
    let height = findings_top + LINE * (listed + extra + 2) + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">"
    );
    out.push_str(
        "<style>.unit-box{fill:#f4f6fa;stroke:#5b6b8c}.primary-box{fill:#eef6ee;stroke:#276749;stroke-width:2}\
         .title{font-weight:bold}.region{font-weight:bold;fill:#1d2b4f}.unit{font-weight:bold;fill:#1d2b4f}\
         .tenant{fill:#1d2b4f}.detail{fill:#4a5568}.error{fill:#c53030;font-weight:bold}.warning{fill:#b7791f}</style>\n",
    );
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{}\" class=\"title\">Unit group {} — {} unit(s) in {} region(s); ★ primary, ● master of the tenant</text>",
        MARGIN + LINE,
        xml_text(&group.name),
        group.units.len(),
        regions.len()
    );
    for (index, (region, boxes)) in columns.iter().enumerate() {
        let x = MARGIN + index * (BOX_WIDTH + GAP);
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" class=\"region\">region {}</text>",
            top - LINE / 2,
            xml_text(region)
        );
        let mut y = top;
        for (primary, rows) in boxes {
            let box_height = LINE * (rows.len() + 1);
            let _ = writeln!(
                out,
                "<rect class=\"{}\" x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{box_height}\" rx=\"8\"/>",
                if *primary { "primary-box" } else { "unit-box" }
            );
            for (line, row) in rows.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" class=\"{}\">{}</text>",
                    x + 12,
                    y + LINE * (line + 1),
                    row.class,
                    xml_text(&row.text)
                );
            }
            y += box_height + GAP;
        }
    }
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{findings_top}\" class=\"title\">Across units: {} finding(s)</text>",
        across.len()
    );
    for (line, diagnostic) in across.iter().take(listed).enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" class=\"{}\">{}</text>",
            findings_top + LINE * (line + 1),
            diagnostic.severity.as_str(),
            xml_text_within(
                &format!(
                    "{} [{}] {}",
                    diagnostic.rule,
                    diagnostic.where_shown(),
                    diagnostic.message
                ),
                160
            )
        );
    }
    if across.len() > listed {
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" class=\"detail\">… and {} more (group-report.txt)</text>",
            findings_top + LINE * (listed + 1),
            across.len() - listed
        );
    }
    out.push_str("</svg>\n");
    out
}
