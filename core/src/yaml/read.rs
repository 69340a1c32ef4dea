//! The one boundary for values: every tree of values that enters the product (typed YAML, an imported values.yaml, an answers file, a share link, a draft, a host page's message, the CLI) is read or checked here under Helm's rules, or refused with a message that names the place.
//!
//! Helm reads values.yaml with a YAML 1.1 reader (go-yaml v2 behind sigs.k8s.io/yaml) and then
//! turns the tree into JSON. So a plain `no` is the boolean false, `0755` is 493, `1_000` is 1000,
//! `<<: *base` merges, a key `on:` is the string key "true", and a key JSON cannot hold (null, a
//! list, a map, a non-finite number) makes Helm fail. Reading with a YAML 1.2 reader and writing
//! back what it produced would change meanings silently, so this module parses events itself
//! (yaml-rust2 keeps each scalar's style and tag) and resolves plain scalars the way Helm does.
//!
//! Hostile input is bounded before it costs anything: the text is capped in bytes, the tree in
//! nodes *after* alias expansion (an anchored list replayed by N aliases is N² nodes), and nesting
//! in depth. On refusal nothing is returned, so the caller's state is untouched.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde_yaml::{Mapping, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// Largest text accepted from any entry point (a values.yaml of every chart is under 100 KB).
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;
/// Largest tree, counted after aliases are expanded (every scalar, list and map is one node).
pub const MAX_NODES: usize = 200_000;
/// Deepest nesting of a whole document (serde_json stops at 128 too, and reads every link and draft).
pub const MAX_DOCUMENT_DEPTH: usize = 128;
/// Deepest nesting of a tree of values. Lower than a document's: every carrier wraps the values
/// (an answers file or a draft in one map, an environment file or link in three, a host's message
/// in one), and whatever is accepted must also be written to each of them and read back, or a
/// draft saved now would be refused at the next start.
pub const MAX_DEPTH: usize = 120;
/// Keys longer than this cannot be written as implicit YAML keys; no chart uses one.
pub const MAX_KEY_CHARS: usize = 1024;

/// Why an input was refused. The message names the place; it never quotes a value (values may be
/// credentials), only keys, shortened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    TooLarge {
        bytes: usize,
    },
    TooManyNodes,
    TooDeep {
        path: String,
        /// The limit that was passed: [`MAX_DEPTH`] for values, [`MAX_DOCUMENT_DEPTH`] for a document.
        limit: usize,
    },
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    MultipleDocuments,
    NotAMap {
        what: &'static str,
    },
    Key {
        path: String,
        problem: KeyProblem,
    },
    DuplicateKey {
        path: String,
    },
    Tag {
        path: String,
        tag: String,
    },
    NotFinite {
        path: String,
    },
    Binary {
        path: String,
    },
    Merge {
        path: String,
    },
    UnknownAlias {
        path: String,
    },
}

/// What is wrong with a mapping key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    Null,
    Collection,
    NotFinite,
    Tagged,
    TooLong,
}

impl fmt::Display for InputError {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::TooLarge { bytes } => write!(
                out,
                "the input is {} KB; at most {} KB is accepted",
                bytes / 1024,
                MAX_INPUT_BYTES / 1024
            ),
            InputError::TooManyNodes => write!(
                out,
                "the input expands to more than {MAX_NODES} values (aliases replay their anchor each time); refused"
            ),
            InputError::TooDeep { path, limit } => write!(
                out,
                "{}: nested deeper than {limit} levels; refused",
                place(path)
            ),
            InputError::Syntax {
                line,
                column,
                message,
            } => write!(out, "line {line}, column {column}: {message}"),
            InputError::MultipleDocuments => {
                write!(out, "the input holds more than one YAML document (`---`); give one")
            }
            InputError::NotAMap { what } => write!(out, "{what} must be a map of keys"),
            InputError::Key { path, problem } => {
                let why = match problem {
                    KeyProblem::Null => "a null key (`~`, `null` or an empty `?`)",
                    KeyProblem::Collection => "a list or a map used as a key",
                    KeyProblem::NotFinite => "a non-finite number (`.nan`, `.inf`) used as a key",
                    KeyProblem::Tagged => "a key with a tag Helm does not read",
                    KeyProblem::TooLong => "a key longer than 1024 characters",
                };
                write!(
                    out,
                    "{}: {why}; Helm keys are strings, so this key is refused",
                    place(path)
                )
            }
            InputError::DuplicateKey { path } => {
                write!(out, "{}: this key appears twice in one map", place(path))
            }
            InputError::Tag { path, tag } => write!(
                out,
                "{}: the tag `{}` is not one Helm reads; remove it or quote the value",
                place(path),
                shorten(tag)
            ),
            InputError::NotFinite { path } => write!(
                out,
                "{}: `.nan` and `.inf` cannot be written as JSON, so Helm refuses them",
                place(path)
            ),
            InputError::Binary { path } => write!(
                out,
                "{}: a `!!binary` value must be base64 of UTF-8 text to be a Helm value",
                place(path)
            ),
            InputError::Merge { path } => write!(
                out,
                "{}: a merge key `<<` must be followed by a map or a list of maps",
                place(path)
            ),
            InputError::UnknownAlias { path } => {
                write!(out, "{}: an alias names no anchor before it", place(path))
            }
        }
    }
}

impl std::error::Error for InputError {}

fn place(path: &str) -> String {
    if path.is_empty() {
        "at the top level".to_string()
    } else {
        format!("at `{}`", shorten(path))
    }
}

/// Keys and tags are shown at most 80 characters long, so a hostile key cannot flood a message.
fn shorten(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().count() > 80 {
        shown.push('…');
    }
    shown
}

/// A plain scalar that Helm reads differently from how it looks to a YAML 1.2 reader (and to
/// most people): reported, never silently changed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Retyped {
    /// Where the scalar stands (the key path; a retyped key is named by its parent path).
    pub path: String,
    /// The text as written.
    pub written: String,
    /// How Helm reads it.
    pub read_as: String,
}

/// A tree read under Helm's rules, with what was resolved differently from YAML 1.2.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub value: Value,
    pub retyped: Vec<Retyped>,
    /// Paths of the maps whose `<<` merge keys were applied.
    pub merged: Vec<String>,
    /// Every document of the stream (one for `read_yaml`).
    pub documents: Vec<Value>,
}

/// Reads one YAML document as Helm reads it. An empty document is `null`.
pub fn read_yaml(text: &str) -> Result<Read, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: text.len() });
    }
    Reader::default().read(text)
}

/// Reads one YAML document of the product's own (an answers file) under the same bounds, with its
/// plain scalars kept as written: a release `0755` or a password `no` stays that text. Values Helm
/// will read are taken from `read_yaml` of the same text instead.
pub fn read_yaml_as_written(text: &str) -> Result<Read, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: text.len() });
    }
    let reader = Reader {
        as_written: true,
        ..Reader::default()
    };
    reader.read(text)
}

/// Reads a stream of YAML documents (Secret manifests, `kubectl get -o yaml` output) under the
/// same bounds, the node budget shared by all of them.
pub fn read_yaml_documents(text: &str) -> Result<Vec<Value>, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: text.len() });
    }
    let reader = Reader {
        many_documents: true,
        ..Reader::default()
    };
    reader.read(text).map(|read| read.documents)
}

/// Reads a values.yaml (or a YAML block that must be a map): the top level is a map, and an
/// empty document is an empty map.
pub fn read_values_yaml(text: &str) -> Result<Read, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: text.len() });
    }
    let reader = Reader {
        max_depth: Some(MAX_DEPTH),
        ..Reader::default()
    };
    let mut read = reader.read(text)?;
    match read.value {
        Value::Null => read.value = Value::Mapping(Mapping::new()),
        Value::Mapping(_) => {}
        _ => {
            return Err(InputError::NotAMap {
                what: "values.yaml's top level",
            })
        }
    }
    Ok(read)
}

/// Checks a tree that did not come from YAML text (JSON from a share link, a draft or a host
/// page; a value built by a widget) against the same rules: string keys only, no tags, finite
/// numbers, bounded size and depth.
pub fn check_tree(value: &Value) -> Result<(), InputError> {
    let mut nodes = 0usize;
    check_node(value, &mut String::new(), 0, &mut nodes)
}

/// `check_tree`, and the top level must be a map (or null, read as an empty map).
pub fn check_values(value: Value, what: &'static str) -> Result<Value, InputError> {
    let value = match value {
        Value::Null => Value::Mapping(Mapping::new()),
        map @ Value::Mapping(_) => map,
        _ => return Err(InputError::NotAMap { what }),
    };
    check_tree(&value)?;
    Ok(value)
}

/// Values sent by a host page as JSON: the same checks, with the JSON text capped first.
pub fn host_values(json: &serde_json::Value) -> Result<Value, InputError> {
    let value = serde_yaml::to_value(json).map_err(|_| InputError::NotAMap {
        what: "`values` in the message",
    })?;
    check_values(value, "`values` in the message")
}

fn check_node(
    value: &Value,
    path: &mut String,
    depth: usize,
    nodes: &mut usize,
) -> Result<(), InputError> {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err(InputError::TooManyNodes);
    }
    if depth > MAX_DEPTH {
        return Err(InputError::TooDeep {
            path: path.clone(),
            limit: MAX_DEPTH,
        });
    }
    match value {
        Value::Number(number) if number.as_f64().is_some_and(|f| !f.is_finite()) => {
            Err(InputError::NotFinite { path: path.clone() })
        }
        Value::Tagged(tagged) => Err(InputError::Tag {
            path: path.clone(),
            tag: tagged.tag.to_string(),
        }),
        Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                let before = path.len();
                path.push_str(&format!("[{index}]"));
                check_node(item, path, depth + 1, nodes)?;
                path.truncate(before);
            }
            Ok(())
        }
        Value::Mapping(map) => {
            for (key, child) in map {
                let before = path.len();
                let Value::String(key) = key else {
                    let problem = match key {
                        Value::Null => KeyProblem::Null,
                        Value::Sequence(_) | Value::Mapping(_) => KeyProblem::Collection,
                        Value::Tagged(_) => KeyProblem::Tagged,
                        Value::Number(number)
                            if number.as_f64().is_some_and(|f| !f.is_finite()) =>
                        {
                            KeyProblem::NotFinite
                        }
                        // Booleans and numbers are keys Helm turns into strings; a tree built
                        // outside YAML text should already hold them as strings.
                        _ => KeyProblem::Tagged,
                    };
                    return Err(InputError::Key {
                        path: path.clone(),
                        problem,
                    });
                };
                if key.chars().count() > MAX_KEY_CHARS {
                    return Err(InputError::Key {
                        path: path.clone(),
                        problem: KeyProblem::TooLong,
                    });
                }
                push_key(path, key);
                check_node(child, path, depth + 1, nodes)?;
                path.truncate(before);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// A node built from events: its value, how many nodes it counts for, and (for a scalar in key
/// position) whether it is the merge key.
struct Built {
    value: Value,
    nodes: usize,
    merge_key: bool,
}

enum Frame {
    Seq {
        anchor: usize,
        items: Vec<Value>,
        nodes: usize,
    },
    Map {
        anchor: usize,
        map: Mapping,
        nodes: usize,
        /// The key waiting for its value (None: the next node is a key).
        key: Option<PendingKey>,
        /// Sources of `<<`, applied when the map ends (explicit keys win, earlier sources win).
        merges: Vec<Value>,
    },
}

enum PendingKey {
    Key(String),
    Merge,
}

#[derive(Default)]
struct Reader {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    nodes: usize,
    retyped: Vec<Retyped>,
    merged: Vec<String>,
    root: Option<Value>,
    documents: usize,
    /// Whether a stream of documents is accepted (then every root is kept).
    many_documents: bool,
    /// Plain scalars kept as the text written (only the null forms are null): the product's own
    /// files, whose fields are names and secret text, not values Helm reads.
    as_written: bool,
    /// Deepest nesting accepted, when lower than a document's ([`MAX_DOCUMENT_DEPTH`]): a values
    /// document is the tree of values itself, so it gets the values' limit.
    max_depth: Option<usize>,
    finished: Vec<Value>,
}

impl Reader {
    fn read(mut self, text: &str) -> Result<Read, InputError> {
        // A byte-order mark (Windows Notepad and PowerShell write one) is not part of a key.
        let text = crate::text::without_bom(text);
        let mut parser = Parser::new_from_str(text);
        loop {
            let (event, _) = parser.next_token().map_err(|error| InputError::Syntax {
                line: error.marker().line(),
                column: error.marker().col() + 1,
                message: error.info().to_string(),
            })?;
            match event {
                Event::StreamEnd => break,
                Event::StreamStart | Event::Nothing => {}
                Event::DocumentEnd => {
                    self.finished.push(self.root.take().unwrap_or(Value::Null));
                }
                Event::DocumentStart => {
                    self.documents += 1;
                    if self.documents > 1 && !self.many_documents {
                        return Err(InputError::MultipleDocuments);
                    }
                    // Anchors belong to their document.
                    self.anchors.clear();
                }
                Event::Alias(id) => {
                    let Some((value, nodes)) = self.anchors.get(&id).cloned() else {
                        return Err(InputError::UnknownAlias { path: self.path() });
                    };
                    self.count(nodes)?;
                    self.complete(Built {
                        value,
                        nodes,
                        merge_key: false,
                    })?;
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.count(1)?;
                    let built = self.scalar(text, style, tag.as_ref())?;
                    if anchor > 0 {
                        self.anchors.insert(anchor, (built.value.clone(), 1));
                    }
                    self.complete(built)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(tag.as_ref(), "seq")?;
                    self.stack.push(Frame::Seq {
                        anchor,
                        items: Vec::new(),
                        nodes: 1,
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(tag.as_ref(), "map")?;
                    self.stack.push(Frame::Map {
                        anchor,
                        map: Mapping::new(),
                        nodes: 1,
                        key: None,
                        merges: Vec::new(),
                    });
                }
                Event::SequenceEnd => {
                    if let Some(Frame::Seq {
                        anchor,
                        items,
                        nodes,
                    }) = self.stack.pop()
                    {
                        self.close(anchor, Value::Sequence(items), nodes)?;
                    }
                }
                Event::MappingEnd => {
                    if let Some(Frame::Map {
                        anchor,
                        mut map,
                        nodes,
                        merges,
                        ..
                    }) = self.stack.pop()
                    {
                        if !merges.is_empty() {
                            self.merged.push(self.path());
                            for source in merges {
                                if let Value::Mapping(source) = source {
                                    for (key, value) in source {
                                        if !map.contains_key(&key) {
                                            map.insert(key, value);
                                        }
                                    }
                                }
                            }
                        }
                        self.close(anchor, Value::Mapping(map), nodes)?;
                    }
                }
            }
        }
        Ok(Read {
            value: self.finished.first().cloned().unwrap_or(Value::Null),
            documents: self.finished,
            retyped: self.retyped,
            merged: self.merged,
        })
    }

    /// A list or map ends: its anchor (if any) remembers it, and it takes its place in the parent.
    fn close(&mut self, anchor: usize, value: Value, nodes: usize) -> Result<(), InputError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        self.complete(Built {
            value,
            nodes,
            merge_key: false,
        })
    }

    fn count(&mut self, nodes: usize) -> Result<(), InputError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(InputError::TooManyNodes);
        }
        Ok(())
    }

    /// A list or map starts: it may not be a key, its tag must be the plain one, and the nesting
    /// is bounded.
    fn open(&mut self, tag: Option<&Tag>, kind: &str) -> Result<(), InputError> {
        self.count(1)?;
        if self.awaiting_key() {
            return Err(InputError::Key {
                path: self.path(),
                problem: KeyProblem::Collection,
            });
        }
        if let Some(tag) = tag {
            if !(is_core_tag(tag) && tag.suffix == kind) {
                return Err(InputError::Tag {
                    path: self.path(),
                    tag: tag_text(tag),
                });
            }
        }
        let limit = self.max_depth.unwrap_or(MAX_DOCUMENT_DEPTH);
        if self.stack.len() >= limit {
            return Err(InputError::TooDeep {
                path: self.path(),
                limit,
            });
        }
        Ok(())
    }

    fn awaiting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// The path of the node being read, for messages.
    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Seq { items, .. } => path.push_str(&format!("[{}]", items.len())),
                Frame::Map {
                    key: Some(PendingKey::Key(key)),
                    ..
                } => push_key(&mut path, key),
                Frame::Map {
                    key: Some(PendingKey::Merge),
                    ..
                } => push_key(&mut path, "<<"),
                Frame::Map { key: None, .. } => {}
            }
        }
        path
    }

    fn scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        tag: Option<&Tag>,
    ) -> Result<Built, InputError> {
        let plain = style == TScalarStyle::Plain;
        let merge_key = plain && tag.is_none() && text == "<<"
            || tag.is_some_and(|tag| is_core_tag(tag) && tag.suffix == "merge");
        let value = match tag {
            None if plain && self.as_written => match text.as_str() {
                "" | "~" | "null" | "Null" | "NULL" => Value::Null,
                _ => Value::String(text),
            },
            None if plain => {
                let value = resolve_plain(&text);
                if !matches!(value, Value::String(_)) && !merge_key && !looks_typed_in_yaml12(&text)
                {
                    self.retyped.push(Retyped {
                        path: self.path(),
                        written: shorten(&text),
                        read_as: describe(&value),
                    });
                }
                value
            }
            None => Value::String(text),
            // The non-specific tag `!` makes a plain scalar a string.
            Some(tag) if tag.handle.is_empty() && tag.suffix == "!" => Value::String(text),
            Some(tag) if is_core_tag(tag) => match tag.suffix.as_str() {
                "str" => Value::String(text),
                "merge" => Value::String(text),
                "binary" => {
                    use base64::Engine;
                    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(compact)
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .ok_or_else(|| InputError::Binary { path: self.path() })?;
                    Value::String(decoded)
                }
                "null" | "bool" | "int" | "float" => {
                    let value = resolve_plain(&text);
                    let fits = matches!(
                        (tag.suffix.as_str(), &value),
                        ("null", Value::Null)
                            | ("bool", Value::Bool(_))
                            | ("int", Value::Number(_))
                            | ("float", Value::Number(_))
                    );
                    if !fits {
                        return Err(InputError::Tag {
                            path: self.path(),
                            tag: tag_text(tag),
                        });
                    }
                    value
                }
                // Helm's reader keeps timestamps as the text they were written as.
                "timestamp" => Value::String(text),
                _ => {
                    return Err(InputError::Tag {
                        path: self.path(),
                        tag: tag_text(tag),
                    })
                }
            },
            Some(tag) => {
                return Err(InputError::Tag {
                    path: self.path(),
                    tag: tag_text(tag),
                })
            }
        };
        Ok(Built {
            value,
            nodes: 1,
            merge_key,
        })
    }

    /// A node is complete: it becomes the root, a list item, a key, or a key's value.
    fn complete(&mut self, built: Built) -> Result<(), InputError> {
        let path = self.path();
        match self.stack.last_mut() {
            None => {
                self.root = Some(built.value);
                Ok(())
            }
            Some(Frame::Seq { items, nodes, .. }) => {
                items.push(built.value);
                *nodes += built.nodes;
                Ok(())
            }
            Some(Frame::Map {
                map,
                nodes,
                key,
                merges,
                ..
            }) => {
                *nodes += built.nodes;
                match key.take() {
                    None if built.merge_key => {
                        *key = Some(PendingKey::Merge);
                        Ok(())
                    }
                    None => {
                        let text = key_text(&built.value, &path)?;
                        if text.chars().count() > MAX_KEY_CHARS {
                            return Err(InputError::Key {
                                path,
                                problem: KeyProblem::TooLong,
                            });
                        }
                        if map.contains_key(text.as_str()) {
                            let mut at = path;
                            push_key(&mut at, &text);
                            return Err(InputError::DuplicateKey { path: at });
                        }
                        *key = Some(PendingKey::Key(text));
                        Ok(())
                    }
                    Some(PendingKey::Merge) => {
                        match built.value {
                            source @ Value::Mapping(_) => merges.push(source),
                            Value::Sequence(sources) if sources.iter().all(Value::is_mapping) => {
                                merges.extend(sources)
                            }
                            _ => return Err(InputError::Merge { path }),
                        }
                        Ok(())
                    }
                    Some(PendingKey::Key(text)) => {
                        if let Value::Number(number) = &built.value {
                            if number.as_f64().is_some_and(|f| !f.is_finite()) {
                                return Err(InputError::NotFinite { path });
                            }
                        }
                        map.insert(Value::String(text), built.value);
                        Ok(())
                    }
                }
            }
        }
    }
}

/// A key as Helm sees it: strings stay, booleans and numbers become their text (as
/// sigs.k8s.io/yaml writes them), anything else is refused.
fn key_text(key: &Value, path: &str) -> Result<String, InputError> {
    let refuse = |problem| {
        Err(InputError::Key {
            path: path.to_string(),
            problem,
        })
    };
    match key {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => {
            if let Some(int) = number.as_i64() {
                Ok(int.to_string())
            } else if let Some(uint) = number.as_u64() {
                Ok(uint.to_string())
            } else {
                match number.as_f64() {
                    Some(float) if float.is_finite() => Ok(format!("{}", float as f32)),
                    _ => refuse(KeyProblem::NotFinite),
                }
            }
        }
        Value::Null => refuse(KeyProblem::Null),
        Value::Sequence(_) | Value::Mapping(_) => refuse(KeyProblem::Collection),
        Value::Tagged(_) => refuse(KeyProblem::Tagged),
    }
}

fn is_core_tag(tag: &Tag) -> bool {
    tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!"
}

fn tag_text(tag: &Tag) -> String {
    if is_core_tag(tag) {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        _ => "text".to_string(),
    }
}

/// How go-yaml v2 (Helm's reader) resolves a plain scalar.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => return Value::Number(Number::from(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Number(Number::from(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(Number::from(f64::NEG_INFINITY)),
        _ => {}
    }
    let Some(first) = text.chars().next() else {
        return Value::Null;
    };
    if first == '.' {
        // Only a plain float can start with a dot (`.5`); Go's ParseFloat takes no underscore.
        return match parse_go_float(text) {
            Some(float) => Value::Number(Number::from(float)),
            None => Value::String(text.to_string()),
        };
    }
    if !(first.is_ascii_digit() || first == '+' || first == '-') {
        return Value::String(text.to_string());
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(number) = parse_go_int(&plain) {
        return Value::Number(number);
    }
    if is_yaml_style_float(&plain) {
        if let Some(float) = parse_go_float(&plain) {
            return Value::Number(Number::from(float));
        }
    }
    Value::String(text.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint`: a sign, then `0x`, `0o`, `0b` or a
/// leading `0` (octal) selects the base.
fn parse_go_int(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..)?)
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        let limit = i64::MIN.unsigned_abs();
        if magnitude > limit {
            return None;
        }
        // `magnitude ≤ 2^63`, so the negation fits in i64.
        Some(Number::from(0i64.checked_sub_unsigned(magnitude)?))
    } else {
        Some(match i64::try_from(magnitude) {
            Ok(int) => Number::from(int),
            Err(_) => Number::from(magnitude),
        })
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    if matches!(bytes.first(), Some(b'-' | b'+')) {
        at += 1;
    }
    let digits = |from: usize| {
        bytes
            .get(from..)
            .map(|rest| rest.iter().take_while(|b| b.is_ascii_digit()).count())
            .unwrap_or(0)
    };
    if bytes.get(at) == Some(&b'.') {
        let count = digits(at + 1);
        if count == 0 {
            return false;
        }
        at += 1 + count;
    } else {
        let count = digits(at);
        if count == 0 {
            return false;
        }
        at += count;
        if bytes.get(at) == Some(&b'.') {
            at += 1 + digits(at + 1);
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        let count = digits(at);
        if count == 0 {
            return false;
        }
        at += count;
    }
    at == bytes.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms the callers pass.
fn parse_go_float(text: &str) -> Option<f64> {
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    text.parse::<f64>().ok()
}

/// Whether a YAML 1.2 reader (and a reader of the file) would also take this plain scalar as
/// something other than text: then Helm's reading is no surprise and is not reported.
fn looks_typed_in_yaml12(text: &str) -> bool {
    matches!(
        text,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
    ) || {
        let body = text.strip_prefix(['-', '+']).unwrap_or(text);
        let decimal = !body.is_empty()
            && body.chars().all(|c| c.is_ascii_digit())
            && (body == "0" || !body.starts_with('0'));
        let hex_or_octal = body
            .strip_prefix("0x")
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()))
            || body
                .strip_prefix("0o")
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_digit(8)));
        decimal
            || hex_or_octal
            || (is_yaml_style_float(text) && !body.starts_with('0') || body.starts_with("0."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Value {
        read_yaml(text).unwrap().value
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn plain_scalars_resolve_as_helm_reads_them() {
        let value = read("a: no\nb: off\nc: 0755\nd: 1_000\ne: Yes\nf: 0x1F\ng: 1e3\nh: '0755'\ni: \"no\"\nj: 08\nk: 2001-12-14\nl: 1:20\nm: ~\nq: -0b11\n");
        assert_eq!(
            value,
            yaml("{a: false, b: false, c: 493, d: 1000, e: true, f: 31, g: 1000.0, h: '0755', i: 'no', j: 8.0, k: '2001-12-14', l: '1:20', m: null, q: -3}")
        );
    }

    #[test]
    fn surprising_readings_are_reported_and_plain_ones_are_not() {
        let read = read_yaml("enabled: no\nmode: 0755\nport: 8080\nflag: true\nname: x\n").unwrap();
        let paths: Vec<&str> = read.retyped.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["enabled", "mode"]);
        assert_eq!(read.retyped[1].read_as, "the number 493");
    }

    #[test]
    fn keys_become_the_strings_helm_makes_of_them() {
        assert_eq!(
            read("on: 1\n1: a\nfalse: b\n"),
            yaml("{'true': 1, '1': a, 'false': b}")
        );
    }

    #[test]
    fn keys_json_cannot_hold_are_refused_with_their_place() {
        for (text, problem) in [
            ("~: x\n", KeyProblem::Null),
            ("a:\n  null: 1\n", KeyProblem::Null),
            (".nan: 1\n", KeyProblem::NotFinite),
            ("? [a]\n: 1\n", KeyProblem::Collection),
            ("{a: 1}: x\n", KeyProblem::Collection),
            ("?\n", KeyProblem::Null),
        ] {
            match read_yaml(text) {
                Err(InputError::Key { problem: got, .. }) => assert_eq!(got, problem, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        let error = read_yaml("a:\n  b:\n    ~: 1\n").unwrap_err();
        assert!(error.to_string().contains("`a.b`"), "{error}");
    }

    #[test]
    fn tags_are_resolved_or_refused() {
        assert_eq!(
            read("a: !!binary aGVsbG8=\nb: !!str 0755\nc: !!int '12'\n"),
            yaml("{a: hello, b: '0755', c: 12}")
        );
        assert!(matches!(
            read_yaml("!foo k: v\n"),
            Err(InputError::Tag { .. })
        ));
        assert!(matches!(
            read_yaml("a: !!int abc\n"),
            Err(InputError::Tag { .. })
        ));
        assert!(matches!(
            read_yaml("a: !!set {x}\n"),
            Err(InputError::Tag { .. })
        ));
        assert!(matches!(
            read_yaml("a: !!binary //79\n"),
            Err(InputError::Binary { .. })
        ));
    }

    #[test]
    fn merge_keys_are_applied_with_explicit_keys_winning() {
        let value =
            read("base: &b {x: 1, w: 2}\nother: &o {w: 3, z: 4}\nc:\n  <<: [*b, *o]\n  x: 9\n");
        assert_eq!(value["c"], yaml("{x: 9, w: 2, z: 4}"));
        assert!(matches!(
            read_yaml("c:\n  <<: 1\n"),
            Err(InputError::Merge { .. })
        ));
        // A quoted "<<" is an ordinary key.
        assert_eq!(read("'<<': 1\n"), yaml("{'<<': 1}"));
    }

    #[test]
    fn alias_expansion_is_bounded_by_expanded_nodes() {
        let items = vec!["x"; 1000].join(",");
        let aliases = vec!["*a"; 1000].join(",");
        let text = format!("a: &a [{items}]\nb: [{aliases}]\n");
        assert!(text.len() < 10_000);
        assert_eq!(read_yaml(&text).unwrap_err(), InputError::TooManyNodes);
        // A few aliases are fine.
        assert_eq!(read("a: &a [1, 2]\nb: *a\n")["b"], yaml("[1, 2]"));
    }

    #[test]
    fn size_depth_documents_and_duplicates_are_refused() {
        let big = "a: ".to_string() + &"x".repeat(MAX_INPUT_BYTES);
        assert!(matches!(read_yaml(&big), Err(InputError::TooLarge { .. })));
        let deep = "[".repeat(500) + &"]".repeat(500);
        let error = read_yaml(&deep).unwrap_err();
        assert!(
            matches!(
                error,
                InputError::TooDeep { .. } | InputError::Syntax { .. }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("recursion"), "{error}");
        let block: String = (0..200)
            .map(|depth| format!("{}k:\n", "  ".repeat(depth)))
            .collect();
        assert!(matches!(read_yaml(&block), Err(InputError::TooDeep { .. })));
        assert_eq!(
            read_yaml("a: 1\n---\nb: 2\n").unwrap_err(),
            InputError::MultipleDocuments
        );
        assert!(matches!(
            read_yaml("a: 1\na: 2\n"),
            Err(InputError::DuplicateKey { .. })
        ));
        assert!(matches!(
            read_yaml("a: .inf\n"),
            Err(InputError::NotFinite { .. })
        ));
        let long_key = format!("? {}\n: 1\n", "k".repeat(1100));
        assert!(matches!(
            read_yaml(&long_key),
            Err(InputError::Key {
                problem: KeyProblem::TooLong,
                ..
            })
        ));
        assert!(matches!(
            read_yaml("a: [1\n"),
            Err(InputError::Syntax { .. })
        ));
    }

    #[test]
    fn values_files_must_be_maps() {
        assert_eq!(read_values_yaml("").unwrap().value, yaml("{}"));
        assert!(read_values_yaml("- a\n").is_err());
    }

    #[test]
    fn trees_from_json_are_checked_too() {
        assert!(check_tree(&yaml("{a: {b: [1, 2]}}")).is_ok());
        assert!(check_tree(&yaml("{a: {1: x}}")).is_err());
        assert!(check_values(yaml("[1]"), "values").is_err());
        assert_eq!(check_values(Value::Null, "values").unwrap(), yaml("{}"));
        assert!(host_values(&serde_json::json!({"a": {"b": 1}})).is_ok());
        assert!(host_values(&serde_json::json!(5)).is_err());
    }

    #[test]
    fn messages_never_quote_values() {
        let error = read_yaml("password: !!binary hunter2hunter2!\n").unwrap_err();
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
}
