"""Clerk and Resend: Svix-based aliases of standard-webhooks, cross-checked with the SDK.

Both names verify as the one Standard Webhooks scheme (tests/schemes/test_registry.py
checks every alias), so the contract runs once, under that name, in
tests/schemes/test_standard_webhooks.py; here only their svix-* headers are checked,
as they verify and as sign() writes them.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
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


@pytest.mark.parametrize("name", ["svix", "clerk", "resend"])
def test_sign_writes_the_svix_headers_these_providers_send(name: str) -> None:
    """sign() under svix, clerk and resend writes svix-* only, as Clerk's SDK requires."""
    headers = Verifier(name, secret=SECRET).sign(BODY, timestamp=NOW, id="msg_3")
    assert sorted(headers) == ["svix-id", "svix-signature", "svix-timestamp"]
    # What the Svix-based SDKs read: the svix-* values as Standard Webhooks' headers.
    sdk_headers = {key.replace("svix-", "webhook-"): value for key, value in headers.items()}
    when = datetime.fromtimestamp(NOW, tz=timezone.utc)
    assert Webhook(SECRET).sign("msg_3", when, BODY.decode()) == headers["svix-signature"]
    assert Verifier("standard-webhooks", secret=SECRET).verify(BODY, sdk_headers, now=NOW)
