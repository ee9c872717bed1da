"""Cashfree: the contract and a recomputation of cashfree-pg's PGVerifyWebhookSignature recipe."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"data":{"order":{"order_id":"o1","order_amount":10}},"type":"PAYMENT_SUCCESS_WEBHOOK"}'


class TestCashfree(SchemeContract):
    """Cashfree through the contract: <ms><body>, base64, no separator."""

    scheme = "cashfree"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """base64(HMAC-SHA256(client secret, timestamp + raw body)), the timestamp in milliseconds."""
    stamp = f"{NOW}078"
    digest = hmac.new(SECRET.encode(), stamp.encode() + BODY, hashlib.sha256).digest()
    headers = {
        "x-webhook-timestamp": stamp,
        "x-webhook-signature": base64.b64encode(digest).decode(),
    }
    verifier = Verifier("cashfree", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)
    with pytest.raises(TimestampOutOfTolerance):
        verifier.verify(BODY, headers, now=NOW + 301)
