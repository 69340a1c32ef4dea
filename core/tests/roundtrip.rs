//! Properties of import and export (proptest): a values.yaml imported, exported and imported again is what the first import read (idempotence), every plain scalar keeps Helm's YAML 1.1 reading through the round trip, and random answers go through validation and every exporter without a panic, with a values.yaml that reads back as the overrides.
//!
//! The YAML 1.1 reading of a scalar is modelled here independently of `input::resolve_plain`
//! (go-yaml v2's rules as tables), so the import is checked against the model, not against itself.

use pecfg_core::answers::{set_value, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::export::{
    commands_ps1, commands_sh, render_files, secrets_yaml, values_yaml, ExportOptions, HelmFlavor,
    SecretEncoding, ValuesMode,
};
use pecfg_core::import::import_values;
use pecfg_core::validation::Evaluated;
use pecfg_core::values::{defaults_ref, overrides_only};
use pecfg_core::yaml::read::read_values_yaml;
use proptest::prelude::*;
use serde_yaml::{Mapping, Number, Value};

/// One scalar as written in a values file, and what Helm reads it as.
#[derive(Debug, Clone)]
struct Scalar {
    written: String,
    read: Value,
}

/// go-yaml v2's booleans: exactly these spellings (`yEs` is text).
const TRUE: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
];
const FALSE: &[&str] = &[
    "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
];
const NULL: &[&str] = &["~", "null", "Null", "NULL"];

/// A word of y/n/yes/no/on/off/true/false/null in a random casing, read by the tables above.
fn cased_word() -> impl Strategy<Value = Scalar> {
    (
        prop::sample::select(vec![
            "y", "n", "yes", "no", "on", "off", "true", "false", "null",
        ]),
        prop::collection::vec(any::<bool>(), 5),
    )
        .prop_map(|(word, upper)| {
            let written: String = word
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
                .collect();
            let read = if TRUE.contains(&written.as_str()) {
                Value::Bool(true)
            } else if FALSE.contains(&written.as_str()) {
                Value::Bool(false)
            } else if NULL.contains(&written.as_str()) {
                Value::Null
            } else {
                Value::String(written.clone())
            };
            Scalar { written, read }
        })
}

/// Numbers and look-alikes, each with go-yaml v2's reading.
fn numeric() -> impl Strategy<Value = Scalar> {
    let fixed: Vec<(&str, Value)> = vec![
        ("0755", Value::from(493)),
        ("0x1F", Value::from(31)),
        ("0o17", Value::from(15)),
        ("0b11", Value::from(3)),
        ("-0b11", Value::from(-3)),
        ("1_000", Value::from(1000)),
        ("+12", Value::from(12)),
        ("08", Value::from(8.0)),
        ("1e3", Value::from(1000.0)),
        ("1E3", Value::from(1000.0)),
        (".5", Value::from(0.5)),
        ("-.5", Value::from(-0.5)),
        ("1.", Value::from(1.0)),
        ("6.02e+23", Value::from(6.02e23)),
        ("9200", Value::from(9200)),
        ("-0", Value::from(0)),
        (
            "18446744073709551615",
            Value::Number(Number::from(u64::MAX)),
        ),
        ("~", Value::Null),
        // Helm's reader keeps timestamps and sexagesimals as the text written.
        ("2001-12-14", Value::from("2001-12-14")),
        (
            "2001-12-14t21:59:43.10-05:00",
            Value::from("2001-12-14t21:59:43.10-05:00"),
        ),
        ("1:20", Value::from("1:20")),
        ("12:30:45", Value::from("12:30:45")),
        ("1.2.3", Value::from("1.2.3")),
        ("0x", Value::from("0x")),
        ("1_", Value::from(1)),
        ("._5", Value::from("._5")),
    ];
    prop_oneof![
        prop::sample::select(fixed).prop_map(|(written, read)| Scalar {
            written: written.to_string(),
            read,
        }),
        any::<i64>().prop_map(|n| Scalar {
            written: n.to_string(),
            read: Value::from(n),
        }),
        (0u32..0o7777).prop_map(|n| Scalar {
            written: format!("0{n:o}"),
            read: if n == 0 {
                Value::from(0)
            } else {
                Value::from(i64::from(n))
            },
        }),
    ]
}

/// Text that needs quoting: `: `, ` #`, spaces at the ends, Unicode, control characters. Written
/// double-quoted with escapes, read as the text.
fn quoted_text() -> impl Strategy<Value = Scalar> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            ": ", " #", " ", "\t", "\n", "\r", "'", "\"", "\\", "é", "日本", "🚀", "\u{85}",
            "\u{a0}", "\u{2028}", "\u{feff}", "\u{1}", "\u{1b}", "\u{7f}", "\u{0}", "yes", "0755",
            "- ", "{", "[", "&a", "*a", "!!", "%", "@", "`", "---", "...", "<<",
        ])
        .prop_map(str::to_string),
        "[a-z0-9]{1,4}",
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| {
        let text: String = pieces.concat();
        Scalar {
            written: double_quoted(&text),
            read: Value::String(text),
        }
    })
}

/// A YAML double-quoted scalar, every character outside printable ASCII escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![cased_word(), numeric(), quoted_text()]
}

/// A values file as text (flow style, so that any scalar fits on its line), and the tree Helm
/// reads from it. Keys are not in any catalog, so the export keeps every key.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(Scalar),
    List(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl Tree {
    fn text(&self) -> String {
        match self {
            Tree::Leaf(scalar) => scalar.written.clone(),
            Tree::List(items) => format!(
                "[{}]",
                items.iter().map(Tree::text).collect::<Vec<_>>().join(", ")
            ),
            Tree::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(key, value)| format!("{key}: {}", value.text()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn read(&self) -> Value {
        match self {
            Tree::Leaf(scalar) => scalar.read.clone(),
            Tree::List(items) => Value::Sequence(items.iter().map(Tree::read).collect()),
            Tree::Map(entries) => Value::Mapping(
                entries
                    .iter()
                    .map(|(key, value)| (Value::from(key.as_str()), value.read()))
                    .collect(),
            ),
        }
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    scalar()
        .prop_map(Tree::Leaf)
        .prop_recursive(3, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Tree::List),
                prop::collection::btree_map("zz[a-e]", inner, 0..4)
                    .prop_map(|entries| Tree::Map(entries.into_iter().collect())),
            ]
        })
}

/// A values file: a map of unknown keys at the top.
fn values_file() -> impl Strategy<Value = Tree> {
    prop::collection::btree_map("zz[a-h]", tree(), 1..6)
        .prop_map(|entries| Tree::Map(entries.into_iter().collect()))
}

fn answers_with(chart_id: &str, values: Value) -> Answers {
    let mut answers = Answers::new(chart_id);
    answers.values = values;
    answers
}

/// Nulls in maps (outside lists) deleted: what Helm makes of a null where no default is.
fn without_map_nulls(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), without_map_nulls(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// import(values_yaml(import(x))) == import(x), up to the nulls that delete nothing, and
    /// every scalar is read as go-yaml v2 reads it, before and after the round trip.
    #[test]
    fn import_then_export_is_idempotent_and_keeps_helms_reading(file in values_file(), chart in 0usize..5) {
        let chart = &all_charts()[chart];
        let text = file.text();
        let (first, _) = import_values(chart, &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&first, &file.read(), "the import reads {} otherwise", text);
        let exported = values_yaml(&Evaluated::of(chart, &answers_with(&chart.id, first.clone())), ValuesMode::OverridesOnly);
        let (second, report) = import_values(chart, &exported).map_err(|e| TestCaseError::fail(format!("{e}\n{exported}")))?;
        // Only the overrides are written: a null that deletes no default is left out.
        let meant = overrides_only(defaults_ref(chart), &first).unwrap_or_else(|| Value::Mapping(Mapping::new()));
        prop_assert_eq!(&second, &meant, "values.yaml reads back otherwise:\n{}", exported);
        prop_assert_eq!(&without_map_nulls(&second), &without_map_nulls(&first), "Helm reads the export otherwise:\n{}", exported);
        prop_assert!(report.retyped.is_empty(), "the export left plain scalars Helm retypes: {:?}\n{}", report.retyped, exported);
        let again = values_yaml(&Evaluated::of(chart, &answers_with(&chart.id, second.clone())), ValuesMode::OverridesOnly);
        prop_assert_eq!(&again, &exported, "a second round trip writes other bytes");
    }
}

/// Random answers: a chart, values at random catalog paths (any tree), unknown keys, secrets
/// (spec, key, text), and export option flags.
type RandomAnswers = (
    usize,
    Vec<(usize, Tree)>,
    Vec<(String, Tree)>,
    Vec<(usize, usize, String)>,
    u8,
);

fn answers() -> impl Strategy<Value = RandomAnswers> {
    (
        0usize..5,
        prop::collection::vec((any::<usize>(), tree()), 0..10),
        prop::collection::vec(("[a-z]{1,3}", tree()), 0..3),
        prop::collection::vec((any::<usize>(), any::<usize>(), ".{0,12}"), 0..5),
        any::<u8>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random answers through validation and every exporter: no panic, values.yaml reads back
    /// through the boundary as exactly the overrides it was written from.
    #[test]
    fn random_answers_through_every_exporter((chart, params, free, secrets, flags) in answers()) {
        let chart = &all_charts()[chart];
        let mut values = Value::Mapping(Mapping::new());
        for (index, tree) in &params {
            let param = &chart.params[index % chart.params.len()];
            set_value(&mut values, &param.path, tree.read()).unwrap();
        }
        for (key, tree) in &free {
            values.as_mapping_mut().unwrap().insert(Value::from(key.as_str()), tree.read());
        }
        let mut answers = answers_with(&chart.id, values);
        for (spec, key, text) in &secrets {
            if chart.secrets.is_empty() {
                break;
            }
            let spec = &chart.secrets[spec % chart.secrets.len()];
            let key = &spec.keys[key % spec.keys.len()];
            answers.secrets.entry(spec.name.clone()).or_default().insert(key.key.clone(), Value::from(text.as_str()));
        }
        let options = ExportOptions {
            values_mode: if flags & 1 == 0 { ValuesMode::OverridesOnly } else { ValuesMode::Full },
            secret_encoding: if flags & 2 == 0 { SecretEncoding::Data } else { SecretEncoding::StringData },
            helm: if flags & 4 == 0 { HelmFlavor::V4 } else { HelmFlavor::V3 },
            sealed_secrets: flags & 8 != 0,
            ..ExportOptions::default()
        };
        let _ = pecfg_core::validation::validate(chart, &answers);
        let files = render_files(&Evaluated::of(chart, &answers), &options);
        prop_assert_eq!(files.len(), 4);
        let _ = commands_ps1(&Evaluated::of(chart, &answers), &options);
        let _ = commands_sh(&Evaluated::of(chart, &answers), &options);
        let _ = secrets_yaml(&Evaluated::of(chart, &answers), options.secret_encoding);
        let text = values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly);
        let read = read_values_yaml(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let meant = overrides_only(defaults_ref(chart), &answers.values).unwrap_or_else(|| Value::Mapping(Mapping::new()));
        prop_assert_eq!(&read.value, &meant, "values.yaml reads back otherwise:\n{}", text);
    }
}
