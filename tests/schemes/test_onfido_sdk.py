"""Onfido against onfido-python's WebhookEventVerifier, both ways."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.test_onfido import BODY


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """read_payload accepts what hooksig signs, and refuses a changed body."""
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes seconds to import; only the worker that runs the test pays for it.
    from onfido.webhook_event_verifier import OnfidoInvalidSignatureError, WebhookEventVerifier

    signature = Verifier("onfido", secret=SECRET).sign(BODY)["X-SHA2-Signature"]
    event = WebhookEventVerifier(SECRET).read_payload(BODY.decode(), signature)
    assert event is not None
    with pytest.raises(OnfidoInvalidSignatureError):
        WebhookEventVerifier(SECRET).read_payload(BODY.decode().replace("c1", "c2"), signature)


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A signature the SDK accepts verifies with hooksig; a changed body does not."""
    from onfido.webhook_event_verifier import WebhookEventVerifier

    signature = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert WebhookEventVerifier(SECRET).read_payload(BODY.decode(), signature) is not None
    verifier = Verifier("onfido", secret=SECRET)
    assert verifier.verify(BODY, {"X-SHA2-Signature": signature}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"X-SHA2-Signature": signature})
