"""Twitch EventSub through the scheme contract (RFC 3339 timestamps), plus a recipe check."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import MalformedSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import BODY, SchemeContract

STAMP = "2023-11-14T22:13:20.123456789Z"
STAMP_SECONDS = 1_700_000_000


class TestTwitch(SchemeContract):
    """Twitch EventSub: the contract."""

    scheme = "twitch"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"


def _headers(
    stamp: str = STAMP, message_id: str = "e76c6bd4-55c9-4987-8304-da1588d8988b"
) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), (message_id + stamp).encode() + BODY, hashlib.sha256)
    return {
        "Twitch-Eventsub-Message-Id": message_id,
        "Twitch-Eventsub-Message-Timestamp": stamp,
        "Twitch-Eventsub-Message-Signature": "sha256=" + digest.hexdigest(),
        "Twitch-Eventsub-Message-Type": "notification",
    }


def test_recipe_recomputed_independently() -> None:
    """The signature is sha256= + hex(HMAC-SHA256(secret, id + timestamp text + body))."""
    delivery = Verifier("twitch", secret=SECRET).verify(BODY, _headers(), now=STAMP_SECONDS)
    assert delivery.id == "e76c6bd4-55c9-4987-8304-da1588d8988b"
    assert delivery.timestamp == STAMP_SECONDS


@pytest.mark.parametrize(
    ("stamp", "seconds"),
    [
        ("2023-11-14T22:13:20Z", 1_700_000_000),
        ("2023-11-14T23:13:20+01:00", 1_700_000_000),
        ("2023-11-14T21:13:20.5-01:00", 1_700_000_000),
    ],
)
def test_rfc3339_offsets(stamp: str, seconds: int) -> None:
    """Offsets and fractions are read exactly."""
    delivery = Verifier("twitch", secret=SECRET).verify(BODY, _headers(stamp), now=seconds)
    assert delivery.timestamp == seconds


@pytest.mark.parametrize(
    "stamp",
    [
        "2023-11-14 22:13:20Z",
        "2023-11-14t22:13:20z",
        "2023-13-14T22:13:20Z",
        "2023-11-14T22:13:20",
        "2023-11-14T22:13:20.1234567890Z",
        "2023-11-14T22:13:20+24:00",
        "\u0662023-11-14T22:13:20Z",
        "1700000000",
    ],
)
def test_bad_timestamps_are_malformed(stamp: str) -> None:
    """Anything but a strict RFC 3339 date-time with an offset is MalformedSignature."""
    with pytest.raises(MalformedSignature):
        Verifier("twitch", secret=SECRET).verify(BODY, _headers(stamp), now=STAMP_SECONDS)


def test_sign_sends_a_notification_and_a_challenge_when_asked() -> None:
    """sign() writes the message type Twitch sends with events; a challenge sets its own."""
    verifier = Verifier("twitch", secret=SECRET, clock=lambda: float(STAMP_SECONDS))
    headers = verifier.sign(BODY, timestamp=STAMP_SECONDS, id="m-1")
    assert headers["Twitch-Eventsub-Message-Type"] == "notification"
    assert verifier.handshake(verifier.verify(BODY, headers)) is None
    challenge = b'{"challenge": "pogchamp-kappa-360noscope-vohiyo"}'
    signed = verifier.sign(challenge, timestamp=STAMP_SECONDS, id="m-2")
    signed["Twitch-Eventsub-Message-Type"] = "webhook_callback_verification"
    answer = verifier.handshake(verifier.verify(challenge, signed))
    assert answer is not None
    assert answer.body == b"pogchamp-kappa-360noscope-vohiyo"
