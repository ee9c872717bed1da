"""Anthropic against the anthropic SDK's unwrap() and the standardwebhooks library it uses.

The SDK verifies through the ``standardwebhooks`` library, which also
signs here.
"""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from hooksig import InvalidSignature, Verifier

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
BODY = b'{"id": "whe_1", "type": "event", "data": {"type": "batch.completed"}}'


def _unwrap(body: bytes, headers: dict[str, str]) -> object:
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes seconds to import; only the worker that runs the test pays for it.
    from anthropic import Anthropic

    client = Anthropic(api_key="unused-no-request-is-made")
    return client.beta.webhooks.unwrap(body.decode(), headers=headers, key=SECRET)


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """unwrap() accepts what hooksig signs (at the real time: the SDK reads the clock)."""
    headers = dict(Verifier("anthropic", secret=SECRET).sign(BODY, timestamp=int(time.time())))
    assert _unwrap(BODY, headers) is not None
    with pytest.raises(WebhookVerificationError):
        _unwrap(BODY + b" ", headers)


def test_hooksig_accepts_the_sdk_library_signatures() -> None:
    """What the SDK's signing library makes verifies with hooksig; a changed body does not."""
    now = int(time.time())
    when = datetime.fromtimestamp(now, tz=timezone.utc)
    headers = {
        "webhook-id": "msg_a1",
        "webhook-timestamp": str(now),
        "webhook-signature": Webhook(SECRET).sign("msg_a1", when, BODY.decode()),
    }
    assert _unwrap(BODY, headers) is not None
    verifier = Verifier("anthropic", secret=SECRET)
    assert verifier.verify(BODY, headers, now=now).id == "msg_a1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=now)
