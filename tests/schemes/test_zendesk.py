"""Zendesk through the scheme contract (RFC 3339 timestamp), plus an independent recipe check."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract

STAMP = "2023-11-14T22:13:20Z"


class TestZendesk(SchemeContract):
    """Zendesk: the contract."""

    scheme = "zendesk"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "header"


def test_recipe_recomputed_independently() -> None:
    """The signature is base64(HMAC-SHA256(secret, timestamp + body))."""
    digest = hmac.new(SECRET.encode(), STAMP.encode() + BODY, hashlib.sha256).digest()
    headers = {
        "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": STAMP,
    }
    assert Verifier("zendesk", secret=SECRET).verify(BODY, headers, now=NOW).timestamp == NOW


def test_empty_body() -> None:
    """GET/DELETE webhooks sign an empty body."""
    verifier = Verifier("zendesk", secret=SECRET)
    assert verifier.verify(b"", verifier.sign(b"", timestamp=NOW), now=NOW).body == b""


def test_retired_docs_example_signs_body_then_timestamp() -> None:
    """
    The retired docs example is refused: it signed body + timestamp, not the current order.

    Values from an earlier version of
    https://developer.zendesk.com/documentation/event-connectors/webhooks/verifying/
    ("base64(HMACSHA256((BODY)(TIMESTAMP)))"); Zendesk later replaced that page's recipe
    with TIMESTAMP + BODY, which hooksig follows.  Pinned so a change of order is deliberate.
    """
    secret = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="
    body = b'{"say": "hello"}'
    stamp = "2021-07-25T10:00:00Z"
    signature = "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="
    digest = hmac.new(secret.encode(), body + stamp.encode(), hashlib.sha256).digest()
    assert base64.b64encode(digest).decode() == signature
    headers = {
        "X-Zendesk-Webhook-Signature": signature,
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }
    with pytest.raises(InvalidSignature):
        Verifier("zendesk", secret=secret).verify(body, headers, now=1627207200)
