"""Onfido through the contract (vector: official/; the SDK cross-check: test_onfido_sdk.py)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = (
    b'{"payload":{"resource_type":"check","action":"check.completed","object":'
    b'{"id":"c1","status":"complete","completed_at_iso8601":"2024-04-04T09:21:21Z",'
    b'"href":"https://api.onfido.com/v3.6/checks/c1"}}}'
)


class TestOnfido(SchemeContract):
    """Onfido through the scheme contract: body only, no timestamp, no delivery id."""

    scheme = "onfido"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-SHA2-Signature is hex HMAC-SHA256(webhook token, body)."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert Verifier("onfido", secret=SECRET).verify(BODY, {"X-SHA2-Signature": digest})
