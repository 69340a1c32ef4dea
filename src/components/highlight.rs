//! Syntax colouring of the export previews (YAML, shell, JSON), as escaped HTML with a few spans: comments, keys and strings.
//!
//! Each line is one HTML string, not one node per token, so that long files stay cheap to
//! refresh; [`HighlightedCode`] replaces only the lines that changed, since a keystroke changes
//! a line or two of a file that can run to hundreds (the full values.yaml).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn span(class: &str, text: &str) -> String {
    format!("<span class=\"{class}\">{}</span>", escape(text))
}

/// One line of YAML or shell: a whole-line comment, a `key:` prefix, or plain text.
fn highlight_line(line: &str) -> String {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return span("hl-comment", line);
    }
    // A mapping key: optional indent and list dash, then a plain key followed by ':' and a space or the end.
    let body_start = line.len() - trimmed.len();
    let after_dash = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let key_start = line.len() - after_dash.len();
    if let Some(colon) = after_dash.find(':') {
        let key = &after_dash[..colon];
        let rest = &after_dash[colon + 1..];
        let plain_key = !key.is_empty() && !key.contains([' ', '#', '\'', '"', '{', '[', '$'])
            || (key.starts_with('"') && key.ends_with('"') && key.len() > 1);
        if plain_key && (rest.is_empty() || rest.starts_with(' ')) {
            return format!(
                "{}{}:{}",
                escape(&line[..key_start.max(body_start)]),
                span("hl-key", key),
                escape(rest)
            );
        }
    }
    escape(line)
}

/// The preview as one HTML string per line, each but the last with its line break, so that the
/// lines' text put together is the file.
pub fn highlight_lines(text: &str) -> Vec<String> {
    let count = text.split('\n').count();
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            let mut html = highlight_line(line);
            if index + 1 < count {
                html.push('\n');
            }
            html
        })
        .collect()
}

/// How many lines at the start and at the end two versions share (never overlapping), so that
/// only the lines between are replaced.
pub fn common_ends(old: &[String], new: &[String]) -> (usize, usize) {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    (prefix, suffix)
}

/// A `<code>` holding `text` coloured, one `<span>` per line; on a change it replaces only the
/// lines between the unchanged start and end, so the browser re-lays out and repaints those
/// (the keystroke's cost does not grow with the file).
#[component]
pub fn HighlightedCode(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let code = NodeRef::<leptos::html::Code>::new();
    // The element the lines were written into, and those lines' HTML.
    let shown: Rc<RefCell<(Option<web_sys::Element>, Vec<String>)>> = Rc::default();
    Effect::new(move |_| {
        let lines = text.with(|text| highlight_lines(text));
        let Some(element) = code.get() else {
            return;
        };
        let element: web_sys::Element = element.unchecked_into();
        let mut shown = shown.borrow_mut();
        if shown.0.as_ref() != Some(&element) {
            element.set_inner_html("");
            *shown = (Some(element.clone()), Vec::new());
        }
        let (prefix, suffix) = common_ends(&shown.1, &lines);
        let Some(document) = element.owner_document() else {
            return;
        };
        let children = element.children();
        // Out with the changed lines (from the last, so the indexes hold), in with the new ones.
        for index in (prefix..shown.1.len() - suffix).rev() {
            if let Some(child) = children.item(index as u32) {
                child.remove();
            }
        }
        let before = children.item(prefix as u32);
        for line in &lines[prefix..lines.len() - suffix] {
            if let Ok(span) = document.create_element("span") {
                span.set_inner_html(line);
                let _ =
                    element.insert_before(&span, before.as_ref().map(|node| node.unchecked_ref()));
            }
        }
        shown.1 = lines;
    });
    view! { <code node_ref=code></code> }
}

/// The whole preview as HTML.
pub fn highlight_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&highlight_line(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{common_ends, highlight_html, highlight_lines};

    #[test]
    fn lines_put_together_are_the_file_and_only_changed_lines_differ() {
        let old = highlight_lines("a: 1\nb: 2\nc: 3");
        assert_eq!(old.concat(), highlight_html("a: 1\nb: 2\nc: 3"));
        let new = highlight_lines("a: 1\nb: 22\nc: 3");
        assert_eq!(common_ends(&old, &new), (1, 1));
        let longer = highlight_lines("a: 1\nb: 2\nc: 3\nd: 4");
        // The old last line gained its line break, so it changed too.
        assert_eq!(common_ends(&old, &longer), (2, 0));
        let same = highlight_lines("x\nx\nx");
        assert_eq!(common_ends(&same, &highlight_lines("x\nx")), (1, 1));
        assert_eq!(common_ends(&[], &old), (0, 0));
    }

    fn check(input: &str, expect: &str) {
        assert_eq!(highlight_html(input), expect, "{input}");
    }

    #[test]
    fn comments_keys_and_escapes() {
        check(
            "# note <x>",
            "<span class=\"hl-comment\"># note &lt;x&gt;</span>",
        );
        check("  port: 7120", "  <span class=\"hl-key\">port</span>: 7120");
        check("- name: a", "- <span class=\"hl-key\">name</span>: a");
        check("key:", "<span class=\"hl-key\">key</span>:");
        check(
            "url: http://x",
            "<span class=\"hl-key\">url</span>: http://x",
        );
        check("echo \"a: b\" & done", "echo &quot;a: b&quot; &amp; done");
        check(
            "  \"$schema\": \"x\",",
            "  <span class=\"hl-key\">&quot;$schema&quot;</span>: &quot;x&quot;,",
        );
    }
}
