"""
hooksig.scheme.JwtScheme: its settings, key loading, key documents and lifetime checks.

The providers' tests (tests/schemes/test_google_pubsub.py, test_plaid.py,
test_vonage.py, test_apple_app_store.py, test_microsoft_graph.py) verify
real and hostile tokens end to end; these cover the declaration itself.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import time
from typing import Any

import jwt as pyjwt
import pytest

import hooksig
from hooksig import (
    ConfigurationError,
    Delivery,
    KeyRing,
    MalformedSignature,
    ParsedSignature,
    Request,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.keys import Key
from hooksig.keysource import KeySource, UrlRule
from hooksig.scheme import BodyDigest, BodyField, FirstOf, JwtScheme
from hooksig.scheme.jwt import ParsedToken, TokenClaim
from tests.schemes.fetching import P256_PEM, RSA_PEM, Recorder, certificate, dumps, private

KEYS_URL = "https://keys.example/jwks"
NOW = 1_700_000_000


def _scheme(**changes: Any) -> JwtScheme:
    settings: dict[str, Any] = {"name": "toy", "algorithm": "RS256", "keys_url": KEYS_URL}
    return JwtScheme(**{**settings, **changes})


def _b64(document: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def _request(token: str, body: bytes = b"{}", header: str = "Authorization") -> Request:
    return Request(body, hooksig.Headers({header: f"Bearer {token}"}), None, "POST", None, NOW)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"algorithm": "RS512"}, "RS256, ES256 or HS256"),
        ({"algorithm": "HS256"}, "only HS256 takes key_mode='secret'"),
        ({"key_mode": "secret"}, "only HS256 takes key_mode='secret'"),
        ({"keys_url": ""}, "needs keys_url"),
    ],
)
def test_declarations_are_checked(changes: dict[str, Any], message: str) -> None:
    """An algorithm or key mode the scheme cannot honour is refused when declared."""
    with pytest.raises(ConfigurationError, match=message):
        _scheme(**changes)


def test_the_page_texts_say_what_the_token_binds() -> None:
    """The algorithm, content and id texts of the generated provider pages."""
    assert _scheme().algorithm_text == "JWT RS256 under the provider's keys, fetched by key id"
    secret = _scheme(algorithm="HS256", key_mode="secret", keys_url="")
    assert secret.algorithm_text == "JWT HS256 under a shared secret"
    x5c = _scheme(algorithm="ES256", key_mode="x5c", keys_url="")
    assert x5c.algorithm_text == "JWT ES256 under its x5c chain's leaf"
    assert _scheme().content_text == "the token's claims (not the body)"
    assert _scheme(token_field="signedPayload").content_text == (
        "the token's claims (the notification itself)"
    )
    assert "`payload_hash`" in _scheme(body_hash_claim="payload_hash").content_text
    assert _scheme().info.id_source == BodyDigest()
    assert _scheme(id_claim="jti").info.id_source.describe() == (
        "claim `jti` of the token in `Authorization`, else SHA-256 of the body"
    )
    assert _scheme(id_field="message.messageId").info.id_source == FirstOf(
        BodyField("message.messageId"), BodyDigest()
    )


def test_keys_of_the_wrong_kind_are_refused() -> None:
    """A shared-secret scheme takes no public key; keys must be text or bytes; roots are needed."""
    with pytest.raises(ConfigurationError, match="uses a shared secret"):
        Verifier("vonage", secret="s" * 32, public_key="a key")
    with pytest.raises(ConfigurationError, match="PEM text or bytes"):
        _scheme().load_keys((), signing_key=12345)
    with pytest.raises(ConfigurationError, match="KeySource"):
        _scheme().load_keys((), public_key=12345)
    apple = dataclasses.replace(hooksig.schemes.get("apple-app-store"), roots=(), identity=())
    with pytest.raises(ConfigurationError, match="needs a root certificate"):
        apple.load_keys(())


def _reader(**changes: Any) -> Any:
    return _scheme(**changes)._reader()


def test_key_documents_keep_only_usable_keys() -> None:
    """Unusable entries are skipped; a document that is no key set at all is unreadable."""
    public = pyjwt.PyJWK.from_dict(
        {
            **json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(private(RSA_PEM).public_key())),
            "kid": "k",
        }
    )
    jwk = {**json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(public.key)), "kid": "k"}
    document = dumps({"keys": ["not an object", {"no": "kid"}, {"kid": "bad", "kty": "EC"}, jwk]})
    assert list(_reader()(document)) == ["k"]
    for junk in (b"not json", b"[]", dumps({"keys": "no list"})):
        with pytest.raises(ValueError, match="not a key document"):
            _reader()(junk)
    pem = certificate(private(RSA_PEM)).decode()
    assert list(_reader(key_mode="x509-map")(dumps({"a": pem, "b": 7}))) == ["a"]


def test_a_token_whose_header_is_not_an_object_is_malformed() -> None:
    """A header that is JSON but not an object: MalformedSignature, reason bad_token."""
    token = f"{_b64([1, 2])}.{_b64({'iat': NOW})}.c2ln"
    with pytest.raises(MalformedSignature) as info:
        _scheme().parse(_request(token))
    assert info.value.reason == "bad_token"


def test_an_id_claim_must_be_text() -> None:
    """Vonage's jti as a number is a malformed token, found before any key is used."""
    body = b'{"status": "delivered"}'
    claims = {"iat": NOW, "jti": 12345, "payload_hash": hashlib.sha256(body).hexdigest()}
    token = pyjwt.encode(claims, "s" * 32, algorithm="HS256")
    with pytest.raises(MalformedSignature) as info:
        hooksig.schemes.get("vonage").parse(_request(token, body))
    assert info.value.reason == "bad_claim"


def test_lifetime_is_judged_at_the_verifiers_time() -> None:
    """nbf in the future (beyond the leeway) is refused; a foreign ParsedSignature is ignored."""
    scheme = _scheme()
    early = ParsedToken((), header="Authorization", claims=({"nbf": NOW + 600},))
    with pytest.raises(TimestampOutOfTolerance) as info:
        scheme.check_lifetime(early, NOW)
    assert info.value.reason == "token_not_yet_valid"
    scheme.check_lifetime(early, None)  # no time given: nothing to judge
    foreign = ParsedSignature((("", b"x"),))
    scheme.check_lifetime(foreign, NOW)
    keys = KeyRing((), None)
    request = Request(b"", hooksig.Headers(), None, "POST", None, NOW)
    assert scheme.resolve_keys(foreign, request, keys) is keys
    assert asyncio.run(scheme.resolve_keys_async(foreign, request, keys)) is keys
    assert scheme.signed_contents(foreign, request) == ((b"",),)
    assert scheme.match(keys, b"", foreign) is None


def _pubsub(public_key: object) -> Verifier:
    scheme = hooksig.schemes.configure(
        "google-pubsub", email="push@example.iam.gserviceaccount.com", audience="https://a.example/"
    )
    return Verifier(scheme, public_key=public_key)


def _pubsub_token(kid: str | None) -> str:
    claims = {
        "aud": "https://a.example/",
        "email": "push@example.iam.gserviceaccount.com",
        "email_verified": True,
        "iat": NOW,
        "exp": NOW + 3600,
        "iss": "https://accounts.google.com",
    }
    headers = {"kid": kid} if kid else {}
    return pyjwt.encode(claims, RSA_PEM, algorithm="RS256", headers=headers)


CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
CERTS = dumps({"k1": certificate(private(RSA_PEM), subject="google").decode()})


def test_verify_async_fetches_the_key_set_by_awaiting() -> None:
    """An async fetch serves Google's certificate map; a token without kid tries every key."""
    calls: list[str] = []

    async def fetch_async(request: Any) -> bytes:
        calls.append(request.url)
        return CERTS

    verifier = _pubsub(KeySource(fetch=None, fetch_async=fetch_async))
    headers = {"Authorization": f"Bearer {_pubsub_token(None)}"}
    delivery = asyncio.run(verifier.verify_async(b"{}", headers, now=NOW))
    assert delivery.key_id == "k1"
    assert calls == [CERTS_URL]
    synced = _pubsub(Recorder({CERTS_URL: CERTS}).source())
    assert synced.verify(b"{}", headers, now=NOW).key_id == "k1"


def test_a_token_naming_its_key_is_checked_by_that_key_alone() -> None:
    """A ring with a secret and two keys that could verify: a token with kid k1 is k1's."""
    public = private(RSA_PEM).public_key()
    ring = KeyRing(
        (Key("s", "secret", b"x"), Key("k0", "jwt", public), Key("k1", "jwt", public)), None
    )
    parsed = ParsedToken((), header="Authorization", tokens=(_pubsub_token("k1"),), kids=("k1",))
    scheme = hooksig.schemes.configure(
        "google-pubsub", email="push@example.iam.gserviceaccount.com", audience="https://a.example/"
    )
    assert scheme.match(ring, b"", parsed) == "k1"


def test_test_keys_resolve_to_themselves_asynchronously() -> None:
    """A verifier built with signing_key= has no key source: its own public half verifies."""
    verifier = Verifier(
        hooksig.schemes.configure("google-pubsub", email="push@example.iam.gserviceaccount.com"),
        signing_key=RSA_PEM,
        public_url="https://a.example/",
    )
    headers = verifier.sign(b"{}", timestamp=NOW)
    delivery = asyncio.run(verifier.verify_async(b"{}", headers, now=NOW, url="https://a.example/"))
    assert delivery.key_id == "hooksig-test"


def test_a_key_api_token_must_name_its_key() -> None:
    """Plaid's key API is asked by key id: a token without one is malformed, nothing is sent."""
    recorder = Recorder()
    scheme = hooksig.schemes.configure("plaid", credentials={"client_id": "client-1"})
    verifier = Verifier(
        scheme, secret="plaid-secret-0123456789abcdef", public_key=recorder.source()
    )
    body = b"{}"
    claims = {"iat": int(time.time()), "request_body_sha256": hashlib.sha256(body).hexdigest()}
    token = pyjwt.encode(claims, P256_PEM, algorithm="ES256")
    with pytest.raises(MalformedSignature) as info:
        verifier.verify(body, {"Plaid-Verification": token})
    assert info.value.reason == "bad_token"
    assert recorder.calls == []


def test_signing_needs_a_key_and_tolerates_any_body() -> None:
    """sign() without a signing key is a ConfigurationError; Apple's signs any body."""
    request = Request(b"{}", hooksig.Headers(), None, "POST", None)
    with pytest.raises(ConfigurationError, match="signing needs"):
        _scheme().sign(KeyRing((), None), request, timestamp=NOW, id=None)
    apple = Verifier("apple-app-store", signing_key=P256_PEM)
    for body in (b"not json", b"[1, 2]"):
        signed, headers = apple.signed_request(body, timestamp=NOW)
        assert headers == {}
        assert set(json.loads(signed)) == {"signedPayload"}


def test_the_default_rule_is_the_key_address() -> None:
    """Without key_rule, keys come from keys_url's host and path exactly."""
    rule = _scheme().rule
    assert rule == UrlRule(host=r"keys\.example", path="/jwks")


def test_a_token_claim_reads_the_verified_token() -> None:
    """TokenClaim reads a claim from a header or body token; anything unreadable gives None."""
    payload = base64.urlsafe_b64encode(json.dumps({"jti": "id-1", "n": 5}).encode()).rstrip(b"=")
    token = f"e30.{payload.decode()}.sig"
    in_header = TokenClaim("jti")
    assert in_header(Delivery("x", None, None, "0", b"", {"Authorization": f"Bearer {token}"})) == (
        "id-1"
    )
    in_body = TokenClaim("jti", field="signedPayload")
    body = json.dumps({"signedPayload": token}).encode()
    assert in_body(Delivery("x", None, None, "0", body, {})) == "id-1"
    assert TokenClaim("n", field="signedPayload")(Delivery("x", None, None, "0", body, {})) is None
    for broken in (b"not json", b'{"signedPayload": "no-dots"}'):
        assert in_body(Delivery("x", None, None, "0", broken, {})) is None
    assert in_header.describe() == "claim `jti` of the token in `Authorization`"
    assert in_body.describe() == "claim `jti` of the token in body field `signedPayload`"


def test_a_missing_id_claim_leaves_the_id_to_the_fallback() -> None:
    """No id claim in the token: no parse-time id, so the declared fallback gives it."""
    request = Request(b"{}", hooksig.Headers(), None, "POST", None, NOW)
    assert _scheme(id_claim="jti")._id({}, request, "Authorization") is None
    plain = TokenClaim("jti", header="X-Token", bearer=False)
    payload = base64.urlsafe_b64encode(json.dumps({"jti": "id-2"}).encode()).rstrip(b"=")
    headers = {"X-Token": f"e30.{payload.decode()}.sig"}
    assert plain(Delivery("x", None, None, "0", b"", headers)) == "id-2"


@pytest.mark.parametrize(
    "body",
    [b'{"message": {"messageId": "a\\u0000b"}}', b"not json"],
    ids=["not-an-id", "not-json"],
)
def test_a_body_without_a_usable_id_falls_back_to_its_digest(body: bytes) -> None:
    """The body's id field is an unsigned convenience: no usable id, and the digest keys it."""
    secret_mode = {"algorithm": "HS256", "key_mode": "secret", "keys_url": ""}
    scheme = _scheme(**secret_mode, id_field="message.messageId")
    verifier = Verifier(scheme, secret="s" * 32, clock=lambda: NOW)
    delivery = verifier.verify(body, verifier.sign(body))
    assert delivery.id == "body:" + hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize(
    "header",
    [
        "e!JhbGciOiJIUzI1NiJ9",  # a character outside base64url
        "eyJhbGciOiJIUzI1NiJ9A",  # a length no base64 text has
        "e31",  # "{}" with a spare bit set: not the canonical text ("e30")
        "bm90IGpzb24",  # base64url of "not json"
    ],
    ids=["alphabet", "length", "spare-bits", "not-json"],
)
def test_a_token_segment_that_is_not_canonical_json_is_malformed(header: str) -> None:
    """Each segment is strict base64url of a JSON object, or the token is malformed."""
    verifier = Verifier("vonage", secret="s" * 32)
    token = f"{header}.{_b64({'iat': NOW})}.c2ln"
    with pytest.raises(MalformedSignature) as refused:
        verifier.verify(b"{}", {"Authorization": f"Bearer {token}"}, now=NOW)
    assert refused.value.reason == "bad_token"
