//! Catalog doc text on screen: `backticked` words become inline code, the rest stays plain text.

use leptos::prelude::*;

/// Splits text on backticks: the odd pieces are code. An unmatched backtick is kept as text.
pub fn split_code_spans(text: &str) -> Vec<(bool, String)> {
    let pieces: Vec<&str> = text.split('`').collect();
    if pieces.len() % 2 == 0 {
        return vec![(false, text.to_string())];
    }
    pieces
        .iter()
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(index, piece)| (index % 2 == 1, piece.to_string()))
        .collect()
}

#[component]
pub fn DocText(text: String) -> impl IntoView {
    split_code_spans(&text)
        .into_iter()
        .map(|(is_code, piece)| {
            if is_code {
                view! { <code>{piece}</code> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// Where a catalog entry comes from: the guide by its title and the lines, the file name on
/// hover (the guides are files named by hash; their titles are what people know).
#[component]
pub fn GuideSource(
    chart: &'static pecfg_core::catalog::Chart,
    source: &'static pecfg_core::catalog::Source,
) -> impl IntoView {
    let citation = pecfg_core::listing::citation(chart, source);
    view! {
        <span class="field-source" title=citation.file_lines()>{citation.text()}</span>
    }
}

#[cfg(test)]
mod tests {
    use super::split_code_spans;

    #[test]
    fn backticks_mark_code_and_unmatched_ones_stay_text() {
        assert_eq!(
            split_code_spans("set `replicaCount` to 0"),
            vec![
                (false, "set ".into()),
                (true, "replicaCount".into()),
                (false, " to 0".into())
            ]
        );
        assert_eq!(
            split_code_spans("odd ` tick"),
            vec![(false, "odd ` tick".into())]
        );
        assert_eq!(split_code_spans("plain"), vec![(false, "plain".into())]);
    }
}
