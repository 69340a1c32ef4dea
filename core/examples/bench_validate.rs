//! Times `validation::validate` on every chart: the chart defaults and a filled answers set.
//!
//! Run with `cargo run --release -p pecfg-core --example bench_validate [RUNS]` (default 5000
//! runs per case, after a warm-up). Prints the mean and the 95th percentile per case; a figure
//! to watch, not a test.
//!
//! The validator keeps the YAML blocks (`template` values) it has parsed, as the form revalidates
//! on every change with the blocks mostly unchanged. The `new-blocks` case rewrites every block
//! on each run, so it measures the parse of every block too. The `keystroke` case is what the form
//! does per typed character: the evaluation brought up to date from the last one
//! (`evaluate_after`), one host value one character longer or shorter each time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pecfg_core::answers::{set_secret, set_value, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::catalog::{Chart, Kind, SecretFormat};
use pecfg_core::validation::{evaluate_after, validate};
use serde_yaml::Value;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(5000)
        .max(1000);
    println!("validate(), {runs} runs per case (release build recommended)");
    println!(
        "{:<16} {:<10} {:>6} {:>12} {:>12} {:>12}",
        "chart", "answers", "params", "diagnostics", "mean", "p95"
    );
    for chart in all_charts() {
        let filled = filled_answers(chart);
        let mut cases = vec![
            ("defaults", vec![Answers::new(&chart.id)]),
            ("filled", vec![filled.clone()]),
        ];
        let variants = new_block_variants(chart, &filled);
        if !variants.is_empty() {
            cases.push(("new-blocks", variants));
        }
        for (label, answers_set) in cases {
            let diagnostics = validate(chart, &answers_set[0]).len();
            for answers in answers_set.iter().cycle().take(200) {
                black_box(validate(black_box(chart), black_box(answers)));
            }
            let times: Vec<Duration> = answers_set
                .iter()
                .cycle()
                .take(runs)
                .map(|answers| {
                    let start = Instant::now();
                    black_box(validate(black_box(chart), black_box(answers)));
                    start.elapsed()
                })
                .collect();
            print_row(chart, label, diagnostics, times);
        }
        // What the form does per keystroke: the filled answers with one host or string value
        // typed one character longer and back, each evaluation brought up to date from the last.
        if let Some(typed) = keystroke_variants(chart, &filled) {
            let diagnostics = validate(chart, &typed[0]).len();
            let mut tracked = Some(evaluate_after(chart, None, &typed[0]));
            let mut times = Vec::with_capacity(runs);
            for answers in typed.iter().cycle().take(runs + 200) {
                let start = Instant::now();
                let next = evaluate_after(black_box(chart), tracked.take(), black_box(answers));
                times.push(start.elapsed());
                tracked = Some(black_box(next));
            }
            times.drain(..200);
            print_row(chart, "keystroke", diagnostics, times);
        }
    }
}

fn print_row(chart: &Chart, label: &str, diagnostics: usize, mut times: Vec<Duration>) {
    let runs = times.len();
    times.sort();
    let mean = times.iter().sum::<Duration>() / runs as u32;
    let p95 = times[(runs * 95 / 100).min(runs - 1)];
    println!(
        "{:<16} {:<10} {:>6} {:>12} {:>9.1} µs {:>9.1} µs",
        chart.id,
        label,
        chart.params.len(),
        diagnostics,
        mean.as_secs_f64() * 1e6,
        p95.as_secs_f64() * 1e6
    );
}

/// Two answers that differ in one typed character of the first host (or else string) value.
fn keystroke_variants(chart: &Chart, filled: &Answers) -> Option<[Answers; 2]> {
    let param = chart
        .params
        .iter()
        .find(|param| param.kind == Kind::Host)
        .or_else(|| chart.params.iter().find(|param| param.kind == Kind::String))?;
    let typed = |text: &str| {
        let mut answers = filled.clone();
        set_value(&mut answers.values, &param.path, Value::from(text)).ok()?;
        Some(answers)
    };
    let (shorter, longer) = (typed("db.example.co")?, typed("db.example.com")?);
    Some([shorter, longer])
}

/// 128 copies of `answers` whose YAML blocks differ by a comment line, more than the validator
/// keeps, so that every run parses its blocks afresh. Empty when the chart has no block.
fn new_block_variants(chart: &Chart, answers: &Answers) -> Vec<Answers> {
    let blocks: Vec<&str> = chart
        .params
        .iter()
        .filter(|param| param.kind == Kind::Template)
        .map(|param| param.path.as_str())
        .collect();
    if blocks.is_empty() {
        return Vec::new();
    }
    (0..128)
        .map(|run| {
            let mut variant = answers.clone();
            for path in &blocks {
                let segments = pecfg_core::path::parse_path(path).expect("catalog paths parse");
                let text = pecfg_core::path::get(&variant.values, &segments)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| {
                        let param = chart.param(path)?;
                        param.default.as_ref()?.as_str().map(str::to_string)
                    });
                if let Some(text) = text.filter(|text| !text.contains("{{")) {
                    let changed = format!("{}\n# run {run}\n", text.trim_end());
                    set_value(&mut variant.values, path, Value::from(changed)).expect("path");
                }
            }
            variant
        })
        .collect()
}

/// Every input filled: the guide's example where it gives one, otherwise a value of the kind
/// (defaults stay as they are), and every secret input.
fn filled_answers(chart: &Chart) -> Answers {
    let mut answers = Answers::new(&chart.id);
    for param in &chart.params {
        let value = match (param.examples.first(), &param.default) {
            (Some(example), _) if !example.is_null() => example.clone(),
            (_, Some(default)) if !default.is_null() => continue,
            _ => match param.kind {
                Kind::Uuid => Value::from("9350e2fc-a1dd-4c65-8d40-1f75a2e080dd"),
                Kind::Port => Value::from(3050),
                Kind::Integer | Kind::Number => Value::from(param.min.unwrap_or(1.0) as i64),
                Kind::Boolean => Value::from(true),
                Kind::Host => Value::from("host.example.com"),
                Kind::Url => Value::from("https://host.example.com"),
                Kind::DnsLabel | Kind::DnsSubdomain => Value::from("name"),
                Kind::Quantity => Value::from("1Gi"),
                Kind::Enum => param.allowed[0].clone(),
                Kind::Map => serde_yaml::from_str("{app: value}").expect("yaml"),
                Kind::StringList => serde_yaml::from_str("[a]").expect("yaml"),
                Kind::ObjectList | Kind::Yaml => continue,
                Kind::Template => Value::from("- name: extra\n  emptyDir: {}\n"),
                Kind::String if param.path.ends_with("sid") => Value::from("80dd"),
                Kind::String => Value::from("value"),
            },
        };
        set_value(&mut answers.values, &param.path, value).expect("catalog paths parse");
    }
    for secret in &chart.secrets {
        for key in &secret.keys {
            match key.format {
                SecretFormat::Plain => {
                    set_secret(&mut answers.secrets, &secret.name, &key.key, None, "value")
                }
                _ if key.fields.is_empty() => {
                    set_secret(&mut answers.secrets, &secret.name, &key.key, None, "{}")
                }
                _ => {
                    for field in &key.fields {
                        let text = match field.kind {
                            Kind::Host => "host.example.com",
                            Kind::Port => "6379",
                            _ => "value",
                        };
                        set_secret(
                            &mut answers.secrets,
                            &secret.name,
                            &key.key,
                            Some(&field.name),
                            text,
                        );
                    }
                }
            }
        }
    }
    answers
}
