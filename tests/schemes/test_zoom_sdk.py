"""
Zoom against its official Node SDK, @zoom/rivet, both ways (tests/sdk_node/zoom).

Zoom's webhook docs point to Rivet as "Zoom's API library that handles webhooks
for you" (https://developers.zoom.us/docs/api/webhooks/).  Its receiver checks
``x-zm-signature`` and answers ``endpoint.url_validation``; it has no signer, so
the "sign" side reads the digest the receiver itself computes.
"""

from __future__ import annotations

import json

import pytest

from hooksig import Verifier, WebhookError
from tests.conftest import NOW, OTHER_SECRET, SECRET
from tests.sdk_node import run_sdk

# Compact JSON: Rivet re-serialises the parsed body before hashing (see the last test).
BODY = (
    '{"event":"meeting.started",'
    '"payload":{"account_id":"a1","object":{"topic":"caf\u00e9 \u2013 standup"}}}'
)
VALIDATION = (
    '{"event":"endpoint.url_validation",'
    '"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1700000000000}'
)


def _rivet(body: str, headers: dict[str, str], secret: str = SECRET) -> dict[str, object]:
    request = {"op": "verify", "secret": secret, "body": body, "headers": headers}
    answer: dict[str, object] = run_sdk("zoom", request)
    return answer


def test_rivet_accepts_hooksig_signatures() -> None:
    """Rivet's receiver accepts what hooksig signs, and refuses a changed body or another secret."""
    headers = Verifier("zoom", secret=SECRET).sign(BODY.encode(), timestamp=NOW)
    assert _rivet(BODY, headers)["ok"]
    assert not _rivet(BODY.replace("a1", "a2"), headers)["ok"]
    assert not _rivet(BODY, headers, secret=OTHER_SECRET)["ok"]


def test_hooksig_accepts_rivet_signatures() -> None:
    """The digest Rivet computes for a delivery is a header hooksig accepts, for that body only."""
    answer = run_sdk("zoom", {"op": "sign", "secret": SECRET, "body": BODY, "timestamp": NOW})
    assert answer["message"] == f"v0:{NOW}:{BODY}"
    verifier = Verifier("zoom", secret=SECRET)
    assert verifier.verify(BODY.encode(), answer["headers"], now=NOW).timestamp == NOW
    with pytest.raises(WebhookError):
        verifier.verify(BODY.replace("a1", "a2").encode(), answer["headers"], now=NOW)


def test_url_validation_answer_matches_rivet() -> None:
    """For a signed endpoint.url_validation, hooksig's handshake answer is Rivet's answer."""
    verifier = Verifier("zoom", secret=SECRET)
    headers = verifier.sign(VALIDATION.encode(), timestamp=NOW)
    rivet = _rivet(VALIDATION, headers)
    assert rivet["ok"]
    response = verifier.handshake(verifier.verify(VALIDATION.encode(), headers, now=NOW))
    assert response is not None
    assert json.loads(response.body) == rivet["answer"]


def test_rivet_hashes_reserialised_json_not_raw_bytes() -> None:
    """
    Rivet hashes ``JSON.stringify(JSON.parse(body))``; hooksig hashes the bytes received.

    They agree on compact JSON (above); on a body with other spacing only hooksig
    accepts a signature over the bytes as sent.
    """
    spaced = json.dumps(json.loads(BODY), ensure_ascii=False, indent=1)
    headers = Verifier("zoom", secret=SECRET).sign(spaced.encode(), timestamp=NOW)
    assert Verifier("zoom", secret=SECRET).verify(spaced.encode(), headers, now=NOW)
    assert not _rivet(spaced, headers)["ok"]
