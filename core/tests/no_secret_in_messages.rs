//! No diagnostic quotes a secret or sensitive value: every secret input and every `sensitive` parameter of every chart, filled with values of every shape (text, a number, a list, a map, malformed JSON for JSON-valued keys), validated, and every message searched for the value.

use pecfg_core::answers::{set_secret, set_value, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::validation::validate;
use serde_yaml::Value;

const MARK: &str = "Zq9mark";

fn messages(chart: &pecfg_core::catalog::Chart, answers: &Answers) -> String {
    validate(chart, answers)
        .iter()
        .map(|diagnostic| format!("{}\n", diagnostic.message))
        .collect()
}

#[test]
fn sensitive_values_of_any_shape_are_never_quoted() {
    let shapes = [
        format!("{MARK}-text"),
        "97531864".to_string(),
        format!("[{MARK}-item]"),
        format!("{{k: {MARK}-map}}"),
        format!("\"  {MARK}-spaced  \""),
        format!("\"{MARK}-line1\\n{MARK}-line2\""),
    ];
    let mut checked = 0;
    for chart in all_charts() {
        for param in chart.params.iter().filter(|param| param.sensitive) {
            for shape in &shapes {
                let value: Value = serde_yaml::from_str(shape).expect("a YAML value");
                let mut answers = Answers::new(&chart.id);
                set_value(&mut answers.values, &param.path, value).expect("a catalog path");
                let text = messages(chart, &answers);
                assert!(
                    !text.contains(MARK) && !text.contains("97531864"),
                    "{} {} = {shape}:\n{text}",
                    chart.id,
                    param.path
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 6 * 7,
        "every sensitive parameter was tried ({checked} cases)"
    );
}

#[test]
fn secret_values_of_any_shape_are_never_quoted() {
    let texts = [
        format!("{MARK}-secret"),
        format!("{{\"password\": \"{MARK}-pw\", \"bootstrap\": \"k:9092\",}}"),
        format!("[\"{MARK}-list\"]"),
        format!("{MARK}-line1\n{MARK}-line2"),
        "86420975".to_string(),
    ];
    let mut checked = 0;
    for chart in all_charts() {
        for secret in &chart.secrets {
            for key in &secret.keys {
                for text in &texts {
                    let mut answers = Answers::new(&chart.id);
                    set_secret(&mut answers.secrets, &secret.name, &key.key, None, text);
                    for field in &key.fields {
                        // The fields too, where the key is structured.
                        let mut with_field = Answers::new(&chart.id);
                        set_secret(
                            &mut with_field.secrets,
                            &secret.name,
                            &key.key,
                            Some(&field.name),
                            text,
                        );
                        let found = messages(chart, &with_field);
                        assert!(
                            !found.contains(MARK) && !found.contains("86420975"),
                            "{} {}/{}/{} = {text:?}:\n{found}",
                            chart.id,
                            secret.name,
                            key.key,
                            field.name
                        );
                    }
                    let found = messages(chart, &answers);
                    assert!(
                        !found.contains(MARK) && !found.contains("86420975"),
                        "{} {}/{} = {text:?}:\n{found}",
                        chart.id,
                        secret.name,
                        key.key
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 20, "secret inputs were tried ({checked} cases)");
}
