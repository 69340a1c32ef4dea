//! Dotted Helm value paths (`ixnService.ixnNode.redis[0].port`): parsing, and reading/writing them in a YAML tree.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Splits a path into keys and list indexes. `a.b[0].c` → `[Key a, Key b, Index 0, Key c]`.
pub fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return Err(format!("empty key in path `{path}`"));
        }
        segments.push(Segment::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in path `{path}`"))?;
            if !rest.starts_with('[') {
                return Err(format!("unexpected text after `]` in path `{path}`"));
            }
            let index: usize = rest[1..close]
                .parse()
                .map_err(|_| format!("list index must be a number in path `{path}`"))?;
            segments.push(Segment::Index(index));
            rest = &rest[close + 1..];
        }
    }
    Ok(segments)
}

/// The last key of a path, without list indexes (`a.b[0]` → `b`).
pub fn leaf_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// Reads the value at `segments` in `tree`, if every step exists.
pub fn get<'a>(tree: &'a Value, segments: &[Segment]) -> Option<&'a Value> {
    let mut node = tree;
    for segment in segments {
        node = match (segment, node) {
            (Segment::Key(key), Value::Mapping(map)) => map.get(key.as_str())?,
            (Segment::Index(index), Value::Sequence(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Writes `value` at `segments`, creating mappings and growing lists (with nulls) on the way.
pub fn set(tree: &mut Value, segments: &[Segment], value: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *tree = value;
        return;
    };
    match first {
        Segment::Key(key) => {
            if !tree.is_mapping() {
                *tree = Value::Mapping(Mapping::new());
            }
            if let Value::Mapping(map) = tree {
                let child = map.entry(Value::String(key.clone())).or_insert(Value::Null);
                set(child, rest, value);
            }
        }
        Segment::Index(index) => {
            if !tree.is_sequence() {
                *tree = Value::Sequence(Vec::new());
            }
            if let Value::Sequence(items) = tree {
                if items.len() <= *index {
                    items.resize(*index + 1, Value::Null);
                }
                if let Some(item) = items.get_mut(*index) {
                    set(item, rest, value);
                }
            }
        }
    }
}

/// A path's text as the catalog writes it (`a.b[0].c`); the inverse of `parse_path` for keys
/// without `.` or `[`.
pub fn path_text(segments: &[Segment]) -> String {
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Index(index) => {
                text.push('[');
                text.push_str(&index.to_string());
                text.push(']');
            }
        }
    }
    text
}

/// The entries of a path-keyed map that a change at `changed` can affect: the path itself, every
/// path it runs through (`a`, `a.b` for `a.b[0]`) and every path under it (`a.b[0].c`). The empty
/// path is the whole tree. A key holding `.` or `[` can only add entries, never hide one: a path
/// that is a prefix of another in segments is a prefix of it in text, cut where a segment starts.
pub fn related_entries<'m, V>(
    index: &'m BTreeMap<String, V>,
    changed: &'m str,
) -> impl Iterator<Item = (&'m String, &'m V)> + 'm {
    // Where a shorter path may end: before each `.` or `[`, and at the start (the empty path,
    // the whole tree, is on the way to every path).
    let cuts: Vec<usize> = std::iter::once(0)
        .filter(|_| !changed.is_empty())
        .chain(
            changed
                .char_indices()
                .filter(|(_, c)| matches!(c, '.' | '['))
                .map(|(at, _)| at),
        )
        .collect();
    let around = cuts
        .into_iter()
        .filter_map(move |cut| index.get_key_value(&changed[..cut]));
    let under = index
        .range::<str, _>((
            std::ops::Bound::Included(changed),
            std::ops::Bound::Unbounded,
        ))
        .take_while(move |(key, _)| key.starts_with(changed))
        .filter({
            let length = changed.len();
            move |(key, _)| {
                length == 0 || matches!(key.as_bytes().get(length), None | Some(b'.' | b'['))
            }
        });
    around.chain(under)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expect: &[Segment]) {
        assert_eq!(parse_path(path).unwrap(), expect, "{path}");
    }

    #[test]
    fn parses_keys_and_indexes() {
        use Segment::*;
        check("a", &[Key("a".into())]);
        check(
            "ixnService.ixnNode.redis[0].port",
            &[
                Key("ixnService".into()),
                Key("ixnNode".into()),
                Key("redis".into()),
                Index(0),
                Key("port".into()),
            ],
        );
        check("m[1][2]", &[Key("m".into()), Index(1), Index(2)]);
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["", "a..b", "a[x]", "a[0", "a[0]b"] {
            assert!(parse_path(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn set_then_get_round_trips_through_lists() {
        let mut tree = Value::Null;
        let segments = parse_path("a.list[2].port").unwrap();
        set(&mut tree, &segments, Value::from(7120));
        assert_eq!(get(&tree, &segments), Some(&Value::from(7120)));
        let list = get(&tree, &parse_path("a.list").unwrap()).unwrap();
        assert_eq!(list.as_sequence().unwrap().len(), 3);
    }

    #[test]
    fn leaf_key_drops_indexes() {
        assert_eq!(leaf_key("a.b[0]"), "b");
        assert_eq!(leaf_key("port"), "port");
    }
}
