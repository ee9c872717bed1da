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
import time
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import jwt as pyjwt
import pytest
from google.auth import crypt
from google.auth import jwt as google_jwt

import hooksig
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.keysource import KeySource
from tests.keyserver import KeyServer, Route, key_server
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


def _google_token(**changes: Any) -> str:
    """A token signed the way google-auth signs, with the test key."""
    signer = crypt.RSASigner.from_string(RSA_PEM, key_id=KID)
    return google_jwt.encode(signer, _claims(**changes)).decode("ascii")


def _scheme(**settings: Any) -> Any:
    return hooksig.schemes.configure("google-pubsub", email=EMAIL, audience=AUDIENCE, **settings)


def _verify(token: str, recorder: Recorder | None = None, now: float = NOW) -> hooksig.Delivery:
    source = (recorder or Recorder({CERTS_URL: CERTS})).source()
    verifier = Verifier(_scheme(), public_key=source)
    return verifier.verify(BODY, {"Authorization": f"Bearer {token}"}, now=now)


def test_hooksig_accepts_google_auth_tokens() -> None:
    """A token google-auth signs verifies under Google's certificate map; messageId is the id."""
    delivery = _verify(_google_token())
    assert delivery.key_id == KID
    assert delivery.timestamp == NOW
    assert delivery.id == "136969346945"


def test_google_auth_accepts_hooksig_tokens() -> None:
    """google.auth.jwt.decode accepts what hooksig signs (signing_key=), for the same audience."""
    verifier = Verifier(_scheme(), signing_key=RSA_PEM)
    headers = verifier.sign(BODY, timestamp=int(time.time()))
    token = headers["Authorization"].removeprefix("Bearer ")
    pem = certificate(private(RSA_PEM), subject="google").decode()
    claims = google_jwt.decode(token, certs={"hooksig-test": pem}, audience=AUDIENCE)
    assert claims["email"] == EMAIL
    assert claims["email_verified"] is True


def _forged(alg: str, key: object) -> str:
    return pyjwt.encode(_claims(), key, algorithm=alg, headers={"kid": KID})  # type: ignore[arg-type]


def _none_token() -> str:
    def part(document: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'kid': KID})}.{part(_claims())}."


@pytest.mark.parametrize(
    ("token", "error", "reason"),
    [
        (_none_token(), MalformedSignature, "wrong_algorithm"),
        (
            pyjwt.encode(_claims(), "a" * 64, algorithm="HS256", headers={"kid": KID}),
            MalformedSignature,
            "wrong_algorithm",
        ),
        (_google_token(aud="https://other.example/push"), InvalidSignature, "wrong_audience"),
        (
            _google_token(email="attacker@evil.iam.gserviceaccount.com"),
            InvalidSignature,
            "wrong_claim",
        ),
        (_google_token(email_verified=False), InvalidSignature, "wrong_claim"),
        (_google_token(iss="https://evil.example"), InvalidSignature, "wrong_issuer"),
        (_google_token(iat=NOW - 3601, exp=NOW + 100), TimestampOutOfTolerance, "too_old"),
        (_google_token(exp=NOW - 120), TimestampOutOfTolerance, "token_expired"),
        (_google_token(email=None), MalformedSignature, "missing_claim"),
        ("not.a-token", MalformedSignature, "bad_token"),
        ("a.b.c.d", MalformedSignature, "bad_token"),
    ],
    ids=[
        "alg-none",
        "hs256-over-rsa",
        "other-audience",
        "other-service-account",
        "email-unverified",
        "other-issuer",
        "replayed",
        "expired",
        "no-email",
        "garbage",
        "four-parts",
    ],
)
def test_hostile_tokens_are_refused_with_nothing_fetched(
    token: str, error: type[Exception], reason: str
) -> None:
    """alg none, HS256 over the RSA key, another audience, an old token: typed, no request sent."""
    recorder = Recorder({CERTS_URL: CERTS})
    with pytest.raises(error) as info:
        _verify(token, recorder)
    assert getattr(info.value, "reason", None) == reason
    assert recorder.calls == []


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


def test_authorization_must_be_a_bearer_token() -> None:
    """No header, another auth scheme, or a lower-case scheme word: refused."""
    verifier = Verifier(_scheme(), public_key=Recorder({CERTS_URL: CERTS}).source())
    with pytest.raises(MissingSignature):
        verifier.verify(BODY, {}, now=NOW)
    for value in (f"Basic {_google_token()}", f"bearer {_google_token()}", "Bearer"):
        with pytest.raises(MalformedSignature):
            verifier.verify(BODY, {"Authorization": value}, now=NOW)


def test_a_token_signed_by_another_key_is_refused() -> None:
    """Same kid, another key: the signature fails."""
    signer = crypt.RSASigner.from_string(OTHER_RSA_PEM, key_id=KID)
    token = google_jwt.encode(signer, _claims()).decode()
    with pytest.raises(InvalidSignature):
        _verify(token)


def test_the_audience_defaults_to_the_push_url() -> None:
    """Without audience=, the token's aud must be the URL Google called (its default)."""
    scheme = hooksig.schemes.configure("google-pubsub", email=EMAIL)
    verifier = Verifier(scheme, public_key={CERTS_URL: CERTS}, public_url="https://example.com")
    headers = {"Authorization": f"Bearer {_google_token()}"}
    assert verifier.verify(BODY, headers, path="/push", now=NOW).key_id == KID
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, headers, path="/other", now=NOW)


def test_the_service_account_is_required() -> None:
    """Anyone can point a push subscription at your URL: without email= no verifier is built."""
    with pytest.raises(ConfigurationError, match="email"):
        Verifier("google-pubsub")
    with pytest.raises(ConfigurationError):
        hooksig.schemes.configure("google-pubsub", nope=1)


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """A real HTTPS server standing in for www.googleapis.com."""
    with key_server() as running:
        yield running


def test_keys_rotate_over_https_with_a_rate_limited_refresh(server: KeyServer) -> None:
    """An unknown kid refetches the map once; a forged kid cannot make it refetch again at once."""
    server.routes["/oauth2/v1/certs"] = Route(dumps({"old": json.loads(CERTS)[KID]}))
    scheme = _scheme(keys_url=server.url("/oauth2/v1/certs"), key_rule=server.rule())
    verifier = Verifier(scheme, public_key=KeySource(fetch=server.fetch()))
    signer = crypt.RSASigner.from_string(RSA_PEM, key_id="old")
    old = google_jwt.encode(signer, _claims()).decode()
    assert verifier.verify(BODY, {"Authorization": f"Bearer {old}"}, now=NOW).key_id == "old"
    server.routes["/oauth2/v1/certs"] = Route(CERTS)  # Google rotated: "k1" now
    with pytest.raises(InvalidSignature):  # refreshed at most once a minute: not yet
        verifier.verify(BODY, {"Authorization": f"Bearer {_google_token()}"}, now=NOW)
    assert len(server.seen) == 1


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
