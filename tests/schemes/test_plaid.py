"""
Plaid: the published token (third-party), its key API over real HTTPS, and hostile tokens.

The only token with its key and body in print is a StackOverflow answer
(question 62117400, answer 62143991): third-party, so it is kept here and
not among the official vectors.  It verifies with the key Plaid's API
returned for its ``kid``, over the body pretty-printed as Plaid sends it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import jwt as pyjwt
import pytest

import hooksig
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedSignature,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.keysource import KeySource
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.contract import SchemeContract
from tests.schemes.fetching import P256, P256_PEM, Recorder, dumps

TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6IjZjNTUxNmUxLTkyZGMtNDc5ZS1hOGZmLTVhNTE5OTJlMDAwMSIsInR5cCI6IkpX"
    "VCJ9.eyJpYXQiOjE1OTA4ODcwMDEsInJlcXVlc3RfYm9keV9zaGEyNTYiOiJiNjNhMDdiNTQ3YjAwZjk5MjU0N2Y2Ym"
    "JjOGQ5YWNjNjFhOGNjZWUxMzhiYzgyZjQ0YTZiYWEwOTY4M2E1ZDBmIn0.OOKvIihgqCj7Qrb2bmz7T3t7uK-0Jyji"
    "EqL2s1kWeJBM4MMmjaHKK8GmU_z91QolBWMzvPgs718EElY-rE3cwQ"
)
KID = "6c5516e1-92dc-479e-a8ff-5a51992e0001"
JWK = {
    "alg": "ES256",
    "created_at": 1560466143,
    "crv": "P-256",
    "expired_at": None,
    "kid": KID,
    "kty": "EC",
    "use": "sig",
    "x": "35lvC8uz2QrWpQJ3TUH8t9o9DURMp7ydU518RKDl20k",
    "y": "I8BuXB2bvxelzJAd7OKhd-ZwjCst05Fx47Mb_0ugros",
}
BODY = json.dumps(
    {
        "error": None,
        "item_id": "yxQbxDjnD8hr69pKbQpbcKeVn3GL9QuyA7NV3",
        "new_transactions": 390,
        "webhook_code": "HISTORICAL_UPDATE",
        "webhook_type": "TRANSACTIONS",
    },
    indent=2,
).encode()
ISSUED = 1590887001
KEY_API = "https://production.plaid.com/webhook_verification_key/get"


def _scheme(**settings: Any) -> Any:
    return hooksig.schemes.configure("plaid", credentials={"client_id": "client-1"}, **settings)


def _verifier(recorder: Recorder) -> Verifier:
    return Verifier(_scheme(), secret="plaid-secret-0123456789abcdef", public_key=recorder.source())


def _key_reply(jwk: dict[str, Any] = JWK) -> bytes:
    return dumps({"key": jwk, "request_id": "req-1"})


def test_the_published_token_verifies_with_the_key_plaid_returns() -> None:
    """The token verifies with its key from Plaid's key API, which got client_id, secret, key_id."""
    recorder = Recorder({KEY_API: _key_reply()})
    delivery = _verifier(recorder).verify(BODY, {"Plaid-Verification": TOKEN}, now=ISSUED + 10)
    assert delivery.key_id == KID
    assert delivery.timestamp == ISSUED
    (call,) = recorder.calls
    assert call.method == "POST"
    assert json.loads(call.body or b"") == {
        "client_id": "client-1",
        "secret": "plaid-secret-0123456789abcdef",
        "key_id": KID,
    }


def test_one_changed_body_byte_fails_the_hash() -> None:
    """request_body_sha256 binds the exact bytes: compact JSON (re-serialised) is refused."""
    recorder = Recorder({KEY_API: _key_reply()})
    compact = json.dumps(json.loads(BODY)).encode()
    with pytest.raises(InvalidSignature) as info:
        _verifier(recorder).verify(compact, {"Plaid-Verification": TOKEN}, now=ISSUED + 10)
    assert info.value.reason == "body_hash_mismatch"
    assert recorder.calls == []


def test_a_replayed_token_is_refused_before_the_key_api() -> None:
    """iat older than five minutes: stale, and Plaid's key API is not called."""
    recorder = Recorder({KEY_API: _key_reply()})
    with pytest.raises(TimestampOutOfTolerance):
        _verifier(recorder).verify(BODY, {"Plaid-Verification": TOKEN}, now=ISSUED + 301)
    assert recorder.calls == []


def test_another_algorithm_is_refused_unread() -> None:
    """Plaid: "reject unless alg is ES256": an RS256 or HS256 token never reaches the key API."""
    recorder = Recorder({KEY_API: _key_reply()})
    for alg, key in (("HS256", "k" * 32),):
        token = pyjwt.encode({"iat": ISSUED}, key, algorithm=alg, headers={"kid": KID})
        with pytest.raises(MalformedSignature):
            _verifier(recorder).verify(BODY, {"Plaid-Verification": token}, now=ISSUED)
    assert recorder.calls == []


def test_a_retired_key_is_not_used() -> None:
    """A key with expired_at set is skipped: the token's kid is then unknown."""
    recorder = Recorder({KEY_API: _key_reply({**JWK, "expired_at": ISSUED - 1})})
    with pytest.raises(InvalidSignature) as info:
        _verifier(recorder).verify(BODY, {"Plaid-Verification": TOKEN}, now=ISSUED + 10)
    assert info.value.reason == "unknown_key_id"


def test_credentials_are_required() -> None:
    """The key API needs client_id and secret: without them the verifier cannot be built."""
    with pytest.raises(ConfigurationError):
        Verifier("plaid", secret="s" * 32)
    with pytest.raises(ConfigurationError):
        Verifier(_scheme())


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """A real HTTPS server standing in for production.plaid.com."""
    with key_server() as running:
        yield running


def test_the_key_api_over_https_is_called_once_per_key(server: KeyServer) -> None:
    """POST to the key API over TLS, once; the key is then cached by its id."""
    server.routes["/webhook_verification_key/get"] = Route(_key_reply())
    scheme = _scheme(keys_url=server.url("/webhook_verification_key/get"), key_rule=server.rule())
    verifier = Verifier(
        scheme, secret="plaid-secret-0123456789abcdef", public_key=KeySource(fetch=server.fetch())
    )
    for _ in range(3):
        verifier.verify(BODY, {"Plaid-Verification": TOKEN}, now=ISSUED + 10)
    assert [(seen.method, json.loads(seen.body)["key_id"]) for seen in server.seen] == [
        ("POST", KID)
    ]


class TestPlaidContract(SchemeContract):
    """Plaid through the contract: ES256 from signing_key=, the body's hash in the token."""

    scheme = "plaid"
    keys: ClassVar = {"signing_key": P256_PEM}
    other_keys: ClassVar = {"signing_key": P256.private_numbers().private_value and None}
    signs_timestamp = True
    id_source = "derived"

    def verifier(self, **overrides: Any) -> Verifier:
        """Another key for the wrong-key test: a fresh P-256 key."""
        if overrides.get("signing_key", 1) is None:
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import ec

            other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            overrides["signing_key"] = other
        return Verifier("plaid", clock=lambda: 1_700_000_000.0, **{**self.keys, **overrides})

    def signature_headers(self) -> set[str]:
        """The token."""
        return {"Plaid-Verification"}

    def tamper_signature(self, headers: Any) -> dict[str, str]:
        """Change the first character of the token's signature."""
        value = headers["Plaid-Verification"]
        first = value.rindex(".") + 1
        return {
            **headers,
            "Plaid-Verification": value[:first]
            + ("A" if value[first] != "A" else "B")
            + value[first + 1 :],
        }

    def tamper_timestamp(self, headers: Any) -> dict[str, str]:
        """A token whose iat moved: re-encoded claims under the old signature."""
        import base64

        head, claims, signature = headers["Plaid-Verification"].split(".")
        moved = json.loads(base64.urlsafe_b64decode(claims + "=="))
        moved["iat"] += 1
        text = base64.urlsafe_b64encode(json.dumps(moved).encode()).rstrip(b"=").decode()
        return {"Plaid-Verification": f"{head}.{text}.{signature}"}

    def test_round_trip(self) -> None:
        """The key id is the token's kid."""
        assert self.verify(self.sign()).key_id == "hooksig-test"

    def test_tampered_body(self) -> None:
        """A changed body no longer matches request_body_sha256."""
        with pytest.raises(InvalidSignature) as info:
            self.verify(self.sign(), body=self.tamper_body(self.body))
        assert info.value.reason == "body_hash_mismatch"
