//! Syntax colouring of the export previews (YAML, shell, JSON), as escaped HTML with a few spans: comments, keys and strings.
//!
//! The preview is set as one HTML string, not one node per token, so that long files stay cheap
//! to refresh on every keystroke.

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
    use super::highlight_html;

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
