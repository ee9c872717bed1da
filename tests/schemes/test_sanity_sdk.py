"""Sanity against its official toolkit (``@sanity/webhook`` on npm), both ways."""

from __future__ import annotations

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.sdk_node import run_sdk

BODY = '{"_id":"doc-1","_type":"post","title":"caf\u00e9"}'


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """isValidSignature accepts what hooksig signs, and not a changed body."""
    header = Verifier("sanity", secret=SECRET).sign(BODY.encode(), timestamp=NOW)
    request = {"op": "verify", "secret": SECRET, "signature": header["sanity-webhook-signature"]}
    assert run_sdk("sanity", {**request, "body": BODY}) == {"ok": True}
    assert run_sdk("sanity", {**request, "body": BODY + " "}) == {"ok": False}


def test_hooksig_accepts_sdk_signatures_and_refuses_tampering() -> None:
    """encodeSignatureHeader's header verifies with hooksig, and not over a changed body."""
    request = {"op": "sign", "secret": SECRET, "body": BODY, "timestamp_ms": NOW * 1000 + 7}
    header = {"sanity-webhook-signature": run_sdk("sanity", request)["signature"]}
    verifier = Verifier("sanity", secret=SECRET)
    assert verifier.verify(BODY.encode(), header, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY.encode() + b" ", header, now=NOW)
