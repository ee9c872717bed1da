"""Webflow against its official SDK (``webflow-api`` on npm, ``webhooks.verifySignature``)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.sdk_node import run_sdk

BODY = '{"triggerType":"form_submission","payload":{"name":"Contact","data":{"name":"Zo\u00eb"}}}'


def _lower(headers: dict[str, str]) -> dict[str, str]:
    # The SDK reads lower-case keys, as Node's http module gives them.
    return {name.lower(): value for name, value in headers.items()}


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """verifySignature accepts what hooksig signs, and not a changed body."""
    headers = _lower(Verifier("webflow", secret=SECRET).sign(BODY.encode(), timestamp=NOW))
    request = {"op": "verify", "secret": SECRET, "headers": headers}
    assert run_sdk("webflow", {**request, "body": BODY}) == {"ok": True}
    assert run_sdk("webflow", {**request, "body": BODY + " "}) == {"ok": False}


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A header the SDK accepts (Webflow's recipe, recomputed) verifies with hooksig."""
    stamp = f"{NOW}123"
    digest = hmac.new(SECRET.encode(), f"{stamp}:{BODY}".encode(), hashlib.sha256).hexdigest()
    headers = {"x-webflow-timestamp": stamp, "x-webflow-signature": digest}
    assert run_sdk("webflow", {"op": "verify", "secret": SECRET, "headers": headers, "body": BODY})[
        "ok"
    ]
    verifier = Verifier("webflow", secret=SECRET)
    assert verifier.verify(BODY.encode(), headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY.encode() + b" ", headers, now=NOW)
