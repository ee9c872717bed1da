"""Slack against slack-sdk's SignatureVerifier, both ways."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

from hooksig import Verifier
from tests.conftest import SECRET


def test_slack_sdk_accepts_hooksig_signatures() -> None:
    """A signature hooksig makes is valid to slack_sdk's SignatureVerifier."""
    body = b"token=x&team_id=T1&command=%2Fhook&text=caf%C3%A9"
    now = int(time.time())
    headers = Verifier("slack", secret=SECRET).sign(body, timestamp=now)
    sdk = SignatureVerifier(SECRET)
    assert sdk.is_valid(
        body=body,
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )


def test_hooksig_accepts_slack_sdk_signatures() -> None:
    """A signature slack_sdk generates verifies with hooksig."""
    body = '{"type":"event_callback","event":{"text":"h\u00e9llo"}}'.encode()
    now = int(time.time())
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=str(now), body=body)
    headers = {"X-Slack-Signature": signature, "X-Slack-Request-Timestamp": str(now)}
    assert Verifier("slack", secret=SECRET).verify(body, headers).timestamp == now
