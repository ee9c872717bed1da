"""Polar against polar-sdk's own verification, both ways."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from polar.webhooks import PolarWebhookVerificationError, _verify_signature

from hooksig import Verifier
from tests.schemes.test_polar import BODY, SECRET


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """polar-sdk's verifier accepts what hooksig signs (at the real time), not a changed body."""
    headers = dict(Verifier("polar", secret=SECRET).sign(BODY, timestamp=int(time.time())))
    _verify_signature(BODY.decode(), headers, SECRET)
    with pytest.raises(PolarWebhookVerificationError):
        _verify_signature(BODY.decode() + " ", headers, SECRET)


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A header polar-sdk accepts verifies with hooksig; the SDK signs nothing itself."""
    now = int(time.time())
    mac = hmac.new(SECRET.encode(), f"msg_p2.{now}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_p2",
        "webhook-timestamp": str(now),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    _verify_signature(BODY.decode(), headers, SECRET)
    assert Verifier("polar", secret=SECRET).verify(BODY, headers, now=now).key_id == "0"
