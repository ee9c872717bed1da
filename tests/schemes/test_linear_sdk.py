"""Linear against its official SDK (``@linear/sdk`` on npm, ``LinearWebhookClient``), both ways."""

from __future__ import annotations

import json

import pytest

from hooksig import InvalidSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import NOW, SECRET
from tests.sdk_node import run_sdk

BODY = json.dumps(
    {
        "action": "create",
        "type": "Comment",
        "data": {"id": "2174add1", "body": "caf\u00e9 \u2713"},
        "webhookTimestamp": NOW * 1000,
    },
    ensure_ascii=False,
).encode()
TAMPERED = BODY.replace(b"create", b"crEate")


def _sdk_verify(body: bytes, headers: dict[str, str], now: int = NOW) -> dict[str, object]:
    request = {"op": "verify", "secret": SECRET, "body": body.decode(), "headers": headers}
    return run_sdk("linear", {**request, "now": now})


def test_linear_sdk_accepts_hooksig_signatures() -> None:
    """The SDK's handler and verify() accept the Linear-Signature hooksig makes."""
    headers = Verifier("linear", secret=SECRET).sign(BODY, timestamp=NOW)
    assert _sdk_verify(BODY, headers) == {"ok": True, "status": 200}


def test_hooksig_accepts_linear_sdk_signatures() -> None:
    """A signature the SDK accepts verifies with hooksig, at the body's webhookTimestamp."""
    answer = run_sdk("linear", {"op": "sign", "secret": SECRET, "body": BODY.decode(), "now": NOW})
    delivery = Verifier("linear", secret=SECRET).verify(BODY, answer["headers"], now=NOW)
    assert delivery.timestamp == NOW


def test_both_refuse_a_tampered_body() -> None:
    """One changed byte is refused by the SDK and by hooksig."""
    headers = Verifier("linear", secret=SECRET).sign(BODY, timestamp=NOW)
    assert _sdk_verify(TAMPERED, headers)["ok"] is False
    with pytest.raises(InvalidSignature):
        Verifier("linear", secret=SECRET).verify(TAMPERED, headers, now=NOW)


@pytest.mark.parametrize(("skew", "ok"), [(60, True), (-60, True), (61, False), (-61, False)])
def test_both_use_a_sixty_second_window(skew: int, ok: bool) -> None:
    """The SDK and hooksig agree on the ±60 s window around webhookTimestamp."""
    headers = Verifier("linear", secret=SECRET).sign(BODY, timestamp=NOW)
    assert _sdk_verify(BODY, headers, now=NOW + skew)["ok"] is ok
    verifier = Verifier("linear", secret=SECRET)
    if ok:
        assert verifier.verify(BODY, headers, now=NOW + skew).timestamp == NOW
    else:
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, headers, now=NOW + skew)
