"""Clerk and Resend: Svix-based aliases of standard-webhooks, through the contract and the SDK."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import ClassVar

import pytest
from standardwebhooks.webhooks import Webhook

from hooksig import Verifier, schemes
from tests.conftest import NOW
from tests.schemes.contract import BODY, SchemeContract

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


class TestClerk(SchemeContract):
    """Clerk: the contract under its alias."""

    scheme = "clerk"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"


class TestResend(TestClerk):
    """Resend: the contract under its alias."""

    scheme = "resend"


@pytest.mark.parametrize("alias", ["clerk", "resend"])
def test_alias_is_standard_webhooks(alias: str) -> None:
    """Both names resolve to the one Standard Webhooks scheme."""
    assert schemes.get(alias) is schemes.get("standard-webhooks")


@pytest.mark.parametrize("alias", ["clerk", "resend"])
def test_svix_headers_from_the_sdk_verify(alias: str) -> None:
    """A signature from the standardwebhooks library, sent as svix-* headers, verifies."""
    when = datetime.fromtimestamp(NOW, tz=timezone.utc)
    signature = Webhook(SECRET).sign("msg_2", when, BODY.decode())
    headers = {"svix-id": "msg_2", "svix-timestamp": str(NOW), "svix-signature": signature}
    assert Verifier(alias, secret=SECRET).verify(BODY, headers, now=NOW).id == "msg_2"
