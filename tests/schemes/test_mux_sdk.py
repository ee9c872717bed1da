"""Mux against its official Node SDK, @mux/mux-node, both ways (tests/sdk_node/mux)."""

from __future__ import annotations

import pytest

from hooksig import InsecureKeyWarning, MalformedSignature, Verifier, WebhookError
from tests.conftest import NOW, SECRET
from tests.sdk_node import run_sdk

BODY = '{"type":"video.asset.ready","data":{"id":"asset_1","title":"caf\u00e9 \u2013 clip"}}'


def _sdk_verifies(body: str, headers: dict[str, str], now: int = NOW) -> bool:
    answer = run_sdk(
        "mux", {"op": "verify", "secret": SECRET, "body": body, "headers": headers, "now": now}
    )
    return bool(answer["ok"])


def test_mux_sdk_accepts_hooksig_signatures() -> None:
    """webhooks.verifySignature accepts the header hooksig makes, and refuses a changed body."""
    headers = Verifier("mux", secret=SECRET).sign(BODY.encode(), timestamp=NOW)
    assert _sdk_verifies(BODY, headers)
    assert not _sdk_verifies(BODY.replace("asset_1", "asset_2"), headers)


def test_hooksig_accepts_mux_sdk_signatures() -> None:
    """A header made with the SDK's own HMAC (the one verifySignature uses) verifies here."""
    answer = run_sdk("mux", {"op": "sign", "secret": SECRET, "body": BODY, "timestamp": NOW})
    verifier = Verifier("mux", secret=SECRET)
    assert verifier.verify(BODY.encode(), answer["headers"], now=NOW).timestamp == NOW
    with pytest.raises(WebhookError):
        verifier.verify(BODY.replace("asset_1", "asset_2").encode(), answer["headers"], now=NOW)


def test_short_junk_v1_is_refused_strictly() -> None:
    """
    The SDK skips a junk ``v1=invalid-sig`` next to a good one; hooksig refuses it as malformed.

    The header is from mux-node-sdk's test "should pass for multiple signatures"
    (muxinc/mux-node-sdk@28c52da:tests/api-resources/webhooks.test.ts).  Mux itself
    only ever sends hex digests, so hooksig keeps its strict parsing.
    """
    digest = "854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7"
    headers = {"mux-signature": f"t=1565125718,v1=invalid-sig,v1={digest}"}
    body = '{"test":"body"}'
    assert run_sdk(
        "mux",
        {
            "op": "verify",
            "secret": "SuperSecret123",
            "body": body,
            "headers": headers,
            "now": 1565125718,
        },
    )["ok"]
    with pytest.warns(InsecureKeyWarning):
        verifier = Verifier("mux", secret="SuperSecret123")
    with pytest.raises(MalformedSignature):
        verifier.verify(body.encode(), headers, now=1565125718)
