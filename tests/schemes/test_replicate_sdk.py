"""Replicate against replicate-python's webhook validation, both ways."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from replicate.webhook import InvalidSignatureError, Webhooks, WebhookSigningSecret

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
BODY = b'{"id": "pred_1", "status": "succeeded", "output": ["caf\xc3\xa9"]}'


def _sdk_accepts(headers: dict[str, str], body: bytes) -> bool:
    # validate() returns None when the signature matches and raises when it does not.
    try:
        Webhooks.validate(
            headers=headers, body=body.decode(), secret=WebhookSigningSecret(key=SECRET)
        )
    except InvalidSignatureError:
        return False
    return True


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """Replicate's validate() accepts what hooksig signs, and refuses a changed body."""
    headers = Verifier("replicate", secret=SECRET).sign(BODY, timestamp=NOW, id="msg_1")
    assert _sdk_accepts(headers, BODY)
    assert not _sdk_accepts(headers, BODY.replace(b"succeeded", b"failed"))


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A header recomputed from Replicate's recipe, accepted by its SDK, verifies with hooksig."""
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, f"msg_2.{NOW}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    assert _sdk_accepts(headers, BODY)
    verifier = Verifier("replicate", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW).id == "msg_2"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)
