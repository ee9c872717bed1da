"""
End to end, issue #14: unsigned endpoint checks and fetched keys on real servers.

Every adapter (uvicorn: FastAPI and bare ASGI; gunicorn: WSGI, Flask, Django)
answers each provider's endpoint check before verification, under the
provider's rule only, without running the handler; refuses the checks that
break the rule; verifies Google Pub/Sub tokens whose keys it fetches from a
real HTTPS server on 127.0.0.1 (tests/keyserver.py); answers 503 when those
keys cannot be fetched; and, under the event loop, keeps serving other
requests while a fetch is in flight.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization

import hooksig
from tests.integrations.apps import (
    ASANA_HOOK_SECRET,
    BRAINTREE_KEY,
    GRID_SECRET,
    META_SECRET,
    META_VERIFY_TOKEN,
    OKTA_SECRET,
    PUBSUB_AUDIENCE,
    PUBSUB_EMAIL,
    X_SECRET,
)
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.fetching import RSA_PEM, certificate, private
from tests.servers.support import SERVERS, Server, serve

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

STANDARD_SECRET = "whsec_" + base64.b64encode(b"hooksig-e2e-secret-0123456789abc").decode()
KID = "e2e-key"
CERTS = json.dumps({KID: certificate(private(RSA_PEM), subject="google").decode()}).encode()
#: How long the slow key server holds a fetch: long enough that "at once" (STALL / 2) is
#: far above any scheduling delay, short of the fetch's 5 s timeout.
STALL = 3.0


@pytest.fixture(scope="module")
def keys() -> Iterator[KeyServer]:
    """The HTTPS key server standing in for Google's certificate address."""
    with key_server() as running:
        running.routes["/certs"] = Route(CERTS)
        running.routes["/down/certs"] = Route(b"unavailable", 500)
        running.routes["/slow/certs"] = Route(CERTS, stall=STALL)
        yield running


def _env(tmp: Path, keys: KeyServer) -> dict[str, str]:
    """A receiver's settings: its store and ledger in *tmp*, the key server's port and CA."""
    ca = keys.ca.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return {
        "HOOKSIG_E2E_SECRET": STANDARD_SECRET,
        "HOOKSIG_E2E_STORE": f"sqlite:{tmp / 'claims.db'}",
        "HOOKSIG_E2E_LEDGER": str(tmp / "ledger.txt"),
        "HOOKSIG_E2E_KEYS": f"{keys.port} {ca}",
    }


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, keys: KeyServer
) -> Iterator[Server]:
    """One real server per adapter, trusting the key server's test CA."""
    name = request.param
    tmp = tmp_path_factory.mktemp(f"challenges-{name}")
    with serve(name, _env(tmp, keys), tmp) as running:
        running.name = name  # type: ignore[attr-defined]
        running.ledger = tmp / "ledger.txt"  # type: ignore[attr-defined]
        yield running


def _runs(server: Server) -> int:
    """Handler runs so far on *server* (every test adds to the same ledger)."""
    path = server.ledger  # type: ignore[attr-defined]
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_meta_subscription_check(server: Server) -> None:
    """GET hub.challenge is echoed with the right verify token only; the handler never runs."""
    runs = _runs(server)
    url = f"{server.url}/hooks/meta"
    params = {"hub.mode": "subscribe", "hub.verify_token": META_VERIFY_TOKEN}
    answer = httpx.get(url, params={**params, "hub.challenge": "1158201444"})
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-content-type-options"] == "nosniff"
    wrong = {**params, "hub.verify_token": "guess", "hub.challenge": "1158201444"}
    assert httpx.get(url, params=wrong).status_code == 405
    assert httpx.get(url, params={"hub.challenge": "<script>"}).status_code == 405
    assert httpx.get(f"{server.url}/hooks/acme", params=params).status_code == 405
    assert _runs(server) == runs
    body = b'{"object":"page","entry":[]}'
    signed = hooksig.Verifier("meta", secret=META_SECRET).sign(body)
    delivery = httpx.post(url, content=body, headers=signed)
    assert (delivery.status_code, delivery.text) == (200, "handled")
    assert _runs(server) == runs + 1
    assert httpx.post(url, content=body).status_code == 403


def test_graph_validation_token(server: Server) -> None:
    """POST ?validationToken= with an empty body: the token back as text/plain, nosniff."""
    runs = _runs(server)
    url = f"{server.url}/hooks/graph"
    token = "Validation: Testing client application"
    answer = httpx.post(
        url, params={"validationToken": token}, headers={"Content-Type": "text/plain"}
    )
    assert (answer.status_code, answer.text) == (200, token)
    assert answer.headers["x-content-type-options"] == "nosniff"
    # With a body it is a notification: verified (and refused, unsigned).
    assert (
        httpx.post(url, params={"validationToken": token}, content=b'{"value":[]}').status_code
        == 403
    )
    assert httpx.get(url, params={"validationToken": token}).status_code == 405
    assert _runs(server) == runs


def test_event_grid_validation(server: Server) -> None:
    """The validation event and the CloudEvents OPTIONS, answered with the URL's secret only."""
    runs = _runs(server)
    url = f"{server.url}/hooks/grid"
    event = [
        {
            "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
            "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
            "data": {"validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"},
        }
    ]
    headers = {"aeg-event-type": "SubscriptionValidation", "Content-Type": "application/json"}
    body = json.dumps(event).encode()
    answer = httpx.post(url, params={"code": GRID_SECRET}, content=body, headers=headers)
    assert answer.status_code == 200
    assert answer.json() == {"validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}
    assert (
        httpx.post(url, params={"code": "guess"}, content=body, headers=headers).status_code == 403
    )
    assert httpx.post(url, content=body, headers=headers).status_code == 403
    origin = {"WebHook-Request-Origin": "eventgrid.azure.net"}
    allowed = httpx.options(url, params={"code": GRID_SECRET}, headers=origin)
    assert allowed.status_code == 200
    assert allowed.headers["webhook-allowed-origin"] == "eventgrid.azure.net"
    assert httpx.options(url, params={"code": "guess"}, headers=origin).status_code == 405
    assert _runs(server) == runs
    events = b'[{"id":"e-1","eventType":"Microsoft.Storage.BlobCreated","data":{}}]'
    delivered = httpx.post(url, params={"code": GRID_SECRET}, content=events)
    assert (delivered.status_code, delivered.text) == (200, "handled")
    assert _runs(server) == runs + 1


def test_asana_hook_secret(server: Server) -> None:
    """X-Hook-Secret is echoed when the application accepts it; any other is refused."""
    runs = _runs(server)
    url = f"{server.url}/hooks/asana"
    answer = httpx.post(url, headers={"X-Hook-Secret": ASANA_HOOK_SECRET})
    assert answer.status_code == 200
    assert answer.headers["x-hook-secret"] == ASANA_HOOK_SECRET
    refused = httpx.post(url, headers={"X-Hook-Secret": "someone-elses-secret"})
    assert refused.status_code == 403
    assert "x-hook-secret" not in refused.headers
    assert _runs(server) == runs


def test_x_crc(server: Server) -> None:
    """GET crc_token: the HMAC-SHA256 of the token under the consumer secret, as JSON."""
    runs = _runs(server)
    answer = httpx.get(f"{server.url}/hooks/x", params={"crc_token": "challenge-token-e2e"})
    digest = hmac.digest(X_SECRET.encode(), b"challenge-token-e2e", "sha256")
    assert answer.status_code == 200
    assert answer.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}
    assert httpx.get(f"{server.url}/hooks/x").status_code == 405
    assert _runs(server) == runs


def test_okta_verification_request(server: Server) -> None:
    """Okta's one-time GET: echoed as JSON when Authorization carries the secret; 405 otherwise."""
    runs = _runs(server)
    url = f"{server.url}/hooks/okta"
    check = {"X-Okta-Verification-Challenge": "okta-chal-9c2f"}
    answer = httpx.get(url, headers={**check, "Authorization": OKTA_SECRET})
    assert answer.status_code == 200
    assert answer.json() == {"verification": "okta-chal-9c2f"}
    assert answer.headers["content-type"] == "application/json"
    assert httpx.get(url, headers={**check, "Authorization": "guess"}).status_code == 405
    assert httpx.get(url, headers=check).status_code == 405
    assert httpx.get(url, headers={"Authorization": OKTA_SECRET}).status_code == 405
    assert _runs(server) == runs
    body = b'{"eventId":"okta-e2e-1","eventType":"com.okta.event_hook","data":{}}'
    event = httpx.post(url, content=body, headers={"Authorization": OKTA_SECRET})
    assert (event.status_code, event.text) == (200, "handled")
    assert _runs(server) == runs + 1
    assert httpx.post(url, content=body, headers={"Authorization": "guess"}).status_code == 403


def test_braintree_challenge(server: Server) -> None:
    """GET bt_challenge: ``public key|HMAC-SHA1(SHA1(private key), challenge)``."""
    runs = _runs(server)
    challenge = "20f9f8ed05f77439fe955c977e4c8a53"
    answer = httpx.get(f"{server.url}/hooks/braintree", params={"bt_challenge": challenge})
    key = hashlib.sha1(str(BRAINTREE_KEY.value).encode()).digest()  # noqa: S324 - Braintree's
    expected = hmac.new(key, challenge.encode(), "sha1").hexdigest()
    assert (answer.status_code, answer.text) == (200, f"braintree-public|{expected}")
    bad = httpx.get(f"{server.url}/hooks/braintree", params={"bt_challenge": "not-hex!"})
    assert bad.status_code == 405
    assert _runs(server) == runs


def _token(now: float, **changes: Any) -> str:
    claims = {
        "aud": PUBSUB_AUDIENCE,
        "email": PUBSUB_EMAIL,
        "email_verified": True,
        "iat": int(now),
        "exp": int(now) + 3600,
        "iss": "https://accounts.google.com",
        "sub": "1",
        **changes,
    }
    return pyjwt.encode(claims, RSA_PEM, algorithm="RS256", headers={"kid": KID})


def _push(server: Server, route: str, token: str) -> httpx.Response:
    body = {"message": {"data": "aGk=", "messageId": uuid.uuid4().hex}, "subscription": "s"}
    return httpx.post(
        f"{server.url}{route}",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _fetches(keys: KeyServer, path: str) -> int:
    return sum(1 for seen in keys.seen if seen.path == path)


def test_fetched_keys_verify(server: Server, keys: KeyServer) -> None:
    """A Pub/Sub token verifies with keys fetched over HTTPS, once per worker (then cached)."""
    before = _fetches(keys, "/certs")
    for _ in range(4):
        answer = _push(server, "/hooks/pubsub", _token(time.time()))
        assert (answer.status_code, answer.text) == (200, "handled")
    assert 1 <= _fetches(keys, "/certs") - before <= 2  # two workers under gunicorn
    other = _push(server, "/hooks/pubsub", _token(time.time(), aud="https://other.example/"))
    assert other.status_code == 403


def test_keys_that_cannot_be_fetched_are_503(server: Server, keys: KeyServer) -> None:
    """The key server failing is 'unavailable' (503, Retry-After): the provider retries later."""
    answer = _push(server, "/hooks/pubsub-down", _token(time.time()))
    assert (answer.status_code, answer.text) == (503, "temporarily unavailable, retry later")
    assert answer.headers["retry-after"] == "30"


def test_hostile_tokens_fetch_nothing(server: Server, keys: KeyServer) -> None:
    """A stale token, another audience, alg none: 403, and no request reaches the key server."""
    before = len(keys.seen)
    stale = _token(time.time() - 7200)
    other = _token(time.time(), aud="https://other.example/")
    none = pyjwt.encode({"aud": PUBSUB_AUDIENCE}, None, algorithm="none")
    for token in (stale, other, none):
        assert _push(server, "/hooks/pubsub-slow", token).status_code == 403
    assert len(keys.seen) == before


@pytest.mark.parametrize("name", [n for n in sorted(SERVERS) if SERVERS[n][0] == "uvicorn"])
def test_a_fetch_never_blocks_the_event_loop(name: str, keys: KeyServer, tmp_path: Any) -> None:
    """While one delivery waits STALL s for its keys, another is answered at once (one loop)."""
    with serve(name, _env(tmp_path, keys), tmp_path) as server:
        before = _fetches(keys, "/slow/certs")
        slow: list[httpx.Response] = []
        waiting = threading.Thread(
            target=lambda: slow.append(_push(server, "/hooks/pubsub-slow", _token(time.time())))
        )
        waiting.start()
        deadline = time.monotonic() + 10
        while _fetches(keys, "/slow/certs") == before and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        body = b'{"type":"ping"}'
        signer = hooksig.Verifier("standard-webhooks", secret=STANDARD_SECRET)
        quick = httpx.post(
            f"{server.url}/hooks/acme", content=body, headers=signer.sign(body, id="msg_loop")
        )
        elapsed = time.monotonic() - started
        assert (quick.status_code, quick.text) == (200, "handled")
        assert elapsed < STALL / 2
        assert waiting.is_alive()  # the slow delivery is still waiting for its keys
        waiting.join(10)
        assert len(slow) == 1
        assert (slow[0].status_code, slow[0].text) == (200, "handled")
