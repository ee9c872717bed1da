"""Notion: the scheme contract and a recomputation from Notion's SDK (verifyWebhookSignature)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.schemes.contract import SchemeContract

TOKEN = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl"
BODY = b'{"id":"367cba44-b6f3-4c92-81e7-6a2e9659efd4","type":"page.created","entity":{"id":"p1"}}'


class TestNotion(SchemeContract):
    """Notion through the scheme contract: sha256=<hex>, keyed by the verification token."""

    scheme = "notion"
    keys: ClassVar = {"secret": TOKEN}
    signs_timestamp = False
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """X-Notion-Signature is sha256= + hex HMAC-SHA256(verification_token, body)."""
    digest = hmac.new(TOKEN.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = Verifier("notion", secret=TOKEN)
    delivery = verifier.verify(BODY, {"X-Notion-Signature": "sha256=" + digest})
    assert delivery.id == "367cba44-b6f3-4c92-81e7-6a2e9659efd4"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"X-Notion-Signature": "sha256=" + digest})
    # The prefix is required, as in Notion's SDK.
    with pytest.raises(MalformedSignature):
        verifier.verify(BODY, {"X-Notion-Signature": digest})
