//! The exporters on every chart's scenario (`tests/scenarios/<chart>.answers.yaml`): snapshots of
//! every file, values that read back as the intended typed values, secrets never in values.yaml,
//! and the zip of "download all".
//!
//! Snapshots live in `tests/snapshots/<chart>/`; `UPDATE_SNAPSHOTS=1 cargo test -p pecfg-core
//! --test export` rewrites them. The checks with real helm, kubectl and PyYAML are in
//! `cli/tests/conformance.rs`.

mod common;

use common::check_snapshot;
use std::path::PathBuf;

use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::registry::{all_charts, chart};
use pecfg_core::export::{
    commands_ps1, commands_sh, commands_sh_redacted, filled_secrets, release_name, render_files,
    secrets_yaml, secrets_yaml_redacted, values_schema_json, values_yaml, zip_bytes, zip_name,
    ExportOptions, HelmFlavor, SecretEncoding, ValuesMode,
};
use pecfg_core::validation::Evaluated;
use pecfg_core::values::{defaults_tree, merged_values, overrides_only};
use serde_yaml::Value;

fn scenario(id: &str) -> Answers {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(format!("{id}.answers.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path:?}: {error}"));
    let answers = parse_answers(&text).unwrap_or_else(|error| panic!("{path:?}: {error}"));
    assert_eq!(answers.chart, id, "{path:?} is for another chart");
    answers
}

#[test]
fn every_chart_has_a_scenario() {
    for chart in all_charts() {
        scenario(&chart.id);
    }
}

#[test]
fn snapshots_of_every_exporter_for_every_chart() {
    let mut failures = Vec::new();
    for chart in all_charts() {
        let id = chart.id.as_str();
        let answers = scenario(id);
        let empty = Answers::new(id);
        let options = ExportOptions::default();
        let helm3 = ExportOptions {
            helm: HelmFlavor::V3,
            chart_version: Some("1.2.3".into()),
            ..ExportOptions::default()
        };
        let files: Vec<(&str, String)> = vec![
            (
                "values.yaml",
                values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly),
            ),
            (
                "values-full.yaml",
                values_yaml(&Evaluated::of(chart, &answers), ValuesMode::Full),
            ),
            (
                "secrets.yaml",
                secrets_yaml(&Evaluated::of(chart, &answers), SecretEncoding::Data),
            ),
            (
                "secrets-stringdata.yaml",
                secrets_yaml(&Evaluated::of(chart, &answers), SecretEncoding::StringData),
            ),
            (
                "secrets-redacted.yaml",
                secrets_yaml_redacted(&Evaluated::of(chart, &answers), SecretEncoding::StringData),
            ),
            (
                "commands.sh",
                commands_sh(&Evaluated::of(chart, &answers), &options),
            ),
            (
                "commands-helm3.sh",
                commands_sh(&Evaluated::of(chart, &answers), &helm3),
            ),
            (
                "commands.ps1",
                commands_ps1(&Evaluated::of(chart, &answers), &options),
            ),
            (
                "commands-redacted.sh",
                commands_sh_redacted(&Evaluated::of(chart, &answers), &options),
            ),
            ("values.schema.json", values_schema_json(chart)),
            (
                "empty-values.yaml",
                values_yaml(&Evaluated::of(chart, &empty), ValuesMode::OverridesOnly),
            ),
            (
                "empty-commands.sh",
                commands_sh(&Evaluated::of(chart, &empty), &options),
            ),
        ];
        for (name, text) in &files {
            check_snapshot(id, name, text, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The document under the header comment, parsed.
fn parse_values(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), without_nulls(value)))
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn values_read_back_as_the_overrides_and_the_merged_values() {
    for chart in all_charts() {
        let answers = scenario(&chart.id);
        let intended = overrides_only(&defaults_tree(chart), &answers.values)
            .unwrap_or(Value::Mapping(Default::default()));
        let text = values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly);
        assert_eq!(parse_values(&text), intended, "{}: overrides", chart.id);
        // The full file is the merged values, plus the explicit nulls that delete chart defaults.
        let full = values_yaml(&Evaluated::of(chart, &answers), ValuesMode::Full);
        assert_eq!(
            without_nulls(&parse_values(&full)),
            merged_values(chart, &answers.values),
            "{}: full",
            chart.id
        );
    }
}

#[test]
fn tricky_strings_stay_strings_of_the_same_text() {
    let chart = chart("ixn").unwrap();
    let text = values_yaml(
        &Evaluated::of(chart, &scenario("ixn")),
        ValuesMode::OverridesOnly,
    );
    for line in [
        "  team: \"on\"",
        "  cost-center: \"0755\"",
        "  example.com/note: \"a: b\"",
        "  example.com/hash: \"#x\"",
        "  example.com/empty: \"\"",
        "      \"7\": \"-XX:AdaptiveSizePolicyWeight=90\"",
        "      tag: \"9200\"",
        "        tenant: \"12:30\"",
        "  volumes: |-",
        "  volumes: |",
        "  \"on\": \"y\"",
        "      mountPath: null",
    ] {
        assert!(
            text.lines().any(|candidate| candidate == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(text.contains(
        "  # This list replaces the chart's whole list (Helm does not merge lists): every item is here.\n  imagePullSecrets:\n"
    ));
}

fn header(text: &str) -> String {
    text.lines()
        .take_while(|line| line.starts_with('#'))
        .map(|line| line.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn header_names_chart_release_namespace_and_the_credentials_the_file_holds() {
    // Issue 30: ixn-values.yaml said "Secrets are not in this file" and held both database
    // passwords. The header is read from the tree the file writes, in both modes.
    let chart = chart("ixn").unwrap();
    for mode in [ValuesMode::OverridesOnly, ValuesMode::Full] {
        let text = values_yaml(
            &pecfg_core::validation::Evaluated::of(chart, &scenario("ixn")),
            mode,
        );
        let header = header(&text);
        for needle in [
            "Interaction Server",
            "ixn-0100",
            "namespace ixn",
            "holds 2 credentials the chart reads from its values \
             (ixnService.ixnServer.secrets.db.password, ixnService.ixnNode.secrets.db.password)",
            "The chart's Secrets are not in it",
        ] {
            assert!(
                header.contains(needle),
                "{mode:?}: {needle} not in {header}"
            );
        }
        assert!(text.contains("password: ixn-pa$$"), "the file does hold it");
        assert!(!header.contains("Secrets are not in this file"), "{header}");
    }
    // One password taken out: the count and the names follow.
    let mut one = scenario("ixn");
    pecfg_core::answers::reset_value(&mut one.values, "ixnService.ixnNode.secrets.db.password")
        .unwrap();
    let header_one = header(&values_yaml(
        &pecfg_core::validation::Evaluated::of(chart, &one),
        ValuesMode::OverridesOnly,
    ));
    assert!(
        header_one.contains(
            "holds 1 credential the chart reads from its values \
             (ixnService.ixnServer.secrets.db.password)"
        ),
        "{header_one}"
    );
    // No credential: only then does it say so. The Tenant's secret references hold file paths
    // (where the credential is mounted), which are not credentials.
    for id in ["middleware", "tenant"] {
        let header = header(&values_yaml(
            &pecfg_core::validation::Evaluated::of(chart_of(id), &scenario(id)),
            ValuesMode::OverridesOnly,
        ));
        assert!(
            header.contains("holds no value the catalog marks as a credential"),
            "{id}: {header}"
        );
    }
    let mut typed = scenario("tenant");
    pecfg_core::answers::set_value(
        &mut typed.values,
        "tenant.secrets.pgdb.pwd.secretName",
        Value::from("plain-test-password"),
    )
    .unwrap();
    let header = header(&values_yaml(
        &pecfg_core::validation::Evaluated::of(chart_of("tenant"), &typed),
        ValuesMode::OverridesOnly,
    ));
    assert!(
        header.contains("holds 1 credential the chart reads from its values (tenant.secrets.pgdb.pwd.secretName)"),
        "{header}"
    );
}

fn chart_of(id: &str) -> &'static pecfg_core::catalog::Chart {
    chart(id).unwrap()
}

#[test]
fn script_and_secrets_headers_say_what_the_file_holds() {
    // "It holds secret values" was written whatever the file held.
    let chart = chart_of("ixn");
    let filled = scenario("ixn");
    let count = filled_secrets(&pecfg_core::validation::Evaluated::of(chart, &filled)).len();
    let mut empty = filled.clone();
    empty.secrets.clear();
    let options = ExportOptions::default();
    for text in [
        commands_sh(
            &pecfg_core::validation::Evaluated::of(chart, &filled),
            &options,
        ),
        commands_ps1(
            &pecfg_core::validation::Evaluated::of(chart, &filled),
            &options,
        ),
    ] {
        let header = header(text.trim_start_matches("#!/usr/bin/env bash\n"));
        assert!(
            header.contains(&format!("It holds the values of {count} Secrets")),
            "{header}"
        );
    }
    for text in [
        commands_sh(
            &pecfg_core::validation::Evaluated::of(chart, &empty),
            &options,
        ),
        commands_ps1(
            &pecfg_core::validation::Evaluated::of(chart, &empty),
            &options,
        ),
    ] {
        let header = header(text.trim_start_matches("#!/usr/bin/env bash\n"));
        assert!(header.contains("It holds no secret value"), "{header}");
        assert!(!header.contains("It holds secret values"), "{header}");
    }
    let sealed = ExportOptions {
        sealed_secrets: true,
        ..ExportOptions::default()
    };
    let header_sealed = header(
        commands_sh(
            &pecfg_core::validation::Evaluated::of(chart, &filled),
            &sealed,
        )
        .trim_start_matches("#!/usr/bin/env bash\n"),
    );
    assert!(
        header_sealed.contains("It holds no secret value")
            && header_sealed.contains("sealed-secrets.yaml"),
        "{header_sealed}"
    );
    let secrets_full = header(&secrets_yaml(
        &pecfg_core::validation::Evaluated::of(chart, &filled),
        SecretEncoding::Data,
    ));
    assert!(
        secrets_full.contains(&format!("It holds the values of {count} Secrets")),
        "{secrets_full}"
    );
    let secrets_none = header(&secrets_yaml(
        &pecfg_core::validation::Evaluated::of(chart, &empty),
        SecretEncoding::Data,
    ));
    assert!(
        secrets_none.contains("No secret is filled in")
            && !secrets_none.contains("It holds secret values"),
        "{secrets_none}"
    );
}

#[test]
fn no_secret_value_reaches_values_yaml() {
    for chart in all_charts() {
        let answers = scenario(&chart.id);
        let values = [
            values_yaml(&Evaluated::of(chart, &answers), ValuesMode::OverridesOnly),
            values_yaml(&Evaluated::of(chart, &answers), ValuesMode::Full),
        ];
        for secret in filled_secrets(&Evaluated::of(chart, &answers)) {
            for key in &secret.keys {
                let mut needles = vec![key.value.clone()];
                if let Some(login) = &key.docker {
                    needles.push(login.password.clone());
                }
                for needle in needles.iter().filter(|needle| needle.len() >= 6) {
                    for text in &values {
                        assert!(
                            !text.contains(needle.as_str()),
                            "{}: the value of {}/{} is in values.yaml",
                            chart.id,
                            secret.name,
                            key.key
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_filled_secret_is_written_and_redacted_in_the_preview() {
    for chart in all_charts() {
        let answers = scenario(&chart.id);
        let filled = filled_secrets(&Evaluated::of(chart, &answers));
        assert_eq!(
            filled.len(),
            chart.secrets.len(),
            "{}: the scenario fills every secret",
            chart.id
        );
        let documents: Vec<Value> = serde_yaml::Deserializer::from_str(&secrets_yaml(
            &Evaluated::of(chart, &answers),
            SecretEncoding::StringData,
        ))
        .map(|document| serde::Deserialize::deserialize(document).unwrap())
        .filter(|document: &Value| !document.is_null())
        .collect();
        assert_eq!(documents.len(), filled.len());
        for (document, secret) in documents.iter().zip(&filled) {
            assert_eq!(
                document["metadata"]["name"].as_str(),
                Some(secret.name.as_str())
            );
            for key in &secret.keys {
                assert_eq!(
                    document["stringData"][key.key.as_str()].as_str(),
                    Some(key.value.as_str()),
                    "{}/{}",
                    secret.name,
                    key.key
                );
            }
        }
        let redacted = secrets_yaml_redacted(&Evaluated::of(chart, &answers), SecretEncoding::Data);
        let commands =
            commands_sh_redacted(&Evaluated::of(chart, &answers), &ExportOptions::default());
        for key in filled.iter().flat_map(|secret| &secret.keys) {
            assert!(redacted.contains(&format!("<redacted: {} bytes>", key.value.len())));
            if key.value.len() >= 4 {
                assert!(!redacted.contains(&key.value), "{} leaks", key.key);
                assert!(!commands.contains(&key.value), "{} leaks", key.key);
            }
            if let Some(login) = &key.docker {
                assert!(!commands.contains(&login.password), "{} leaks", key.key);
            }
        }
    }
}

#[test]
fn json_keys_and_pull_secrets_are_assembled() {
    let ixn = chart("ixn").unwrap();
    let filled = filled_secrets(&Evaluated::of(ixn, &scenario("ixn")));
    let value = |name: &str| {
        filled
            .iter()
            .find(|secret| secret.name == name)
            .map(|secret| secret.keys[0].value.clone())
            .unwrap()
    };
    assert_eq!(
        value("redis-ors-secret"),
        r#"{"password":"p@ss'w\"rd $HOME `id` !x","port":"6379","rejectUnauthorized":"false","servername":"redis-cluster.infra.svc.cluster.local"}"#
    );
    assert_eq!(
        value("kafka-shared-secret"),
        r#"{"bootstrap": "kafka.infra.svc.cluster.local:9092", "username": "ixn", "password": "kä$ka!"}"#,
        "a ready JSON text is kept as it is"
    );
    assert!(value("pullsecret").starts_with(
        r#"{"auths":{"pureengage-docker-staging.jfrog.io":{"username":"jfrog-user","password":"tok€n'!$(rm -rf /)","email":"ops@example.com","auth":""#
    ));
    // The first imagePullSecrets entry names the pull secret.
    let mut answers = scenario("ixn");
    answers.values["image"]["imagePullSecrets"] =
        serde_yaml::from_str("[{name: my-pull}]").unwrap();
    let renamed = filled_secrets(&Evaluated::of(ixn, &answers));
    assert!(renamed
        .iter()
        .any(|secret| secret.name == "my-pull" && secret.catalog_name == "pullsecret"));
}

#[test]
fn release_and_namespace_fall_back_to_rule_catalog_and_placeholder() {
    let ixn = chart("ixn").unwrap();
    assert_eq!(
        release_name(&Evaluated::of(ixn, &scenario("ixn"))),
        "ixn-0100"
    );
    assert_eq!(
        release_name(&Evaluated::of(ixn, &Answers::new("ixn"))),
        "RELEASE"
    );
    let mut answers = Answers::new("ixn");
    answers.release = Some("mine".into());
    answers.namespace = Some("other".into());
    assert_eq!(release_name(&Evaluated::of(ixn, &answers)), "mine");
    let text = commands_sh(&Evaluated::of(ixn, &answers), &ExportOptions::default());
    assert!(text.contains("NAMESPACE=other\nRELEASE=mine\n"), "{text}");
    let empty = commands_sh(
        &Evaluated::of(ixn, &Answers::new("ixn")),
        &ExportOptions::default(),
    );
    assert!(empty.contains("RELEASE=\"${RELEASE:-}\"\n"), "{empty}");
    assert!(empty.contains("if [ -z \"$RELEASE\" ]; then\n"), "{empty}");
    assert_eq!(
        release_name(&Evaluated::of(chart("ges").unwrap(), &Answers::new("ges"))),
        "ges"
    );
}

#[test]
fn commands_pick_the_helm_flavour_chart_ref_and_version() {
    let ixn = chart("ixn").unwrap();
    let answers = scenario("ixn");
    let v4 = commands_sh(&Evaluated::of(ixn, &answers), &ExportOptions::default());
    assert!(v4.starts_with("#!/usr/bin/env bash\n"));
    assert!(v4.contains("\nset -euo pipefail\n"));
    assert!(v4.contains("CHART_REF=ixn\n"));
    assert!(v4.contains(
        "helm upgrade --install -n \"$NAMESPACE\" -f \"$VALUES_FILE\" --rollback-on-failure -- \"$RELEASE\" \"$CHART_REF\"\n"
    ));
    let v3 = commands_sh(
        &Evaluated::of(ixn, &answers),
        &ExportOptions {
            helm: HelmFlavor::V3,
            chart_ref: Some("genesys/ixn".into()),
            chart_version: Some("100.0.1".into()),
            ..ExportOptions::default()
        },
    );
    assert!(v3.contains("CHART_REF=genesys/ixn\nCHART_VERSION=100.0.1\n"));
    assert!(v3.contains(
        "-f \"$VALUES_FILE\" --version \"$CHART_VERSION\" --atomic -- \"$RELEASE\" \"$CHART_REF\"\n"
    ));
    // A chart reference that would be a helm flag is never written; the export is blocked.
    let flag = ExportOptions {
        chart_ref: Some("--post-renderer=/tmp/x".into()),
        ..ExportOptions::default()
    };
    assert!(!commands_sh(&Evaluated::of(ixn, &answers), &flag).contains("post-renderer"));
    assert!(!pecfg_core::export::blocking_reasons(&[], &flag).is_empty());
    // ges has no documented chart reference; tenant's has placeholders: the user fills them.
    for id in ["ges", "tenant"] {
        let text = commands_sh(
            &Evaluated::of(chart(id).unwrap(), &scenario(id)),
            &ExportOptions::default(),
        );
        assert!(text.contains("CHART_REF=\"${CHART_REF:-}\"\n"), "{id}");
        assert!(text.contains("if [ -z \"$CHART_REF\" ]; then\n"), "{id}");
    }
    assert!(commands_sh(
        &Evaluated::of(chart("tenant").unwrap(), &scenario("tenant")),
        &ExportOptions::default()
    )
    .contains("https://<jfrog-repository>/tenant-<version>.tgz"));
}

#[test]
fn render_files_names_and_zip() {
    let ixn = chart("ixn").unwrap();
    let answers = scenario("ixn");
    let options = ExportOptions::default();
    let files = render_files(&Evaluated::of(ixn, &answers), &options);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ixn-values.yaml",
            "secrets.yaml",
            "commands.sh",
            "values.schema.json"
        ]
    );
    assert_eq!(
        files[0].1,
        values_yaml(&Evaluated::of(ixn, &answers), ValuesMode::OverridesOnly)
    );
    assert_eq!(zip_name(&Evaluated::of(ixn, &answers)), "ixn-ixn-0100.zip");
    let zip = zip_bytes(&files);
    assert_eq!(zip, zip_bytes(&files), "the zip is deterministic");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(archive.len(), 4);
    for (name, text) in &files {
        let mut entry = archive.by_name(name).unwrap();
        let mut read = String::new();
        std::io::Read::read_to_string(&mut entry, &mut read).unwrap();
        assert_eq!(&read, text, "{name}");
        let mode = entry.unix_mode().unwrap() & 0o777;
        assert_eq!(mode, if name.ends_with(".sh") { 0o755 } else { 0o644 });
    }
    let full = render_files(
        &Evaluated::of(ixn, &answers),
        &ExportOptions {
            values_mode: ValuesMode::Full,
            secret_encoding: SecretEncoding::StringData,
            ..ExportOptions::default()
        },
    );
    assert!(full[0].1.contains("# -- "));
    assert!(full[1].1.contains("stringData:"));
}
