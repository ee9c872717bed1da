"""
Microsoft Graph: clientState on every item, every validation token (keys over real HTTPS),
and the validationToken check.

The notification below has the shape of Graph's documented example
(microsoftgraph/microsoft-graph-docs-contrib@01c641a
``concepts/change-notifications-delivery-webhooks.md``); Graph signs nothing
in it beyond the clientState you chose.  Tokens are made here with a test
key, in the form the rich-notification page documents (@063894f).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt as pyjwt
import pytest

from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    Verifier,
    schemes,
)
from hooksig.keysource import KeySource
from hooksig.scheme.challenge import validation_token
from hooksig.schemes import microsoft_graph
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.fetching import OTHER_RSA_PEM, RSA_PEM, Recorder, dumps, private

CLIENT_STATE = "secretClientValue"
TENANT = "84bd8158-6d4d-4958-8b9f-9d6445542f95"
APP_ID = "11111111-2222-4333-8444-555555555555"
NOW = 1_700_000_000


def _item(**changes: Any) -> dict[str, Any]:
    item = {
        "id": "lsgTZMr9KwAAA",
        "subscriptionId": "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
        "subscriptionExpirationDateTime": "2023-11-20T18:23:45.935Z",
        "clientState": CLIENT_STATE,
        "changeType": "created",
        "resource": "Users/{user-id}/Messages/{message-id}",
        "tenantId": TENANT,
        "resourceData": {"@odata.type": "#Microsoft.Graph.Message", "id": "message-id"},
    }
    item.update(changes)
    return item


def _jwk(pem: str, kid: str) -> dict[str, Any]:
    jwk = json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(private(pem).public_key()))
    return {**jwk, "kid": kid, "use": "sig"}


def _token(pem: str = RSA_PEM, kid: str = "graph-key", **claims: Any) -> str:
    payload = {
        "aud": APP_ID,
        "iss": f"https://sts.windows.net/{TENANT}/",
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 3600,
        "appid": microsoft_graph.GRAPH_APP_ID,
        "appidacr": "2",
        "tid": TENANT,
        "ver": "1.0",
        **claims,
    }
    return pyjwt.encode(payload, pem, algorithm="RS256", headers={"kid": kid})


KEYS = dumps({"keys": [_jwk(RSA_PEM, "graph-key")]})


def _rich(*tokens: str, items: list[dict[str, Any]] | None = None) -> bytes:
    return dumps({"value": items or [_item()], "validationTokens": list(tokens)})


def _verifier(recorder: Recorder | None = None, **settings: Any) -> Verifier:
    settings.setdefault("app_ids", (APP_ID,))
    source = (recorder or Recorder({microsoft_graph.KEYS_URL: KEYS})).source()
    return Verifier(
        schemes.configure("microsoft-graph", **settings), secret=CLIENT_STATE, public_key=source
    )


def test_a_basic_notification_verifies_by_its_client_state() -> None:
    """Every item carries the clientState: the batch verifies as key 0."""
    body = dumps({"value": [_item(), _item(id="second")]})
    assert Verifier("microsoft-graph", secret=CLIENT_STATE).verify(body, {}).key_id == "0"


def test_one_item_with_another_client_state_fails_the_batch() -> None:
    """A POST may batch several subscriptions: every item must carry a configured secret."""
    body = dumps({"value": [_item(), _item(clientState="forged")]})
    with pytest.raises(InvalidSignature):
        Verifier("microsoft-graph", secret=CLIENT_STATE).verify(body, {})
    two = Verifier("microsoft-graph", secrets=[CLIENT_STATE, "forged-but-configured"])
    assert two.verify(dumps({"value": [_item(), _item(clientState="forged-but-configured")]}), {})


def test_rich_notifications_verify_every_token() -> None:
    """With app_ids, each validation token is verified under Microsoft's keys, fetched once."""
    recorder = Recorder({microsoft_graph.KEYS_URL: KEYS})
    verifier = _verifier(recorder)
    assert verifier.verify(_rich(_token()), {}, now=NOW).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(_rich(_token(), _token(OTHER_RSA_PEM)), {}, now=NOW)
    assert len(recorder.calls) == 1


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (_token(appid="00000000-0000-0000-0000-000000000000"), InvalidSignature),
        (_token(aud="another-app"), InvalidSignature),
        (_token(tid="other-tenant", iss="https://sts.windows.net/other-tenant/"), InvalidSignature),
        (_token(iss="https://evil.example/"), InvalidSignature),
        (_token(exp=NOW - 3600), TimestampOutOfTolerance),
        (pyjwt.encode({"aud": APP_ID}, "k" * 32, algorithm="HS256"), MalformedSignature),
    ],
    ids=["not-graph", "other-audience", "other-tenant", "other-issuer", "expired", "hs256"],
)
def test_hostile_tokens_fetch_nothing(token: str, error: type[Exception]) -> None:
    """Not Graph's app, not your app, another tenant, expired, HS256: refused, no request sent."""
    recorder = Recorder({microsoft_graph.KEYS_URL: KEYS})
    with pytest.raises(error):
        _verifier(recorder).verify(_rich(token), {}, now=NOW)
    assert recorder.calls == []


def test_tokens_without_app_ids_are_refused() -> None:
    """A rich notification cannot be checked without your app ids: refused, not half-verified."""
    with pytest.raises(MalformedSignature) as info:
        Verifier("microsoft-graph", secret=CLIENT_STATE).verify(_rich(_token()), {}, now=NOW)
    assert info.value.reason == "unverifiable_tokens"
    with pytest.raises(ConfigurationError):
        Verifier("microsoft-graph", secret=CLIENT_STATE, public_key=KeySource())


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"value": []}', MalformedSignature),
        (b'{"value": [1]}', MalformedSignature),
        (dumps({"value": [{"subscriptionId": "x"}]}), MissingSignature),
        (dumps({"value": [_item()], "validationTokens": "x"}), MalformedSignature),
    ],
    ids=["empty", "not-an-object", "no-client-state", "tokens-not-a-list"],
)
def test_malformed_batches(body: bytes, error: type[Exception]) -> None:
    """Malformed batches are typed errors."""
    with pytest.raises(error):
        Verifier("microsoft-graph", secret=CLIENT_STATE).verify(body, {})


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """A real HTTPS server standing in for login.microsoftonline.com."""
    with key_server() as running:
        yield running


def test_keys_are_fetched_over_https(server: KeyServer) -> None:
    """The JWKS at the (test) fixed address, over TLS: rich notifications verify."""
    server.routes["/common/discovery/keys"] = Route(KEYS)
    tokens = schemes.get("microsoft-graph").tokens
    from dataclasses import replace

    moved = replace(tokens, keys_url=server.url("/common/discovery/keys"), key_rule=server.rule())
    scheme = schemes.configure("microsoft-graph", app_ids=(APP_ID,), tokens=moved)
    verifier = Verifier(scheme, secret=CLIENT_STATE, public_key=KeySource(fetch=server.fetch()))
    assert verifier.verify(_rich(_token()), {}, now=NOW).key_id == "0"


def test_the_validation_token_is_echoed_on_an_empty_post_only() -> None:
    """Graph's subscription check: POST ?validationToken=..., answered as text/plain."""
    scheme = schemes.configure("microsoft-graph", challenge=validation_token())
    verifier = Verifier(scheme, secret=CLIENT_STATE)
    path = "/hooks/graph?validationToken=Validation%3A%20Testing%20client%20application"
    answer = verifier.challenge(b"", {"Content-Type": "text/plain"}, method="POST", path=path)
    assert answer is not None
    assert answer.body == b"Validation: Testing client application"
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert verifier.challenge(b'{"value": []}', {}, method="POST", path=path) is None
    assert verifier.challenge(b"", {}, method="GET", path=path) is None
    assert (
        Verifier("microsoft-graph", secret=CLIENT_STATE).challenge(
            b"", {}, method="POST", path=path
        )
        is None
    )
    assert verifier.challenge(b"", {}, method="POST", path=path + "&validationToken=2") is None
    assert verifier.challenge(b"x" * 70_000, {}, method="POST", path=path) is None


def test_signing_writes_the_client_state_in_every_item() -> None:
    """sign() (tests) sets each item's clientState; the rest of the body is Graph's, unsigned."""
    verifier = Verifier("microsoft-graph", secret=CLIENT_STATE)
    signed, _ = verifier.signed_request(
        dumps({"value": [_item(clientState="x"), _item(clientState="y")]})
    )
    assert [item["clientState"] for item in json.loads(signed)["value"]] == [CLIENT_STATE] * 2
    wrapped = json.loads(verifier.signed_request(b"not json")[0])
    assert wrapped["value"][0]["clientState"] == CLIENT_STATE
    assert time.time() > 0


def test_rich_notifications_verify_asynchronously() -> None:
    """verify_async awaits the key set; a basic batch (no tokens) needs no keys at all."""
    import asyncio

    recorder = Recorder({microsoft_graph.KEYS_URL: KEYS})
    scheme = schemes.configure("microsoft-graph", app_ids=(APP_ID,))
    verifier = Verifier(scheme, secret=CLIENT_STATE, public_key=recorder.source())
    delivery = asyncio.run(verifier.verify_async(_rich(_token()), {}, now=NOW))
    assert delivery.key_id == "0"
    basic = dumps({"value": [{"clientState": CLIENT_STATE, "resource": "r"}]})
    assert asyncio.run(verifier.verify_async(basic, {}, now=NOW)).key_id == "0"
    assert len(recorder.calls) == 1


def test_test_tokens_and_signing_need_their_keys() -> None:
    """signing_key= signs rich notifications for tests; sign() needs the clientState secret."""
    from hooksig import KeyRing, Request
    from hooksig._primitives.headers import Headers

    scheme = schemes.configure("microsoft-graph", app_ids=(APP_ID,))
    with pytest.raises(ConfigurationError):
        scheme.sign(KeyRing((), None), Request(b"{}", Headers()), timestamp=NOW, id=None)
    keys = scheme.load_keys([CLIENT_STATE], signing_key=RSA_PEM)
    assert any(key.kind == "jwt" for key in keys.verify_keys)
