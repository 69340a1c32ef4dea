//! Generates the benchmark's large chart: the IXN catalog plus prefixed copies of its parameters,
//! ~1,500 parameters in the catalog format, so `make bench` can show how costs grow with the
//! catalog. Only bench builds (`--features bench-chart`) compile it in; it is never shipped.
//!
//! `cargo run -p pecfg-core --example gen_bench_chart -- OUT.yaml [PARAMS]`

use serde_yaml::{Mapping, Value};

const IXN: &str = include_str!("../../catalog/ixn.yaml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: gen_bench_chart OUT.yaml [PARAMS]")?;
    let wanted: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1500);
    let mut chart: Mapping = serde_yaml::from_str(IXN)?;
    let key = |name: &str| Value::String(name.to_string());
    let params = chart
        .get(key("params"))
        .and_then(Value::as_sequence)
        .cloned()
        .ok_or("ixn.yaml has no params")?;
    let sections = chart
        .get(key("sections"))
        .and_then(Value::as_sequence)
        .cloned()
        .ok_or("ixn.yaml has no sections")?;
    // The original IXN parameters stay as they are (the benchmark types into one of them, and
    // the chart's rules, secrets and platform paths name them); copies live under `copyN.`.
    let mut all_params = params.clone();
    let mut all_sections = sections.clone();
    let mut copy = 1;
    while all_params.len() < wanted {
        for section in &sections {
            let mut section = section.clone();
            rename(&mut section, "id", |id| format!("copy{copy}-{id}"));
            rename(&mut section, "title", |title| {
                format!("{title} (copy {copy})")
            });
            all_sections.push(section);
        }
        for param in params.iter().take(wanted - all_params.len()) {
            let mut param = param.clone();
            rename(&mut param, "path", |path| format!("copy{copy}.{path}"));
            rename(&mut param, "section", |id| format!("copy{copy}-{id}"));
            // A copy must not claim the original's Secret or release-name role.
            if let Some(map) = param.as_mapping_mut() {
                map.remove(key("secret_ref"));
            }
            all_params.push(param);
        }
        copy += 1;
    }
    chart.insert(key("id"), key("bench1500"));
    chart.insert(
        key("name"),
        key(&format!("Generated ({} parameters)", all_params.len())),
    );
    chart.insert(key("params"), Value::Sequence(all_params));
    chart.insert(key("sections"), Value::Sequence(all_sections));
    let text = serde_yaml::to_string(&chart)?;
    // The app must load it: a file the catalog model refuses is no benchmark.
    let parsed = pecfg_core::catalog::parse_chart(&text)?;
    std::fs::write(&out, text)?;
    println!("{out}: {} parameters", parsed.params.len());
    Ok(())
}

fn rename(node: &mut Value, field: &str, change: impl Fn(&str) -> String) {
    if let Some(Value::String(text)) = node.get_mut(field) {
        *text = change(text);
    }
}
