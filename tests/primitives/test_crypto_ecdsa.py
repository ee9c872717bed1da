"""_primitives.crypto and AsymmetricScheme: ECDSA P-256 keys, strict signatures, Ed25519 S < L."""

from __future__ import annotations

import base64
import builtins
import sys
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

import hooksig
from hooksig import (
    ConfigurationError,
    ExtraNotInstalled,
    InvalidSignature,
    MalformedSignature,
)
from hooksig._primitives import crypto
from tests.vectors import wycheproof_cases

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
L = 2**252 + 27742317777372353535851937790883648493
MESSAGE = b"1700000000{}"

PRIVATE = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP256R1())
PUBLIC_DER = PRIVATE.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)
PUBLIC_PEM = PRIVATE.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
PRIVATE_PEM = PRIVATE.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


def _der(r: int, s: int) -> bytes:
    return utils.encode_dss_signature(r, s)


def _key() -> Any:
    return crypto.ecdsa_p256_public_key(PUBLIC_DER)


def test_valid_der_and_raw_signatures_verify() -> None:
    """A signature made by the key verifies in both serialisations."""
    der = PRIVATE.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert crypto.ecdsa_p256_verify(_key(), der, MESSAGE, "der")
    assert crypto.ecdsa_p256_verify(_key(), raw, MESSAGE, "raw")
    assert not crypto.ecdsa_p256_verify(_key(), der, MESSAGE, "raw")
    assert not crypto.ecdsa_p256_verify(_key(), raw, MESSAGE, "der")
    assert not crypto.ecdsa_p256_verify(_key(), der, MESSAGE + b"x", "der")


@pytest.mark.parametrize(("r", "s"), [(0, 1), (1, 0), (0, 0), (N, 1), (1, N), (N + 1, 5)])
def test_scalars_out_of_range_are_refused(r: int, s: int) -> None:
    """r or s zero, or not below the group order, never reach the backend."""
    assert not crypto.ecdsa_p256_verify(_key(), _der(r, s), MESSAGE, "der")
    if r < 2**256 and s < 2**256:
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        assert not crypto.ecdsa_p256_verify(_key(), raw, MESSAGE, "raw")


def test_non_canonical_der_is_refused() -> None:
    """BER long-form lengths and trailing bytes are not DER."""
    der = PRIVATE.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    assert not crypto.ecdsa_p256_verify(_key(), der + b"\x00", MESSAGE, "der")
    long_form = b"\x30\x81" + der[1:]
    assert not crypto.ecdsa_p256_verify(_key(), long_form, MESSAGE, "der")
    assert not crypto.ecdsa_p256_verify(_key(), b"", MESSAGE, "der")
    assert not crypto.ecdsa_p256_verify(_key(), b"\x30", MESSAGE, "der")


def test_raw_signature_of_wrong_length_is_refused() -> None:
    """A raw signature is exactly 64 bytes."""
    assert not crypto.ecdsa_p256_verify(_key(), b"\x01" * 63, MESSAGE, "raw")
    assert not crypto.ecdsa_p256_verify(_key(), b"\x01" * 65, MESSAGE, "raw")


def test_public_key_encodings() -> None:
    """DER SubjectPublicKeyInfo, PEM and SEC 1 points load to the same key."""
    point = PRIVATE.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    numbers = PRIVATE.public_key().public_numbers()
    for data in (PUBLIC_DER, PUBLIC_PEM, point):
        assert crypto.ecdsa_p256_public_key(data).public_numbers() == numbers


@pytest.mark.parametrize(
    "data",
    [
        ec.generate_private_key(ec.SECP384R1())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        b"\x04" + b"\x00" * 64,
        b"not a key",
        b"",
    ],
    ids=["p384", "ed25519", "off-curve", "garbage", "empty"],
)
def test_wrong_key_type_curve_or_garbage_is_refused(data: bytes) -> None:
    """Only P-256 public keys load; everything else is a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        crypto.ecdsa_p256_public_key(data)


def test_wrong_private_key_is_refused() -> None:
    """A P-384 or unreadable signing key is refused at construction."""
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for data in (p384, b"junk"):
        with pytest.raises(ConfigurationError):
            crypto.ecdsa_p256_private_key(data)


def test_ed25519_signature_with_s_not_below_l_is_refused() -> None:
    """S + L is the same signature to a lax verifier; hooksig refuses it (RFC 8032, 5.1.7)."""
    private = ed25519.Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = crypto.ed25519_public_key(raw_public)
    signature = private.sign(MESSAGE)
    assert crypto.ed25519_verify(key, signature, MESSAGE)
    s = int.from_bytes(signature[32:], "little")
    if s + L < 2**256:
        mauled = signature[:32] + (s + L).to_bytes(32, "little")
        assert not crypto.ed25519_verify(key, mauled, MESSAGE)
    assert not crypto.ed25519_verify(key, signature[:32] + L.to_bytes(32, "little"), MESSAGE)


def _scheme(encoding: crypto.EcdsaEncoding) -> hooksig.AsymmetricScheme:
    return hooksig.AsymmetricScheme(
        name="acme-ecdsa",
        algorithm="ecdsa-p256",
        ecdsa_encoding=encoding,
        signature_header="X-Acme-Signature",
        encoding="base64",
        timestamp_header="X-Acme-Timestamp",
        content="{timestamp}{body}",
        public_key_format="pem",
        signing_key_format="pem",
    )


@pytest.mark.parametrize("encoding", ["der", "raw"])
def test_ecdsa_scheme_round_trip(encoding: crypto.EcdsaEncoding) -> None:
    """A user-declared ECDSA scheme signs with the private key and verifies with the public one."""
    signer = hooksig.Verifier(_scheme(encoding), signing_key=PRIVATE_PEM.decode("ascii"))
    headers = signer.sign(b"{}", timestamp=1_700_000_000)
    verifier = hooksig.Verifier(
        _scheme(encoding), public_key=base64.b64encode(PUBLIC_DER).decode("ascii")
    )
    delivery = verifier.verify(b"{}", headers, now=1_700_000_000)
    assert delivery.timestamp == 1_700_000_000
    with pytest.raises(InvalidSignature):
        verifier.verify(b"{ }", headers, now=1_700_000_000)


def test_raw_scheme_refuses_a_der_sized_signature() -> None:
    """A raw scheme decodes exactly 64 bytes; anything else is malformed."""
    verifier = hooksig.Verifier(_scheme("raw"), public_key=PUBLIC_PEM.decode("ascii"))
    der = base64.b64encode(PRIVATE.sign(b"1{}", ec.ECDSA(hashes.SHA256()))).decode()
    with pytest.raises(MalformedSignature):
        verifier.verify(b"{}", {"X-Acme-Signature": der, "X-Acme-Timestamp": "1"}, now=1)


def test_bad_algorithm_and_encoding_are_refused() -> None:
    """The algorithm and the ECDSA serialisation are checked at construction."""
    with pytest.raises(ConfigurationError):
        hooksig.AsymmetricScheme(name="x", signature_header="X", algorithm="rsa")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        hooksig.AsymmetricScheme(name="x", signature_header="X", ecdsa_encoding="ber")  # type: ignore[arg-type]


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without cryptography an ECDSA key raises ExtraNotInstalled with the pip command."""
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("cryptography"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    for module in [m for m in sys.modules if m.startswith("cryptography")]:
        monkeypatch.delitem(sys.modules, module)
    with pytest.raises(ExtraNotInstalled, match=r'pip install "hooksig\[crypto\]"'):
        crypto.ecdsa_p256_public_key(PUBLIC_DER)


def test_keys_load_from_every_encoding() -> None:
    """Each Wycheproof group's key loads alike from DER, PEM and the uncompressed SEC 1 point."""
    groups = {id(group): group for group, _ in wycheproof_cases("ecdsa_secp256r1_sha256_test.json")}
    for group in groups.values():
        der = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKeyDer"]))
        pem = crypto.ecdsa_p256_public_key(group["publicKeyPem"].encode("ascii"))
        point = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKey"]["uncompressed"]))
        assert der.public_numbers() == pem.public_numbers() == point.public_numbers()
