"""The generic ASGI middleware: the shared contract through Starlette, and raw ASGI calls."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.integrations import Endpoint
from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

from .conftest import BODY, LIMIT, Kit, make_kit
from .contract import AdapterContract, Client, Handler, Hook, asgi_client, asgi_dispatch


def starlette_app(handler: Handler, seen: dict[str, Any] | None = None) -> Starlette:
    """A Starlette app whose webhook route reads the delivery from the scope state."""

    async def acme(request: Request) -> Response:
        body = await request.body()
        if seen is not None:
            seen["body"] = body
            seen["form"] = parse_qs(body.decode())
        status, text = handler(request.scope["state"][DELIVERY_KEY])
        return Response(text, status, media_type="text/plain")

    async def other(request: Request) -> Response:
        return PlainTextResponse("not a webhook")

    return Starlette(routes=[Route("/hooks/acme", acme, methods=["POST"]), Route("/other", other)])


def wrap(kit: Kit, handler: Handler, **options: Any) -> WebhookMiddleware:
    """The middleware over starlette_app: /hooks/acme with *options*, /hooks/slack unguarded."""
    routes = {"/hooks/acme": Endpoint(kit.verifier, **options), "/hooks/slack": kit.slack}
    return WebhookMiddleware(starlette_app(handler), routes)


class TestContract(AdapterContract):
    """The shared behaviour, with the middleware's own arguments as the app-wide options."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client:
        """Route options on an Endpoint, app-wide ones on the middleware."""
        routes = {"/hooks/acme": Endpoint(kit.verifier, **options), "/hooks/slack": kit.slack}
        return asgi_client(WebhookMiddleware(starlette_app(handler), routes, **(app_wide or {})))

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """An Endpoint per path in front of a bare ASGI app."""
        endpoints = {path: Endpoint(r.verifier, **r.options) for path, r in routes.items()}
        return asgi_client(WebhookMiddleware(asgi_dispatch(routes, DELIVERY_KEY), endpoints))


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


def test_body_is_replayed_to_the_app() -> None:
    """The app reads the exact body again, and Starlette parses it after verification."""
    kit, seen = make_kit(), {}
    body = b"a=1&b=caf%C3%A9"
    routes = {"/hooks/acme": kit.verifier}
    client = asgi_client(WebhookMiddleware(starlette_app(Handler(), seen), routes))
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/hooks/acme", body, headers).status == 200
    assert seen == {"body": body, "form": {"a": ["1"], "b": ["café"]}}


def test_declared_oversized_body_is_413_unread() -> None:
    """A Content-Length over the limit is refused before the first receive."""
    kit = make_kit()

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    headers = byte_headers({**kit.signed(), "content-length": str(LIMIT * 10)})
    sent = asyncio.run(raw_call(wrap(kit, Handler()), receive, headers))
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]


def test_streamed_oversized_body_stops_at_the_limit() -> None:
    """A body with no length is received only until it crosses the limit."""
    kit, received = make_kit(), 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    sent = asyncio.run(raw_call(wrap(kit, Handler()), receive, byte_headers(kit.signed())))
    assert sent[0]["status"] == 413
    assert received == LIMIT // 1000 + 1


def test_conflicting_content_lengths_are_400() -> None:
    """Two different Content-Length headers are a bad request, never a guess."""
    kit = make_kit()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    headers = [*byte_headers(kit.signed()), (b"content-length", b"3"), (b"content-length", b"4")]
    sent = asyncio.run(raw_call(wrap(kit, Handler()), receive, headers))
    assert sent[0]["status"] == 400


def test_repeated_signed_header_is_refused() -> None:
    """A signature header sent twice reaches the verifier as pairs, and is refused."""
    kit, handler = make_kit(), Handler()
    signed = byte_headers(kit.signed())
    headers = [*signed, *(h for h in signed if h[0] == b"webhook-id")]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    sent = asyncio.run(raw_call(wrap(kit, handler), receive, headers))
    assert sent[0]["status"] == 403
    assert len(handler) == 0


def test_client_gone_mid_body_is_400() -> None:
    """A disconnect before the body ends is answered 400 and nothing runs."""
    kit, handler = make_kit(), Handler()
    messages = [
        {"type": "http.disconnect"},
        {"type": "http.request", "body": b"{", "more_body": True},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop()

    sent = asyncio.run(raw_call(wrap(kit, handler), receive, byte_headers(kit.signed())))
    assert sent[0]["status"] == 400
    assert len(handler) == 0


def test_the_whole_body_has_one_deadline() -> None:
    """A client that trickles chunks is cut off when the whole body is late, not per chunk."""
    kit, handler = make_kit(), Handler()

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(0.02)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def main() -> tuple[list[dict[str, Any]], float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        sent = await raw_call(
            wrap(kit, handler, read_timeout=0.2), receive, byte_headers(kit.signed())
        )
        return sent, loop.time() - started

    sent, elapsed = asyncio.run(main())
    assert sent[0]["status"] == 408
    assert 0.2 <= elapsed < 1.0
    assert len(handler) == 0


def test_a_deadline_leaves_the_task_uncancelled() -> None:
    """After a 408 the task can still await: the deadline's cancellation is taken back."""
    kit = make_kit()

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(5)
        raise AssertionError("not cancelled")

    async def main() -> int:
        sent = await raw_call(
            wrap(kit, Handler(), read_timeout=0.05), receive, byte_headers(kit.signed())
        )
        await asyncio.sleep(0.01)  # would raise CancelledError if one were still pending
        task = asyncio.current_task()
        assert task is not None
        if sys.version_info >= (
            3,
            11,
        ):  # Task.cancelling() is new in 3.11; the sleep above holds on 3.10
            assert task.cancelling() == 0
        return int(sent[0]["status"])

    assert asyncio.run(main()) == 408


def test_outer_cancellation_is_not_a_timeout() -> None:
    """A task cancelled from outside while reading stays cancelled: no 408 is sent."""
    kit = make_kit()
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(5)
        raise AssertionError("not cancelled")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {"type": "http", "method": "POST", "path": "/hooks/acme"}
        scope["headers"] = byte_headers(kit.signed())
        task = asyncio.ensure_future(wrap(kit, Handler())(scope, receive, send))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert sent == []


def test_other_paths_and_lifespan_pass_through() -> None:
    """Unrouted paths and non-HTTP scopes reach the app untouched."""
    kit, handler = make_kit(), Handler()
    client = asgi_client(wrap(kit, handler))
    assert client.call("GET", "/other").body == b"not a webhook"
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    asyncio.run(
        WebhookMiddleware(app, {"/hooks/acme": kit.verifier})({"type": "lifespan"}, None, None)
    )  # type: ignore[arg-type]
    assert seen == ["lifespan"]
    assert len(handler) == 0


def test_state_of_the_server_is_not_shared() -> None:
    """The delivery goes into a copy of the scope's state, never the server's own dict."""
    kit, shared = make_kit(), {"db": "pool"}
    seen: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["state"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    scope = {"type": "http", "method": "POST", "path": "/hooks/acme", "state": shared}
    scope["headers"] = byte_headers(kit.signed())
    asyncio.run(WebhookMiddleware(app, {"/hooks/acme": kit.verifier})(scope, receive, send))
    assert seen[0]["db"] == "pool"
    assert DELIVERY_KEY in seen[0]
    assert shared == {"db": "pool"}


def test_an_app_that_never_answers_releases_the_claim() -> None:
    """An app that returns without a response releases its claim (the server sends 500)."""
    kit = make_kit()
    guard = Idempotency(MemoryStore())

    async def silent(scope: dict[str, Any], receive: Any, send: Any) -> None:
        return None

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    app = WebhookMiddleware(silent, {"/hooks/acme": kit.verifier}, idempotency=guard)
    assert asyncio.run(raw_call(app, receive, byte_headers(kit.signed()))) == []
    with guard.claim("standard-webhooks:msg_1") as lease:
        assert lease.token is not None


def test_override_swaps_options_for_a_block() -> None:
    """override() gives every route a test guard inside the block only."""
    kit, handler = make_kit(), Handler()
    app = WebhookMiddleware(starlette_app(handler), {"/hooks/acme": kit.verifier})
    client = asgi_client(app)
    with app.override(idempotency=Idempotency(MemoryStore())):
        client.post("/hooks/acme", BODY, kit.signed())
        assert client.post("/hooks/acme", BODY, kit.signed()).body == b"already handled"
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"handled"
    assert len(handler) == 2


@pytest.mark.parametrize(
    "options",
    [{"read_timeout": 0}, {"read_timeout": True}, {"idempotency": False}, {"on_outcome": 1}],
)
def test_bad_options_are_refused_at_construction(options: dict[str, Any]) -> None:
    """A wrong option is a ConfigurationError when the middleware is built."""
    with pytest.raises(ConfigurationError):
        WebhookMiddleware(starlette_app(Handler()), {}, **options)


def test_a_route_must_be_a_verifier_or_an_endpoint() -> None:
    """Anything else in the routing table is refused at construction."""
    with pytest.raises(ConfigurationError):
        WebhookMiddleware(starlette_app(Handler()), {"/x": "github"})  # type: ignore[dict-item]
