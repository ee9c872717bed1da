"""Airtable: the scheme contract and a recomputation: hmac-sha256=<hex>, key base64-decoded."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import ConfigurationError, InvalidSignature, Verifier
from tests.schemes.contract import SchemeContract

KEY = bytes(range(64))
MAC_SECRET = base64.b64encode(KEY).decode()
BODY = (
    b'{"base":{"id":"appjRdIX59U4YEy4l"},'
    b'"webhook":{"id":"achXH94CxHYGdUcje"},"timestamp":"2024-03-06T00:32:58.992Z"}'
)


class TestAirtable(SchemeContract):
    """Airtable through the scheme contract: the ping is signed, nothing else."""

    scheme = "airtable"
    keys: ClassVar = {"secret": MAC_SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-Airtable-Content-MAC is hmac-sha256= + hex HMAC-SHA256(base64decode(secret), body)."""
    digest = hmac.new(KEY, BODY, hashlib.sha256).hexdigest()
    headers = {"X-Airtable-Content-MAC": "hmac-sha256=" + digest}
    verifier = Verifier("airtable", secret=MAC_SECRET)
    assert verifier.verify(BODY, headers).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers)
    # Keyed by the secret's text (the usual mistake) it does not verify.
    wrong = hmac.new(MAC_SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"X-Airtable-Content-MAC": "hmac-sha256=" + wrong})


def test_a_secret_that_is_not_base64_is_refused() -> None:
    """macSecretBase64 must be base64: anything else fails at construction."""
    with pytest.raises(ConfigurationError, match="base64"):
        Verifier("airtable", secret="not base64!")
