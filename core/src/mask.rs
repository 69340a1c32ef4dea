//! Masking of `sensitive` values (credentials a chart reads from values.yaml) in everything the page shows: the values.yaml preview, the Edit YAML text and the Diff, and the way back from edited text.
//!
//! A masked value is replaced by the string [`MASK`]. Edit YAML shows the masked text, so applying
//! it must not turn the password into the mask: [`unmask`] puts the real value back wherever the
//! edited text still holds the mask, and takes any other text the user typed there as the new value.

use serde_yaml::Value;

use crate::answers::{reset_value, Answers};
use crate::catalog::{Chart, Param};
use crate::path::{get, parse_path, set};

/// What a masked value shows. A user would not type it as a password; if one does, it reads as
/// "keep the current value", which is what the text says.
pub const MASK: &str = "<hidden: tick Show secret values>";

/// Whether a value of a sensitive parameter is worth hiding: `null` (cleared) and empty text say
/// nothing about the credential, so they stay visible; so does an absolute file path in a
/// parameter that names a Secret (`secret_ref`, the tenant's `…secretName`): it says where the
/// mounted credential is, not what it is. Any other text there is the plain credential the guide
/// allows for testing.
fn hides_something(param: &Param, value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) if text.is_empty() => false,
        Value::String(text) if param.secret_ref.is_some() => {
            !text.starts_with('/') || text.contains(char::is_whitespace)
        }
        _ => true,
    }
}

/// Whether the overrides hold a credential at this `sensitive` parameter: what previews mask and
/// what drafts, share links and messages leave out (`share::without_secrets`). A file path in a
/// parameter that names a Secret is kept: it is where the credential is mounted, and a prefilled
/// one must survive a reload.
pub fn holds_credential(param: &Param, values: &Value) -> bool {
    param.sensitive
        && parse_path(&param.path).is_ok_and(|segments| {
            get(values, &segments).is_some_and(|value| hides_something(param, value))
        })
}

/// The overrides with every non-empty value of a `sensitive` parameter replaced by [`MASK`].
pub fn mask_sensitive(chart: &Chart, values: &Value) -> Value {
    let mut masked = values.clone();
    for param in chart.params.iter().filter(|param| param.sensitive) {
        let Ok(segments) = parse_path(&param.path) else {
            continue;
        };
        if get(values, &segments).is_some_and(|value| hides_something(param, value)) {
            set(&mut masked, &segments, Value::String(MASK.to_string()));
        }
    }
    masked
}

/// The answers as the previews show them: sensitive values masked, secrets untouched (the
/// secret exporters have their own redaction).
pub fn masked_answers(chart: &Chart, answers: &Answers) -> Answers {
    Answers {
        values: mask_sensitive(chart, &answers.values),
        ..answers.clone()
    }
}

/// The answers with every secret value replaced by `<redacted>` (each field of a JSON or
/// docker-login key on its own), for the on-screen previews of the PowerShell scripts and the
/// environment's plan, whose exporters have no redacted variant of their own.
pub fn redacted_secrets(answers: &Answers) -> Answers {
    fn redact(value: &Value) -> Value {
        match value {
            Value::Mapping(fields) => Value::Mapping(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), redact(value)))
                    .collect(),
            ),
            _ => Value::String("<redacted>".into()),
        }
    }
    let mut redacted = answers.clone();
    for keys in redacted.secrets.values_mut() {
        for value in keys.values_mut() {
            *value = redact(value);
        }
    }
    redacted
}

/// Whether [`mask_sensitive`] hides anything in these overrides (then a masked preview is not
/// the real file, and copying it would hand out a placeholder instead of the credential).
pub fn has_masked_values(chart: &Chart, values: &Value) -> bool {
    chart
        .params
        .iter()
        .filter(|param| param.sensitive)
        .any(|param| {
            parse_path(&param.path).is_ok_and(|segments| {
                get(values, &segments).is_some_and(|value| hides_something(param, value))
            })
        })
}

/// Edited overrides (text shown masked, then changed by the user) made real again: where a
/// sensitive parameter still holds [`MASK`], the current value is put back (or the key dropped
/// when there is none); anything else the user wrote there is the new value.
pub fn unmask(chart: &Chart, edited: &Value, current: &Value) -> Value {
    let mut real = edited.clone();
    for param in chart.params.iter().filter(|param| param.sensitive) {
        let Ok(segments) = parse_path(&param.path) else {
            continue;
        };
        let still_masked =
            matches!(get(edited, &segments), Some(Value::String(text)) if text == MASK);
        if !still_masked {
            continue;
        }
        match get(current, &segments) {
            Some(value) => set(&mut real, &segments, value.clone()),
            None => {
                let _ = reset_value(&mut real, &param.path);
            }
        }
    }
    real
}

/// Text no diagnostic may quote: each secret value and each `sensitive` value, in the forms a
/// message could show it (whole, trimmed, or cut to its first 50 characters as `shown` cuts).
fn hidden_forms(value: &Value, forms: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            let trimmed = text.trim_end();
            let first_line: String = trimmed
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(50)
                .collect();
            for form in [text.as_str(), trimmed, first_line.as_str()] {
                if !form.trim().is_empty() && !forms.iter().any(|known| known == form) {
                    forms.push(form.to_string());
                }
            }
        }
        Value::Null => {}
        Value::Sequence(items) => items.iter().for_each(|item| hidden_forms(item, forms)),
        Value::Mapping(map) => map.values().for_each(|item| hidden_forms(item, forms)),
        Value::Tagged(tagged) => hidden_forms(&tagged.value, forms),
        other => forms.push(crate::kinds::display_value(other)),
    }
}

/// What a diagnostic shows in place of a hidden value.
pub const HIDDEN_IN_MESSAGES: &str = "(hidden)";

/// Removes every secret and `sensitive` value from the diagnostics' messages (they are shown on
/// screen and printed by `pecfg validate`, i.e. into CI logs). Values are replaced in messages
/// about their own path; elsewhere only values of 6 characters or more, so a one-letter password
/// does not blank out every `a` of every message.
pub fn redact_diagnostics(
    chart: &Chart,
    answers: &Answers,
    diagnostics: &mut [crate::diagnostic::Diagnostic],
) {
    let mut scoped: Vec<(String, Vec<String>)> = Vec::new();
    for param in chart.params.iter().filter(|param| param.sensitive) {
        let Ok(segments) = parse_path(&param.path) else {
            continue;
        };
        if let Some(value) =
            get(&answers.values, &segments).filter(|value| hides_something(param, value))
        {
            let mut forms = Vec::new();
            hidden_forms(value, &mut forms);
            scoped.push((param.path.clone(), forms));
        }
    }
    for (name, keys) in &answers.secrets {
        for (key, value) in keys {
            let mut forms = Vec::new();
            hidden_forms(value, &mut forms);
            // A JSON-valued key given as text: its fields' values are hidden too. Read as JSON,
            // never as YAML: YAML aliases could make a small text expand to gigabytes here.
            if let Some(parsed) = value
                .as_str()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                .and_then(|json| serde_yaml::to_value(json).ok())
            {
                hidden_forms(&parsed, &mut forms);
            }
            scoped.push((format!("{name}/{key}"), forms));
        }
    }
    if scoped.is_empty() {
        return;
    }
    for (_, forms) in &mut scoped {
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    }
    for diagnostic in diagnostics.iter_mut() {
        for (path, forms) in &scoped {
            let own = diagnostic.path == *path
                || diagnostic
                    .path
                    .strip_prefix(path.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[', '/']));
            for form in forms {
                if (own || form.chars().count() >= 6) && diagnostic.message.contains(form.as_str())
                {
                    diagnostic.message = diagnostic
                        .message
                        .replace(form.as_str(), HIDDEN_IN_MESSAGES);
                }
            }
        }
    }
}

/// What kind of file a preview shows, for [`guard_preview`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    Shell,
    PowerShell,
    Yaml,
}

/// The first line of a preview that is not the real file: run or applied, it fails before doing
/// anything (a redacted `commands.sh` would otherwise create Secrets holding `<redacted: N bytes>`,
/// and a masked values.yaml would deploy the mask as a password).
pub fn guard_line(kind: PreviewKind) -> &'static str {
    match kind {
        PreviewKind::Shell => {
            "echo 'preview with redacted secrets: download the real file' >&2; exit 1"
        }
        PreviewKind::PowerShell => "throw 'preview with redacted secrets: download the real file'",
        // `@` cannot start any YAML token: kubectl, helm and every YAML reader refuse the file.
        PreviewKind::Yaml => "@preview with hidden values: download the real file",
    }
}

/// A preview as shown: unchanged when it is the real file, else with [`guard_line`] on top.
pub fn guard_preview(kind: PreviewKind, preview: String, real: &str) -> String {
    if preview == real {
        preview
    } else {
        format!("{}\n{preview}", guard_line(kind))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::registry::chart;
    use crate::export::{values_yaml, ValuesMode};
    use crate::values::diff_against_defaults;

    #[test]
    fn redacted_secrets_keep_the_shape_and_lose_every_value() {
        let mut answers = Answers::new("ixn");
        crate::answers::set_secret(
            &mut answers.secrets,
            "pullsecret",
            ".dockerconfigjson",
            Some("password"),
            "hunter2-pull",
        );
        crate::answers::set_secret(
            &mut answers.secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            None,
            "plain-kafka",
        );
        let redacted = redacted_secrets(&answers);
        let text = format!("{redacted:?}");
        assert!(
            !text.contains("hunter2-pull") && !text.contains("plain-kafka"),
            "{text}"
        );
        assert_eq!(
            crate::answers::secret_text(
                &redacted.secrets,
                "pullsecret",
                ".dockerconfigjson",
                Some("password")
            ),
            "<redacted>"
        );
        assert_eq!(redacted.values, answers.values);
    }

    const IXN_DB: &str = "ixnService.ixnServer.secrets.db.password";
    const NODE_DB: &str = "ixnService.ixnNode.secrets.db.password";

    fn ixn_values() -> Value {
        serde_yaml::from_str(
            "replicaCount: 1\nixnService:\n  ixnServer:\n    secrets:\n      db:\n        user: ixn\n        password: db-pass-77\n",
        )
        .unwrap()
    }

    #[test]
    fn sensitive_values_are_masked_and_nothing_else_changes() {
        let ixn = chart("ixn").unwrap();
        let masked = mask_sensitive(ixn, &ixn_values());
        let text = serde_yaml::to_string(&masked).unwrap();
        assert!(!text.contains("db-pass-77"), "{text}");
        assert_eq!(
            masked["ixnService"]["ixnServer"]["secrets"]["db"]["password"],
            Value::from(MASK)
        );
        assert_eq!(
            masked["ixnService"]["ixnServer"]["secrets"]["db"]["user"],
            Value::from("ixn")
        );
        assert_eq!(masked["replicaCount"], Value::from(1));
        // A parameter that is not set is not created by the mask.
        assert!(get(&masked, &parse_path(NODE_DB).unwrap()).is_none());
        assert!(has_masked_values(ixn, &ixn_values()));
        assert!(!has_masked_values(
            ixn,
            &masked_answers(ixn, &Answers::new("ixn")).values
        ));
    }

    #[test]
    fn any_shape_of_sensitive_value_is_masked_but_null_and_empty_stay_visible() {
        let ges = chart("ges").unwrap();
        let path = "ges.configMap.env.decrypt_password";
        for secret in ["k3y-sens", "12345678", "[a1, b2]", "{x: y9}"] {
            let values: Value = serde_yaml::from_str(&format!(
                "ges: {{configMap: {{env: {{decrypt_password: {secret}}}}}}}"
            ))
            .unwrap();
            let masked = mask_sensitive(ges, &values);
            assert_eq!(
                get(&masked, &parse_path(path).unwrap()),
                Some(&Value::from(MASK)),
                "{secret}"
            );
        }
        for visible in ["null", "''"] {
            let values: Value = serde_yaml::from_str(&format!(
                "ges: {{configMap: {{env: {{decrypt_password: {visible}}}}}}}"
            ))
            .unwrap();
            assert_eq!(mask_sensitive(ges, &values), values, "{visible}");
            assert!(!has_masked_values(ges, &values));
        }
    }

    #[test]
    fn a_tenant_secret_reference_is_masked_only_when_it_is_not_a_file_path() {
        let tenant = chart("tenant").unwrap();
        let path = "tenant.svcpwdSecretName";
        let with = |text: &str| {
            let mut values = Value::Mapping(Default::default());
            set(&mut values, &parse_path(path).unwrap(), Value::from(text));
            values
        };
        let file = with("/opt/genesys/service-user-account/svcpassword");
        assert_eq!(mask_sensitive(tenant, &file), file);
        for plain in ["plain-svc-pw", "/opt/with space", "relative/path"] {
            let masked = mask_sensitive(tenant, &with(plain));
            assert_eq!(
                get(&masked, &parse_path(path).unwrap()),
                Some(&Value::from(MASK)),
                "{plain}"
            );
        }
    }

    #[test]
    fn drafts_and_links_keep_a_secret_file_path_and_drop_a_plain_credential() {
        let tenant = chart("tenant").unwrap();
        let mut answers = Answers::new("tenant");
        let file = "/opt/genesys/dbpassword/dbpassword";
        crate::answers::set_value(
            &mut answers.values,
            "tenant.secrets.pgdb.pwd.secretName",
            file.into(),
        )
        .unwrap();
        crate::answers::set_value(
            &mut answers.values,
            "tenant.svcpwdSecretName",
            "plain-svc-pw".into(),
        )
        .unwrap();
        let kept = crate::share::without_secrets(&answers);
        let at = |path: &str| get(&kept.values, &parse_path(path).unwrap()).cloned();
        assert_eq!(
            at("tenant.secrets.pgdb.pwd.secretName"),
            Some(Value::from(file))
        );
        assert_eq!(at("tenant.svcpwdSecretName"), None);
        assert!(!crate::share::draft_json(&answers)
            .unwrap()
            .contains("plain-svc-pw"));
        let param = tenant.param("tenant.svcpwdSecretName").unwrap();
        assert!(holds_credential(param, &answers.values));
        assert!(!holds_credential(param, &kept.values));
    }

    #[test]
    fn previews_built_from_masked_answers_hold_no_sensitive_value() {
        let ixn = chart("ixn").unwrap();
        let mut answers = Answers::new("ixn");
        answers.values = ixn_values();
        crate::answers::set_value(&mut answers.values, NODE_DB, "node-pass-55".into()).unwrap();
        let masked = masked_answers(ixn, &answers);
        for mode in [ValuesMode::OverridesOnly, ValuesMode::Full] {
            let preview = values_yaml(&crate::validation::Evaluated::of(ixn, &masked), mode);
            assert!(
                !preview.contains("db-pass-77") && !preview.contains("node-pass-55"),
                "{preview}"
            );
            assert!(preview.contains(MASK));
            // The real file still carries them: the chart needs them.
            assert!(
                values_yaml(&crate::validation::Evaluated::of(ixn, &answers), mode)
                    .contains("db-pass-77")
            );
        }
        let diff = format!("{:?}", diff_against_defaults(ixn, &masked.values));
        assert!(
            !diff.contains("db-pass-77") && !diff.contains("node-pass-55"),
            "{diff}"
        );
    }

    #[test]
    fn editing_masked_text_keeps_the_real_value_where_the_mask_is_left() {
        let ixn = chart("ixn").unwrap();
        let current = ixn_values();
        // The user changes another key and leaves the mask alone.
        let mut edited = mask_sensitive(ixn, &current);
        edited["replicaCount"] = Value::from(0);
        let applied = unmask(ixn, &edited, &current);
        assert_eq!(
            get(&applied, &parse_path(IXN_DB).unwrap()),
            Some(&Value::from("db-pass-77"))
        );
        assert_eq!(applied["replicaCount"], Value::from(0));
        // Masking and unmasking untouched text is the identity.
        assert_eq!(
            unmask(ixn, &mask_sensitive(ixn, &current), &current),
            current
        );
    }

    #[test]
    fn a_value_typed_over_the_mask_replaces_it_and_a_removed_key_is_removed() {
        let ixn = chart("ixn").unwrap();
        let current = ixn_values();
        let mut edited = mask_sensitive(ixn, &current);
        edited["ixnService"]["ixnServer"]["secrets"]["db"]["password"] = Value::from("new-pass-1");
        let applied = unmask(ixn, &edited, &current);
        assert_eq!(
            get(&applied, &parse_path(IXN_DB).unwrap()),
            Some(&Value::from("new-pass-1"))
        );

        let mut removed = mask_sensitive(ixn, &current);
        removed["ixnService"]["ixnServer"]["secrets"]["db"]
            .as_mapping_mut()
            .unwrap()
            .remove("password");
        assert!(get(
            &unmask(ixn, &removed, &current),
            &parse_path(IXN_DB).unwrap()
        )
        .is_none());
    }

    fn diagnostic(path: &str, message: &str) -> crate::validation::Diagnostic {
        crate::validation::Diagnostic {
            path: path.into(),
            severity: crate::validation::Severity::Error,
            message: message.into(),
            rule: "test".into(),
            source: None,
        }
    }

    #[test]
    fn diagnostics_never_quote_a_sensitive_or_secret_value() {
        let ixn = chart("ixn").unwrap();
        let mut answers = Answers::new("ixn");
        answers.values = ixn_values();
        crate::answers::set_value(&mut answers.values, NODE_DB, Value::from(98765)).unwrap();
        crate::answers::set_secret(
            &mut answers.secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            None,
            r#"{"password": "hunter2-PW", "bootstrap": "k:9092",}"#,
        );
        crate::answers::set_secret(
            &mut answers.secrets,
            "redis-ors-secret",
            "voice-redis-ors-stream",
            None,
            r#"{"password": "json-field-pw"}"#,
        );
        let mut diagnostics = vec![
            diagnostic(
                "redis-ors-secret/voice-redis-ors-stream/password",
                "field is \"json-field-pw\"",
            ),
            diagnostic(IXN_DB, "`x` is \"db-pass-77\"; expected a number"),
            diagnostic(NODE_DB, "`x` is 98765; expected text"),
            diagnostic(
                "kafka-shared-secret/kafka-secrets",
                "Secret key is \"{\"password\": \"hunter2-PW\", \"bootstrap\": \"k:9092\",}\"",
            ),
            diagnostic("replicaCount", "another rule mentions db-pass-77 here"),
            diagnostic(
                "replicaCount",
                "`replicaCount` is 98765 and stays: short values are scoped",
            ),
        ];
        redact_diagnostics(ixn, &answers, &mut diagnostics);
        let all: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            all.iter()
                .take(5)
                .all(|message| !message.contains("db-pass-77")
                    && !message.contains("hunter2")
                    && !message.contains("json-field-pw")
                    && !message.contains("98765")),
            "{all:?}"
        );
        assert!(all[2].contains(HIDDEN_IN_MESSAGES));
        assert_eq!(
            all[5],
            "`replicaCount` is 98765 and stays: short values are scoped"
        );
    }

    #[test]
    fn real_validation_output_holds_no_sensitive_value() {
        let ixn = chart("ixn").unwrap();
        for typed in [
            "12345678",
            "[pw-item-1]",
            "{pw: pw-map-1}",
            "\"${PW_PLACEHOLDER_9}\"",
        ] {
            let mut answers = Answers::new("ixn");
            let value: Value = serde_yaml::from_str(typed).unwrap();
            crate::answers::set_value(&mut answers.values, IXN_DB, value.clone()).unwrap();
            let text = format!("{:?}", crate::validation::validate(ixn, &answers));
            let mut forms = Vec::new();
            hidden_forms(&value, &mut forms);
            for form in forms {
                assert!(!text.contains(&form), "{typed}: {text}");
            }
        }
    }

    #[test]
    fn a_guarded_shell_preview_fails_before_running_anything() {
        let script = "#!/usr/bin/env bash\nset -euo pipefail\necho RAN-THE-SCRIPT\n";
        assert_eq!(
            guard_preview(PreviewKind::Shell, script.into(), script),
            script
        );
        let guarded = guard_preview(PreviewKind::Shell, script.into(), "the real one");
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(&guarded)
            .output()
            .expect("bash runs");
        assert_eq!(output.status.code(), Some(1));
        assert!(!String::from_utf8_lossy(&output.stdout).contains("RAN-THE-SCRIPT"));
        assert!(String::from_utf8_lossy(&output.stderr).contains("download the real file"));
    }

    #[test]
    fn a_guarded_yaml_preview_does_not_parse() {
        let yaml = "apiVersion: v1\nkind: Secret\n";
        let guarded = guard_preview(PreviewKind::Yaml, yaml.into(), "other");
        assert!(
            serde_yaml::from_str::<Value>(&guarded).is_err(),
            "{guarded}"
        );
        assert!(guarded.ends_with(yaml));
    }

    #[test]
    fn the_mask_typed_where_there_is_no_value_sets_nothing() {
        let ixn = chart("ixn").unwrap();
        let mut edited = Value::Mapping(Default::default());
        set(
            &mut edited,
            &parse_path(NODE_DB).unwrap(),
            Value::from(MASK),
        );
        let applied = unmask(ixn, &edited, &Value::Mapping(Default::default()));
        assert!(
            get(&applied, &parse_path(NODE_DB).unwrap()).is_none(),
            "{applied:?}"
        );
        assert!(!serde_yaml::to_string(&applied).unwrap().contains(MASK));
    }
}
