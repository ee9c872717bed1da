"""Verifier.handshake(): providers' endpoint checks answered only from a verified Delivery."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

import hooksig
from hooksig import ConfigurationError, Delivery, HandshakeResponse, InvalidSignature
from tests.conftest import NOW, OTHER_SECRET, SECRET


def _roundtrip(name: str, body: bytes, **extra_headers: str) -> tuple[hooksig.Verifier, Delivery]:
    verifier = hooksig.Verifier(name, secret=SECRET)
    headers = {**verifier.sign(body, timestamp=NOW, id="msg_1"), **extra_headers}
    return verifier, verifier.verify(body, headers, now=NOW)


def test_slack_url_verification_echoes_the_challenge() -> None:
    """Slack's url_verification is answered with the challenge as text."""
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"}).encode()
    verifier, delivery = _roundtrip("slack", body)
    answer = verifier.handshake(delivery)
    assert answer == HandshakeResponse(200, "text/plain; charset=utf-8", challenge.encode())
    assert answer.headers == {"Content-Type": "text/plain; charset=utf-8"}


def test_ordinary_deliveries_are_not_handshakes() -> None:
    """An event callback, a non-JSON body or a JSON list gets None."""
    for body in (b'{"type":"event_callback","challenge":"x"}', b"token=1&text=hi", b"[1]"):
        verifier, delivery = _roundtrip("slack", body)
        assert verifier.handshake(delivery) is None


def test_unsigned_handshake_is_never_answered() -> None:
    """A handshake body with a wrong signature never becomes a Delivery."""
    verifier = hooksig.Verifier("slack", secret=SECRET)
    body = b'{"type":"url_verification","challenge":"c"}'
    headers = hooksig.Verifier("slack", secret=OTHER_SECRET).sign(body, timestamp=NOW)
    with pytest.raises(InvalidSignature):
        verifier.verify(body, headers, now=NOW)


def test_delivery_of_another_scheme_is_refused() -> None:
    """handshake() takes only a Delivery of its own scheme."""
    _, github_delivery = _roundtrip("github", b'{"type":"url_verification","challenge":"c"}')
    with pytest.raises(ConfigurationError):
        hooksig.Verifier("slack", secret=SECRET).handshake(github_delivery)
    with pytest.raises(ConfigurationError):
        hooksig.Verifier("slack", secret=SECRET).handshake(b"{}")  # type: ignore[arg-type]


def test_scheme_without_handshake_returns_none() -> None:
    """Schemes that declare no handshake answer nothing."""
    verifier, delivery = _roundtrip("github", b'{"type":1}')
    assert verifier.handshake(delivery) is None


def test_discord_ping_is_answered_with_a_pong() -> None:
    """Discord's signed PING (type 1) is answered {"type": 1}."""
    private = ed25519.Ed25519PrivateKey.from_private_bytes(b"\x11" * 32)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    body = b'{"type":1,"id":"123","application_id":"456"}'
    headers = {
        "X-Signature-Ed25519": private.sign(str(NOW).encode() + body).hex(),
        "X-Signature-Timestamp": str(NOW),
    }
    verifier = hooksig.Verifier("discord", public_key=public.hex())
    delivery = verifier.verify(body, headers, now=NOW)
    answer = verifier.handshake(delivery)
    assert answer is not None
    assert (answer.status, answer.content_type, json.loads(answer.body)) == (
        200,
        "application/json",
        {"type": 1},
    )
    command = b'{"type":2,"id":"123"}'
    headers["X-Signature-Ed25519"] = private.sign(str(NOW).encode() + command).hex()
    assert verifier.handshake(verifier.verify(command, headers, now=NOW)) is None


def test_zoom_url_validation_uses_the_key_that_verified() -> None:
    """Zoom gets plainToken back with its HMAC under the secret that matched (rotation too)."""
    body = json.dumps(
        {
            "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
            "event_ts": 1654503849680,
            "event": "endpoint.url_validation",
        }
    ).encode()
    signer = hooksig.Verifier("zoom", secret=OTHER_SECRET)
    verifier = hooksig.Verifier("zoom", secrets=[SECRET, OTHER_SECRET])
    delivery = verifier.verify(body, signer.sign(body, timestamp=NOW), now=NOW)
    assert delivery.key_id == "1"
    answer = verifier.handshake(delivery)
    assert answer is not None
    expected = hmac.new(OTHER_SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256)
    assert json.loads(answer.body) == {
        "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
        "encryptedToken": expected.hexdigest(),
    }
    assert answer.content_type == "application/json"


def test_zoom_without_a_token_is_not_a_handshake() -> None:
    """A url_validation event with no usable plainToken gets None."""
    for body in (
        b'{"event":"endpoint.url_validation","payload":{}}',
        b'{"event":"endpoint.url_validation","payload":{"plainToken":7}}',
        b'{"event":"meeting.started","payload":{"plainToken":"x"}}',
    ):
        verifier, delivery = _roundtrip("zoom", body)
        assert verifier.handshake(delivery) is None


def test_twitch_callback_verification_echoes_the_challenge() -> None:
    """Twitch's webhook_callback_verification is answered with the raw challenge."""
    body = b'{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2"}}'
    verifier, delivery = _roundtrip(
        "twitch", body, **{"Twitch-Eventsub-Message-Type": "webhook_callback_verification"}
    )
    answer = verifier.handshake(delivery)
    assert answer is not None
    assert (answer.status, answer.body) == (200, b"pogchamp-kappa-360noscope-vohiyo")
    assert answer.content_type.startswith("text/plain")
    verifier, delivery = _roundtrip(
        "twitch", body, **{"Twitch-Eventsub-Message-Type": "notification"}
    )
    assert verifier.handshake(delivery) is None


def test_oversized_challenge_is_not_echoed() -> None:
    """A challenge longer than the bound is not echoed back."""
    body = json.dumps({"type": "url_verification", "challenge": "x" * 5000}).encode()
    verifier, delivery = _roundtrip("slack", body)
    assert verifier.handshake(delivery) is None
