"""Telnyx against its SDK's verify_webhook_signature, both ways."""

from __future__ import annotations

import base64
import time

import pytest

from hooksig import Verifier
from tests.schemes.test_telnyx import _PRIVATE, BODY, PUBLIC, SEED


def test_the_sdk_accepts_hooksig_signatures() -> None:
    """verify_webhook_signature (the SDK's hand-written helper) accepts what hooksig signs."""
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes seconds to import; only the worker that runs the test pays for it.
    from telnyx.lib.webhook_verification import WebhookVerificationError, verify_webhook_signature

    headers = Verifier("telnyx", signing_key=SEED).sign(BODY, timestamp=int(time.time()))
    verify_webhook_signature(BODY, headers, PUBLIC)
    with pytest.raises(WebhookVerificationError):
        verify_webhook_signature(BODY + b" ", headers, PUBLIC)


def test_hooksig_accepts_signatures_made_as_telnyx_makes_them() -> None:
    """Ed25519 over "timestamp|body" with the account key (the SDK agrees) verifies here."""
    from telnyx.lib.webhook_verification import verify_webhook_signature

    stamp = str(int(time.time()))
    signature = base64.b64encode(_PRIVATE.sign(stamp.encode() + b"|" + BODY)).decode()
    headers = {"telnyx-signature-ed25519": signature, "telnyx-timestamp": stamp}
    verify_webhook_signature(BODY, headers, PUBLIC)
    assert Verifier("telnyx", public_key=PUBLIC).verify(BODY, headers).timestamp == int(stamp)
