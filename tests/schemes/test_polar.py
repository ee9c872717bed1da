"""Polar: Standard Webhooks layout keyed by the secret's text (polar-sdk: test_polar_sdk.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import SchemeContract

SECRET = "polar_whs_" + "Kq3xR9vT2mLp8sWz4nYc6bHd1fGj5aE7uI0oQ"
BODY = b'{"type": "order.paid", "timestamp": "2025-01-01T00:00:00Z", "data": {"id": "ord_1"}}'


class TestPolar(SchemeContract):
    """Polar through the scheme contract: the signed webhook-id is the delivery id."""

    scheme = "polar"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"


def test_key_is_the_secret_text_not_its_base64_decoding() -> None:
    """HMAC keyed by the secret's UTF-8, prefix and all (Polar's SDK recipe)."""
    mac = hmac.new(SECRET.encode(), f"msg_p1.{NOW}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_p1",
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    assert Verifier("polar", secret=SECRET).verify(BODY, headers, now=NOW).id == "msg_p1"
    with pytest.raises(InvalidSignature):
        Verifier("standard-webhooks", secret=b"x" * 32).verify(BODY, headers, now=NOW)
