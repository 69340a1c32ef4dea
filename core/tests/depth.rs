//! The deepest tree of values the input boundary accepts goes through every carrier and back: a draft, a share link, an answers file, values.yaml, an environment file and link, a host page's message.
//!
//! Each carrier wraps the values in a map or three, and its reader has a limit of its own
//! (serde_json stops at 128 levels). A tree accepted once but refused by a carrier would be lost
//! on the way: a draft saved now and refused at the next start, a link that does not open.

use std::collections::BTreeMap;

use pecfg_core::answers::{answers_yaml, parse_answers, Answers};
use pecfg_core::catalog::registry::chart;
use pecfg_core::embed_policy::{check_message, HostMessage};
use pecfg_core::environment::{
    decode_environment_fragment, encode_environment_fragment, environment_yaml, parse_environment,
    ChartBody, EnvironmentFile,
};
use pecfg_core::export::{values_yaml, ValuesMode};
use pecfg_core::import::import_values;
use pecfg_core::share::{decode_share_fragment, draft_json, encode_share_fragment, parse_draft};
use pecfg_core::validation::Evaluated;
use pecfg_core::yaml::read::{
    check_values, host_values, read_values_yaml, InputError, MAX_DEPTH, MAX_DOCUMENT_DEPTH,
};
use serde_yaml::{Mapping, Value};

/// `maps` maps nested in one another (`k0`, `k1`, …), the innermost holding `leaf: 1`.
fn nested(maps: usize) -> Value {
    let mut value = Value::Mapping(Mapping::from_iter([("leaf".into(), 1.into())]));
    for depth in (0..maps).rev() {
        value = Value::Mapping(Mapping::from_iter([(format!("k{depth}").into(), value)]));
    }
    value
}

fn nested_yaml(maps: usize) -> String {
    let mut text: String = (0..maps)
        .map(|depth| format!("{}k{depth}:\n", "  ".repeat(depth)))
        .collect();
    text.push_str(&format!("{}leaf: 1\n", "  ".repeat(maps)));
    text
}

/// The most maps `check_values` accepts around a leaf.
fn deepest() -> usize {
    let accepted = (0..=MAX_DOCUMENT_DEPTH)
        .take_while(|maps| check_values(nested(*maps), "values").is_ok())
        .count();
    accepted.saturating_sub(1)
}

#[test]
fn the_values_limit_is_the_same_for_trees_and_yaml_and_below_a_documents() {
    let maps = deepest();
    assert!(
        maps + 4 < MAX_DOCUMENT_DEPTH,
        "{maps} maps leave no room for a carrier"
    );
    assert!(matches!(
        check_values(nested(maps + 1), "values"),
        Err(InputError::TooDeep {
            limit: MAX_DEPTH,
            ..
        })
    ));
    let read = read_values_yaml(&nested_yaml(maps)).expect("the deepest tree as YAML");
    assert_eq!(read.value, nested(maps));
    let refused = read_values_yaml(&nested_yaml(maps + 1)).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains(&format!("deeper than {MAX_DEPTH} levels")),
        "{refused}"
    );
}

#[test]
fn the_deepest_accepted_values_survive_every_carrier() {
    let values = nested(deepest());
    let ixn = chart("ixn").expect("ixn is in the catalog");
    let mut answers = Answers::new("ixn");
    answers.values = values.clone();

    let draft = draft_json(&answers).expect("the draft is written");
    let restored = parse_draft(&draft).expect("the draft is read back at the next start");
    assert_eq!(restored.values, values, "draft");

    let link = encode_share_fragment(&answers).expect("the link is written");
    let opened = decode_share_fragment(&link).expect("the link opens");
    assert_eq!(opened.values, values, "share link");

    let file = parse_answers(&answers_yaml(&answers)).expect("the answers file opens");
    assert_eq!(file.values, values, "answers file");

    let (imported, _) = import_values(
        ixn,
        &values_yaml(&Evaluated::of(ixn, &answers), ValuesMode::OverridesOnly),
    )
    .expect("values.yaml imports");
    assert_eq!(imported, values, "values.yaml");

    let environment = EnvironmentFile {
        environment: "deep".into(),
        shared: BTreeMap::new(),
        charts: BTreeMap::from([(
            "ixn".to_string(),
            ChartBody {
                values: values.clone(),
                ..ChartBody::default()
            },
        )]),
        sources: BTreeMap::new(),
        air_gapped: false,
    };
    let reopened =
        parse_environment(&environment_yaml(&environment)).expect("the environment file opens");
    assert_eq!(reopened.charts["ixn"].values, values, "environment file");
    let fragment =
        encode_environment_fragment(&environment).expect("the environment link is written");
    let linked = decode_environment_fragment(&fragment).expect("the environment link opens");
    assert_eq!(linked.charts["ixn"].values, values, "environment link");

    let message =
        serde_json::json!({ "type": "pecfg:set-values", "chart": "ixn", "values": values });
    let Ok(Some(HostMessage::SetValues { values: sent, .. })) = check_message(&message.to_string())
    else {
        panic!("the host's message is refused");
    };
    let received =
        host_values(&serde_json::Value::Object(sent)).expect("the host's values are accepted");
    assert_eq!(received, values, "host message");
}
