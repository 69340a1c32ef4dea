//! SealedSecrets: the certificate checks, the manifests against the SealedSecret CRD schema
//! (fixture), the byte layout, and every value opened again with the test key's private half.
//!
//! The fixtures in `fixtures/sealed/` were made by `cli/tests/sealed/unseal.py keygen`; `key.pem`
//! is a throwaway test key and protects nothing. The independent opener (Python `cryptography`)
//! runs in `cli/tests/sealed.rs`.

use std::path::PathBuf;

use aes_gcm::aead::{Aead as _, KeyInit as _};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use pecfg_core::answers::{parse_answers, Answers};
use pecfg_core::catalog::registry::all_charts;
use pecfg_core::export::{
    commands_ps1, commands_sh, filled_secrets, hybrid_encrypt, namespace, sealed_secrets_yaml,
    ExportOptions, SealScope, SealingCert, CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION,
};
use pecfg_core::schema::yaml_to_json;
use pecfg_core::validation::Evaluated;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::{Oaep, RsaPrivateKey};
use serde_yaml::Value;
use sha2::Sha256;

const CERT: &str = include_str!("fixtures/sealed/cert.pem");
const KEY: &str = include_str!("fixtures/sealed/key.pem");
/// 2030-03-17: inside the fixture certificate's validity (2026-11-30 to 2036-11-27).
const NOW: u64 = 1_900_000_000;

fn cert() -> SealingCert {
    SealingCert::parse(CERT, NOW).unwrap()
}

fn private_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(KEY).unwrap()
}

/// The controller's opening of one value, in Rust (the Python one is the independent check).
fn open(key: &RsaPrivateKey, blob: &[u8], label: &str) -> Option<Vec<u8>> {
    let length = usize::from(u16::from_be_bytes([*blob.first()?, *blob.get(1)?]));
    let rsa_part = blob.get(2..2 + length)?;
    let session_key = key
        .decrypt(Oaep::new_with_label::<Sha256, _>(label), rsa_part)
        .ok()?;
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&session_key).ok()?;
    cipher
        .decrypt(
            aes_gcm::Nonce::from_slice(&[0; 12]),
            blob.get(2 + length..)?,
        )
        .ok()
}

fn scenario(id: &str) -> Answers {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(format!("{id}.answers.yaml"));
    parse_answers(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn documents(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|document| serde::Deserialize::deserialize(document).unwrap())
        .filter(|document: &Value| !document.is_null())
        .collect()
}

#[test]
fn the_certificate_shows_subject_expiry_and_fingerprints() {
    let cert = cert();
    assert_eq!(cert.subject, "CN=sealed-secret,O=pe-configurator test");
    assert_eq!(cert.not_after, "2036-11-27T07:25:58Z");
    assert_eq!(cert.key_bits, 4096);
    // `openssl x509 -noout -fingerprint -sha256` and `ssh-keygen -lf` of the same certificate.
    assert_eq!(
        cert.fingerprint,
        "B2:2F:DA:57:FE:7C:8F:79:EF:62:9E:E9:73:EC:D1:4A:A8:8F:16:8A:80:87:8A:7C:39:8C:E3:7C:93:C5:28:20"
    );
    assert_eq!(
        cert.key_fingerprint,
        "SHA256:NX0SbApYHj9M2LL8eNS5eUOctsmtXWgMr1MppJDFe0U"
    );
    // What a paste does to a PEM: CRLF, indentation, text around it.
    let pasted = format!(
        "kubeseal --fetch-cert output:\r\n{}\r\n",
        CERT.lines()
            .map(|line| format!("  {line}"))
            .collect::<Vec<_>>()
            .join("\r\n")
    );
    assert_eq!(SealingCert::parse(&pasted, NOW).unwrap(), cert);
}

#[test]
fn unusable_certificates_are_refused_with_a_reason() {
    let fixture = |name: &str| {
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sealed")
                .join(name),
        )
        .unwrap()
    };
    let ec = SealingCert::parse(&fixture("ec-cert.pem"), NOW).unwrap_err();
    assert!(ec.contains("not RSA (algorithm EC)"), "{ec}");
    let expired = SealingCert::parse(&fixture("expired-cert.pem"), NOW).unwrap_err();
    assert!(
        expired.contains("expired on 2001-01-01T00:00:00Z"),
        "{expired}"
    );
    let small = SealingCert::parse(&fixture("small-cert.pem"), NOW).unwrap_err();
    assert!(small.contains("1024 bits"), "{small}");
    let later = SealingCert::parse(CERT, 2_200_000_000).unwrap_err();
    assert!(later.contains("expired on 2036-11-27"), "{later}");
    let private = SealingCert::parse(KEY, NOW).unwrap_err();
    assert!(private.contains("PRIVATE key"), "{private}");
    // A truncated or bit-flipped certificate: an error, never a panic.
    let body: Vec<&str> = CERT.lines().collect();
    for cut in 1..body.len() - 1 {
        let mut lines = body.clone();
        lines.remove(cut);
        assert!(SealingCert::parse(&lines.join("\n"), NOW).is_err());
    }
}

#[test]
fn the_byte_layout_is_the_controllers() {
    let cert = cert();
    let key = private_key();
    for plaintext in [&b""[..], b"x", "é\0`$'\n".as_bytes(), &[0xAB; 5000]] {
        let blob = hybrid_encrypt(
            &mut rand_core::OsRng,
            cert.public_key(),
            plaintext,
            "ns/name",
        )
        .unwrap();
        // 2-byte big-endian length (512 for a 4096-bit key) ‖ RSA part ‖ ciphertext ‖ 16-byte tag.
        assert_eq!(&blob[..2], &[0x02, 0x00]);
        assert_eq!(blob.len(), 2 + 512 + plaintext.len() + 16);
        assert_eq!(open(&key, &blob, "ns/name").as_deref(), Some(plaintext));
        assert_eq!(open(&key, &blob, "ns/other"), None);
        assert_eq!(open(&key, &blob, ""), None);
    }
    // A fresh session key every time: the same value never seals to the same bytes.
    let seal = || hybrid_encrypt(&mut rand_core::OsRng, cert.public_key(), b"same", "").unwrap();
    assert_ne!(seal(), seal());
}

#[test]
fn every_chart_seals_in_every_scope_to_manifests_the_crd_accepts() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sealedsecret.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let cert = cert();
    let key = private_key();
    let mut opened = 0;
    for chart in all_charts() {
        let answers = scenario(&chart.id);
        let filled = filled_secrets(&Evaluated::of(chart, &answers));
        assert_eq!(
            filled.is_empty(),
            chart.secrets.is_empty(),
            "{}: the scenario fills the chart's secrets",
            chart.id
        );
        let namespace = namespace(&Evaluated::of(chart, &answers));
        for scope in SealScope::ALL {
            let text = sealed_secrets_yaml(
                &Evaluated::of(chart, &answers),
                &cert,
                scope,
                &mut rand_core::OsRng,
            )
            .unwrap();
            assert!(text.starts_with("# SealedSecrets for "));
            assert!(text.contains(&cert.fingerprint));
            let sealed = documents(&text);
            assert_eq!(sealed.len(), filled.len(), "{} {scope:?}", chart.id);
            for (document, secret) in sealed.iter().zip(&filled) {
                let json = yaml_to_json(document);
                let errors: Vec<String> = validator
                    .iter_errors(&json)
                    .map(|error| format!("{error} at {}", error.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{}: {errors:?}", chart.id);
                for metadata in [
                    &document["metadata"],
                    &document["spec"]["template"]["metadata"],
                ] {
                    assert_eq!(metadata["name"].as_str(), Some(secret.name.as_str()));
                    assert_eq!(metadata["namespace"].as_str(), Some(namespace.as_str()));
                    let annotations = &metadata["annotations"];
                    match scope {
                        SealScope::Strict => assert!(annotations.is_null()),
                        SealScope::NamespaceWide => assert_eq!(
                            annotations[NAMESPACE_WIDE_ANNOTATION].as_str(),
                            Some("true")
                        ),
                        SealScope::ClusterWide => {
                            assert_eq!(annotations[CLUSTER_WIDE_ANNOTATION].as_str(), Some("true"))
                        }
                    }
                }
                assert_eq!(
                    document["spec"]["template"]["type"].as_str(),
                    Some(secret.secret_type.as_str())
                );
                let data = document["spec"]["encryptedData"].as_mapping().unwrap();
                assert_eq!(data.len(), secret.keys.len());
                let label = scope.label(&namespace, &secret.name);
                for filled_key in &secret.keys {
                    let blob = BASE64
                        .decode(data[filled_key.key.as_str()].as_str().unwrap())
                        .unwrap();
                    assert_eq!(
                        open(&key, &blob, &label).as_deref(),
                        Some(filled_key.value.as_bytes()),
                        "{}: {}/{}",
                        chart.id,
                        secret.name,
                        filled_key.key
                    );
                    opened += 1;
                    if scope == SealScope::Strict {
                        let other = SealScope::Strict.label(&namespace, "another-name");
                        assert_eq!(open(&key, &blob, &other), None);
                    }
                }
            }
        }
    }
    assert!(opened > 0);
    println!("opened {opened} sealed values");
}

#[test]
fn sealed_commands_apply_the_file_and_hold_no_secret_value() {
    let chart = all_charts().iter().find(|chart| chart.id == "ixn").unwrap();
    let answers = scenario("ixn");
    let options = ExportOptions {
        sealed_secrets: true,
        ..ExportOptions::default()
    };
    let sh = commands_sh(&Evaluated::of(chart, &answers), &options);
    let ps1 = commands_ps1(&Evaluated::of(chart, &answers), &options);
    assert!(sh.contains("\nkubectl apply -f \"$SCRIPT_DIR\"/sealed-secrets.yaml\n"));
    assert!(ps1.contains("\nkubectl apply -f (Join-Path $PSScriptRoot 'sealed-secrets.yaml')\n"));
    for script in [&sh, &ps1] {
        assert!(!script.contains("kubectl create secret"));
        for secret in filled_secrets(&Evaluated::of(chart, &answers)) {
            for key in &secret.keys {
                assert!(
                    key.value.len() < 4 || !script.contains(&key.value),
                    "{} leaks into the script",
                    key.key
                );
            }
        }
    }
    let plain = commands_sh(&Evaluated::of(chart, &answers), &ExportOptions::default());
    assert!(plain.contains("kubectl create secret"));
    assert!(!plain.contains("sealed-secrets.yaml"));
}

/// Every key size the sealed-secrets controller can be started with (`--key-size`, 2048 up to
/// 16384 bits) seals: the certificate is read, its size shown, and each value opens again with
/// the key's private half. The 8192- and 16384-bit fixtures are throwaway test keys too.
#[test]
fn large_controller_keys_seal_and_open() {
    for bits in [8192usize, 16384] {
        let fixture = |name: &str| {
            std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/sealed")
                    .join(format!("{name}-{bits}.pem")),
            )
            .unwrap()
        };
        let cert = SealingCert::parse(&fixture("cert"), NOW)
            .unwrap_or_else(|error| panic!("a {bits}-bit certificate is refused: {error}"));
        assert_eq!(cert.key_bits, bits);
        let key = RsaPrivateKey::from_pkcs8_pem(&fixture("key")).unwrap();
        let blob = hybrid_encrypt(
            &mut rand_core::OsRng,
            cert.public_key(),
            b"value",
            "ns/name",
        )
        .unwrap();
        let length = bits / 8;
        assert_eq!(
            &blob[..2],
            &u16::try_from(length).unwrap().to_be_bytes(),
            "{bits}"
        );
        assert_eq!(blob.len(), 2 + length + 5 + 16);
        assert_eq!(open(&key, &blob, "ns/name").as_deref(), Some(&b"value"[..]));
    }
    // Past the controller's largest size, the refusal names the real reason.
    let too_large = SealingCert::parse(
        "\u{feff}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        NOW,
    )
    .unwrap_err();
    assert!(!too_large.contains("BEGIN CERTIFICATE"), "{too_large}");
}

#[test]
fn sealed_headers_count_what_the_file_holds() {
    // Issue 30: with Flux, the plan appended the sensitive-values SealedSecret after a header
    // that could say "No secret is filled in".
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/environments/all-charts.yaml"),
    )
    .unwrap();
    let mut file = pecfg_core::environment::parse_environment(&text).unwrap();
    file.charts.get_mut("ixn").unwrap().secrets.clear();
    file.shared.remove("ors_redis");
    file.shared.remove("pull_secret");
    let resolved = pecfg_core::environment::resolve(&file).unwrap();
    let options = pecfg_core::environment::PlanOptions {
        gitops: Some(pecfg_core::environment::GitOps::Flux),
        ..Default::default()
    };
    let sealed = pecfg_core::environment::seal_plan(
        &resolved,
        &options,
        &cert(),
        SealScope::Strict,
        &mut rand_core::OsRng,
    )
    .unwrap();
    let ixn = &sealed.iter().find(|(id, _)| id == "ixn").unwrap().1;
    let head: String = ixn
        .lines()
        .take_while(|line| line.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        documents(ixn).len(),
        1,
        "the sensitive-values Secret, sealed"
    );
    assert!(!head.contains("No secret is filled in"), "{head}");
    assert!(head.contains("It holds 1 sealed Secret(s)"), "{head}");
    assert!(head.contains("ixn-secrets.yaml"), "{head}");
    let tenant = &sealed.iter().find(|(id, _)| id == "tenant").unwrap().1;
    assert!(tenant.contains("It holds"), "{tenant}");
}
