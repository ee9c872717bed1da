"""Telnyx against its SDK (both ways), and the contract."""

from __future__ import annotations

import base64
import time
from typing import ClassVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from telnyx.lib.webhook_verification import WebhookVerificationError, verify_webhook_signature

from hooksig import Verifier
from tests.schemes.contract import SchemeContract

_PRIVATE = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SEED = base64.b64encode(bytes(range(32))).decode()
PUBLIC = base64.b64encode(
    _PRIVATE.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()
OTHER_SEED = base64.b64encode(bytes(range(1, 33))).decode()
BODY = b'{"data": {"event_type": "message.received", "id": "ev-1"}}'


def test_the_sdk_accepts_hooksig_signatures() -> None:
    """verify_webhook_signature (the SDK's hand-written helper) accepts what hooksig signs."""
    headers = Verifier("telnyx", signing_key=SEED).sign(BODY, timestamp=int(time.time()))
    verify_webhook_signature(BODY, headers, PUBLIC)
    with pytest.raises(WebhookVerificationError):
        verify_webhook_signature(BODY + b" ", headers, PUBLIC)


def test_hooksig_accepts_signatures_made_as_telnyx_makes_them() -> None:
    """Ed25519 over "timestamp|body" with the account key (the SDK agrees) verifies here."""
    stamp = str(int(time.time()))
    signature = base64.b64encode(_PRIVATE.sign(stamp.encode() + b"|" + BODY)).decode()
    headers = {"telnyx-signature-ed25519": signature, "telnyx-timestamp": stamp}
    verify_webhook_signature(BODY, headers, PUBLIC)
    assert Verifier("telnyx", public_key=PUBLIC).verify(BODY, headers).timestamp == int(stamp)


class TestTelnyxContract(SchemeContract):
    """Telnyx through the contract."""

    scheme = "telnyx"
    keys: ClassVar = {"signing_key": SEED}
    other_keys: ClassVar = {"signing_key": OTHER_SEED}
    signs_timestamp = True
    id_source = None
