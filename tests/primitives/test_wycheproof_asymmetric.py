"""Wycheproof ECDSA P-256/SHA-256 vectors (DER and P1363) through hooksig._primitives.crypto."""

from __future__ import annotations

from typing import Any

from hooksig import ConfigurationError
from hooksig._primitives import crypto
from hooksig._primitives.crypto import EcdsaEncoding
from tests.vectors import wycheproof, wycheproof_cases


def _run(group: dict[str, Any], test: dict[str, Any], encoding: EcdsaEncoding) -> None:
    assert test["result"] in ("valid", "invalid"), "no 'acceptable' case in these files"
    try:
        key = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKeyDer"]))
    except ConfigurationError:
        assert test["result"] == "invalid"
        return
    verified = crypto.ecdsa_p256_verify(
        key, bytes.fromhex(test["sig"]), bytes.fromhex(test["msg"]), encoding
    )
    assert verified is (test["result"] == "valid"), test["comment"]


@wycheproof("ecdsa_secp256r1_sha256_test.json")
def test_ecdsa_p256_der(group: dict[str, Any], test: dict[str, Any]) -> None:
    """Every DER case: valid ones verify, invalid ones (BER, out-of-range r/s...) do not."""
    _run(group, test, "der")


@wycheproof("ecdsa_secp256r1_sha256_p1363_test.json")
def test_ecdsa_p256_p1363(group: dict[str, Any], test: dict[str, Any]) -> None:
    """Every raw r||s case: valid ones verify, invalid ones do not."""
    _run(group, test, "raw")


def test_keys_load_from_every_encoding() -> None:
    """Each group's key loads alike from DER, PEM and the uncompressed SEC 1 point."""
    groups = {id(group): group for group, _ in wycheproof_cases("ecdsa_secp256r1_sha256_test.json")}
    for group in groups.values():
        der = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKeyDer"]))
        pem = crypto.ecdsa_p256_public_key(group["publicKeyPem"].encode("ascii"))
        point = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKey"]["uncompressed"]))
        assert der.public_numbers() == pem.public_numbers() == point.public_numbers()
