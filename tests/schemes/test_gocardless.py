"""GoCardless through the contract (vector: official/; the SDK: test_gocardless_sdk.py)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = (
    b'{"events":[{"id":"EV1","resource_type":"payments","action":"confirmed",'
    b'"links":{"payment":"PM1"}}],"meta":{"webhook_id":"WB1"}}'
)


class TestGoCardless(SchemeContract):
    """GoCardless through the scheme contract: the delivery id is the body's meta.webhook_id."""

    scheme = "gocardless"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "WB1"


def test_recipe_recomputed_independently() -> None:
    """Webhook-Signature is hex HMAC-SHA256(endpoint secret, body)."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    delivery = Verifier("gocardless", secret=SECRET).verify(BODY, {"Webhook-Signature": digest})
    assert delivery.id == "WB1"
