"""Clerk and Resend: Svix-based aliases of standard-webhooks, cross-checked with the SDK.

Both names resolve to the one Standard Webhooks scheme (tests/schemes/test_registry.py
checks every alias), so the contract runs once, under that name, in
tests/schemes/test_standard_webhooks.py; here only their svix-* headers are checked.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

from hooksig import Verifier
from tests.conftest import NOW
from tests.schemes.contract import BODY

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def test_svix_headers_from_the_sdk_verify() -> None:
    """A signature from the standardwebhooks library, sent as svix-* headers, verifies."""
    when = datetime.fromtimestamp(NOW, tz=timezone.utc)
    signature = Webhook(SECRET).sign("msg_2", when, BODY.decode())
    headers = {"svix-id": "msg_2", "svix-timestamp": str(NOW), "svix-signature": signature}
    assert Verifier("clerk", secret=SECRET).verify(BODY, headers, now=NOW).id == "msg_2"
