//! The evaluation brought up to date after a change (`validation::evaluate_after`, what the form does on every keystroke) is the evaluation made from scratch: on every chart, along random sequences of edits (values set, reset or nulled at catalog paths and at paths no parameter has, and the whole overrides replaced), merged tree, key order, diagnostics and their order, and release.

use pecfg_core::answers::{reset_value, set_value, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::path::{set, Segment};
use pecfg_core::validation::{evaluate, evaluate_after};
use pecfg_core::values::{changed_paths, new_answers};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Values a form, an editor or an import may write: scalars of every kind, blanks, nulls,
/// placeholders, and small maps and lists.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..70000).prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "x",
            "3",
            "true",
            "no",
            "1Gi",
            "500m",
            "${TENANT}",
            "a.b.c",
            "Always",
            "-x",
            "db.example.com",
            "9350e2fc-a1dd-4c65-8d40-1f75a2e080dd",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Sequence),
            prop::collection::btree_map(
                prop::sample::select(vec!["name", "enabled", "a", "b"]),
                inner,
                0..3
            )
            .prop_map(|entries| Value::Mapping(
                entries
                    .into_iter()
                    .map(|(key, value)| (Value::from(key), value))
                    .collect::<Mapping>()
            )),
        ]
    })
}

#[derive(Debug, Clone)]
enum Edit {
    /// A value at the path of the parameter with this index (modulo the chart's count).
    Set(usize, Value),
    /// The parameter's override removed (back to its default).
    Reset(usize),
    /// A value at a path under a parameter's, or next to it (a key no parameter has).
    Under(usize, String, Value),
    /// The whole overrides replaced (an import, a share link, the YAML editor).
    Replace(Value),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), value()).prop_map(|(at, value)| Edit::Set(at, value)),
        2 => any::<usize>().prop_map(Edit::Reset),
        2 => (any::<usize>(), prop::sample::select(vec!["extra", "name", "0"]), value())
            .prop_map(|(at, key, value)| Edit::Under(at, key.to_string(), value)),
        1 => value().prop_map(Edit::Replace),
    ]
}

fn apply(answers: &mut Answers, edit: Edit) {
    let Some(chart) = all_charts().iter().find(|chart| chart.id == answers.chart) else {
        return;
    };
    let path = |at: usize| chart.params[at % chart.params.len()].path.clone();
    match edit {
        Edit::Set(at, value) => {
            let _ = set_value(&mut answers.values, &path(at), value);
        }
        Edit::Reset(at) => {
            let _ = reset_value(&mut answers.values, &path(at));
        }
        Edit::Under(at, key, value) => {
            let Ok(mut segments) = pecfg_core::path::parse_path(&path(at)) else {
                return;
            };
            if key == "extra" {
                segments.pop();
            }
            segments.push(Segment::Key(key));
            set(&mut answers.values, &segments, value);
        }
        Edit::Replace(value) => {
            answers.values = match value {
                map @ Value::Mapping(_) => map,
                _ => Value::Mapping(Mapping::new()),
            };
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_evaluation_after_a_change_is_the_evaluation_from_scratch(
        chart in 0usize..5,
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        let chart = all_charts()[chart % all_charts().len()];
        let mut answers = new_answers(chart);
        let mut tracked = evaluate_after(chart, None, &answers);
        prop_assert_eq!(&tracked.evaluation, &evaluate(chart, &answers));
        for edit in edits {
            apply(&mut answers, edit);
            tracked = evaluate_after(chart, Some(tracked), &answers);
            let whole = evaluate(chart, &answers);
            prop_assert_eq!(&tracked.evaluation, &whole);
            prop_assert_eq!(
                serde_yaml::to_string(&tracked.evaluation.merged).ok(),
                serde_yaml::to_string(&whole.merged).ok(),
                "key order"
            );
        }
    }

    /// A reader that follows every evaluation (the app's field feed) learns where the overrides
    /// changed from the evaluation itself: exactly `changed_paths` of the one it followed, nothing
    /// from itself, and nothing it can trust from an older one or one made afresh.
    #[test]
    fn an_evaluation_says_where_it_changed_since_the_one_it_followed(
        chart in 0usize..5,
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let chart = all_charts()[chart % all_charts().len()];
        let mut answers = new_answers(chart);
        let mut tracked = evaluate_after(chart, None, &answers);
        prop_assert_eq!(tracked.changes_since(tracked.generation()), Some(&[][..]));
        prop_assert_eq!(tracked.changes_since(tracked.generation().wrapping_sub(1)), None, "made afresh");
        let mut older: Option<u64> = None;
        for edit in edits {
            let before = answers.values.clone();
            let followed = tracked.generation();
            apply(&mut answers, edit);
            tracked = evaluate_after(chart, Some(tracked), &answers);
            prop_assert!(tracked.generation() > followed);
            prop_assert_eq!(tracked.changes_since(followed), Some(&changed_paths(&before, &answers.values)[..]));
            prop_assert_eq!(tracked.changes_since(tracked.generation()), Some(&[][..]));
            if let Some(older) = older {
                prop_assert_eq!(tracked.changes_since(older), None, "two evaluations back");
            }
            older = Some(followed);
        }
        let other = all_charts().iter().find(|other| other.id != chart.id).copied().unwrap_or(chart);
        let last = tracked.generation();
        let afresh = evaluate_after(other, Some(tracked), &new_answers(other));
        if other.id != chart.id {
            prop_assert_eq!(afresh.changes_since(last), None, "another chart's evaluation starts afresh");
        }
    }

    /// An evaluation of another chart's answers is never patched: it starts afresh.
    #[test]
    fn an_evaluation_of_another_chart_is_not_reused(first in 0usize..5, second in 0usize..5) {
        let charts = all_charts();
        let (first, second) = (charts[first % charts.len()], charts[second % charts.len()]);
        let tracked = evaluate_after(first, None, &new_answers(first));
        let answers = new_answers(second);
        prop_assert_eq!(evaluate_after(second, Some(tracked), &answers).evaluation, evaluate(second, &answers));
    }
}
