"""Coinbase Commerce against the coinbase-commerce SDK's Webhook, both ways."""

from __future__ import annotations

from hooksig import Verifier
from tests.conftest import NOW, SECRET


def test_coinbase_commerce_sdk_accepts_hooksig_signatures() -> None:
    """coinbase-commerce's Webhook.construct_event accepts what hooksig signs."""
    import pytest
    from coinbase_commerce.error import SignatureVerificationError
    from coinbase_commerce.webhook import Webhook

    body = '{"id": "1", "event": {"id": "evt_cc_1", "type": "charge:caf\u00e9"}}'
    headers = Verifier("coinbase-commerce", secret=SECRET).sign(body.encode())
    event = Webhook.construct_event(body, headers["X-CC-Webhook-Signature"], SECRET)
    assert event.id == "evt_cc_1"
    with pytest.raises(SignatureVerificationError):
        Webhook.construct_event(body + " ", headers["X-CC-Webhook-Signature"], SECRET)


def test_hooksig_accepts_coinbase_commerce_sdk_signatures() -> None:
    """A signature the coinbase-commerce SDK computes (and accepts) verifies with hooksig."""
    from coinbase_commerce.webhook import WebhookSignature

    body = '{"id": "2", "event": {"id": "evt_cc_2", "type": "charge:h\u00e9llo"}}'
    signature = WebhookSignature._compute_signature(body, SECRET)
    assert WebhookSignature.verify_sig_header(body, signature, SECRET)
    headers = {"X-CC-Webhook-Signature": signature}
    delivery = Verifier("coinbase-commerce", secret=SECRET).verify(body.encode(), headers, now=NOW)
    assert delivery.id == "evt_cc_2"
