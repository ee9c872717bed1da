"""Revolut: the scheme contract and the example inputs of Revolut's signature docs."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, TimestampOutOfTolerance, Verifier
from tests.schemes.contract import SchemeContract

# developer.revolut.com/docs/guides/manage-accounts/webhooks/verify-the-payload-signature:
# the page's example secret, timestamp and body.  It prints no signature made from
# these inputs (its sample header values are illustrative), so the expected value
# below is recomputed here, independently of hooksig.
DOC_SECRET = "wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8"
DOC_TIMESTAMP = "1683650202360"
DOC_BODY = (
    b'{"data":{"id":"645a7696-22f3-aa47-9c74-cbae0449cc46","new_state":"completed",'
    b'"old_state":"pending","request_id":"app_charges-9f5d5eb3-1e06-46c5-b1c0-3914763e0bcb"},'
    b'"event":"TransactionStateChanged","timestamp":"2023-05-09T16:36:38.028960Z"}'
)


class TestRevolut(SchemeContract):
    """Revolut through the scheme contract: v1.<ms>.<body>, v1= items, five minutes."""

    scheme = "revolut"
    keys: ClassVar = {"secret": DOC_SECRET}
    signs_timestamp = True
    id_source = "derived"


def _signature(secret: str, stamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"v1.{stamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_docs_example_inputs() -> None:
    """The docs' example inputs verify at their own time, and the digest is the one recomputed."""
    expected = "bca326fb378d0da7f7c490ad584a8106bab9723d8d9cdd0d50b4c5b3be3837c0"
    assert _signature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY) == expected
    headers = {"Revolut-Request-Timestamp": DOC_TIMESTAMP, "Revolut-Signature": f"v1={expected}"}
    verifier = Verifier("revolut", secret=DOC_SECRET)
    assert verifier.verify(DOC_BODY, headers, now=1683650202).timestamp == 1683650202
    with pytest.raises(TimestampOutOfTolerance):
        verifier.verify(DOC_BODY, headers, now=1683650202 + 301)
    with pytest.raises(InvalidSignature):
        verifier.verify(DOC_BODY + b" ", headers, now=1683650202)


def test_two_active_secrets_send_two_items() -> None:
    """During rotation the header carries v1=<hex>,v1=<hex>: either secret verifies."""
    other = "wsk_0ther5ecretF0rRotat1on00000000"
    value = (
        f"v1={_signature(other, DOC_TIMESTAMP, DOC_BODY)},"
        f"v1={_signature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)}"
    )
    headers = {"Revolut-Request-Timestamp": DOC_TIMESTAMP, "Revolut-Signature": value}
    assert Verifier("revolut", secret=DOC_SECRET).verify(DOC_BODY, headers, now=1683650202)
    assert Verifier("revolut", secret=other).verify(DOC_BODY, headers, now=1683650202)
