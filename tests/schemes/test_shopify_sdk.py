"""Shopify against its official SDK (``@shopify/shopify-api`` on npm), both ways."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from hooksig import InvalidSignature, Verifier
from tests.sdk_node import run_sdk

SECRET = "shpss_hooksig_test_client_secret_0123"
BODY = '{"id": 820982911946154508, "title": "caf\u00e9 \u2713"}'.encode()
TAMPERED = BODY.replace(b"title", b"titlE")
WEBHOOK_ID = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"

# The other headers the SDK requires, for each webhook type it knows.
WEBHOOKS = {
    "X-Shopify-Topic": "products/create",
    "X-Shopify-Shop-Domain": "shop1.myshopify.io",
    "X-Shopify-API-Version": "2025-01",
    "X-Shopify-Webhook-Id": WEBHOOK_ID,
}
EVENTS = {
    "shopify-topic": "Product",
    "shopify-shop-domain": "shop1.myshopify.io",
    "shopify-api-version": "2025-01",
    "shopify-webhook-id": WEBHOOK_ID,
    "shopify-event-id": "event-123",
}
HMAC_HEADER = {"webhooks": "X-Shopify-Hmac-Sha256", "events": "shopify-hmac-sha256"}
CONTEXT = {"webhooks": WEBHOOKS, "events": EVENTS}


def _sdk_verify(body: bytes, headers: dict[str, str]) -> Any:
    request = {"op": "verify", "secret": SECRET, "body": body.decode(), "headers": headers}
    return run_sdk("shopify", request)


@pytest.mark.parametrize("kind", ["webhooks", "events"])
def test_shopify_sdk_accepts_hooksig_signatures(kind: str) -> None:
    """webhooks.validate() accepts the HMAC hooksig makes, under either header set."""
    signed = Verifier("shopify", secret=SECRET).sign(BODY, id=WEBHOOK_ID)
    headers = {**CONTEXT[kind], HMAC_HEADER[kind]: signed["X-Shopify-Hmac-Sha256"]}
    answer = _sdk_verify(BODY, headers)
    assert answer["ok"] is True
    assert answer["result"]["webhookType"] == kind


@pytest.mark.parametrize("kind", ["webhooks", "events"])
def test_hooksig_accepts_shopify_sdk_signatures(kind: str) -> None:
    """The SDK's own HMAC verifies with hooksig; Events-type deliveries are keyed on their id."""
    signature = run_sdk("shopify", {"op": "sign", "secret": SECRET, "body": BODY.decode()})["hmac"]
    headers = {**CONTEXT[kind], HMAC_HEADER[kind]: signature}
    assert _sdk_verify(BODY, headers)["ok"] is True
    expected = "body:" + hashlib.sha256(BODY).hexdigest()  # no X-Shopify-Event-Id
    if kind == "events":
        expected = WEBHOOK_ID
    assert Verifier("shopify", secret=SECRET).verify(BODY, headers).id == expected


def test_both_refuse_a_tampered_body() -> None:
    """One changed byte is refused by the SDK and by hooksig."""
    signed = Verifier("shopify", secret=SECRET).sign(BODY, id=WEBHOOK_ID)
    headers = {**WEBHOOKS, **signed}
    answer = _sdk_verify(TAMPERED, headers)
    assert answer["ok"] is False
    assert answer["result"]["reason"] == "invalid_hmac"
    with pytest.raises(InvalidSignature):
        Verifier("shopify", secret=SECRET).verify(TAMPERED, headers)
