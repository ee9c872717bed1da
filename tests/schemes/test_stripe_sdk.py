"""Stripe against stripe-python's webhook construction, both ways."""

from __future__ import annotations

import pytest

import hooksig
from tests.schemes.contract import NOW
from tests.schemes.test_stripe import SECRET, _verifier


def test_stripe_sdk_accepts_hooksig_signatures() -> None:
    """stripe-python's verify_header and construct_event accept what hooksig signs."""
    import time

    import stripe

    body = '{"id": "evt_sdk_1", "object": "event", "type": "caf\u00e9.created"}'.encode()
    header = hooksig.Verifier("stripe", secret=SECRET).sign(body, timestamp=int(time.time()))
    signature = header["Stripe-Signature"]
    assert stripe.WebhookSignature.verify_header(body, signature, SECRET, tolerance=300)
    assert stripe.Webhook.construct_event(body, signature, SECRET).id == "evt_sdk_1"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body + b" ", signature, SECRET, tolerance=300)


def test_hooksig_accepts_stripe_sdk_signatures() -> None:
    """A header stripe-python's generate_signature_header makes verifies with hooksig."""
    import stripe

    payload = '{"id": "evt_sdk_2", "type": "caf\u00e9.updated"}'
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET, timestamp=NOW)
    delivery = _verifier().verify(payload.encode(), {"Stripe-Signature": header})
    assert (delivery.id, delivery.timestamp) == ("evt_sdk_2", NOW)
    other = stripe.WebhookSignature.generate_signature_header(payload, SECRET + "x", timestamp=NOW)
    with pytest.raises(hooksig.InvalidSignature):
        _verifier().verify(payload.encode(), {"Stripe-Signature": other})
