//! Share links and drafts: the non-secret part of the answers, compressed into a URL fragment or kept as a draft. Secret values never enter either.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;

use crate::state::{Answers, SecretValues};

/// Fragments longer than this may be cut by chat tools and browsers; the UI warns past it.
pub const SHARE_LINK_WARN_BYTES: usize = 8 * 1024;

const FRAGMENT_PREFIX: &str = "v1.";

/// The answers without any secret value, nor any value of a `sensitive` parameter (credentials
/// the chart reads from values): what drafts and share links may hold.
pub fn without_secrets(answers: &Answers) -> Answers {
    let mut kept = Answers {
        secrets: SecretValues::new(),
        ..answers.clone()
    };
    if let Some(chart) = crate::charts::chart(&answers.chart) {
        for param in chart.params.iter().filter(|param| param.sensitive) {
            let _ = crate::state::reset_value(&mut kept.values, &param.path);
        }
    }
    kept
}

/// Encodes the non-secret answers as a URL fragment (without the `#`): JSON, deflated, base64url.
pub fn encode_share_fragment(answers: &Answers) -> String {
    let json = serde_json::to_vec(&without_secrets(answers)).expect("answers always serialize");
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(&json)
        .expect("writing to memory cannot fail");
    let compressed = encoder.finish().expect("writing to memory cannot fail");
    format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Decodes a fragment made by `encode_share_fragment`. Any secret a crafted link might carry is dropped.
pub fn decode_share_fragment(fragment: &str) -> Result<Answers, String> {
    let body = fragment.trim_start_matches('#');
    let body = body
        .strip_prefix(FRAGMENT_PREFIX)
        .ok_or("this link was not made by pe-configurator")?;
    let compressed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "the link is damaged (not base64url)")?;
    let mut json = Vec::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(4 * 1024 * 1024)
        .read_to_end(&mut json)
        .map_err(|_| "the link is damaged (does not decompress)")?;
    let answers: Answers = serde_json::from_slice(&json)
        .map_err(|error| format!("the link holds no valid answers: {error}"))?;
    Ok(without_secrets(&answers))
}

/// A draft as stored in the browser (JSON of the non-secret answers).
pub fn draft_json(answers: &Answers) -> String {
    serde_json::to_string(&without_secrets(answers)).expect("answers always serialize")
}

pub fn parse_draft(text: &str) -> Option<Answers> {
    serde_json::from_str::<Answers>(text)
        .ok()
        .map(|answers| without_secrets(&answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{parse_answers, set_secret};

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
        let fragment = encode_share_fragment(&answers);
        let restored = decode_share_fragment(&format!("#{fragment}")).unwrap();
        assert_eq!(restored, without_secrets(&answers));
        assert!(restored.secrets.is_empty());
    }

    #[test]
    fn no_secret_value_is_in_the_link_even_after_decompression() {
        let fragment = encode_share_fragment(&sample());
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
        crate::state::set_value(
            &mut answers.values,
            "ixnService.ixnServer.secrets.db.password",
            "db-pass-77".into(),
        )
        .unwrap();
        assert!(!encode_share_fragment(&answers).contains("db-pass-77"));
        let draft = draft_json(&answers);
        assert!(!draft.contains("db-pass-77"), "{draft}");
        assert_eq!(
            without_secrets(&answers).values["replicaCount"],
            serde_yaml::Value::from(1)
        );
    }

    #[test]
    fn drafts_hold_no_secrets() {
        let draft = draft_json(&sample());
        assert!(!draft.contains("S3cr3t") && !draft.contains("hunter2"));
        assert_eq!(parse_draft(&draft).unwrap(), without_secrets(&sample()));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        assert!(decode_share_fragment("#v2.abc").is_err());
        assert!(decode_share_fragment("#v1.***").is_err());
        assert!(decode_share_fragment("#v1.AAAA").is_err());
    }
}
