//! The embedding API's trust decisions, pure so they are tested natively: which host origins `origin=` may name, which messages from the host are accepted, and what the app's messages may carry.
//!
//! The browser side (`src/embed.rs`) only wires these: it answers only inside a frame, only to
//! the origins [`parse_origin_list`] accepted, only for messages whose source is the parent
//! window, and it passes every message through [`check_message`]. The threat model is in
//! `docs/embedding.md`.

use serde_json::{json, Map, Value as Json};

use crate::answers::Answers;
#[cfg(test)]
use crate::catalog::registry::chart;
use crate::catalog::registry::is_known;
use crate::catalog::Chart;
use crate::export::{values_file_name, values_schema_json, values_yaml, ValuesMode, SCHEMA_FILE};
use crate::share::without_secrets;

/// Largest message accepted from the host, as JSON text. A set-values of every parameter of the
/// largest chart is under 20 KiB; the cap keeps a hostile host from making the page parse and
/// merge megabytes on every message.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// Every message type of the API starts with this; other messages (a portal's own traffic,
/// browser extensions) are not addressed to us and are ignored without an answer.
pub const TYPE_PREFIX: &str = "pecfg:";

/// One origin from `origin=`, normalized as browsers serialize `event.origin`
/// (`https://docs.example.com`, lower-case host, no default port, no path).
///
/// Refused: anything that is not `http://` or `https://` (`null`, `*`, `file:`, `data:`…), a
/// path, query, fragment or user info, an empty or non-ASCII host (write it in punycode), a bad port.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
        ("https", rest)
    } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
        ("http", rest)
    } else {
        return Err(format!(
            "`{}` is not an http(s) origin (write it as https://host[:port])",
            short(text)
        ));
    };
    // A single trailing slash is what people paste from the address bar; more is a path.
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(format!("`{}` has no host", short(text)));
    }
    if let Some(bad) = authority
        .chars()
        .find(|c| matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "`{}` is not an origin: `{bad}` is not allowed (only scheme, host and port)",
            short(text)
        ));
    }
    if !authority.is_ascii() {
        return Err(format!(
            "`{}` has a non-ASCII host; write it in punycode (xn--…)",
            short(text)
        ));
    }
    let (host, port) = split_host_port(authority)
        .ok_or_else(|| format!("`{}` has a malformed host or port", short(text)))?;
    let host = host.to_ascii_lowercase();
    let default_port = if scheme == "https" { 443 } else { 80 };
    Ok(match port {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; the host checked character by character.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let close = v6.find(']')?;
        let host = authority.get(..close + 2)?;
        let after = v6.get(close + 1..)?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        let inside = v6.get(..close)?;
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        (host, port)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let labels_ok = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !labels_ok {
            return None;
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(digits) => {
            if digits.is_empty() || digits.len() > 5 || !digits.chars().all(|c| c.is_ascii_digit())
            {
                return None;
            }
            let number: u16 = digits.parse().ok()?;
            if number == 0 {
                return None;
            }
            Some(number)
        }
    };
    Some((host, port))
}

/// The `origin=` parameter: one or more http(s) origins separated by commas. Any entry that is
/// not an origin refuses the whole list (a typo must not silently leave the API open to fewer or
/// other hosts than the portal team meant), and so does an empty list.
pub fn parse_origin_list(text: &str) -> Result<Vec<String>, String> {
    let mut origins: Vec<String> = Vec::new();
    for part in text.split(',') {
        if part.trim().is_empty() {
            continue;
        }
        let origin = parse_origin(part)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.is_empty() {
        return Err("`origin=` names no origin".into());
    }
    Ok(origins)
}

/// Whether a message's `event.origin` is one of the accepted origins (compared exactly, as the
/// browser serializes it; `null` never matches because no accepted origin is `null`).
pub fn is_trusted(accepted: &[String], origin: &str) -> bool {
    accepted.iter().any(|known| known == origin)
}

/// Where the app's own messages (ready, values-changed, exported) are sent. The browser delivers
/// a message only if the parent's origin is the target, so the choice cannot widen trust; it only
/// avoids posting to origins that are not the parent. The parent's origin as the browser reports
/// it (`location.ancestorOrigins`, or the referrer) is used when it is on the list; else the origin
/// of the last accepted message; else every accepted origin.
pub fn reply_targets(
    accepted: &[String],
    parent_hint: Option<&str>,
    last_sender: Option<&str>,
) -> Vec<String> {
    for hint in [parent_hint, last_sender].into_iter().flatten() {
        if is_trusted(accepted, hint) {
            return vec![hint.to_string()];
        }
    }
    accepted.to_vec()
}

/// A message from the host that passed the schema check.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    SelectChart {
        chart: String,
    },
    SetValues {
        chart: Option<String>,
        /// Always a JSON object: a number, list, string or `null` is refused.
        values: Map<String, Json>,
    },
}

/// Checks one message from the host, given as JSON text (what `JSON.stringify(event.data)` gives).
///
/// `Ok(None)`: not addressed to the API (not an object, or a `type` without the `pecfg:` prefix);
/// ignore it. `Err(message)`: addressed to the API but malformed; answer with [`error_message`].
/// The message never quotes a value the host sent, only field names, shortened.
pub fn check_message(text: &str) -> Result<Option<HostMessage>, String> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(format!(
            "the message is {} KiB; the limit is {} KiB",
            text.len().div_ceil(1024),
            MAX_MESSAGE_BYTES / 1024
        ));
    }
    let Ok(Json::Object(fields)) = serde_json::from_str::<Json>(text) else {
        return Ok(None);
    };
    let Some(Json::String(kind)) = fields.get("type") else {
        return Ok(None);
    };
    if !kind.starts_with(TYPE_PREFIX) {
        return Ok(None);
    }
    let allowed: &[&str] = match kind.as_str() {
        "pecfg:select-chart" => &["type", "chart"],
        "pecfg:set-values" => &["type", "chart", "values"],
        other => return Err(format!("unknown message type `{}`", short(other))),
    };
    if let Some(extra) = fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        return Err(format!(
            "`{kind}` has an unexpected field `{}`",
            short(extra)
        ));
    }
    let chart_id = match fields.get("chart") {
        None => None,
        Some(Json::String(id)) if is_known(id) => Some(id.clone()),
        Some(Json::String(id)) => return Err(format!("unknown chart `{}`", short(id))),
        Some(_) => return Err("`chart` must be a chart id (text)".into()),
    };
    match kind.as_str() {
        "pecfg:select-chart" => chart_id
            .map(|chart| Some(HostMessage::SelectChart { chart }))
            .ok_or_else(|| "`pecfg:select-chart` needs a `chart`".to_string()),
        _ => match fields.get("values") {
            Some(Json::Object(values)) => Ok(Some(HostMessage::SetValues {
                chart: chart_id,
                values: values.clone(),
            })),
            Some(_) => Err("`values` must be a map of keys (an object), as in values.yaml".into()),
            None => Err("`pecfg:set-values` needs `values`".into()),
        },
    }
}

fn short(text: &str) -> String {
    const MAX: usize = 40;
    let cut: String = text.chars().take(MAX).collect();
    let cut = cut.escape_debug().to_string();
    if text.chars().count() > MAX {
        format!("{cut}…")
    } else {
        cut
    }
}

/// `{type: "pecfg:ready", charts}`.
pub fn ready_message(chart_ids: &[&str]) -> Json {
    json!({"type": "pecfg:ready", "charts": chart_ids})
}

/// `{type: "pecfg:error", message}`: the answer to a message [`check_message`] refused.
pub fn error_message(message: &str) -> Json {
    json!({"type": "pecfg:error", "message": message})
}

/// `{type: "pecfg:values-changed", chart, values, errors, warnings}`. The values are the
/// overrides without any `sensitive` value (secret values are not in the overrides at all).
/// `Err` when the overrides cannot be written as JSON (a key JSON cannot hold): then nothing is sent.
pub fn values_changed_message(
    answers: &Answers,
    errors: usize,
    warnings: usize,
) -> Result<Json, String> {
    let values = serde_json::to_value(&without_secrets(answers).values)
        .map_err(|error| format!("the values cannot be sent as JSON: {error}"))?;
    Ok(json!({
        "type": "pecfg:values-changed",
        "chart": answers.chart,
        "values": values,
        "errors": errors,
        "warnings": warnings,
    }))
}

/// The files `pecfg:exported` carries: values.yaml written from the answers without their
/// `sensitive` values (the host gets a file that lacks the credentials, not one with a
/// placeholder that would deploy as a password), and values.schema.json. Never secrets.yaml or
/// the commands, which hold secret values. The page sends [`exported_values_file`] and the
/// schema its tools module writes (the same `values_schema_json`), so the first module does not
/// carry the schema's exporter.
pub fn exported_files(chart: &Chart, answers: &Answers, mode: ValuesMode) -> Vec<(String, String)> {
    vec![
        exported_values_file(chart, answers, mode),
        (SCHEMA_FILE.to_string(), values_schema_json(chart)),
    ]
}

/// The first of [`exported_files`]: `<chart>-values.yaml` without the `sensitive` values.
pub fn exported_values_file(
    chart: &Chart,
    answers: &Answers,
    mode: ValuesMode,
) -> (String, String) {
    (
        values_file_name(chart),
        values_yaml(
            &crate::validation::Evaluated::of(chart, &without_secrets(answers)),
            mode,
        ),
    )
}

/// `{type: "pecfg:exported", chart, files}` with `files` as name → text.
pub fn exported_message(chart_id: &str, files: &[(String, String)]) -> Json {
    let files: Map<String, Json> = files
        .iter()
        .map(|(name, text)| (name.clone(), Json::String(text.clone())))
        .collect();
    json!({"type": "pecfg:exported", "chart": chart_id, "files": files})
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::answers::{set_secret, set_value};

    #[test]
    fn origins_are_normalized_as_browsers_serialize_them() {
        for (given, expected) in [
            ("https://docs.example.com", "https://docs.example.com"),
            ("https://Docs.Example.COM/", "https://docs.example.com"),
            ("HTTPS://docs.example.com:443", "https://docs.example.com"),
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("http://localhost:80", "http://localhost"),
            (
                "https://portal.example.com:8443",
                "https://portal.example.com:8443",
            ),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("  https://a.example  ", "https://a.example"),
        ] {
            assert_eq!(parse_origin(given).as_deref(), Ok(expected), "{given}");
        }
    }

    #[test]
    fn anything_but_an_http_origin_is_refused() {
        for bad in [
            "*",
            "null",
            "",
            "docs.example.com",
            "file:///etc",
            "data:text/html,x",
            "javascript:alert(1)",
            "ftp://example.com",
            "https://",
            "https://example.com/path",
            "https://example.com/?q",
            "https://example.com#x",
            "https://user@example.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.com:",
            "https://exa mple.com",
            "https://-bad.example",
            "https://a..b",
            "https://bücher.example",
            "https://*.example.com",
            "https://example.com\\@evil.com",
            "https://[zz]",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn an_origin_list_is_all_or_nothing() {
        assert_eq!(
            parse_origin_list("https://a.example, http://127.0.0.1:9000,https://a.example/")
                .unwrap(),
            vec![
                "https://a.example".to_string(),
                "http://127.0.0.1:9000".to_string()
            ]
        );
        assert!(parse_origin_list("https://a.example,*").is_err());
        assert!(parse_origin_list("https://a.example,null").is_err());
        assert!(parse_origin_list("").is_err());
        assert!(parse_origin_list(" , ").is_err());
    }

    #[test]
    fn trust_is_an_exact_match_and_null_never_matches() {
        let accepted = parse_origin_list("https://docs.example.com").unwrap();
        assert!(is_trusted(&accepted, "https://docs.example.com"));
        for other in [
            "null",
            "https://docs.example.com.evil.com",
            "http://docs.example.com",
            "https://docs.example.com:444",
            "",
        ] {
            assert!(!is_trusted(&accepted, other), "{other}");
        }
    }

    #[test]
    fn replies_go_to_the_parent_when_it_is_known_and_listed() {
        let accepted = parse_origin_list("https://a.example,https://b.example").unwrap();
        assert_eq!(
            reply_targets(&accepted, Some("https://b.example"), None),
            ["https://b.example"]
        );
        // A hint that is not on the list is not a target: trust comes from the list only.
        assert_eq!(
            reply_targets(
                &accepted,
                Some("https://evil.example"),
                Some("https://a.example")
            ),
            ["https://a.example"]
        );
        assert_eq!(
            reply_targets(&accepted, Some("https://evil.example"), None),
            accepted
        );
    }

    #[test]
    fn well_formed_messages_pass() {
        assert_eq!(
            check_message(r#"{"type":"pecfg:select-chart","chart":"ixn"}"#),
            Ok(Some(HostMessage::SelectChart {
                chart: "ixn".into()
            }))
        );
        let Ok(Some(HostMessage::SetValues { chart, values })) =
            check_message(r#"{"type":"pecfg:set-values","values":{"replicaCount":1}}"#)
        else {
            panic!("set-values must pass");
        };
        assert_eq!(chart, None);
        assert_eq!(values["replicaCount"], json!(1));
    }

    #[test]
    fn messages_not_addressed_to_the_api_are_ignored_without_an_answer() {
        for other in [
            "5",
            "\"hello\"",
            "null",
            "[1,2]",
            "{}",
            r#"{"type":5}"#,
            r#"{"type":"webpack:ok"}"#,
            "not json",
        ] {
            assert_eq!(check_message(other), Ok(None), "{other}");
        }
    }

    #[test]
    fn set_values_accepts_only_a_map() {
        for values in ["5", "[]", "\"x\"", "null", "true"] {
            let text = format!(r#"{{"type":"pecfg:set-values","values":{values}}}"#);
            let refused = check_message(&text).unwrap_err();
            assert!(refused.contains("map"), "{values}: {refused}");
        }
        assert!(check_message(r#"{"type":"pecfg:set-values"}"#).is_err());
    }

    #[test]
    fn malformed_api_messages_are_refused_with_a_reason() {
        for (text, reason) in [
            (r#"{"type":"pecfg:select-chart"}"#, "needs"),
            (
                r#"{"type":"pecfg:select-chart","chart":"zzz"}"#,
                "unknown chart",
            ),
            (r#"{"type":"pecfg:select-chart","chart":7}"#, "chart id"),
            (
                r#"{"type":"pecfg:set-values","chart":"zzz","values":{}}"#,
                "unknown chart",
            ),
            (
                r#"{"type":"pecfg:set-values","values":{},"extra":1}"#,
                "unexpected field `extra`",
            ),
            (
                r#"{"type":"pecfg:delete-everything"}"#,
                "unknown message type",
            ),
        ] {
            let refused = check_message(text).unwrap_err();
            assert!(refused.contains(reason), "{text}: {refused}");
        }
    }

    #[test]
    fn oversized_messages_are_refused_before_parsing() {
        let big = format!(
            r#"{{"type":"pecfg:set-values","values":{{"a":"{}"}}}}"#,
            "x".repeat(MAX_MESSAGE_BYTES)
        );
        assert!(check_message(&big).unwrap_err().contains("limit"));
        let fits = format!(
            r#"{{"type":"pecfg:set-values","values":{{"a":"{}"}}}}"#,
            "x".repeat(MAX_MESSAGE_BYTES - 100)
        );
        assert!(check_message(&fits).unwrap().is_some());
    }

    #[test]
    fn refusals_do_not_quote_the_values_sent() {
        let refused =
            check_message(r#"{"type":"pecfg:set-values","values":"hunter2-sent-by-host"}"#)
                .unwrap_err();
        assert!(!refused.contains("hunter2"), "{refused}");
    }

    fn ixn_answers() -> Answers {
        let mut answers = Answers::new("ixn");
        set_value(&mut answers.values, "replicaCount", 1.into()).unwrap();
        set_value(
            &mut answers.values,
            "ixnService.ixnServer.secrets.db.password",
            "db-pass-77".into(),
        )
        .unwrap();
        set_secret(
            &mut answers.secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            Some("password"),
            "kafka-secret-pw-9",
        );
        answers
    }

    #[test]
    fn values_changed_carries_no_secret_and_no_sensitive_value() {
        let message = values_changed_message(&ixn_answers(), 0, 2).unwrap();
        let text = message.to_string();
        assert!(
            !text.contains("db-pass-77") && !text.contains("kafka-secret-pw-9"),
            "{text}"
        );
        assert_eq!(message["values"]["replicaCount"], json!(1));
        assert_eq!(message["type"], json!("pecfg:values-changed"));
        assert_eq!(message["warnings"], json!(2));
    }

    #[test]
    fn exported_files_carry_no_secret_and_no_sensitive_value() {
        let ixn = chart("ixn").unwrap();
        for mode in [ValuesMode::OverridesOnly, ValuesMode::Full] {
            let files = exported_files(ixn, &ixn_answers(), mode);
            let names: Vec<_> = files.iter().map(|(name, _)| name.as_str()).collect();
            assert_eq!(names, ["ixn-values.yaml", SCHEMA_FILE]);
            let text = exported_message("ixn", &files).to_string();
            assert!(!text.contains("db-pass-77") && !text.contains("kafka-secret-pw-9"));
            assert!(files[0].1.contains("replicaCount: 1"));
        }
    }
}
