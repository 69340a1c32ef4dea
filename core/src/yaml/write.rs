//! A small YAML emitter whose output reads back as the same typed values under YAML 1.1 (Helm's
//! Go parser, PyYAML) and YAML 1.2 (serde_yaml).
//!
//! serde_yaml writes for YAML 1.2, where `on`, `yes`, `0755` or `12:30` are plain strings; Helm
//! reads values files with YAML 1.1 rules, where they are a boolean, an octal and a sexagesimal
//! number. So every string that any of those readers could take for something else is written in
//! double quotes, multi-line strings are `|` block scalars, and comments can be attached to keys
//! (the `# --` docs of the full values file, the list-replacement notes).

use serde_yaml::Value;

/// A document to write: a value tree whose map entries may carry comments.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string, number, boolean or null. Multi-line strings become block scalars.
    Scalar(Value),
    /// A string written as a `|-` block scalar even when it fits on one line (`template` kind).
    Literal(String),
    Map(Vec<Entry>),
    Seq(Vec<Node>),
}

/// One key of a map, with the comment lines written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Value,
    /// Lines written as `# line` above the key (an empty line gives a bare `#`).
    pub comments: Vec<String>,
    pub node: Node,
    /// Written as a comment (`# key: value`) so that the key stays absent: a documented parameter
    /// without a value. Its children, if any, must be commented out too. Never inside a list item.
    pub commented_out: bool,
}

impl Entry {
    pub fn new(key: impl Into<String>, node: Node) -> Entry {
        Entry {
            key: Value::String(key.into()),
            comments: Vec::new(),
            node,
            commented_out: false,
        }
    }
}

/// YAML allows an implicit (`key: value`) key of at most 1024 characters, and libyaml counts
/// that span in bytes of the written key; past 1000 bytes the key is written explicitly (`? key`).
const MAX_IMPLICIT_KEY: usize = 1000;

/// Converts a plain value tree (keys in the tree's own order, no comments).
pub fn node_from_value(value: &Value) -> Node {
    match value {
        Value::Mapping(map) => Node::Map(
            map.iter()
                .map(|(key, value)| Entry {
                    key: key.clone(),
                    comments: Vec::new(),
                    node: node_from_value(value),
                    commented_out: false,
                })
                .collect(),
        ),
        Value::Sequence(items) => Node::Seq(items.iter().map(node_from_value).collect()),
        Value::Tagged(tagged) => node_from_value(&tagged.value),
        scalar => Node::Scalar(scalar.clone()),
    }
}

/// A value tree as a YAML document: every text the product shows or saves for the user to read
/// back (block editors, answers and environment files) goes through this one writer, so Helm's
/// YAML 1.1 reader (and `input::read_yaml`) reads back what was written.
pub fn value_to_yaml(value: &Value) -> String {
    to_yaml(&node_from_value(value))
}

/// Writes a document (no `---`, no header) ending in a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        Node::Map(_) => out.push_str("{}\n"),
        Node::Seq(_) => out.push_str("[]\n"),
        Node::Scalar(value) => {
            let (head, body) = scalar_parts(value, false, 0);
            out.push_str(&head);
            out.push('\n');
            out.push_str(&body);
        }
        Node::Literal(text) => {
            let (head, body) = string_parts(text, true, 0);
            out.push_str(&head);
            out.push('\n');
            out.push_str(&body);
        }
    }
    out
}

fn push_line(out: &mut String, indent: usize, text: &str) {
    if !text.is_empty() {
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str(text);
    }
    out.push('\n');
}

fn write_comments(out: &mut String, comments: &[String], indent: usize) {
    for comment in comments {
        for line in comment.split('\n') {
            if line.is_empty() {
                push_line(out, indent, "#");
            } else {
                push_line(out, indent, &format!("# {line}"));
            }
        }
    }
}

fn write_map(out: &mut String, entries: &[Entry], indent: usize) {
    for entry in entries {
        write_entry(out, entry, indent);
    }
}

fn write_entry(out: &mut String, entry: &Entry, indent: usize) {
    write_comments(out, &entry.comments, indent);
    let mut key = key_text(&entry.key);
    // No YAML reader takes an implicit key over 1024 characters: write it as an explicit `? key`
    // line, and the value after a bare `:` on the next.
    if !entry.commented_out && key.len() > MAX_IMPLICIT_KEY {
        push_line(out, indent, &format!("? {key}"));
        key = String::new();
    }
    if entry.commented_out {
        match &entry.node {
            Node::Map(children) if !children.is_empty() => {
                push_line(out, indent, &format!("# {key}:"));
                write_map(out, children, indent + 2);
            }
            Node::Scalar(Value::Null) => push_line(out, indent, &format!("# {key}:")),
            Node::Scalar(value) if !is_multiline(value) => {
                push_line(out, indent, &format!("# {key}: {}", inline_scalar(value)))
            }
            _ => push_line(out, indent, &format!("# {key}:")),
        }
        return;
    }
    match &entry.node {
        Node::Map(children) if children.is_empty() => {
            push_line(out, indent, &format!("{key}: {{}}"))
        }
        // A map whose every key is commented out (the full file, where no key has a value) is
        // still a map: a bare `key:` would be null, and Helm deletes the chart's map for a null.
        Node::Map(children) if children.iter().all(|child| child.commented_out) => {
            push_line(out, indent, &format!("{key}: {{}}"));
            write_map(out, children, indent + 2);
        }
        Node::Map(children) => {
            push_line(out, indent, &format!("{key}:"));
            write_map(out, children, indent + 2);
        }
        Node::Seq(items) if items.is_empty() => push_line(out, indent, &format!("{key}: []")),
        Node::Seq(items) => {
            push_line(out, indent, &format!("{key}:"));
            write_seq(out, items, indent + 2);
        }
        Node::Scalar(value) => {
            let (head, body) = scalar_parts(value, false, indent + 2);
            push_line(out, indent, &format!("{key}: {head}"));
            out.push_str(&body);
        }
        Node::Literal(text) => {
            let (head, body) = string_parts(text, true, indent + 2);
            push_line(out, indent, &format!("{key}: {head}"));
            out.push_str(&body);
        }
    }
}

/// Block sequence items at `indent` (`- item`); a map or list item starts on the dash line.
fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        match item {
            Node::Map(entries) if entries.is_empty() => push_line(out, indent, "- {}"),
            Node::Seq(inner) if inner.is_empty() => push_line(out, indent, "- []"),
            Node::Map(entries) => {
                let Some((first, rest)) = entries.split_first() else {
                    push_line(out, indent, "- {}");
                    continue;
                };
                // The first key's comments go above the dash so the item starts on that line.
                write_comments(out, &first.comments, indent);
                let mut first = first.clone();
                first.comments.clear();
                let mut body = String::new();
                write_entry(&mut body, &first, indent + 2);
                write_map(&mut body, rest, indent + 2);
                out.push_str(&dash_first_line(&body, indent));
            }
            Node::Seq(inner) => {
                let mut body = String::new();
                write_seq(&mut body, inner, indent + 2);
                out.push_str(&dash_first_line(&body, indent));
            }
            Node::Scalar(value) => {
                let (head, body) = scalar_parts(value, false, indent + 2);
                push_line(out, indent, &format!("- {head}"));
                out.push_str(&body);
            }
            Node::Literal(text) => {
                let (head, body) = string_parts(text, true, indent + 2);
                push_line(out, indent, &format!("- {head}"));
                out.push_str(&body);
            }
        }
    }
}

/// Replaces the indentation of the first line (`indent + 2` spaces) by `indent` spaces and `- `.
fn dash_first_line(body: &str, indent: usize) -> String {
    // The body was written at `indent + 2`, so it starts with that many spaces (ASCII).
    let rest = body
        .get(indent + 2..)
        .unwrap_or(body)
        .trim_start_matches(' ');
    format!("{}- {rest}", " ".repeat(indent))
}

fn is_multiline(value: &Value) -> bool {
    matches!(value, Value::String(text) if text.contains('\n'))
}

/// A map key: always on one line (double-quoted when it needs escapes).
fn key_text(key: &Value) -> String {
    match key {
        Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_) => {
            double_quoted(&super::display_value(key))
        }
        scalar => inline_scalar(scalar),
    }
}

/// A scalar on one line: the text after `key: ` or `- `.
pub fn inline_scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number_text(number),
        Value::String(text) => {
            if plain_is_safe(text) {
                text.clone()
            } else {
                double_quoted(text)
            }
        }
        Value::Tagged(tagged) => inline_scalar(&tagged.value),
        other => double_quoted(&super::display_value(other)),
    }
}

/// The header written after `key: ` and the block lines that follow it (empty for one-liners).
fn scalar_parts(value: &Value, force_block: bool, indent: usize) -> (String, String) {
    match value {
        Value::String(text) => string_parts(text, force_block, indent),
        other => (inline_scalar(other), String::new()),
    }
}

fn string_parts(text: &str, force_block: bool, indent: usize) -> (String, String) {
    if (force_block || text.contains('\n')) && block_is_safe(text) {
        block_literal(text, indent)
    } else if force_block || text.contains('\n') {
        (double_quoted(text), String::new())
    } else {
        (
            inline_scalar(&Value::String(text.to_string())),
            String::new(),
        )
    }
}

/// `|`, `|-` or `|+` with the lines at `indent`. The indentation indicator is written when the
/// first line starts with a space or a tab or is empty, where a reader could not guess the
/// indentation (libyaml refuses a tab there).
fn block_literal(text: &str, indent: usize) -> (String, String) {
    let (content, chomp) = if let Some(stripped) = text.strip_suffix('\n') {
        if stripped.ends_with('\n') {
            (stripped, "+")
        } else {
            (stripped, "")
        }
    } else {
        (text, "-")
    };
    let indicator = if content.starts_with([' ', '\t', '\n']) {
        "2"
    } else {
        ""
    };
    let mut body = String::new();
    for line in content.split('\n') {
        push_line(&mut body, indent, line);
    }
    (format!("|{indicator}{chomp}"), body)
}

/// A block literal can hold the text when it has some content besides line breaks (a block of
/// empty lines reads as ""), every character is printable, there are no carriage returns, and no
/// line is made of blanks only (readers disagree on those).
fn block_is_safe(text: &str) -> bool {
    text.chars().any(|c| c != '\n')
        && text.chars().all(|c| c == '\n' || c == '\t' || printable(c))
        && text
            .split('\n')
            .all(|line| line.is_empty() || !line.chars().all(|c| c == ' ' || c == '\t'))
}

/// Characters YAML 1.1 and 1.2 both allow unescaped, minus the ones YAML 1.1 reads as line
/// breaks (NEL, LS, PS) and the byte-order mark.
fn printable(c: char) -> bool {
    match c {
        '\u{20}'..='\u{7E}' => true,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' => false,
        '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => true,
        _ => false,
    }
}

/// Words some YAML reader (1.1 or 1.2, Go or Python) resolves to a boolean, null or float.
const RESERVED_WORDS: [&str; 16] = [
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "nan", "inf", "infinity",
    ".nan", ".inf", "<<",
];

/// True when `text` written without quotes reads back as this same string in every reader.
pub fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.starts_with([' ', '\t']) || text.ends_with([' ', '\t']) {
        return false;
    }
    if !text.chars().all(printable) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`=".contains(first) {
        return false;
    }
    // At the start of a line these are document markers (`--- x`, `... x`), even as keys.
    if text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    if text.contains(['{', '}', '[', ']', ',']) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if RESERVED_WORDS.contains(&lower.as_str()) || RESERVED_WORDS.contains(&unsigned) {
        return false;
    }
    !looks_numeric(text) && !looks_like_timestamp(text)
}

/// Anything a reader might take for a number: decimal, octal (`0755`, `0o7`), hex (`0x1F`),
/// binary (`0b1`), underscores (`1_000`), exponents (`1e3`), sexagesimal (`12:30`), and, harmless
/// to quote, dotted versions (`1.8.5`). Quantities (`250m`, `512Mi`) and UUIDs stay plain.
fn looks_numeric(text: &str) -> bool {
    let unsigned = text.trim_start_matches(['+', '-']);
    let Some(first) = unsigned.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        return hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    unsigned.char_indices().all(|(index, c)| {
        c.is_ascii_digit()
            || "_.:+-eE".contains(c)
            || (index == 1 && first == '0' && "oObB".contains(c))
    })
}

/// YAML 1.1 timestamps start with `YYYY-`.
fn looks_like_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 5 && bytes.iter().take(4).all(u8::is_ascii_digit) && bytes.get(4) == Some(&b'-')
}

/// A double-quoted scalar; escapes are the ones YAML 1.1 and 1.2 share.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Integers as they are; floats always with a dot and a signed exponent (`1.0e+300`), the only
/// float form YAML 1.1 readers accept, and `.inf`/`.nan`.
fn number_text(number: &serde_yaml::Number) -> String {
    if number.is_i64() || number.is_u64() {
        return number.to_string();
    }
    let Some(float) = number.as_f64() else {
        return number.to_string();
    };
    if float.is_nan() {
        return ".nan".into();
    }
    if float.is_infinite() {
        return if float > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let text = format!("{float:?}");
    let (mantissa, exponent) = match text.split_once('e') {
        Some((mantissa, exponent)) => (mantissa.to_string(), Some(exponent.to_string())),
        None => (text.clone(), None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        None => mantissa,
        Some(exponent) if exponent.starts_with('-') => format!("{mantissa}e{exponent}"),
        Some(exponent) => format!("{mantissa}e+{exponent}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_near_the_implicit_key_limit_read_back_in_libyaml() {
        // Multi-byte and escaped keys: the written text, not the character count, decides.
        for key in ["k".repeat(1020), "é".repeat(600), "\u{1}".repeat(300)] {
            let mut map = serde_yaml::Mapping::new();
            map.insert(Value::String(key.clone()), Value::from(1));
            let text = to_yaml(&node_from_value(&Value::Mapping(map)));
            let back: Value = serde_yaml::from_str(&text).unwrap();
            assert_eq!(back.get(key.as_str()), Some(&Value::from(1)), "{text}");
        }
    }

    fn check_quoted(text: &str) {
        assert!(!plain_is_safe(text), "{text:?} must be quoted");
    }

    #[test]
    fn a_map_of_commented_out_keys_stays_a_map() {
        // Found by the import_answers fuzz target: `images:` over commented-out keys read
        // as null, which in Helm deletes the chart's whole `images` map.
        let node = Node::Map(vec![Entry::new(
            "images",
            Node::Map(vec![Entry {
                commented_out: true,
                ..Entry::new("tag", Node::Scalar(Value::Null))
            }]),
        )]);
        assert_eq!(to_yaml(&node), "images: {}\n  # tag:\n");
    }

    #[test]
    fn yaml_11_lookalikes_are_quoted() {
        for text in [
            "on",
            "off",
            "yes",
            "no",
            "y",
            "n",
            "Y",
            "N",
            "ON",
            "True",
            "true",
            "null",
            "Null",
            "~",
            "0755",
            "1e3",
            "0x1F",
            "1_000",
            "12:30",
            "9200",
            "",
            " a",
            "a ",
            "-a",
            "?a",
            ":a",
            ",a",
            "[a",
            "]a",
            "{a",
            "}a",
            "#a",
            "&a",
            "*a",
            "!a",
            "|a",
            ">a",
            "'a",
            "\"a",
            "%a",
            "@a",
            "`a",
            "a: b",
            "a #b",
            "a:",
            ".inf",
            "-.inf",
            ".NaN",
            "1.8.5",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "<<",
            "=",
            "0b101",
            "0o17",
            "+1",
            "-1",
            "1.",
            ".5",
            "a\tb",
            "a\u{85}b",
            "a\u{2028}b",
            "\u{feff}a",
            "x\u{7f}",
        ] {
            check_quoted(text);
        }
        for text in [
            "ixn",
            "250m",
            "512Mi",
            "1Gi",
            "redis.svc.cluster.local:6379",
            "https://a.b/c?d=e",
            "ixn/interaction_server",
            "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd",
            "a#b",
            "it's",
            "über",
            "日本語",
            "a-b",
            "Always",
            "IfNotPresent",
        ] {
            assert!(plain_is_safe(text), "{text:?} can stay plain");
        }
    }

    #[test]
    fn floats_keep_a_dot_and_a_signed_exponent() {
        let text = |f: f64| number_text(&serde_yaml::Number::from(f));
        assert_eq!(text(1.0), "1.0");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(1e300), "1.0e+300");
        assert_eq!(text(1e-7), "1.0e-7");
        assert_eq!(text(f64::INFINITY), ".inf");
        assert_eq!(text(f64::NAN), ".nan");
    }

    #[test]
    fn block_literals_choose_chomping_and_indentation() {
        let doc = |text: &str| {
            to_yaml(&Node::Map(vec![Entry::new(
                "k",
                Node::Literal(text.into()),
            )]))
        };
        assert_eq!(doc("a\nb"), "k: |-\n  a\n  b\n");
        assert_eq!(doc("a\n"), "k: |\n  a\n");
        assert_eq!(doc("a\n\n"), "k: |+\n  a\n\n");
        assert_eq!(doc(" a\nb"), "k: |2-\n   a\n  b\n");
        assert_eq!(doc("one line"), "k: |-\n  one line\n");
        assert_eq!(doc(""), "k: \"\"\n");
        assert_eq!(doc("a\r\nb"), "k: \"a\\r\\nb\"\n");
        assert_eq!(doc("\n"), "k: \"\\n\"\n");
        assert_eq!(doc("\tx\ny"), "k: |2-\n  \tx\n  y\n");
        assert_eq!(doc("a\n  \nb"), "k: \"a\\n  \\nb\"\n");
    }

    #[test]
    fn lists_of_maps_start_on_the_dash_line() {
        let value: Value =
            serde_yaml::from_str("{a: [{x: 1, z: [1, [2]]}, {}, [], on], y: 1}").unwrap();
        assert_eq!(
            to_yaml(&node_from_value(&value)),
            "a:\n  - x: 1\n    z:\n      - 1\n      - - 2\n  - {}\n  - []\n  - \"on\"\n\"y\": 1\n"
        );
    }
}
