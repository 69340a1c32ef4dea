//! Syntax colouring of the export previews (YAML, shell, JSON), as escaped HTML with a few spans: comments, keys and strings.
//!
//! Each line is a few runs of text; [`HighlightedCode`] touches only the lines that changed, and
//! sets their text in place when their runs keep their classes, since a keystroke changes a line
//! or two of a file that can run to hundreds (the full values.yaml).

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

/// One run of a line's text, and the class that colours it (None: plain text).
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub class: Option<&'static str>,
    pub text: String,
}

/// A line as its runs, none of them empty and no two plain ones adjacent, so that each run is
/// one DOM node.
pub type Line = Vec<Part>;

fn push(line: &mut Line, class: Option<&'static str>, text: &str) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some(last) if class.is_none() && last.class.is_none() => last.text.push_str(text),
        _ => line.push(Part {
            class,
            text: text.to_string(),
        }),
    }
}

/// One line of YAML or shell: a whole-line comment, a `key:` prefix, or plain text.
fn highlight_line(line: &str) -> Line {
    let mut parts = Line::new();
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        push(&mut parts, Some("hl-comment"), line);
        return parts;
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
            push(&mut parts, None, &line[..key_start.max(body_start)]);
            push(&mut parts, Some("hl-key"), key);
            push(&mut parts, None, &format!(":{rest}"));
            return parts;
        }
    }
    push(&mut parts, None, line);
    parts
}

/// The preview as its lines, each but the last ending in its line break, so that the lines'
/// text put together is the file.
pub fn highlight_lines(text: &str) -> Vec<Line> {
    let count = text.split('\n').count();
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            let mut parts = highlight_line(line);
            if index + 1 < count {
                push(&mut parts, None, "\n");
            }
            parts
        })
        .collect()
}

/// How many lines at the start and at the end two versions share (never overlapping), so that
/// only the lines between are replaced.
pub fn common_ends<T: PartialEq>(old: &[T], new: &[T]) -> (usize, usize) {
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

/// Whether `new` has the runs of `old` with the same classes, so that it can be shown by
/// changing the text of the nodes that show `old`.
fn same_shape(old: &Line, new: &Line) -> bool {
    old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.class == b.class)
}

/// A line's `<span>`, from its HTML (one parse per line is cheaper than a call per run when a
/// file is written whole). Runs are never empty and no two plain runs are adjacent, so the parse
/// gives one node per run: a text node per plain run, a classed `<span>` per coloured one.
fn line_node(document: &web_sys::Document, line: &Line) -> Option<web_sys::Element> {
    let node = document.create_element("span").ok()?;
    let mut html = String::new();
    html_of(line, &mut html);
    node.set_inner_html(&html);
    Some(node)
}

/// Shows `new` in the line node that shows `old` (of the same shape) by setting the text of the
/// runs that differ: a keystroke in a value becomes one text change, which the browser lays out
/// and paints without restyling or rebuilding anything.
fn retext(node: &web_sys::Element, old: &Line, new: &Line) -> bool {
    let runs = node.child_nodes();
    for (index, (was, now)) in old.iter().zip(new).enumerate() {
        if was.text == now.text {
            continue;
        }
        let Some(run) = runs.item(index as u32) else {
            return false;
        };
        let text = if now.class.is_some() {
            run.first_child()
        } else {
            Some(run)
        };
        let Some(text) = text else {
            return false;
        };
        text.set_node_value(Some(&now.text));
    }
    true
}

/// A `<code>` holding `text` coloured, one `<span>` per line; on a change it touches only the
/// lines between the unchanged start and end (setting their text where their runs keep their
/// classes), so the browser re-lays out and repaints those (the keystroke's cost does not grow
/// with the file).
#[component]
pub fn HighlightedCode(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let code = NodeRef::<leptos::html::Code>::new();
    // The element the lines were written into, and those lines.
    let shown: Rc<RefCell<(Option<web_sys::Element>, Vec<Line>)>> = Rc::default();
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
        let (mut prefix, mut suffix) = common_ends(&shown.1, &lines);
        // common_ends keeps prefix + suffix within both lengths; were it not to, redraw it all.
        if prefix + suffix > shown.1.len().min(lines.len()) {
            element.set_inner_html("");
            shown.1.clear();
            (prefix, suffix) = (0, 0);
        }
        let Some(document) = element.owner_document() else {
            return;
        };
        let children = element.children();
        let old = shown
            .1
            .get(prefix..shown.1.len() - suffix)
            .unwrap_or_default();
        let new = lines.get(prefix..lines.len() - suffix).unwrap_or_default();
        // The same number of lines changed, each keeping its runs' classes (a value typed into):
        // their text is set in place.
        let in_place = old.len() == new.len()
            && old.iter().zip(new).all(|(a, b)| same_shape(a, b))
            && old.iter().zip(new).enumerate().all(|(offset, (a, b))| {
                children
                    .item((prefix + offset) as u32)
                    .is_some_and(|node| retext(&node, a, b))
            });
        if !in_place {
            // Out with the changed lines (from the last, so the indexes hold), in with the new.
            for index in (prefix..shown.1.len() - suffix).rev() {
                if let Some(child) = children.item(index as u32) {
                    child.remove();
                }
            }
            let before = children.item(prefix as u32);
            for line in new {
                if let Some(node) = line_node(&document, line) {
                    let _ = element
                        .insert_before(&node, before.as_ref().map(|node| node.unchecked_ref()));
                }
            }
        }
        shown.1 = lines;
    });
    view! { <code node_ref=code></code> }
}

fn html_of(line: &Line, out: &mut String) {
    for part in line {
        match part.class {
            Some(class) => {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
                out.push_str(&escape(&part.text));
                out.push_str("</span>");
            }
            None => out.push_str(&escape(&part.text)),
        }
    }
}

/// The whole preview as HTML (for previews written whole).
pub fn highlight_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in highlight_lines(text) {
        html_of(&line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{common_ends, highlight_html, highlight_lines, same_shape};

    #[test]
    fn lines_put_together_are_the_file_and_only_changed_lines_differ() {
        let old = highlight_lines("a: 1\nb: 2\nc: 3");
        let text: String = old
            .iter()
            .flatten()
            .map(|part| part.text.as_str())
            .collect();
        assert_eq!(text, "a: 1\nb: 2\nc: 3");
        let new = highlight_lines("a: 1\nb: 22\nc: 3");
        assert_eq!(common_ends(&old, &new), (1, 1));
        let longer = highlight_lines("a: 1\nb: 2\nc: 3\nd: 4");
        // The old last line gained its line break, so it changed too.
        assert_eq!(common_ends(&old, &longer), (2, 0));
        let same = highlight_lines("x\nx\nx");
        assert_eq!(common_ends(&same, &highlight_lines("x\nx")), (1, 1));
        assert_eq!(common_ends(&[], &old), (0, 0));
    }

    #[test]
    fn runs_map_one_to_one_onto_nodes_and_a_typed_value_keeps_its_line_shape() {
        let text = "# c\na:\n  host: pg\n- name: x\nplain\n\n  \"$k\": 1";
        for line in highlight_lines(text) {
            assert!(line.iter().all(|part| !part.text.is_empty()), "{line:?}");
            assert!(
                line.windows(2)
                    .all(|pair| pair[0].class.is_some() || pair[1].class.is_some()),
                "two plain runs side by side would parse as one text node: {line:?}"
            );
        }
        let was = highlight_lines("  host: pg\nport: 1");
        let now = highlight_lines("  host: pg-x\nport: 1");
        assert!(same_shape(&was[0], &now[0]));
        assert_ne!(was[0], now[0]);
        // A line that becomes a comment, or loses its key, is rebuilt.
        assert!(!same_shape(&was[0], &highlight_lines("# host: pg")[0]));
        assert!(!same_shape(&was[1], &highlight_lines("port 1")[0]));
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
