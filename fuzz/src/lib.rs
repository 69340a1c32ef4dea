//! The fuzz targets of pecfg-core as plain functions (one per entry point where input arrives), and the oracles every accepted input must pass; `fuzz_targets/*.rs` hand them libFuzzer's bytes, `tests/replay.rs` the saved corpus.
//!
//! A target panics when an oracle fails: that is what libFuzzer records as a crash. Each returns
//! the files it exported (values.yaml with the values it must read back as, the scripts), so the
//! replay can hand them to the slow external readers (PyYAML, `bash -n`) after the run.

pub mod gen;
pub mod scan;

use arbitrary::Unstructured;
use pecfg_core::validation::Evaluated;
use pecfg_core::catalog::{Chart, SecretFormat};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::export::{
    blocking_reasons, commands_ps1, commands_sh, commands_sh_redacted, filled_secrets,
    render_files, secrets_yaml, secrets_yaml_redacted, values_yaml, zip_bytes, ExportOptions,
    HelmFlavor, SecretEncoding, ValuesMode,
};
use pecfg_core::yaml::read::{check_values, host_values, read_values_yaml, read_yaml_documents};
use pecfg_core::share::{
    decode_share_fragment, draft_json, encode_share_fragment, parse_draft, without_secrets,
};
use pecfg_core::answers::Answers;
use pecfg_core::values::{defaults_ref, merge, merged_values, overrides_only};
use serde_yaml::{Mapping, Value};

/// Every target, by the name of its `fuzz_targets/` file and corpus folder.
pub const TARGETS: &[&str] = &[
    "import_values",
    "import_answers",
    "import_secrets",
    "edit_yaml",
    "share_decode",
    "set_values",
    "export_answers",
    "environment",
    "group",
    "protocol",
];

/// What a run exported, for the replay's external readers.
#[derive(Debug, Default)]
pub struct Exported {
    /// values.yaml texts, each with the JSON PyYAML must read it as.
    pub values_files: Vec<(String, serde_json::Value)>,
    /// commands.sh texts.
    pub scripts: Vec<String>,
    /// secrets.yaml texts (PyYAML must read each as documents with string keys).
    pub secrets_files: Vec<String>,
    /// Every check for every input (the replay); the fuzzer skips the costliest for most inputs.
    pub thorough: bool,
}

/// Runs one target on one input.
pub fn run(target: &str, data: &[u8]) -> Exported {
    run_with(target, data, false)
}

/// [`run`], with every check for every input when `thorough`.
pub fn run_with(target: &str, data: &[u8], thorough: bool) -> Exported {
    let mut out = Exported {
        thorough,
        ..Exported::default()
    };
    match target {
        "import_values" => import_values(data, &mut out),
        "import_answers" => import_answers(data, &mut out),
        "import_secrets" => import_secrets(data, &mut out),
        "edit_yaml" => edit_yaml(data, &mut out),
        "share_decode" => share_decode(data, &mut out),
        "set_values" => set_values(data, &mut out),
        "export_answers" => export_answers(data, &mut out),
        "environment" => environment(data, &mut out),
        "group" => group(data, &mut out),
        "protocol" => protocol(data),
        other => panic!("unknown target {other}"),
    }
    out
}

/// The first byte picks the chart; the rest is text.
fn chart_and_text(data: &[u8]) -> Option<(&'static Chart, &str)> {
    let (first, rest) = data.split_first()?;
    let charts = all_charts();
    let chart = &charts[usize::from(*first) % charts.len()];
    Some((chart, std::str::from_utf8(rest).ok()?))
}

fn empty_map() -> Value {
    Value::Mapping(Mapping::new())
}

/// Answers as a page would hold them while the user works: a few values, every sensitive
/// parameter set (marked), and a marked value for every plain key of every secret.
fn working_answers(chart: &Chart) -> Answers {
    let mut answers = Answers::new(&chart.id);
    for (index, param) in chart
        .params
        .iter()
        .filter(|param| param.sensitive)
        .enumerate()
    {
        let _ = pecfg_core::answers::set_value(
            &mut answers.values,
            &param.path,
            Value::String(format!("{}{index}-x", gen::SENSITIVE)),
        );
    }
    for spec in &chart.secrets {
        for (index, key) in spec.keys.iter().enumerate() {
            if key.format == SecretFormat::Plain {
                answers
                    .secrets
                    .entry(spec.name.clone())
                    .or_default()
                    .insert(
                        key.key.clone(),
                        Value::String(format!("{}{index} 'q' $x", gen::SECRET)),
                    );
            }
        }
    }
    answers
}

/// What the form computes per change, the evaluation brought up to date from the one before
/// (`evaluate_after`: the merge patched, only the reachable parameters checked again), is the
/// evaluation made afresh.
fn evaluation_follows_the_change(chart: &Chart, before: &Answers, after: &Answers) {
    let earlier = pecfg_core::validation::evaluate_after(chart, None, before);
    let tracked = pecfg_core::validation::evaluate_after(chart, Some(earlier), after);
    assert_eq!(
        tracked.evaluation,
        pecfg_core::validation::evaluate(chart, after),
        "the evaluation brought up to date differs from the one made afresh"
    );
}

// ----------------------------------------------------------------------------- targets

/// Import of a values.yaml: the boundary, the report, then every oracle on what was kept.
fn import_values(data: &[u8], out: &mut Exported) {
    let Some((chart, text)) = chart_and_text(data) else {
        return;
    };
    let Ok((values, report)) = pecfg_core::import::import_values(chart, text) else {
        return;
    };
    // What the import kept is a tree the boundary accepts as it is.
    check_values(values.clone(), "imported").expect("the import keeps only accepted trees");
    let _ = format!("{report:?}");
    let mut answers = Answers::new(&chart.id);
    answers.values = values;
    accepted(
        chart,
        &answers,
        &ExportOptions::default(),
        !text.contains(gen::MARKER),
        out,
    );
}

/// An answers file (`pecfg validate/render --answers`, the page's "Load answers").
fn import_answers(data: &[u8], out: &mut Exported) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(answers) = pecfg_core::answers::parse_answers(text) else {
        return;
    };
    let Some(chart) = pecfg_core::catalog::registry::chart(&answers.chart) else {
        return;
    };
    accepted(chart, &answers, &ExportOptions::default(), false, out);
}

/// secrets.yaml (or `kubectl get -o yaml`) read back into the secret fields.
fn import_secrets(data: &[u8], out: &mut Exported) {
    let Some((chart, text)) = chart_and_text(data) else {
        return;
    };
    let Ok(secrets) = pecfg_core::import::secrets_from_manifests(chart, text) else {
        return;
    };
    let mut answers = Answers::new(&chart.id);
    answers.secrets = secrets;
    // Secrets change no values file, no draft and no link.
    let bare = Answers::new(&chart.id);
    for mode in [ValuesMode::OverridesOnly, ValuesMode::Full] {
        assert_eq!(
            values_yaml(&Evaluated::of(chart, &answers), mode),
            values_yaml(&Evaluated::of(chart, &bare), mode)
        );
    }
    assert_eq!(draft_json(&answers), draft_json(&bare));
    assert_eq!(
        encode_share_fragment(&answers),
        encode_share_fragment(&bare)
    );
    accepted(chart, &answers, &ExportOptions::default(), false, out);
}

/// Edit YAML: the typed text through the boundary, then the store's update (the mask put back).
fn edit_yaml(data: &[u8], out: &mut Exported) {
    let Some((chart, text)) = chart_and_text(data) else {
        return;
    };
    let current = working_answers(chart);
    let Ok(read) = read_values_yaml(text) else {
        return;
    };
    let edited = read.value;
    let values = pecfg_core::mask::unmask(chart, &edited, &current.values);
    // Applying the masked text never deploys the mask as a password.
    for param in chart.params.iter().filter(|param| param.sensitive) {
        let segments = pecfg_core::path::parse_path(&param.path).expect("catalog paths parse");
        let now = pecfg_core::path::get(&values, &segments);
        assert!(
            !matches!(now, Some(Value::String(text)) if text == pecfg_core::mask::MASK),
            "{}: the mask became the value",
            param.path
        );
        if matches!(pecfg_core::path::get(&edited, &segments), Some(Value::String(text)) if text == pecfg_core::mask::MASK)
        {
            assert_eq!(
                now,
                pecfg_core::path::get(&current.values, &segments),
                "{}",
                param.path
            );
        }
    }
    let before = current.clone();
    let answers = Answers { values, ..current };
    check_values(answers.values.clone(), "edited").expect("Edit YAML keeps only accepted trees");
    evaluation_follows_the_change(chart, &before, &answers);
    accepted(
        chart,
        &answers,
        &ExportOptions::default(),
        !text.contains(gen::MARKER),
        out,
    );
}

/// Share links and drafts: the raw fragment, JSON packed into a fragment, or a stored draft.
fn share_decode(data: &[u8], out: &mut Exported) {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let decoded = match mode % 3 {
        0 => decode_share_fragment(text).ok(),
        1 => decode_share_fragment(&fragment_of(text.as_bytes())).ok(),
        _ => parse_draft(text),
    };
    let Some(answers) = decoded else {
        return;
    };
    // What a link or draft yields holds no secret and no sensitive value.
    assert!(answers.secrets.is_empty(), "a link carried secrets in");
    assert_eq!(
        answers,
        without_secrets(&answers),
        "a link carried a sensitive value in"
    );
    let chart =
        pecfg_core::catalog::registry::chart(&answers.chart).expect("decoded answers name a known chart");
    accepted(chart, &answers, &ExportOptions::default(), false, out);
}

/// A fragment made of any bytes, as a crafted link would be.
pub fn fragment_of(json: &[u8]) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(json).expect("deflate to memory");
    format!(
        "#v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(encoder.finish().expect("deflate to memory"))
    )
}

/// A host page's `pecfg:set-values` (and `select-chart`): the schema check, the boundary, then
/// the merge into the answers the page holds.
fn set_values(data: &[u8], out: &mut Exported) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let message = match pecfg_core::embed_policy::check_message(text) {
        Ok(Some(message)) => message,
        Ok(None) => return,
        Err(reason) => {
            // The answer to the host quotes no value it sent (only names, shortened).
            let _ = pecfg_core::embed_policy::error_message(&reason);
            return;
        }
    };
    let pecfg_core::embed_policy::HostMessage::SetValues { chart, values } = message else {
        return;
    };
    let chart = chart
        .as_deref()
        .and_then(pecfg_core::catalog::registry::chart)
        .unwrap_or(&all_charts()[0]);
    let Ok(values) = host_values(&serde_json::Value::Object(values)) else {
        return;
    };
    let before = working_answers(chart);
    let mut answers = before.clone();
    answers.values = merge(&answers.values, &values);
    check_values(answers.values.clone(), "merged").expect("a merge of accepted trees is accepted");
    evaluation_follows_the_change(chart, &before, &answers);
    accepted(
        chart,
        &answers,
        &ExportOptions::default(),
        !text.contains(gen::MARKER),
        out,
    );
}

/// Arbitrary answers (catalog parameters, unknown keys, marked secrets and sensitive values,
/// any export options) through validation and every exporter.
fn export_answers(data: &[u8], out: &mut Exported) {
    let mut u = Unstructured::new(data);
    let Ok(Some((chart, answers, options))) = gen::answers(&mut u) else {
        return;
    };
    if check_values(answers.values.clone(), "generated").is_err() {
        return;
    }
    accepted(chart, &answers, &options, true, out);
}

/// An environment as a file (`pecfg plan`, Open environment file), a link (`#e1.`) or a stored
/// draft: the boundary, then for a file every member's answers through the oracles and the whole
/// plan; links and drafts must come out without any secret.
fn environment(data: &[u8], out: &mut Exported) {
    use pecfg_core::environment::{
        decode_environment_fragment, parse_environment, parse_environment_draft, plan_files,
        resolve, validate_environment, without_secrets as env_without_secrets, PlanOptions,
        INSTALL_SH,
    };
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = match mode % 3 {
        0 => match parse_environment(text) {
            Ok(file) => file,
            Err(_) => return,
        },
        1 => {
            let fragment = fragment_of(text.as_bytes()).replacen("#v1.", "#e1.", 1);
            let Ok(file) = decode_environment_fragment(&fragment) else {
                return;
            };
            assert_eq!(
                file,
                env_without_secrets(&file),
                "a link carried a secret in"
            );
            file
        }
        _ => {
            if let Some(setup) = parse_environment_draft(text) {
                let draft = pecfg_core::environment::environment_draft_json(&setup)
                    .expect("an accepted draft writes back");
                assert_eq!(
                    parse_environment_draft(&draft).as_ref(),
                    Some(&setup),
                    "a draft reads back as it was written"
                );
            }
            return;
        }
    };
    let resolved = resolve(&file).expect("an accepted environment resolves");
    for entry in &resolved.charts {
        check_values(entry.answers.values.clone(), "resolved")
            .expect("shared facts keep a chart's values readable");
        accepted(
            entry.chart,
            &entry.answers,
            &ExportOptions::default(),
            false,
            out,
        );
    }
    let diagnostics = validate_environment(&resolved);
    let _ = pecfg_core::environment::plan_blocking_reasons(&resolved, &diagnostics);
    for (name, text) in plan_files(&resolved, &PlanOptions::default()) {
        if name == pecfg_core::mirror::MIRROR_SH {
            scan::check_mirror_sh(&text, pecfg_core::mirror::MIRROR_SH_PRELUDE)
                .unwrap_or_else(|why| panic!("{why}\n{text}"));
            out.scripts.push(text);
        } else if name == pecfg_core::mirror::MIRROR_PS1 {
            scan::check_mirror_ps1(&text, pecfg_core::mirror::MIRROR_PS1_PRELUDE)
                .unwrap_or_else(|why| panic!("{why}\n{text}"));
        } else if name == INSTALL_SH {
            out.scripts.push(text);
        } else if name.ends_with(".yaml") && !name.ends_with("-secrets.yaml") {
            read_yaml_documents(&text)
                .unwrap_or_else(|error| panic!("{name} does not read back: {error}\n{text}"));
        }
    }
}

/// At most this many charts across a fuzzed group's placements are planned: a small file may
/// alias its way to thousands of environments, which the fuzzer's time limit does not allow.
const GROUP_CHARTS_PLANNED: usize = 64;

/// A unit-group file (`pecfg plan --group`): the boundary, then for an accepted file the saved
/// file and the `#g1.` link read back as the group without secrets, every environment's charts
/// through the oracles, the group checked and planned with no GitOps, Argo CD
/// and Flux: each install.sh kept for `bash -n`, each mirror script scanned, each YAML file read
/// back. No secret value reaches a GitOps file: the ApplicationSets and the Flux cluster folders
/// come out byte for byte the same when every secret value and every credential the charts read
/// from their values is replaced by another.
fn group(data: &[u8], out: &mut Exported) {
    use pecfg_core::environment::{GitOps, PlanOptions, INSTALL_SH};
    use pecfg_core::group::{
        group_blocking_reasons, group_plan_files, parse_group, resolve_group, validate_group,
        GroupSealed,
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = parse_group(text) else {
        return;
    };
    let charts: usize = file
        .tenants
        .iter()
        .flat_map(|tenant| tenant.units.iter())
        .map(|placement| placement.charts.len().max(1))
        .sum();
    let group = resolve_group(&file).expect("an accepted group resolves");
    if charts > GROUP_CHARTS_PLANNED {
        return;
    }
    // The page's saved file and `#g1.` link: the group without secrets, read back as it was
    // (a text past the group file's bound is refused, never written unreadable).
    let kept = pecfg_core::group::group_without_secrets(&file);
    if let Ok(saved) = pecfg_core::group::saved_group_text(&file) {
        let reread = parse_group(&saved)
            .unwrap_or_else(|error| panic!("the saved group does not read back: {error}\n{saved}"));
        assert!(reread == kept, "the saved group reads back otherwise\n{saved}");
        let link = pecfg_core::group::encode_group_fragment(&file).expect("a saved group links");
        let opened = pecfg_core::group::decode_group_fragment(&link).expect("the link reads back");
        assert!(opened == kept, "the group link reads back otherwise");
    }
    for unit in &group.units {
        for environment in &unit.environments {
            for entry in &environment.resolved.charts {
                check_values(entry.answers.values.clone(), "resolved")
                    .expect("shared facts keep a chart's values readable");
                accepted(entry.chart, &entry.answers, &ExportOptions::default(), false, out);
            }
        }
    }
    let diagnostics = validate_group(&group);
    let _ = group_blocking_reasons(&group, &diagnostics);
    let mut gitops = Vec::new();
    for flavor in [None, Some(GitOps::ArgoCd), Some(GitOps::Flux)] {
        let options = PlanOptions {
            gitops: flavor,
            ..PlanOptions::default()
        };
        for (name, text) in group_plan_files(&group, &diagnostics, &options, &GroupSealed::default()) {
            if name.ends_with(&format!("/{INSTALL_SH}")) {
                if flavor.is_none() {
                    out.scripts.push(text.clone());
                }
            } else if name.ends_with(pecfg_core::mirror::MIRROR_SH) {
                scan::check_mirror_sh(&text, pecfg_core::mirror::MIRROR_SH_PRELUDE)
                    .unwrap_or_else(|why| panic!("{name}: {why}\n{text}"));
            } else if name.ends_with(pecfg_core::mirror::MIRROR_PS1) {
                scan::check_mirror_ps1(&text, pecfg_core::mirror::MIRROR_PS1_PRELUDE)
                    .unwrap_or_else(|why| panic!("{name}: {why}\n{text}"));
            } else if name.ends_with(".yaml") && !name.ends_with("-secrets.yaml") {
                read_yaml_documents(&text)
                    .unwrap_or_else(|error| panic!("{name} does not read back: {error}\n{text}"));
            }
            if name.starts_with("argocd/") || name.starts_with("clusters/") {
                gitops.push((name, text));
            }
        }
    }
    // The same group with every secret value and every credential value replaced.
    let mut other = group.clone();
    let mut count = 0usize;
    for unit in &mut other.units {
        for environment in &mut unit.environments {
            for entry in &mut environment.resolved.charts {
                for keys in entry.answers.secrets.values_mut() {
                    for value in keys.values_mut() {
                        replace_texts(value, &mut count);
                    }
                }
                for param in entry.chart.params.iter() {
                    if pecfg_core::mask::holds_credential(param, &entry.answers.values) {
                        count += 1;
                        let _ = pecfg_core::answers::set_value(
                            &mut entry.answers.values,
                            &param.path,
                            Value::String(format!("pecfg-fuzz-marker-{count}")),
                        );
                    }
                }
            }
        }
    }
    let mut again = Vec::new();
    for flavor in [GitOps::ArgoCd, GitOps::Flux] {
        let options = PlanOptions {
            gitops: Some(flavor),
            ..PlanOptions::default()
        };
        again.extend(
            group_plan_files(&other, &diagnostics, &options, &GroupSealed::default())
                .into_iter()
                .filter(|(name, _)| name.starts_with("argocd/") || name.starts_with("clusters/")),
        );
    }
    assert_eq!(gitops.len(), again.len(), "the GitOps files depend on secret values");
    for ((name, text), (_, other_text)) in gitops.iter().zip(&again) {
        assert!(
            text == other_text,
            "{name} changes with the secret values: a secret reaches it\n{text}\n----\n{other_text}"
        );
        assert!(!other_text.contains("pecfg-fuzz-marker-"), "{name} holds a secret value");
    }
}

/// Every non-empty text of a secret value replaced by a marker of its own.
fn replace_texts(value: &mut Value, count: &mut usize) {
    match value {
        Value::String(text) if !text.is_empty() => {
            *count += 1;
            *text = format!("pecfg-fuzz-marker-{count}");
        }
        Value::Mapping(fields) => {
            for field in fields.values_mut() {
                replace_texts(field, count);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                replace_texts(item, count);
            }
        }
        _ => {}
    }
}

// ----------------------------------------------------------------------------- oracles

/// Every oracle on answers the boundary accepted. With `marked`, every text that holds a
/// marker is a secret (or sensitive) value the generator or the working answers put there.
pub fn accepted(
    chart: &Chart,
    answers: &Answers,
    options: &ExportOptions,
    marked: bool,
    out: &mut Exported,
) {
    // The full values.yaml (every doc comment of the chart) costs more than all the rest, so one
    // input in 64 (by its tree, so the same input always gets the same checks) writes it; the
    // replay writes it for every input.
    let thorough = out.thorough || {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        format!("{:?}", answers.values).hash(&mut hasher);
        hasher.finish().is_multiple_of(64)
    };
    // Drafts and links: always writable, and read back as what was written.
    let public = without_secrets(answers);
    let draft = draft_json(answers).expect("accepted answers make a draft");
    let back = parse_draft(&draft).unwrap_or_else(|| panic!("the draft is refused:\n{draft}"));
    assert!(
        back == public,
        "the draft reads back otherwise: {}\n{draft}",
        difference(&back.values, &public.values)
    );
    let link = encode_share_fragment(answers).expect("accepted answers make a link");
    assert_eq!(
        decode_share_fragment(&link).as_ref(),
        Ok(&public),
        "the link reads back otherwise"
    );

    // values.yaml: read back by the boundary (YAML 1.1, as Helm) and by serde_yaml (YAML 1.2)
    // as the same typed values, with nothing for the import report to call retyped.
    let defaults = defaults_ref(chart);
    let overrides = overrides_only(defaults, &answers.values).unwrap_or_else(empty_map);
    let merged = merged_values(chart, &answers.values);
    let mut values_files = Vec::new();
    let modes: &[ValuesMode] = if thorough {
        &[ValuesMode::OverridesOnly, ValuesMode::Full]
    } else {
        &[ValuesMode::OverridesOnly]
    };
    for &mode in modes {
        let text = values_yaml(&Evaluated::of(chart, answers), mode);
        let read = read_values_yaml(&text).unwrap_or_else(|error| {
            panic!("values.yaml ({mode:?}) does not read back: {error}\n{text}")
        });
        assert!(
            read.retyped.is_empty(),
            "values.yaml ({mode:?}) has retyped scalars {:?}\n{text}",
            read.retyped
        );
        // A file of comments only is null to serde_yaml and an empty map to Helm.
        let yaml12: Value = serde_yaml::from_str::<Value>(&text)
            .map(|value| if value.is_null() { empty_map() } else { value })
            .unwrap_or_else(|error| {
                panic!("serde_yaml refuses values.yaml ({mode:?}): {error}\n{text}")
            });
        assert!(
            yaml12 == read.value,
            "serde_yaml reads values.yaml ({mode:?}) otherwise: {}\n{text}",
            difference(&yaml12, &read.value)
        );
        match mode {
            ValuesMode::OverridesOnly => {
                assert!(
                    read.value == overrides,
                    "values.yaml reads back otherwise: {}\n{text}",
                    difference(&read.value, &overrides)
                );
            }
            ValuesMode::Full => {
                let rendered = merge(defaults, &read.value);
                assert!(
                    rendered == merged,
                    "the full values.yaml renders otherwise: {}\n{text}",
                    difference(&rendered, &merged)
                );
            }
        }
        let expected = pecfg_core::schema::yaml_to_json(&read.value);
        values_files.push(text.clone());
        out.values_files.push((text, expected));
    }

    // Validation, the export decision and every exporter.
    let diagnostics = pecfg_core::validation::validate(chart, answers);
    let _ = blocking_reasons(&diagnostics, options);
    if thorough {
        let files = render_files(&Evaluated::of(chart, answers), options);
        let _ = zip_bytes(&files);
    }
    let mut scripts = Vec::new();
    let flavors: &[HelmFlavor] = if thorough {
        &[HelmFlavor::V3, HelmFlavor::V4]
    } else {
        &[options.helm]
    };
    for &helm in flavors {
        let options = ExportOptions {
            helm,
            ..options.clone()
        };
        let sh = commands_sh(&Evaluated::of(chart, answers), &options);
        scan::check_commands_sh(&sh).unwrap_or_else(|why| panic!("{why}\n{sh}"));
        let redacted = commands_sh_redacted(&Evaluated::of(chart, answers), &options);
        scan::check_commands_sh(&redacted)
            .unwrap_or_else(|why| panic!("redacted: {why}\n{redacted}"));
        let ps1 = commands_ps1(&Evaluated::of(chart, answers), &options);
        scan::check_commands_ps1(&ps1).unwrap_or_else(|why| panic!("{why}\n{ps1}"));
        scripts.push(redacted);
        out.scripts.push(sh);
    }
    // The air-gapped mirror of these answers, with a registry of yours so that every known image
    // is copied: every line of mirror.sh and mirror.ps1 is a generated one with its dynamic words
    // quoted, and images.txt lists only references the grammar accepts, sorted and unique.
    let mirror = pecfg_core::mirror::chart_mirror(&pecfg_core::validation::Evaluated::of(chart, answers), &pecfg_core::mirror::MirrorOptions {
            target_registry: Some("mirror.example.com".into()),
            ..Default::default()
        });
    let mirror_sh = pecfg_core::mirror::mirror_sh(&mirror);
    scan::check_mirror_sh(&mirror_sh, pecfg_core::mirror::MIRROR_SH_PRELUDE)
        .unwrap_or_else(|why| panic!("{why}\n{mirror_sh}"));
    let mirror_ps1 = pecfg_core::mirror::mirror_ps1(&mirror);
    scan::check_mirror_ps1(&mirror_ps1, pecfg_core::mirror::MIRROR_PS1_PRELUDE)
        .unwrap_or_else(|why| panic!("{why}\n{mirror_ps1}"));
    let images = pecfg_core::mirror::images_txt(&mirror);
    let listed: Vec<&str> = images
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        listed, sorted,
        "images.txt is not sorted and unique:\n{images}"
    );
    for reference in &listed {
        let (name, tag) = reference
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{reference}: no tag\n{images}"));
        pecfg_core::mirror::reference::check_name(name)
            .and_then(|()| pecfg_core::mirror::reference::check_tag(tag))
            .unwrap_or_else(|why| panic!("images.txt lists {reference:?}, which {why}"));
    }
    out.scripts.push(mirror_sh);
    let mut redacted_secrets = Vec::new();
    for encoding in [SecretEncoding::Data, SecretEncoding::StringData] {
        let text = secrets_yaml(&Evaluated::of(chart, answers), encoding);
        read_yaml_documents(&text)
            .unwrap_or_else(|error| panic!("secrets.yaml does not read back: {error}\n{text}"));
        let redacted = secrets_yaml_redacted(&Evaluated::of(chart, answers), encoding);
        read_yaml_documents(&redacted)
            .unwrap_or_else(|error| panic!("redacted secrets.yaml: {error}\n{redacted}"));
        redacted_secrets.push(redacted);
        out.secrets_files.push(text);
    }
    // secrets.yaml imported again gives back every plain key of the Secrets it names as the catalog does.
    let data = secrets_yaml(&Evaluated::of(chart, answers), SecretEncoding::Data);
    let again = pecfg_core::import::secrets_from_manifests(chart, &data)
        .unwrap_or_else(|error| panic!("secrets.yaml does not import: {error}\n{data}"));
    for secret in filled_secrets(&Evaluated::of(chart, answers)) {
        let Some(spec) = chart
            .secrets
            .iter()
            .find(|spec| spec.name == secret.catalog_name)
        else {
            continue;
        };
        if secret.name != spec.name {
            continue;
        }
        for key in &secret.keys {
            let plain = spec
                .keys
                .iter()
                .any(|known| known.key == key.key && known.format == SecretFormat::Plain);
            if plain {
                assert_eq!(
                    again.get(&spec.name).and_then(|keys| keys.get(&key.key)),
                    Some(&Value::String(key.value.clone())),
                    "{}/{} does not import back",
                    spec.name,
                    key.key
                );
            }
        }
    }

    // What the embedding host gets.
    let changed = pecfg_core::embed_policy::values_changed_message(answers, 0, 0)
        .expect("accepted answers can be sent as JSON")
        .to_string();
    let preview_mode = if thorough {
        ValuesMode::Full
    } else {
        ValuesMode::OverridesOnly
    };
    let exported: Vec<String> = if thorough {
        pecfg_core::embed_policy::exported_files(chart, answers, preview_mode)
            .into_iter()
            .map(|(_, text)| text)
            .collect()
    } else {
        // exported_files' values.yaml without its values.schema.json (the same for any answers).
        vec![values_yaml(&Evaluated::of(chart, &without_secrets(answers)), preview_mode)]
    };
    let masked = values_yaml(&Evaluated::of(chart, &pecfg_core::mask::masked_answers(chart, answers)), preview_mode);

    if !marked {
        return;
    }
    // No secret value outside secrets.yaml and the real scripts; no sensitive value outside
    // values.yaml, secrets.yaml and the scripts (the previews mask it).
    let link_json = String::from_utf8_lossy(&inflate(&link)).into_owned();
    let mut public_texts: Vec<(&str, &str)> = vec![
        ("draft", &draft),
        ("link", &link_json),
        ("values-changed", &changed),
        ("masked values.yaml", &masked),
    ];
    for text in &exported {
        public_texts.push(("exported", text));
    }
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.path, d.message))
        .collect();
    for message in &messages {
        public_texts.push(("diagnostic", message));
    }
    for (what, text) in &public_texts {
        assert!(
            !text.contains(gen::MARKER),
            "a secret or sensitive value is in the {what}:\n{text}"
        );
    }
    for text in &values_files {
        assert!(
            !text.contains(gen::SECRET) && !text.contains(gen::LOGIN),
            "a secret value is in values.yaml:\n{text}"
        );
    }
    for text in scripts.iter().chain(&redacted_secrets) {
        assert!(
            !text.contains(gen::SECRET),
            "a secret value is in a redacted preview:\n{text}"
        );
    }
}

fn inflate(fragment: &str) -> Vec<u8> {
    use base64::Engine as _;
    use std::io::Read as _;
    let body = fragment.trim_start_matches('#').trim_start_matches("v1.");
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .expect("our own link is base64url");
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(compressed.as_slice())
        .read_to_end(&mut json)
        .expect("our own link inflates");
    json
}

/// Where two trees first differ, for a failure message.
pub fn difference(read: &Value, meant: &Value) -> String {
    fn walk(read: &Value, meant: &Value, path: String) -> Option<String> {
        match (read, meant) {
            (Value::Mapping(a), Value::Mapping(b)) => {
                for (key, value) in b {
                    let at = format!("{path}.{}", pecfg_core::kinds::display_value(key));
                    match a.get(key) {
                        Some(other) => {
                            if let Some(found) = walk(other, value, at) {
                                return Some(found);
                            }
                        }
                        None => return Some(format!("{at}: missing, meant {value:?}")),
                    }
                }
                a.keys().find(|key| !b.contains_key(*key)).map(|key| {
                    format!(
                        "{path}.{}: read but not meant ({:?})",
                        pecfg_core::kinds::display_value(key),
                        a.get(key)
                    )
                })
            }
            (Value::Sequence(a), Value::Sequence(b)) if a.len() == b.len() => a
                .iter()
                .zip(b)
                .enumerate()
                .find_map(|(index, (x, y))| walk(x, y, format!("{path}[{index}]"))),
            (a, b) if a == b => None,
            (a, b) => Some(format!("{path}: read {a:?}, meant {b:?}")),
        }
    }
    walk(read, meant, String::new()).unwrap_or_else(|| "no difference".into())
}

/// A counter as the RNG: sealing's session keys, reproducible from run to run.
struct CountingRng(u64);

impl rand_core::RngCore for CountingRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for CountingRng {}

/// The front door between the page's two programs (`session::protocol::respond_json`): any text
/// as a request to the tools module. The answer is a JSON object with exactly `ok` or `error`,
/// never a panic; the same request answers the same (the tools module keeps no state); and a file,
/// Copy or the diff asked without `reveal` holds no secret value of the request, unless the same
/// request with every secret value removed says it too (the text is in the chart's own words).
fn protocol(data: &[u8]) {
    use pecfg_core::session::protocol::respond_json;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let answer = respond_json(text, &mut CountingRng(7));
    let envelope: serde_json::Value =
        serde_json::from_str(&answer).expect("the tools module answers JSON");
    let keys: Vec<&String> = envelope
        .as_object()
        .expect("the answer is a JSON object")
        .keys()
        .collect();
    assert!(
        keys == ["ok"] || keys == ["error"],
        "the answer has exactly ok or error: {keys:?}"
    );
    assert_eq!(
        answer,
        respond_json(text, &mut CountingRng(7)),
        "the same request answers the same"
    );
    let Ok(serde_json::Value::Object(request)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return;
    };
    let Some((verb, body)) = request.iter().next() else {
        return;
    };
    if !["file", "copy", "diff"].contains(&verb.as_str())
        || body.get("reveal") != Some(&serde_json::Value::Bool(false))
    {
        return;
    }
    let Some(secrets) = body.pointer("/answers/secrets").and_then(|s| s.as_object()) else {
        return;
    };
    let values: Vec<String> = secrets
        .values()
        .filter_map(|keys| keys.as_object())
        .flat_map(|keys| keys.values())
        .filter_map(|value| match value {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        })
        .filter(|value| value.len() >= 4)
        .collect();
    if values.is_empty() {
        return;
    }
    let mut bare = request.clone();
    if let Some(answers) = bare
        .get_mut(verb.as_str())
        .and_then(|body| body.get_mut("answers"))
        .and_then(|answers| answers.as_object_mut())
    {
        answers.insert("secrets".to_string(), serde_json::json!({}));
    }
    let without = respond_json(
        &serde_json::Value::Object(bare).to_string(),
        &mut CountingRng(7),
    );
    for value in &values {
        let shown = |text: &str| {
            serde_json::to_string(value)
                .map(|quoted| text.contains(quoted.trim_matches('"')))
                .unwrap_or(false)
        };
        assert!(
            !shown(&answer) || shown(&without),
            "a {verb} without reveal shows the secret value {value:?}"
        );
    }
}
