"""Segment (alias customer-io-cdp): the scheme contract and a recomputation from Segment's docs."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier, schemes
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"messageId":"msg-1","type":"track","event":"Order Completed"}'


class TestSegment(SchemeContract):
    """Segment through the scheme contract: hex HMAC-SHA1 of the body, messageId as the id."""

    scheme = "segment"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "msg-1"


def test_recipe_recomputed_independently() -> None:
    """X-Signature is hex HMAC-SHA1(shared secret, body), for Segment and Customer.io's CDP."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
    for name in ("segment", "customer-io-cdp"):
        verifier = Verifier(name, secret=SECRET)
        assert verifier.verify(BODY, {"X-Signature": digest}).id == "msg-1"
        with pytest.raises(InvalidSignature):
            verifier.verify(BODY + b" ", {"X-Signature": digest})


def test_a_sha256_signature_is_refused() -> None:
    """The algorithm is SHA-1 by declaration: a SHA-256 digest is the wrong length."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    with pytest.raises(Exception) as info:
        Verifier("segment", secret=SECRET).verify(BODY, {"X-Signature": digest})
    assert info.type.__name__ == "MalformedSignature"
    assert schemes.get("customer-io-cdp") is schemes.get("segment")
