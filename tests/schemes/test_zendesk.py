"""Zendesk through the scheme contract (RFC 3339 timestamp), plus an independent recipe check."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract

STAMP = "2023-11-14T22:13:20Z"


class TestZendesk(SchemeContract):
    """Zendesk: the contract."""

    scheme = "zendesk"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = None


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
