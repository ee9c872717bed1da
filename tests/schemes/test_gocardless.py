"""GoCardless: the contract and gocardless-pro's parse_with_meta, both ways (vector: official/)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest
from gocardless_pro.errors import InvalidSignatureError
from gocardless_pro.webhooks import parse_with_meta

from hooksig import InvalidSignature, Verifier
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


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """parse_with_meta accepts what hooksig signs and reports the same webhook id."""
    signature = Verifier("gocardless", secret=SECRET).sign(BODY)["Webhook-Signature"]
    assert parse_with_meta(BODY, SECRET, signature).webhook_id == "WB1"
    with pytest.raises(InvalidSignatureError):
        parse_with_meta(BODY.replace(b"EV1", b"EV2"), SECRET, signature)


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A signature the SDK accepts verifies with hooksig; a changed body does not."""
    signature = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert parse_with_meta(BODY, SECRET, signature).webhook_id == "WB1"
    verifier = Verifier("gocardless", secret=SECRET)
    assert verifier.verify(BODY, {"Webhook-Signature": signature}).id == "WB1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"Webhook-Signature": signature})
