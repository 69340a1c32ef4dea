//! Properties of the one Helm merge (`values::merge`), which validation, the exporters and the
//! app all read: random trees of maps, lists, scalars and nulls, shrunk to a small counterexample
//! when a property fails.

use std::collections::BTreeMap;

use pecfg_core::path::{get, path_text, related_entries, set, Segment};
use pecfg_core::values::{changed_paths, merge, merged_at, overrides_only, patch_merged};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Scalars, nulls, and maps and lists of them, over a few keys so that trees overlap.
fn tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0i64..4).prop_map(Value::from),
        prop::sample::select(vec!["x", "y", ""]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Sequence),
            prop::collection::btree_map(prop::sample::select(vec!["a", "b", "c"]), inner, 0..4)
                .prop_map(|entries| {
                    Value::Mapping(
                        entries
                            .into_iter()
                            .map(|(key, value)| (Value::from(key), value))
                            .collect::<Mapping>(),
                    )
                }),
        ]
    })
}

/// A map at the top, as values files are.
fn values() -> impl Strategy<Value = Value> {
    tree().prop_map(|value| match value {
        Value::Mapping(_) => value,
        other => {
            let mut map = Mapping::new();
            map.insert(Value::from("a"), other);
            Value::Mapping(map)
        }
    })
}

/// Whether a map anywhere outside a list holds a null (Helm drops those).
fn map_nulls(value: &Value) -> bool {
    match value {
        Value::Mapping(map) => map.values().any(|v| v.is_null() || map_nulls(v)),
        _ => false,
    }
}

fn without_map_nulls(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_map_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// What the overrides say wins: a scalar or list they give is the merged value there, a null
    /// deletes the key, and a key they do not name keeps the base's value.
    #[test]
    fn overrides_win_key_by_key(base in values(), overrides in values()) {
        let merged = merge(&base, &overrides);
        let (Value::Mapping(b), Value::Mapping(o), Value::Mapping(m)) = (&base, &overrides, &merged) else {
            return Err(TestCaseError::fail("top-level maps"));
        };
        for (key, value) in o {
            match (value, b.get(key)) {
                (Value::Null, _) => prop_assert!(m.get(key).is_none(), "{key:?} deleted"),
                (Value::Mapping(_), Some(Value::Mapping(inner))) => prop_assert_eq!(
                    m.get(key),
                    Some(&merge(&Value::Mapping(inner.clone()), value))
                ),
                (Value::Mapping(_), _) => prop_assert!(m.get(key).is_some_and(|v| !map_nulls(v))),
                (other, _) => prop_assert_eq!(m.get(key), Some(other)),
            }
        }
        for (key, value) in b {
            if !o.contains_key(key) {
                prop_assert_eq!(m.get(key), Some(value));
            }
        }
        prop_assert!(m.keys().all(|key| b.contains_key(key) || o.contains_key(key)));
    }

    /// Merging the same overrides again changes nothing.
    #[test]
    fn merge_is_idempotent(base in values(), overrides in values()) {
        let once = merge(&base, &overrides);
        prop_assert_eq!(merge(&once, &overrides), once);
    }

    /// The overrides-only values.yaml renders as the full overrides do: dropping what equals the
    /// default never changes what Helm sees (a key a template reads as nil whether it holds null
    /// or is absent, so map nulls are compared as absent).
    #[test]
    fn overrides_only_renders_the_same(defaults in values(), overrides in values()) {
        let kept = overrides_only(&defaults, &overrides)
            .unwrap_or_else(|| Value::Mapping(Mapping::new()));
        prop_assert_eq!(
            without_map_nulls(&merge(&defaults, &kept)),
            without_map_nulls(&merge(&defaults, &overrides))
        );
    }

    /// Helm reads keys as text: `1:` overrides the default `"1":` and is written as text.
    #[test]
    fn numeric_keys_are_text(n in 0u8..3, value in tree()) {
        let mut base = Mapping::new();
        base.insert(Value::from(n.to_string()), Value::from("default"));
        let mut overrides = Mapping::new();
        overrides.insert(Value::from(n), value.clone());
        overrides.insert(Value::from(7), Value::from("new"));
        let merged = merge(&Value::Mapping(base), &Value::Mapping(overrides));
        let Value::Mapping(m) = merged else {
            return Err(TestCaseError::fail("a map"));
        };
        prop_assert!(m.keys().all(Value::is_string));
        prop_assert_eq!(m.get("7"), Some(&Value::from("new")));
        if value.is_null() {
            prop_assert!(m.get(n.to_string().as_str()).is_none());
        }
    }

    /// Reading one path of the merge without merging the rest (the derived release name) gives
    /// what the whole merge holds there, over keys and list indexes, numeric keys included.
    #[test]
    fn one_path_of_the_merge_is_the_whole_merge_there(
        base in values(),
        overrides in values(),
        numeric_key in any::<bool>(),
        path in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec!["a", "b", "c", "1"]).prop_map(|key| Segment::Key(key.to_string())),
                (0usize..3).prop_map(Segment::Index),
            ],
            0..4,
        ),
    ) {
        let mut overrides = overrides;
        if numeric_key {
            if let Value::Mapping(map) = &mut overrides {
                map.insert(Value::from(1), Value::from("one"));
            }
        }
        let whole = merge(&base, &overrides);
        prop_assert_eq!(
            merged_at(&base, &overrides, &path),
            pecfg_core::path::get(&whole, &path).cloned()
        );
    }

    /// The form revisits only the fields a change can reach: at a path that is neither under
    /// nor on the way to a changed path, the overrides and their merge onto any base are the
    /// same before and after. Numeric keys and nulls included.
    #[test]
    fn what_changed_paths_leave_out_did_not_change(
        base in values(),
        old in values(),
        new in values(),
        numeric_key in any::<bool>(),
        probes in prop::collection::vec(path(), 1..8),
    ) {
        let mut old = old;
        if numeric_key {
            if let Value::Mapping(map) = &mut old {
                map.insert(Value::from(1), Value::from("one"));
            }
        }
        let changed = changed_paths(&old, &new);
        prop_assert_eq!(changed.is_empty(), old == new);
        let (merged_old, merged_new) = (merge(&base, &old), merge(&base, &new));
        for probe in probes {
            let reached = changed.iter().any(|c| c.starts_with(&probe) || probe.starts_with(c));
            if !reached {
                prop_assert_eq!(get(&old, &probe), get(&new, &probe), "overrides at {:?}", probe);
                prop_assert_eq!(get(&merged_old, &probe), get(&merged_new, &probe), "merge at {:?}", probe);
            }
        }
    }

    /// The evaluation patches the merge where the overrides changed instead of merging again:
    /// the result is the whole merge, key order included, whether the new overrides are an edit
    /// of the old ones at a few paths (what typing does) or unrelated to them (an import).
    #[test]
    fn patching_the_merge_where_it_changed_is_the_whole_merge(
        base in values(),
        old in values(),
        other in values(),
        edits in prop::collection::vec((path(), tree()), 0..4),
        edit in any::<bool>(),
        numeric_key in any::<bool>(),
    ) {
        let mut old = old;
        if numeric_key {
            if let Value::Mapping(map) = &mut old {
                map.insert(Value::from(1), Value::from("one"));
            }
        }
        let new = if edit {
            let mut new = old.clone();
            for (at, value) in edits {
                set(&mut new, &at, value);
            }
            new
        } else {
            other
        };
        let mut patched = merge(&base, &old);
        patch_merged(&mut patched, &base, &new, &changed_paths(&old, &new));
        let whole = merge(&base, &new);
        prop_assert_eq!(&patched, &whole);
        // Same keys in the same order: values.yaml and the checks read the tree in order.
        prop_assert_eq!(serde_yaml::to_string(&patched).ok(), serde_yaml::to_string(&whole).ok());
    }

    /// The index lookup finds exactly the paths related to a changed one, by text: every path
    /// on the way to it or under it, and no other (keys here hold no `.` or `[`); the empty path is the whole tree.
    #[test]
    fn related_entries_are_the_related_paths(
        paths in prop::collection::vec(path(), 0..12),
        changed in prop_oneof![Just(Vec::new()), path()],
    ) {
        let index: BTreeMap<String, Vec<Segment>> =
            paths.iter().map(|segments| (path_text(segments), segments.clone())).collect();
        let text = path_text(&changed);
        let mut found: Vec<&Vec<Segment>> =
            related_entries(&index, &text).map(|(_, segments)| segments).collect();
        found.sort();
        found.dedup();
        let mut expected: Vec<&Vec<Segment>> = index
            .values()
            .filter(|segments| segments.starts_with(&changed) || changed.starts_with(segments))
            .collect();
        expected.sort();
        prop_assert_eq!(found, expected);
    }

    /// Keys holding `.` or `[` (a hostile values file can write any key) may make the lookup
    /// visit fields it need not, but never miss one that a change reaches.
    #[test]
    fn related_entries_miss_nothing_with_dotted_keys(
        paths in prop::collection::vec(odd_path(), 0..12),
        changed in odd_path(),
    ) {
        let index: BTreeMap<String, Vec<Segment>> =
            paths.iter().map(|segments| (path_text(segments), segments.clone())).collect();
        let text = path_text(&changed);
        let found: Vec<&Vec<Segment>> =
            related_entries(&index, &text).map(|(_, segments)| segments).collect();
        for segments in index.values() {
            if segments.starts_with(&changed) || changed.starts_with(segments) {
                prop_assert!(found.contains(&segments), "{:?} missed for {:?}", segments, changed);
            }
        }
    }
}

/// A path over the trees' keys: keys (a numeric one too) and list indexes, starting with a key
/// as the catalog's paths do.
fn path() -> impl Strategy<Value = Vec<Segment>> {
    let segment = prop_oneof![
        prop::sample::select(vec!["a", "b", "c", "ab", "1"])
            .prop_map(|key| Segment::Key(key.to_string())),
        (0usize..3).prop_map(Segment::Index),
    ];
    (
        prop::sample::select(vec!["a", "b", "c", "ab", "1"]),
        prop::collection::vec(segment, 0..4),
    )
        .prop_map(|(first, rest)| {
            let mut segments = vec![Segment::Key(first.to_string())];
            segments.extend(rest);
            segments
        })
}

/// A path whose keys may hold the path syntax itself.
fn odd_path() -> impl Strategy<Value = Vec<Segment>> {
    let key = prop::sample::select(vec!["a", "a.b", "b", "b[1]", "a[", ".", ""]);
    prop::collection::vec(
        prop_oneof![
            key.prop_map(|key| Segment::Key(key.to_string())),
            (0usize..2).prop_map(Segment::Index),
        ],
        0..4,
    )
}
