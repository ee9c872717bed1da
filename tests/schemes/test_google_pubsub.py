"""
Google Pub/Sub push: tokens against google-auth (both ways), keys over real HTTPS, hostile tokens.

Google's documented token cannot be verified offline (its key has rotated
away), so the cross-check is google-auth itself: ``google.auth.jwt.decode``
accepts the tokens hooksig makes, and hooksig accepts tokens google-auth
signs, with the same certificate map Google serves.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Mapping
from typing import Any, ClassVar

import jwt as pyjwt
import pytest

import hooksig
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedSignature,
    Verifier,
)
from tests.schemes.contract import SchemeContract
from tests.schemes.fetching import OTHER_RSA_PEM, RSA_PEM, Recorder, certificate, dumps, private

CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
AUDIENCE = "https://example.com/push"
EMAIL = "push@my-project.iam.gserviceaccount.com"
KID = "k1"
NOW = 1_700_000_000
BODY = dumps(
    {
        "message": {"data": "aGk=", "messageId": "136969346945"},
        "subscription": "projects/p/subscriptions/s",
    }
)
CERTS = dumps({KID: certificate(private(RSA_PEM), subject="google").decode()})


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "aud": AUDIENCE,
        "azp": "1133",
        "email": EMAIL,
        "email_verified": True,
        "exp": NOW + 3600,
        "iat": NOW,
        "iss": "https://accounts.google.com",
        "sub": "1133",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _scheme(**settings: Any) -> Any:
    return hooksig.schemes.configure("google-pubsub", email=EMAIL, audience=AUDIENCE, **settings)


def _verify(token: str, recorder: Recorder | None = None, now: float = NOW) -> hooksig.Delivery:
    source = (recorder or Recorder({CERTS_URL: CERTS})).source()
    verifier = Verifier(_scheme(), public_key=source)
    return verifier.verify(BODY, {"Authorization": f"Bearer {token}"}, now=now)


def _forged(alg: str, key: object) -> str:
    return pyjwt.encode(_claims(), key, algorithm=alg, headers={"kid": KID})  # type: ignore[arg-type]


def _none_token() -> str:
    def part(document: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'kid': KID})}.{part(_claims())}."


def test_an_hs256_token_made_with_the_public_key_is_refused() -> None:
    """The classic confusion: HS256 keyed with the PEM certificate Google publishes."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps({"alg": "HS256", "kid": KID}).encode())
    signing_input = f"{head}.{part(json.dumps(_claims()).encode())}"
    mac = hmac.digest(json.loads(CERTS)[KID].encode(), signing_input.encode(), "sha256")
    forged = f"{signing_input}.{part(mac)}"
    with pytest.raises(MalformedSignature):
        _verify(forged)


def test_the_service_account_is_required() -> None:
    """Anyone can point a push subscription at your URL: without email= no verifier is built."""
    with pytest.raises(ConfigurationError, match="email"):
        Verifier("google-pubsub", public_url=hooksig.PerCallUrl())
    with pytest.raises(ConfigurationError):
        hooksig.schemes.configure("google-pubsub", nope=1)


def _flip_signature(value: str) -> str:
    """The bearer token with the first character of its signature replaced."""
    first = value.rindex(".") + 1
    return value[:first] + ("A" if value[first] != "A" else "B") + value[first + 1 :]


class TestGooglePubSubContract(SchemeContract):
    """Google Pub/Sub through the contract, keys from signing_key= (the token binds no body)."""

    scheme = "google-pubsub"
    keys: ClassVar = {"signing_key": RSA_PEM}
    other_keys: ClassVar = {"signing_key": OTHER_RSA_PEM}
    signs_timestamp = True
    id_source = "body"
    body = BODY
    body_id = "136969346945"

    def verifier(self, **overrides: Any) -> Verifier:
        """The configured scheme, with the contract's clock."""
        return Verifier(_scheme(), clock=lambda: float(NOW), **{**self.keys, **overrides})

    def signature_headers(self) -> set[str]:
        """The token does not change with the body: name its header."""
        return {"Authorization"}

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Change one character of the token's signature segment."""
        return {**headers, "Authorization": _flip_signature(headers["Authorization"])}

    def test_timestamp(self) -> None:
        """iat is inside the signed token: a token with another iat no longer verifies."""
        headers = self.sign()
        head, claims, signature = headers["Authorization"].removeprefix("Bearer ").split(".")
        moved = json.loads(base64.urlsafe_b64decode(claims + "=="))
        moved["iat"] += 1
        text = base64.urlsafe_b64encode(json.dumps(moved).encode()).rstrip(b"=").decode()
        with pytest.raises(InvalidSignature):
            self.verify({"Authorization": f"Bearer {head}.{text}.{signature}"})

    def test_round_trip(self) -> None:
        """The key id is the token's kid."""
        delivery = self.verify(self.sign())
        assert delivery.key_id == "hooksig-test"
        assert delivery.id == self.body_id

    def test_tampered_body(self) -> None:
        """The token binds no body (Google's design): a changed body still verifies."""
        assert self.verify(self.sign(), body=self.body.replace(b"aGk=", b"aGl=")).key_id

    def test_rotation(self) -> None:
        """Tokens are signed by Google's keys, not secrets: secrets= is refused."""
        with pytest.raises(ConfigurationError):
            self.verifier(secrets=["x" * 32])
