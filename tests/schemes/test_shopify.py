"""Shopify: the scheme contract, cross-checked with an independent hmac computation."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

import hooksig
from tests.schemes.contract import BODY, SchemeContract

SECRET = "shpss_hooksig_test_client_secret_0123"


def _mac(body: bytes, secret: str = SECRET) -> str:
    # Shopify: base64 of HMAC-SHA256 keyed with the app's client secret, over the raw body.
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class TestShopify(SchemeContract):
    """Shopify through the scheme contract: base64 HMAC of the body, unsigned webhook id."""

    scheme = "shopify"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"
    # The key is the event id joined with the topic Shopify sends beside it.
    extra_headers: ClassVar = {"X-Shopify-Topic": "orders/create"}
    id_format = "{}:orders/create"
    optional_headers = frozenset({"X-Shopify-Topic"})


def _verifier() -> hooksig.Verifier:
    return hooksig.Verifier("shopify", secret=SECRET)


def test_sign_matches_an_independent_hmac() -> None:
    """sign() writes the base64 HMAC and the event id Shopify sends."""
    assert _verifier().sign(BODY, id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043") == {
        "X-Shopify-Hmac-Sha256": _mac(BODY),
        "X-Shopify-Event-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    }


def test_webhooks_type_headers() -> None:
    """An independently computed X-Shopify-Hmac-Sha256 verifies; the key is event id and topic."""
    headers = {
        "X-Shopify-Hmac-Sha256": _mac(BODY),
        "X-Shopify-Webhook-Id": "wh-1",
        "X-Shopify-Event-Id": "ev-1",
        "X-Shopify-Topic": "orders/paid",
    }
    assert _verifier().verify(BODY, headers).id == "ev-1:orders/paid"


def test_the_webhook_id_is_not_the_key() -> None:
    """X-Shopify-Webhook-Id alone (its retry behaviour is disputed) leaves the body's digest."""
    headers = {"X-Shopify-Hmac-Sha256": _mac(BODY), "X-Shopify-Webhook-Id": "wh-1"}
    assert _verifier().verify(BODY, headers).id == "body:" + hashlib.sha256(BODY).hexdigest()


def test_events_type_headers() -> None:
    """Events-type webhooks use unprefixed lowercase names; they verify too."""
    headers = {"shopify-hmac-sha256": _mac(BODY), "shopify-webhook-id": "wh-2"}
    assert _verifier().verify(BODY, headers).id == "wh-2"


def test_both_spellings_must_agree() -> None:
    """Both header spellings with different signatures are ambiguous: malformed."""
    headers = {"X-Shopify-Hmac-Sha256": _mac(BODY), "shopify-hmac-sha256": _mac(b"other")}
    with pytest.raises(hooksig.MalformedSignature):
        _verifier().verify(BODY, headers)


def test_hex_is_not_accepted() -> None:
    """The hex form of the right HMAC is not Shopify's encoding: refused."""
    hex_mac = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    with pytest.raises(hooksig.MalformedSignature):
        _verifier().verify(BODY, {"X-Shopify-Hmac-Sha256": hex_mac})
