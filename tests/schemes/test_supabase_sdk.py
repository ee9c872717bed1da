"""Supabase Auth Hooks against the standardwebhooks library, which Supabase's docs use."""

from __future__ import annotations

from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

from hooksig import Verifier
from tests.conftest import NOW
from tests.schemes.test_supabase import BODY, SECRET


def test_standardwebhooks_signatures_verify() -> None:
    """Supabase signs with a Standard Webhooks library: one such item verifies here."""
    when = datetime.fromtimestamp(NOW, tz=timezone.utc)
    headers = {
        "webhook-id": "a1b2c3",
        "webhook-timestamp": str(NOW),
        "webhook-signature": Webhook(SECRET.removeprefix("v1,")).sign(
            "a1b2c3", when, BODY.decode()
        ),
    }
    assert Verifier("supabase", secret=SECRET).verify(BODY, headers, now=NOW).key_id == "0"
