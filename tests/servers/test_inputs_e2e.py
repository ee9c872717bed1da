"""Inputs through every adapter on a real server: repeated headers, public_url, Twilio's port."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator

import httpx
import pytest
from twilio.request_validator import RequestValidator

import hooksig
from tests.integrations import input_apps as apps
from tests.servers.support import ALL_SERVERS, Server, serve

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

GITHUB = hooksig.Verifier("github", secret=apps.GITHUB_SECRET)
BODY = b'{"action": "opened", "number": 7}'


@pytest.fixture(scope="module", params=sorted(ALL_SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One real server per adapter: uvicorn for FastAPI and ASGI, gunicorn for the rest."""
    name = request.param
    tmp = tmp_path_factory.mktemp(f"inputs-{name}")
    with serve(name, {}, tmp, workers=1, module="tests.integrations.input_apps") as running:
        yield running


def post(server: Server, path: str, body: bytes, headers: list[tuple[str, str]]) -> httpx.Response:
    """POST *body* with *headers* in order, repeats kept as separate lines."""
    return httpx.post(f"{server.url}{path}", content=body, headers=headers, timeout=10)


def test_github_delivery_is_answered_with_its_id(server: Server) -> None:
    """The control: a genuine GitHub delivery reaches the handler with its id."""
    headers = list(GITHUB.sign(BODY, id="d-1").items())
    response = post(server, "/hooks/github", BODY, headers)
    assert (response.status_code, response.text) == (200, "id=d-1")


def test_repeated_id_header_is_no_id(server: Server) -> None:
    """Two X-GitHub-Delivery lines (ASGI sees two, gunicorn and Django 'd-1,other'): neither
    copy nor the joined value is the id; the unsigned header gives way to the body's digest."""
    headers = [*GITHUB.sign(BODY, id="d-1").items(), ("X-GitHub-Delivery", "other-id")]
    response = post(server, "/hooks/github", BODY, headers)
    expected = "id=body:" + hashlib.sha256(BODY).hexdigest()
    assert (response.status_code, response.text) == (200, expected)


def test_repeated_signature_header_is_refused(server: Server) -> None:
    """A second copy of the signature header, even identical, is refused by every adapter."""
    signed = GITHUB.sign(BODY, id="d-2")
    headers = [*signed.items(), ("X-Hub-Signature-256", signed["X-Hub-Signature-256"])]
    response = post(server, "/hooks/github", BODY, headers)
    assert response.status_code == 403, response.text


def test_empty_signature_header_is_refused(server: Server) -> None:
    """An empty signature header is refused like an absent one."""
    headers = [("X-Hub-Signature-256", ""), ("X-GitHub-Delivery", "d-3")]
    response = post(server, "/hooks/github", BODY, headers)
    assert response.status_code == 403, response.text


def test_square_with_its_full_notification_url(server: Server) -> None:
    """Square configured with the full notification URL verifies through the adapter."""
    body = b'{"event_id": "evt-square-1", "type": "payment.updated"}'
    mac = hmac.new(apps.SQUARE_SECRET.encode(), apps.SQUARE_URL.encode() + body, hashlib.sha256)
    headers = [("x-square-hmacsha256-signature", base64.b64encode(mac.digest()).decode())]
    response = post(server, "/hooks/square", body, headers)
    assert (response.status_code, response.text) == (200, "id=evt-square-1")


def test_trello_with_its_full_callback_url(server: Server) -> None:
    """Trello configured with the full callback URL verifies through the adapter."""
    body = b'{"action": {"id": "act-1", "type": "updateCard"}}'
    mac = hmac.new(apps.TRELLO_SECRET.encode(), body + apps.TRELLO_URL.encode(), hashlib.sha1)
    headers = [("X-Trello-Webhook", base64.b64encode(mac.digest()).decode())]
    response = post(server, "/hooks/trello", body, headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("signed_port", ["", ":8443"])
def test_twilio_on_port_8443_signed_with_or_without_it(server: Server, signed_port: str) -> None:
    """A Twilio callback on :8443 verifies whether Twilio signed the URL with the port or not."""
    params = {"MessageSid": "SM1", "From": "+14155550100", "Body": "caf\u00e9 & tea"}
    body = str(httpx.QueryParams(params)).encode()
    signed_url = f"https://example.com{signed_port}/hooks/twilio?x=1"
    signature = RequestValidator(apps.TWILIO_SECRET).compute_signature(signed_url, params)
    headers = [
        ("X-Twilio-Signature", signature),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ]
    response = post(server, "/hooks/twilio?x=1", body, headers)
    assert response.status_code == 200, response.text
