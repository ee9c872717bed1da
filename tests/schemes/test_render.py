"""Render: an alias of standard-webhooks, recomputed from Render's example receiver.

Render's own example (render-examples/webhook-receiver@128a764
``app.ts``)
verifies with the standardwebhooks library and ``RENDER_WEBHOOK_SECRET``;
no Render SDK verifies.  The contract runs once, under ``standard-webhooks``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from hooksig import InvalidSignature, Verifier, schemes
from tests.conftest import NOW

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
BODY = (
    b'{"type":"deploy_ended",'
    b'"timestamp":"2025-01-01T00:00:00Z","data":{"id":"evj_1","serviceId":"srv-1"}}'
)


def test_render_is_standard_webhooks() -> None:
    """The name resolves to the Standard Webhooks scheme itself."""
    assert schemes.get("render") is schemes.get("standard-webhooks")


def test_recipe_recomputed_independently() -> None:
    """v1,base64(HMAC-SHA256(base64-decoded key, id.ts.body)) verifies; a changed body does not."""
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, f"msg_r1.{NOW}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_r1",
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    verifier = Verifier("render", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW).id == "msg_r1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)
