//! SealedSecrets: the sealed-secrets controller's certificate (parsed and checked) and every
//! Secret of secrets.yaml sealed with it into a `bitnami.com/v1alpha1` `SealedSecret`.
//!
//! The scheme is the controller's, checked against bitnami-labs/sealed-secrets
//! `pkg/crypto/crypto.go` (`HybridEncrypt`) and the scope logic of
//! `pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go` (`EncryptionLabel`,
//! `UpdateScopeAnnotations`, `NewSealedSecret`) and `types.go` (annotation names), at commit
//! 86671a8 (April 2026). Per value:
//!
//! - a fresh random 32-byte session key;
//! - the session key encrypted with RSA-OAEP, SHA-256 as both hash and MGF1 hash, with the
//!   scope's label: `<namespace>/<name>` (strict), `<namespace>` (namespace-wide), empty
//!   (cluster-wide);
//! - the value encrypted with AES-256-GCM under the session key, with an all-zero 12-byte nonce
//!   (safe because each key encrypts one value) and no associated data; the 16-byte tag follows
//!   the ciphertext;
//! - output: the RSA ciphertext's length as 2 bytes big-endian, the RSA ciphertext, the GCM
//!   output; base64 (standard, padded) in `spec.encryptedData.<key>`.
//!
//! The core has no clock and no randomness of its own: the caller passes the current time and a
//! `CryptoRng` (the OS in the CLI, `crypto.getRandomValues` in the page), so the same code runs
//! natively and in a page served over plain http, where `crypto.subtle` does not exist.

use aes_gcm::aead::{Aead as _, KeyInit as _};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD as BASE64, STANDARD_NO_PAD as BASE64_NO_PAD};
use base64::Engine as _;
use rand_core::{CryptoRng, RngCore};
use rsa::traits::PublicKeyParts as _;
use rsa::{Oaep, RsaPublicKey};
use serde_yaml::Value;
use sha2::{Digest as _, Sha256};
use x509_cert::der::Decode as _;
use x509_cert::Certificate;

use super::secrets::{filled_secrets, FilledSecret};
use super::values_file::wrap;
use super::ExportContext;
use crate::validation::Evaluated;
use crate::yaml::write::{to_yaml, Entry, Node};

/// The file the SealedSecrets are written to.
pub const SEALED_SECRETS_FILE: &str = "sealed-secrets.yaml";

/// The controller's annotation for a namespace-wide SealedSecret.
pub const NAMESPACE_WIDE_ANNOTATION: &str = "sealedsecrets.bitnami.com/namespace-wide";
/// The controller's annotation for a cluster-wide SealedSecret.
pub const CLUSTER_WIDE_ANNOTATION: &str = "sealedsecrets.bitnami.com/cluster-wide";

/// rsaEncryption (PKCS #1): the only key type the controller seals with.
const RSA_ENCRYPTION_OID: &str = "1.2.840.113549.1.1.1";
/// The controller generates 4096-bit keys; below 2048 bits a key no longer protects a secret.
const MIN_KEY_BITS: usize = 2048;
/// The largest key the controller makes (`--key-size` is bounded by Go's RSA key generation and
/// the controller's documented range, 2048 to 16384 bits): every size in between seals.
const MAX_KEY_BITS: usize = 16384;
const SESSION_KEY_BYTES: usize = 32;
/// AES-GCM's standard nonce size; the controller uses it all zero.
const GCM_NONCE: [u8; 12] = [0; 12];

/// Where a SealedSecret may be opened: which name and namespace are bound into the RSA label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SealScope {
    /// Only under the same name in the same namespace (kubeseal's default).
    #[default]
    Strict,
    /// Under any name, in the same namespace.
    NamespaceWide,
    /// Under any name in any namespace.
    ClusterWide,
}

impl SealScope {
    pub const ALL: [SealScope; 3] = [
        SealScope::Strict,
        SealScope::NamespaceWide,
        SealScope::ClusterWide,
    ];

    /// kubeseal's `--scope` word.
    pub fn as_str(self) -> &'static str {
        match self {
            SealScope::Strict => "strict",
            SealScope::NamespaceWide => "namespace-wide",
            SealScope::ClusterWide => "cluster-wide",
        }
    }

    pub fn parse(text: &str) -> Option<SealScope> {
        SealScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text.trim())
    }

    /// The RSA-OAEP label the controller expects for a Secret of this name and namespace.
    pub fn label(self, namespace: &str, name: &str) -> String {
        match self {
            SealScope::Strict => format!("{namespace}/{name}"),
            SealScope::NamespaceWide => namespace.to_string(),
            SealScope::ClusterWide => String::new(),
        }
    }

    /// The annotation that tells the controller which label to open with (none for strict).
    pub fn annotation(self) -> Option<&'static str> {
        match self {
            SealScope::Strict => None,
            SealScope::NamespaceWide => Some(NAMESPACE_WIDE_ANNOTATION),
            SealScope::ClusterWide => Some(CLUSTER_WIDE_ANNOTATION),
        }
    }
}

/// The controller's public certificate, checked: RSA, at least 2048 bits, not expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealingCert {
    /// The subject as an RFC 4514 string (`O=sealed-secret,CN=…`).
    pub subject: String,
    /// The end of validity, `YYYY-MM-DDTHH:MM:SSZ`.
    pub not_after: String,
    /// The end of validity in seconds since the Unix epoch.
    pub not_after_unix: u64,
    /// SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it.
    pub fingerprint: String,
    /// The key's fingerprint as the controller logs it (`SHA256:` + base64 of the SSH wire form).
    pub key_fingerprint: String,
    pub key_bits: usize,
    key: RsaPublicKey,
}

impl SealingCert {
    /// Parses the first `CERTIFICATE` PEM block of `pem` (as `kubeseal --fetch-cert` prints it)
    /// and checks it against `now_unix` (seconds since the Unix epoch).
    pub fn parse(pem: &str, now_unix: u64) -> Result<SealingCert, String> {
        let der = pem_certificate(crate::text::without_bom(pem))?;
        let cert = Certificate::from_der(&der)
            .map_err(|error| format!("the certificate cannot be read: {error}"))?;
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        let algorithm = spki.algorithm.oid.to_string();
        if algorithm != RSA_ENCRYPTION_OID {
            return Err(format!(
                "the certificate's key is not RSA (algorithm {}): the sealed-secrets controller \
                 seals with RSA keys only",
                algorithm_name(&algorithm)
            ));
        }
        let key_der = spki
            .subject_public_key
            .as_bytes()
            .ok_or("the certificate's public key is not a whole number of bytes")?;
        // The PKCS#1 structure first, the key's limits after: rsa's own reader refuses every
        // key over 4096 bits as "malformed", while the controller's `--key-size` goes further.
        let parts = rsa::pkcs1::RsaPublicKey::from_der(key_der)
            .map_err(|error| format!("the certificate's RSA key cannot be read: {error}"))?;
        let n = rsa::BigUint::from_bytes_be(parts.modulus.as_bytes());
        let e = rsa::BigUint::from_bytes_be(parts.public_exponent.as_bytes());
        let key_bits = n.bits();
        if key_bits < MIN_KEY_BITS {
            return Err(format!(
                "the certificate's RSA key has {key_bits} bits, fewer than {MIN_KEY_BITS}: too \
                 weak to seal secrets"
            ));
        }
        if key_bits > MAX_KEY_BITS {
            return Err(format!(
                "the certificate's RSA key has {key_bits} bits, more than {MAX_KEY_BITS}, the \
                 largest key the sealed-secrets controller makes"
            ));
        }
        let key = RsaPublicKey::new_with_max_size(n, e, MAX_KEY_BITS).map_err(|error| {
            format!("the certificate's RSA key is not a usable public key: {error}")
        })?;
        let key_bits = key.size().saturating_mul(8);
        let not_after_time = tbs.validity.not_after;
        let not_after = not_after_time.to_date_time().to_string();
        let not_after_unix = not_after_time.to_unix_duration().as_secs();
        if now_unix > not_after_unix {
            return Err(format!(
                "the certificate expired on {not_after}: fetch the controller's current one \
                 (kubeseal --fetch-cert)"
            ));
        }
        Ok(SealingCert {
            subject: printable(&tbs.subject.to_string()),
            not_after,
            not_after_unix,
            fingerprint: colon_hex(&Sha256::digest(&der)),
            key_fingerprint: ssh_fingerprint(&key),
            key_bits,
            key,
        })
    }

    pub fn public_key(&self) -> &RsaPublicKey {
        &self.key
    }
}

/// The DER bytes of the first `-----BEGIN CERTIFICATE-----` block. Lenient about what a paste
/// does to a PEM (CRLF, indentation, text around it); strict about the base64.
fn pem_certificate(pem: &str) -> Result<Vec<u8>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let Some(start) = pem.find(BEGIN) else {
        let hint = if pem.contains("-----BEGIN PUBLIC KEY-----")
            || pem.contains("-----BEGIN RSA PUBLIC KEY-----")
        {
            " (this is a bare public key; give the certificate that kubeseal --fetch-cert prints)"
        } else if pem.contains("PRIVATE KEY-----") {
            " (this is a PRIVATE key: never paste it anywhere; give the public certificate)"
        } else {
            " (kubeseal --fetch-cert prints it)"
        };
        return Err(format!(
            "no PEM certificate found: expected a {BEGIN} block{hint}"
        ));
    };
    let body = pem.get(start + BEGIN.len()..).unwrap_or_default();
    let Some(end) = body.find(END) else {
        return Err(format!("the certificate is cut short: no {END} line"));
    };
    let base64: String = body
        .get(..end)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    BASE64
        .decode(base64.as_bytes())
        .map_err(|error| format!("the certificate's base64 is damaged: {error}"))
}

/// The subject is the certificate maker's text and goes into YAML comments and the page: any
/// character a YAML reader or a terminal takes for a line break (CR, NEL, LS, PS) or a control is
/// shown as `\u{…}` instead.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                format!("\\u{{{:04x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn algorithm_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.2.1" => "EC".to_string(),
        "1.3.101.112" => "Ed25519".to_string(),
        "1.3.101.113" => "Ed448".to_string(),
        "1.2.840.10040.4.1" => "DSA".to_string(),
        "1.2.840.113549.1.1.10" => "RSASSA-PSS".to_string(),
        other => other.to_string(),
    }
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `SHA256:<base64 without padding>` of the key's SSH wire encoding (`ssh-rsa`, e, n as mpints):
/// the fingerprint the controller prints for its keys.
fn ssh_fingerprint(key: &RsaPublicKey) -> String {
    fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    fn put_mpint(out: &mut Vec<u8>, magnitude: &[u8]) {
        let trimmed: Vec<u8> = magnitude
            .iter()
            .copied()
            .skip_while(|byte| *byte == 0)
            .collect();
        let mut bytes = Vec::with_capacity(trimmed.len() + 1);
        // A set high bit would read as negative: mpints carry a leading zero then.
        if trimmed.first().is_some_and(|byte| byte & 0x80 != 0) {
            bytes.push(0);
        }
        bytes.extend_from_slice(&trimmed);
        put_string(out, &bytes);
    }
    let mut wire = Vec::new();
    put_string(&mut wire, b"ssh-rsa");
    put_mpint(&mut wire, &key.e().to_bytes_be());
    put_mpint(&mut wire, &key.n().to_bytes_be());
    format!("SHA256:{}", BASE64_NO_PAD.encode(Sha256::digest(&wire)))
}

/// The controller's hybrid encryption of one value (see the module doc for the layout).
pub fn hybrid_encrypt<R: CryptoRng + RngCore + ?Sized>(
    rng: &mut R,
    key: &RsaPublicKey,
    plaintext: &[u8],
    label: &str,
) -> Result<Vec<u8>, String> {
    let mut session_key = [0u8; SESSION_KEY_BYTES];
    rng.try_fill_bytes(&mut session_key)
        .map_err(|error| format!("no random bytes for a session key: {error}"))?;
    let rsa_part = key
        .encrypt(
            &mut Rng(rng),
            Oaep::new_with_label::<Sha256, _>(label),
            &session_key,
        )
        .map_err(|error| format!("RSA-OAEP failed: {error}"))?;
    let rsa_length = u16::try_from(rsa_part.len())
        .map_err(|_| "the RSA key is too large for the 2-byte length field".to_string())?;
    let cipher = Aes256Gcm::new_from_slice(&session_key)
        .map_err(|_| "AES-256-GCM needs a 32-byte key".to_string())?;
    let gcm_part = cipher
        .encrypt(Nonce::from_slice(&GCM_NONCE), plaintext)
        .map_err(|_| "AES-256-GCM failed".to_string())?;
    session_key.fill(0);
    let mut out = Vec::with_capacity(2 + rsa_part.len() + gcm_part.len());
    out.extend_from_slice(&rsa_length.to_be_bytes());
    out.extend_from_slice(&rsa_part);
    out.extend_from_slice(&gcm_part);
    Ok(out)
}

/// Lends a `?Sized` RNG to rsa, whose `encrypt` wants a sized one.
struct Rng<'a, R: ?Sized>(&'a mut R);

impl<R: RngCore + ?Sized> RngCore for Rng<'_, R> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.try_fill_bytes(dest)
    }
}

impl<R: CryptoRng + ?Sized> CryptoRng for Rng<'_, R> {}

/// One SealedSecret manifest (no `---`): each key sealed on its own, the Secret's type, name and
/// namespace in `spec.template`, the scope's annotation on both the SealedSecret and the template
/// (as kubeseal writes it; the controller reads the SealedSecret's own).
pub fn sealed_secret_manifest<R: CryptoRng + RngCore + ?Sized>(
    rng: &mut R,
    cert: &SealingCert,
    secret: &FilledSecret,
    namespace: &str,
    scope: SealScope,
) -> Result<String, String> {
    let label = scope.label(namespace, &secret.name);
    let mut encrypted = Vec::with_capacity(secret.keys.len());
    for key in &secret.keys {
        let sealed = hybrid_encrypt(rng, cert.public_key(), key.value.as_bytes(), &label)
            .map_err(|error| format!("sealing {}/{}: {error}", secret.name, key.key))?;
        encrypted.push(Entry::new(
            key.key.clone(),
            Node::Scalar(Value::String(BASE64.encode(sealed))),
        ));
    }
    let scalar = |text: &str| Node::Scalar(Value::String(text.to_string()));
    let metadata = || {
        let mut entries = vec![
            Entry::new("name", scalar(&secret.name)),
            Entry::new("namespace", scalar(namespace)),
        ];
        if let Some(annotation) = scope.annotation() {
            entries.push(Entry::new(
                "annotations",
                Node::Map(vec![Entry::new(annotation, scalar("true"))]),
            ));
        }
        Node::Map(entries)
    };
    let manifest = Node::Map(vec![
        Entry::new("apiVersion", scalar("bitnami.com/v1alpha1")),
        Entry::new("kind", scalar("SealedSecret")),
        Entry::new("metadata", metadata()),
        Entry::new(
            "spec",
            Node::Map(vec![
                Entry::new("encryptedData", Node::Map(encrypted)),
                Entry::new(
                    "template",
                    Node::Map(vec![
                        Entry::new("metadata", metadata()),
                        Entry::new("type", scalar(secret.secret_type.as_str())),
                    ]),
                ),
            ]),
        ),
    ]);
    let mut out: String = wrap(&secret.doc, 96)
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| format!("# {line}\n"))
        .collect();
    out.push_str(&to_yaml(&manifest));
    Ok(out)
}

/// sealed-secrets.yaml: one SealedSecret per filled-in Secret of secrets.yaml, in the same order.
/// Safe to keep in Git: only the controller holding the certificate's private key opens them.
pub fn sealed_secrets_yaml<R: CryptoRng + RngCore + ?Sized>(
    it: &Evaluated,
    cert: &SealingCert,
    scope: SealScope,
    rng: &mut R,
) -> Result<String, String> {
    sealed_secrets_yaml_with(it, Vec::new(), cert, scope, rng, "secrets.yaml")
}

/// sealed-secrets.yaml of the chart's filled-in Secrets and `extra` ones after them (the
/// environment plan's `<release>-sensitive-values` for Flux), whose plain form is `plain_file`:
/// the header counts what the file holds.
pub(crate) fn sealed_secrets_yaml_with<R: CryptoRng + RngCore + ?Sized>(
    it: &Evaluated,
    extra: Vec<FilledSecret>,
    cert: &SealingCert,
    scope: SealScope,
    rng: &mut R,
    plain_file: &str,
) -> Result<String, String> {
    let chart = it.chart;
    let context = ExportContext::new(it);
    let mut secrets = filled_secrets(it);
    secrets.extend(extra);
    let mut header = vec![
        format!(
            "SealedSecrets for {} (chart {}) in namespace {}, scope {}.",
            chart.name,
            chart.id,
            context.namespace,
            scope.as_str()
        ),
        format!(
            "Sealed for the controller whose certificate is {} (SHA-256 {}, valid until {}).",
            cert.subject, cert.fingerprint, cert.not_after
        ),
    ];
    if secrets.is_empty() {
        header.push("No secret is filled in: this file holds none.".into());
    } else {
        header.push(format!(
            "Written by pe-configurator. It holds {} sealed Secret(s) and no secret value in the \
             clear: safe to keep in Git, only that controller opens them, into the Secrets of {plain_file}.",
            secrets.len()
        ));
        header.push(format!(
            "Apply it before installing the chart: kubectl apply -f {SEALED_SECRETS_FILE}"
        ));
    }
    let mut out: String = header
        .iter()
        .flat_map(|line| wrap(line, 96))
        .map(|line| format!("# {line}\n"))
        .collect();
    for secret in &secrets {
        out.push_str("---\n");
        out.push_str(&sealed_secret_manifest(
            rng,
            cert,
            secret,
            &context.namespace,
            scope,
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_labels_and_annotations() {
        assert_eq!(SealScope::Strict.label("ns", "s"), "ns/s");
        assert_eq!(SealScope::NamespaceWide.label("ns", "s"), "ns");
        assert_eq!(SealScope::ClusterWide.label("ns", "s"), "");
        assert_eq!(SealScope::Strict.annotation(), None);
        for scope in SealScope::ALL {
            assert_eq!(SealScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(SealScope::parse("wide"), None);
    }

    #[test]
    fn a_subject_cannot_break_out_of_a_comment() {
        assert_eq!(
            printable("CN=a\r\nkind: Secret\u{85}\u{2028}é"),
            "CN=a\\u{000d}\\u{000a}kind: Secret\\u{0085}\\u{2028}é"
        );
    }

    #[test]
    fn pem_errors_say_what_was_given() {
        let bare = SealingCert::parse(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            0,
        )
        .unwrap_err();
        assert!(bare.contains("bare public key"), "{bare}");
        let private = SealingCert::parse("-----BEGIN PRIVATE KEY-----\n", 0).unwrap_err();
        assert!(private.contains("PRIVATE"), "{private}");
        let cut = SealingCert::parse("-----BEGIN CERTIFICATE-----\nMIIB", 0).unwrap_err();
        assert!(cut.contains("cut short"), "{cut}");
        let damaged = SealingCert::parse(
            "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----",
            0,
        )
        .unwrap_err();
        assert!(damaged.contains("base64"), "{damaged}");
        let garbage = SealingCert::parse(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            0,
        )
        .unwrap_err();
        assert!(garbage.contains("cannot be read"), "{garbage}");
    }
}
