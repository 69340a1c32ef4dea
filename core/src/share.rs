//! Share links and drafts: the non-secret part of the answers, compressed into a URL fragment or kept as a draft. Secret values never enter either.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;

use crate::answers::{Answers, SecretValues};

/// Fragments longer than this may be cut by chat tools and browsers; the UI warns past it.
pub const SHARE_LINK_WARN_BYTES: usize = 8 * 1024;

const FRAGMENT_PREFIX: &str = "v1.";

/// The answers without any secret value, nor any credential in a `sensitive` parameter (what the
/// chart reads from values; see `mask::holds_credential`): what drafts and share links may hold.
pub fn without_secrets(answers: &Answers) -> Answers {
    let mut kept = Answers {
        secrets: SecretValues::new(),
        ..answers.clone()
    };
    if let Some(chart) = crate::catalog::registry::chart(&answers.chart) {
        for param in chart.params.iter() {
            if crate::mask::holds_credential(param, &answers.values) {
                let _ = crate::answers::reset_value(&mut kept.values, &param.path);
            }
        }
    }
    kept
}

/// Encodes the non-secret answers as a URL fragment (without the `#`): JSON, deflated, base64url.
/// Fails, rather than panics, on a tree JSON cannot hold (which the input boundary keeps out).
pub fn encode_share_fragment(answers: &Answers) -> Result<String, String> {
    let json = serde_json::to_vec(&without_secrets(answers)).map_err(unshareable)?;
    pack(FRAGMENT_PREFIX, &json).map_err(unshareable)
}

/// `prefix` + base64url(deflate(`json`)): the body of every link the page makes (a chart's
/// `v1.`, an environment's `e1.`).
pub(crate) fn pack(prefix: &str, json: &[u8]) -> std::io::Result<String> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(json)?;
    let compressed = encoder.finish()?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(compressed)))
}

/// The JSON of a link made by [`pack`] with `prefix` (the `#` optional), at most 4 MiB once
/// inflated; the message says what is wrong with the link, never what it holds.
pub(crate) fn unpack(prefix: &str, fragment: &str) -> Result<Vec<u8>, &'static str> {
    let body = fragment.trim_start_matches('#');
    let body = body
        .strip_prefix(prefix)
        .ok_or("this link was not made by pe-configurator")?;
    let compressed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "the link is damaged (not base64url)")?;
    let mut json = Vec::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(4 * 1024 * 1024)
        .read_to_end(&mut json)
        .map_err(|_| "the link is damaged (does not decompress)")?;
    Ok(json)
}

/// The bytes of a link made by [`pack`] with `prefix` (the `#` optional), refused when they
/// inflate past `limit`: a link whose body is text (a unit group's `g1.`) must never be read cut
/// short, since a cut text may still read as something smaller. The message says what is wrong
/// with the link, never what it holds.
pub(crate) fn unpack_at_most(
    prefix: &str,
    fragment: &str,
    limit: usize,
) -> Result<Vec<u8>, String> {
    let body = fragment.trim_start_matches('#');
    let body = body
        .strip_prefix(prefix)
        .ok_or("this link was not made by pe-configurator")?;
    let compressed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "the link is damaged (not base64url)")?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a text at the limit from a longer one.
    DeflateDecoder::new(compressed.as_slice())
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| "the link is damaged (does not decompress)")?;
    if bytes.len() > limit {
        return Err(format!(
            "the link is too large: it inflates past {} KiB",
            limit / 1024
        ));
    }
    Ok(bytes)
}

fn unshareable(error: impl std::fmt::Display) -> String {
    format!("these answers cannot be written as a link or draft: {error}")
}

/// What a link or draft holds, checked at the input boundary: a known chart, values that are a
/// map Helm can read, and no secret.
fn checked(mut answers: Answers) -> Result<Answers, String> {
    // The id alone: the page checks a draft before it has fetched the chart's file.
    if !crate::catalog::registry::is_known(&answers.chart) {
        return Err("it names a chart this version does not know".to_string());
    }
    answers.values = crate::yaml::read::check_values(answers.values, "`values`")
        .map_err(|error| error.to_string())?;
    Ok(without_secrets(&answers))
}

/// Decodes a fragment made by `encode_share_fragment`. Any secret a crafted link might carry is dropped.
pub fn decode_share_fragment(fragment: &str) -> Result<Answers, String> {
    let json = unpack(FRAGMENT_PREFIX, fragment)?;
    let answers: Answers = serde_json::from_slice(&json)
        .map_err(|error| format!("the link holds no valid answers: {error}"))?;
    checked(answers).map_err(|error| format!("the link is refused: {error}"))
}

/// A draft as stored in the browser (JSON of the non-secret answers).
pub fn draft_json(answers: &Answers) -> Result<String, String> {
    serde_json::to_string(&without_secrets(answers)).map_err(unshareable)
}

/// A stored draft, when it is still one this version can use (storage is shared with every page
/// of the origin, so a draft is input like any other).
pub fn parse_draft(text: &str) -> Option<Answers> {
    if text.len() > crate::yaml::read::MAX_INPUT_BYTES {
        return None;
    }
    serde_json::from_str::<Answers>(text)
        .ok()
        .and_then(|answers| checked(answers).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{parse_answers, set_secret};

    fn sample() -> Answers {
        let mut answers = parse_answers(
            "chart: ixn\nrelease: ixn-80dd\nvalues:\n  replicaCount: 1\n  tenant: {id: 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd, sid: '0100'}\n",
        )
        .unwrap();
        set_secret(
            &mut answers.secrets,
            "kafka-shared-secret",
            "kafka-secrets",
            Some("password"),
            "S3cr3t-Value!",
        );
        set_secret(
            &mut answers.secrets,
            "pullsecret",
            ".dockerconfigjson",
            Some("password"),
            "hunter2-pull",
        );
        answers
    }

    #[test]
    fn share_fragment_round_trips_without_secrets() {
        let answers = sample();
        let fragment = encode_share_fragment(&answers).unwrap();
        let restored = decode_share_fragment(&format!("#{fragment}")).unwrap();
        assert_eq!(restored, without_secrets(&answers));
        assert!(restored.secrets.is_empty());
    }

    #[test]
    fn no_secret_value_is_in_the_link_even_after_decompression() {
        let fragment = encode_share_fragment(&sample()).unwrap();
        assert!(!fragment.contains("S3cr3t") && !fragment.contains("hunter2"));
        let compressed = URL_SAFE_NO_PAD
            .decode(fragment.trim_start_matches(FRAGMENT_PREFIX))
            .unwrap();
        let mut json = String::new();
        DeflateDecoder::new(compressed.as_slice())
            .read_to_string(&mut json)
            .unwrap();
        assert!(
            !json.contains("S3cr3t") && !json.contains("hunter2") && !json.contains("secrets"),
            "{json}"
        );
    }

    #[test]
    fn sensitive_values_stay_out_of_links_and_drafts() {
        let mut answers = sample();
        crate::answers::set_value(
            &mut answers.values,
            "ixnService.ixnServer.secrets.db.password",
            "db-pass-77".into(),
        )
        .unwrap();
        assert!(!encode_share_fragment(&answers)
            .unwrap()
            .contains("db-pass-77"));
        let draft = draft_json(&answers).unwrap();
        assert!(!draft.contains("db-pass-77"), "{draft}");
        assert_eq!(
            without_secrets(&answers).values["replicaCount"],
            serde_yaml::Value::from(1)
        );
    }

    #[test]
    fn drafts_hold_no_secrets() {
        let draft = draft_json(&sample()).unwrap();
        assert!(!draft.contains("S3cr3t") && !draft.contains("hunter2"));
        assert_eq!(parse_draft(&draft).unwrap(), without_secrets(&sample()));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        assert!(decode_share_fragment("#v2.abc").is_err());
        assert!(decode_share_fragment("#v1.***").is_err());
        assert!(decode_share_fragment("#v1.AAAA").is_err());
    }

    fn fragment_of(json: &str) -> String {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(json.as_bytes()).unwrap();
        format!("#v1.{}", URL_SAFE_NO_PAD.encode(encoder.finish().unwrap()))
    }

    #[test]
    fn crafted_links_and_drafts_pass_the_input_boundary() {
        let phantom = decode_share_fragment(&fragment_of(r#"{"chart":"zzz"}"#)).unwrap_err();
        assert!(phantom.contains("chart"), "{phantom}");
        let number = decode_share_fragment(&fragment_of(r#"{"chart":"ixn","values":5}"#));
        assert!(number.unwrap_err().contains("map"));
        assert!(parse_draft(r#"{"chart":"ixn","values":[1]}"#).is_none());
        assert!(parse_draft(r#"{"chart":"nope"}"#).is_none());
        // A link cannot smuggle a secret in.
        let smuggled = decode_share_fragment(&fragment_of(
            r#"{"chart":"ixn","secrets":{"x":{"y":"s3cret"}}}"#,
        ))
        .unwrap();
        assert!(smuggled.secrets.is_empty());
    }
}
