"""Google Pub/Sub against google-auth's tokens, both ways, and the hostile tokens made with it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt as pyjwt
import pytest
from google.auth import crypt
from google.auth import jwt as google_jwt

import hooksig
from hooksig import (
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.keysource import KeySource
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.fetching import OTHER_RSA_PEM, RSA_PEM, Recorder, certificate, dumps, private
from tests.schemes.test_google_pubsub import (
    AUDIENCE,
    BODY,
    CERTS,
    CERTS_URL,
    EMAIL,
    KID,
    NOW,
    _claims,
    _none_token,
    _scheme,
    _verify,
)


def _google_token(**changes: Any) -> str:
    """A token signed the way google-auth signs, with the test key."""
    signer = crypt.RSASigner.from_string(RSA_PEM, key_id=KID)
    return google_jwt.encode(signer, _claims(**changes)).decode("ascii")


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
