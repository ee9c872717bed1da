"""The generic ASGI middleware, through Starlette's test client and raw ASGI calls."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency
from hooksig.integrations import Endpoint, Outcomes
from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

from ._testclient import TestClient
from .conftest import BODY, LIMIT, Calls, Kit, assert_clean_logs, held, reasons


def make_app(calls: Calls, *, fail_first: bool = False) -> Starlette:
    """A Starlette app whose webhook route reads the delivery from the scope state."""

    async def acme(request: Request) -> Response:
        calls.deliveries.append(request.scope["state"][DELIVERY_KEY])
        body = await request.body()
        calls.seen["body"] = body
        calls.seen["form"] = parse_qs(body.decode())
        if fail_first and len(calls) == 1:
            raise RuntimeError("handler failed")
        return PlainTextResponse("handled")

    async def other(request: Request) -> Response:
        return PlainTextResponse("not a webhook")

    return Starlette(routes=[Route("/hooks/acme", acme, methods=["POST"]), Route("/other", other)])


def wrap(kit: Kit, calls: Calls, guard: Idempotency | None, **options: Any) -> WebhookMiddleware:
    """The middleware over make_app, routing /hooks/acme and /hooks/slack."""
    fail_first = options.pop("fail_first", False)
    routes = {"/hooks/acme": kit.verifier, "/hooks/slack": Endpoint(kit.slack)}
    return WebhookMiddleware(
        make_app(calls, fail_first=fail_first), routes, idempotency=guard, **options
    )


@pytest.fixture
def client(kit: Kit, calls: Calls, guard: Idempotency) -> TestClient:
    """A Starlette test client of the wrapped app, guarded by a MemoryStore."""
    return TestClient(wrap(kit, calls, guard))


async def raw_call(
    app: Any, receive: Any, headers: list[tuple[bytes, bytes]]
) -> list[dict[str, Any]]:
    """Call *app* with a custom receive; return the messages it sent."""
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/hooks/acme", "headers": headers}
    await app(scope, receive, send)
    return sent


def byte_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Raw ASGI headers from a dict."""
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


def test_valid_delivery_reaches_the_app_with_the_body_replayed(
    client: TestClient, kit: Kit, calls: Calls
) -> None:
    """The app reads the delivery from scope state and the exact body from receive."""
    response = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert (response.status_code, response.text) == (200, "handled")
    assert calls.deliveries[0].id == "msg_1"
    assert calls.seen["body"] == BODY


def test_forged_delivery_is_403(
    client: TestClient, kit: Kit, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong signature is answered 403 'forbidden' and never reaches the app."""
    response = client.post("/hooks/acme", content=BODY, headers=kit.forged())
    assert (response.status_code, response.content) == (403, b"forbidden")
    assert len(calls) == 0
    assert reasons(caplog) == ["no_match"]
    assert_clean_logs(caplog)


def test_stale_delivery_is_403(client: TestClient, kit: Kit, calls: Calls) -> None:
    """An authentic but stale delivery is refused."""
    assert client.post("/hooks/acme", content=BODY, headers=kit.stale()).status_code == 403
    assert len(calls) == 0


def test_declared_oversized_body_is_413_unread(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """A Content-Length over the limit is refused before the first receive."""

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    headers = byte_headers({**kit.signed(), "content-length": str(LIMIT * 10)})
    sent = asyncio.run(raw_call(wrap(kit, calls, guard), receive, headers))
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert len(calls) == 0


def test_streamed_oversized_body_stops_at_the_limit(
    kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """A body with no length is received only until it crosses the limit."""
    received = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    sent = asyncio.run(raw_call(wrap(kit, calls, guard), receive, byte_headers(kit.signed())))
    assert sent[0]["status"] == 413
    assert received == LIMIT // 1000 + 1


def test_stalled_client_times_out_with_408(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """A client that stops sending mid-body is answered 408 after the read timeout."""
    chunks = [{"type": "http.request", "body": b"{", "more_body": True}]

    async def receive() -> dict[str, Any]:
        if chunks:
            return chunks.pop()
        await asyncio.sleep(60)
        raise AssertionError("not cancelled")

    app = wrap(kit, calls, guard, read_timeout=0.05)
    sent = asyncio.run(raw_call(app, receive, byte_headers(kit.signed())))
    assert sent[0]["status"] == 408
    assert len(calls) == 0


def test_duplicate_done_is_200_without_running(
    kit: Kit, calls: Calls, sqlite_guard: Idempotency
) -> None:
    """A redelivery is answered 200 from the SQLite store without calling the app."""
    client = TestClient(wrap(kit, calls, sqlite_guard))
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 200
    again = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert (again.status_code, again.text) == (200, "already handled")
    assert len(calls) == 1


def test_duplicate_in_progress_is_409(
    client: TestClient, kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """A delivery held by another worker is answered 409 with Retry-After."""
    with held(guard):
        response = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert response.status_code == 409
    assert response.headers["retry-after"] == "30"
    assert len(calls) == 0


def test_store_down_is_503(kit: Kit, calls: Calls, down_guard: Idempotency) -> None:
    """An unreachable store is answered 503."""
    client = TestClient(wrap(kit, calls, down_guard))
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 503
    assert len(calls) == 0


def test_handshake_is_answered(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A signed Slack challenge is answered by the middleware, not the app."""
    body, headers = kit.challenge()
    response = client.post("/hooks/slack", content=body, headers=headers)
    assert (response.status_code, response.text) == (200, "c-7f3a")
    assert len(calls) == 0


def test_form_body_is_verified_raw_and_replayed(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A form-encoded body is verified as bytes and parsed by the app afterwards."""
    body = b"a=1&b=caf%C3%A9"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/hooks/acme", content=body, headers=headers).status_code == 200
    assert calls.seen["form"] == {"a": ["1"], "b": ["café"]}


def test_app_exception_releases_the_claim(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """An app that raises releases the claim so the retry runs it again."""
    client = TestClient(wrap(kit, calls, guard, fail_first=True), raise_server_exceptions=False)
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 500
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 200
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).text == "already handled"
    assert len(calls) == 2


def test_other_paths_and_methods(client: TestClient, calls: Calls) -> None:
    """Unrouted paths pass through; HEAD is 200 and GET 405 on a webhook path."""
    assert client.get("/other").text == "not a webhook"
    assert client.head("/hooks/acme").status_code == 200
    assert client.get("/hooks/acme").status_code == 405
    assert len(calls) == 0


def test_options_are_checked(kit: Kit, calls: Calls) -> None:
    """A custom table applies; a bad read timeout is refused at construction."""
    client = TestClient(wrap(kit, calls, None, outcomes=Outcomes(invalid=401)))
    assert client.post("/hooks/acme", content=BODY, headers=kit.forged()).status_code == 401
    with pytest.raises(ConfigurationError):
        WebhookMiddleware(make_app(calls), {}, read_timeout=0)
