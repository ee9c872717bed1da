"""OpenAI against the openai SDK's webhook unwrap(), both ways."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import pytest

from hooksig import InvalidSignature, Verifier

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
BODY = b'{"id": "evt_1", "object": "event", "type": "response.completed", "data": {"id": "resp_1"}}'


def _client() -> Any:
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes a second to import; only the worker that runs the test pays for it.
    from openai import OpenAI

    return OpenAI(api_key="unused-no-request-is-made")


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """openai's verify_signature accepts what hooksig signs, and refuses a changed body."""
    now = int(time.time())
    headers = Verifier("openai", secret=SECRET).sign(BODY, timestamp=now, id="wh_1")
    _client().webhooks.verify_signature(BODY, headers, secret=SECRET)
    from openai import InvalidWebhookSignatureError

    with pytest.raises(InvalidWebhookSignatureError):
        _client().webhooks.verify_signature(BODY + b" ", headers, secret=SECRET)


def test_hooksig_accepts_the_sdk_recipe_and_refuses_tampering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A header the SDK accepts (its own matcher is the judge) verifies with hooksig."""
    from openai.lib._webhooks import webhook_signature_matches

    now = 1_750_861_210
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, f"wh_2.{now}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "wh_2",
        "webhook-timestamp": str(now),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    monkeypatch.setattr(time, "time", lambda: float(now))
    assert webhook_signature_matches(BODY, headers, secret=SECRET, tolerance=300)
    verifier = Verifier("openai", secret=SECRET)
    assert verifier.verify(BODY, headers, now=now).id == "wh_2"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=now)
