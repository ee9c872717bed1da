"""Dixa: the contract and a recomputation from Dixa's security docs: a hex-decoded key."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import ConfigurationError, InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import SchemeContract

KEY = bytes(range(32))
SECRET = KEY.hex()
BODY = b'{"event_id":"e1","event_fqn":"CONVERSATION_CREATED","data":{}}'


class TestDixa(SchemeContract):
    """Dixa through the contract: t=<ms>,v1=<hex>, the key hex-decoded."""

    scheme = "dixa"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"
    body = BODY
    body_id = "e1"


def test_key_is_the_hex_decoded_secret() -> None:
    """HMAC keyed by bytes.fromhex(secret); upper-case hex secrets read the same."""
    stamp = f"{NOW}803"
    digest = hmac.new(KEY, f"{stamp}.".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"X-DIXA-SIGNATURE": f"t={stamp},v1={digest}"}
    for secret in (SECRET, SECRET.upper()):
        assert Verifier("dixa", secret=secret).verify(BODY, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        Verifier("dixa", secret=SECRET).verify(BODY + b" ", headers, now=NOW)


def test_a_secret_that_is_not_hex_is_refused() -> None:
    """The hex format refuses anything else at construction."""
    with pytest.raises(ConfigurationError, match="hex"):
        Verifier("dixa", secret="not hex at all")
