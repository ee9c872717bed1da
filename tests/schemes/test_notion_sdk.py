"""Notion against its official SDK (``@notionhq/client`` on npm, its webhook helpers), both ways."""

from __future__ import annotations

import pytest

from hooksig import InvalidSignature, Verifier
from tests.sdk_node import run_sdk

TOKEN = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl"
BODY = '{"id":"e1","type":"page.created","entity":{"id":"p1","title":"caf\u00e9"}}'


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """verifyWebhookSignature accepts what hooksig signs, and not a changed body."""
    signature = Verifier("notion", secret=TOKEN).sign(BODY.encode())["X-Notion-Signature"]
    request = {"op": "verify", "secret": TOKEN, "signature": signature}
    assert run_sdk("notion", {**request, "body": BODY}) == {"ok": True}
    assert run_sdk("notion", {**request, "body": BODY + " "}) == {"ok": False}


def test_hooksig_accepts_sdk_signatures_and_refuses_tampering() -> None:
    """signWebhookPayload's header verifies with hooksig, and not over a changed body."""
    signature = run_sdk("notion", {"op": "sign", "secret": TOKEN, "body": BODY})["signature"]
    verifier = Verifier("notion", secret=TOKEN)
    assert verifier.verify(BODY.encode(), {"X-Notion-Signature": signature}).id == "e1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY.encode() + b" ", {"X-Notion-Signature": signature})
