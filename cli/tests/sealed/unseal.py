"""An independent opener of SealedSecrets, written from the sealed-secrets controller's scheme with
Python's `cryptography` (OpenSSL), sharing no code with pe-configurator's Rust sealer.

  unseal.py keygen DIR BITS [expired|ec]
      writes DIR/key.pem (PKCS#8) and DIR/cert.pem (self-signed), as the controller makes them
  unseal.py open KEY.pem FILE...
      opens every SealedSecret of the files as the controller does (scope from the SealedSecret's
      own annotations) and prints JSON: [{namespace, name, scope, type, template, data: {key:
      base64}}]; exits 1 with the failing key on any error
  unseal.py wrong KEY.pem FILE...
      reopens every value under labels other than its own (another name, another namespace) and
      prints JSON {"opened": N, "refused": N}: what a strict value must not do
"""

import base64
import datetime
import json
import os
import sys

import yaml
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide"
CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"


def keygen(folder, bits, variant):
    if variant == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pe-configurator test"),
            x509.NameAttribute(NameOID.COMMON_NAME, "sealed-secret"),
        ]
    )
    if variant == "expired":
        start = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        end = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
    else:
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
        end = start + datetime.timedelta(days=3650)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "key.pem"), "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with open(os.path.join(folder, "cert.pem"), "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))


def load_key(path):
    with open(path, "rb") as handle:
        return serialization.load_pem_private_key(handle.read(), password=None)


def decrypt(key, blob, label):
    """2-byte big-endian RSA length, RSA-OAEP(SHA-256) session key, AES-256-GCM with a zero nonce."""
    if len(blob) < 2:
        raise ValueError("too short")
    rsa_length = int.from_bytes(blob[:2], "big")
    if len(blob) < 2 + rsa_length:
        raise ValueError("too short")
    session_key = key.decrypt(
        blob[2 : 2 + rsa_length],
        padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA256()),
            algorithm=hashes.SHA256(),
            label=label,
        ),
    )
    if len(session_key) != 32:
        raise ValueError("session key of %d bytes" % len(session_key))
    return AESGCM(session_key).decrypt(bytes(12), blob[2 + rsa_length :], None)


def scope_of(metadata):
    annotations = metadata.get("annotations") or {}
    if annotations.get(CLUSTER_WIDE) == "true":
        return "cluster-wide"
    if annotations.get(NAMESPACE_WIDE) == "true":
        return "namespace-wide"
    return "strict"


def label_for(scope, namespace, name):
    if scope == "cluster-wide":
        return b""
    if scope == "namespace-wide":
        return namespace.encode()
    return ("%s/%s" % (namespace, name)).encode()


def sealed_secrets(paths):
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for document in yaml.safe_load_all(handle):
                if document and document.get("kind") == "SealedSecret":
                    yield document


def open_all(key, paths):
    out = []
    for document in sealed_secrets(paths):
        metadata = document["metadata"]
        scope = scope_of(metadata)
        label = label_for(scope, metadata.get("namespace", ""), metadata["name"])
        data = {}
        for name, value in document["spec"]["encryptedData"].items():
            try:
                plain = decrypt(key, base64.b64decode(value, validate=True), label)
            except Exception as error:  # the key that failed, then stop
                raise SystemExit("%s/%s: %r" % (metadata["name"], name, error))
            data[name] = base64.b64encode(plain).decode()
        template = document["spec"].get("template") or {}
        out.append(
            {
                "namespace": metadata.get("namespace"),
                "name": metadata["name"],
                "scope": scope,
                "type": template.get("type"),
                "template": template.get("metadata"),
                "data": data,
            }
        )
    return out


def reopen_wrongly(key, paths):
    opened = refused = 0
    for document in sealed_secrets(paths):
        metadata = document["metadata"]
        namespace, name = metadata.get("namespace", ""), metadata["name"]
        labels = [
            label_for("strict", namespace, name + "-other"),
            label_for("strict", namespace + "-other", name),
            label_for("namespace-wide", namespace + "-other", name),
            label_for("cluster-wide", namespace, name),
        ]
        own = label_for(scope_of(metadata), namespace, name)
        for value in document["spec"]["encryptedData"].values():
            blob = base64.b64decode(value)
            for label in labels:
                if label == own:
                    continue
                try:
                    decrypt(key, blob, label)
                    opened += 1
                except (ValueError, InvalidTag):
                    refused += 1
    return {"opened": opened, "refused": refused}


def main(argv):
    command = argv[1]
    if command == "keygen":
        keygen(argv[2], int(argv[3]), argv[4] if len(argv) > 4 else "")
    elif command == "open":
        json.dump(open_all(load_key(argv[2]), argv[3:]), sys.stdout)
    elif command == "wrong":
        json.dump(reopen_wrongly(load_key(argv[2]), argv[3:]), sys.stdout)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
