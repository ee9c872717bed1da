"""Wise: the published keys, and the contract (the sandbox vector runs in the official set)."""

from __future__ import annotations

import base64
import hashlib
from typing import ClassVar

from cryptography.hazmat.primitives import serialization

from hooksig.schemes import wise
from tests.schemes.contract import SchemeContract
from tests.schemes.fetching import OTHER_RSA_PEM, RSA_PEM


def _fingerprint(pem: str) -> str:
    der = serialization.load_pem_public_key(pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def test_the_production_key_is_the_one_wise_publishes() -> None:
    """SHA-256 of the production key's DER, as computed from Wise's page."""
    assert (
        _fingerprint(wise.PRODUCTION_KEY)
        == "e86411cd96968b70488a1c11dcd22907075dfd25299800578c405c9010a0834a"
    )
    assert _fingerprint(wise.SANDBOX_KEY) != _fingerprint(wise.PRODUCTION_KEY)
    assert base64.b64decode(wise.SANDBOX_KEY.split("-----")[2])[:4] == b'0\x82\x01"'


class TestWiseContract(SchemeContract):
    """Wise through the contract (RSA PKCS #1 v1.5 SHA-256, an unsigned X-Delivery-Id)."""

    scheme = "wise"
    keys: ClassVar = {"signing_key": RSA_PEM}
    other_keys: ClassVar = {"signing_key": OTHER_RSA_PEM}
    signs_timestamp = False
    id_source = "header"


def test_keys_are_required_and_may_be_given_together() -> None:
    """No key at all is a ConfigurationError; a public key with a signing key verifies with both."""
    import pytest

    from hooksig import ConfigurationError, Verifier

    with pytest.raises(ConfigurationError, match="needs public_key= or signing_key="):
        Verifier("wise")
    public = serialization.load_pem_private_key(RSA_PEM.encode(), None).public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    verifier = Verifier("wise", public_key=pem, signing_key=RSA_PEM)
    headers = verifier.sign(b"{}")
    assert verifier.verify(b"{}", headers).key_id == "0"
