"""Discord (Ed25519) through the scheme contract, plus an independent signature check."""

from __future__ import annotations

from typing import ClassVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from hooksig import ConfigurationError, InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import BODY, SchemeContract

SEED = bytes(range(32))
OTHER_SEED = bytes(range(32, 64))


def _public(seed: bytes) -> str:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


class TestDiscord(SchemeContract):
    """Discord: the contract, verifying with the public key and signing with the seed."""

    scheme = "discord"
    keys: ClassVar = {"public_key": _public(SEED), "signing_key": SEED.hex()}
    other_keys: ClassVar = {"public_key": _public(OTHER_SEED), "signing_key": OTHER_SEED.hex()}
    signs_timestamp = True
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """X-Signature-Ed25519 is hex(Ed25519(timestamp + body)), checked with the hex public key."""
    signature = ed25519.Ed25519PrivateKey.from_private_bytes(SEED).sign(str(NOW).encode() + BODY)
    headers = {"X-Signature-Ed25519": signature.hex(), "X-Signature-Timestamp": str(NOW)}
    verifier = Verifier("discord", public_key=_public(SEED))
    assert verifier.verify(BODY, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {**headers, "X-Signature-Timestamp": str(NOW + 1)}, now=NOW)


@pytest.mark.parametrize("key", ["00" * 32, "01" + "00" * 31, "zz" * 32, "ab" * 31, ""])
def test_weak_or_malformed_public_keys_are_refused(key: str) -> None:
    """All-zero, small-order, non-hex or short public keys fail at construction."""
    with pytest.raises(ConfigurationError):
        Verifier("discord", public_key=key)


def test_a_secret_is_refused() -> None:
    """Discord uses a public key: a shared secret is a configuration error."""
    with pytest.raises(ConfigurationError):
        Verifier("discord", secret="a-shared-secret-of-32-bytes-long")
