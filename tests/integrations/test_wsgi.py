"""The generic WSGI middleware: the shared contract, and wsgiref environs for the rest."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.integrations import Endpoint
from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

from .conftest import (
    BODY,
    LIMIT,
    READ_FAILURES,
    FakeSocket,
    Kit,
    Stalling,
    reasons,
)
from .contract import AdapterContract, Client, Handler, Hook, wsgi_client, wsgi_dispatch

Result = tuple[int, dict[str, str], bytes]


class Counting(io.BytesIO):
    """A body stream that counts what was read from it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        """Read and count."""
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def call(
    app: Any, body: bytes = b"", headers: dict[str, str] | None = None, **environ: Any
) -> Result:
    """Run one request through *app* and return status, headers and body."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/hooks/acme",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
    }
    env["wsgi.input"] = io.BytesIO(body)
    env["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    env.update(environ)
    setup_testing_defaults(env)
    captured: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        captured["status"] = int(status[:3])
        captured["headers"] = dict(response_headers)
        return lambda data: None

    result: Iterable[bytes] = validator(app)(env, start_response)
    try:
        data = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return captured["status"], captured["headers"], data


def make_app(handler: Handler, seen: dict[str, Any] | None = None) -> Any:
    """A plain WSGI app that answers through *handler* and records the replayed body."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        if DELIVERY_KEY not in environ:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"not a webhook"]
        if seen is not None:
            seen["body"] = body
            seen["form"] = parse_qs(body.decode())
        status, text = handler(environ[DELIVERY_KEY])
        start_response(f"{status} Whatever", [("Content-Type", "text/plain")])
        return [text]

    return app


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
        return wsgi_client(WebhookMiddleware(make_app(handler), routes, **(app_wide or {})))

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """An Endpoint per path in front of a bare WSGI app."""
        endpoints = {path: Endpoint(r.verifier, **r.options) for path, r in routes.items()}
        return wsgi_client(WebhookMiddleware(wsgi_dispatch(routes, DELIVERY_KEY), endpoints))


def wrap(kit: Kit, handler: Handler | None = None, **options: Any) -> WebhookMiddleware:
    """The middleware over make_app, with *options*."""
    return WebhookMiddleware(
        make_app(Handler() if handler is None else handler),
        {"/hooks/acme": kit.verifier},
        **options,
    )


def test_declared_oversized_body_is_413_unread(kit: Kit) -> None:
    """A Content-Length over the limit is refused without reading the stream."""
    stream = Counting(b"x" * (LIMIT * 4))
    handler = Handler()
    status, _, _ = call(
        wrap(kit, handler),
        b"",
        kit.signed(),
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(LIMIT * 4)},
    )
    assert status == 413
    assert stream.read_bytes == 0
    assert len(handler) == 0


def test_chunked_oversized_body_stops_at_the_limit(kit: Kit) -> None:
    """A terminated chunked body is read only until it crosses the limit."""
    stream = Counting(b"x" * (LIMIT * 100))
    headers = {**kit.signed(), "Transfer-Encoding": "chunked"}
    overrides = {"wsgi.input": stream, "CONTENT_LENGTH": "", "wsgi.input_terminated": True}
    assert call(wrap(kit), b"", headers, **overrides)[0] == 413
    assert stream.read_bytes <= LIMIT + 1


def test_unterminated_chunked_body_is_411(kit: Kit) -> None:
    """A chunked body on a server that does not terminate the stream is not read at all."""
    stream = Counting(BODY)
    headers = {**kit.signed(), "Transfer-Encoding": "chunked"}
    assert call(wrap(kit), b"", headers, **{"wsgi.input": stream, "CONTENT_LENGTH": ""})[0] == 411
    assert stream.read_bytes == 0


def test_bad_content_length_is_400(kit: Kit) -> None:
    """A Content-Length that is not plain digits is refused."""
    assert call(wrap(kit), BODY, kit.signed(), CONTENT_LENGTH="+35")[0] == 400


def test_body_is_replayed_to_the_app(kit: Kit) -> None:
    """The app reads the exact body again from wsgi.input, with its length."""
    seen: dict[str, Any] = {}
    app = WebhookMiddleware(make_app(Handler(), seen), {"/hooks/acme": kit.verifier})
    body = b"a=1&b=caf%C3%A9"
    assert call(app, body, kit.signed(body))[0] == 200
    assert seen == {"body": body, "form": {"a": ["1"], "b": ["café"]}}


def test_other_paths_pass_through(kit: Kit) -> None:
    """An unrouted path reaches the app untouched."""
    assert call(wrap(kit), b"", {}, PATH_INFO="/other")[2] == b"not a webhook"


def test_override_swaps_options_for_a_block(kit: Kit) -> None:
    """override() gives every route a test guard inside the block only."""
    handler = Handler()
    app = wrap(kit, handler)
    with app.override(idempotency=Idempotency(MemoryStore())):
        call(app, BODY, kit.signed())
        assert call(app, BODY, kit.signed())[2] == b"already handled"
    assert call(app, BODY, kit.signed())[2] == b"handled"
    assert len(handler) == 2


def stalled(stream: Any, **environ: Any) -> dict[str, Any]:
    """The environ of a signed request declaring 1000 bytes whose body comes from *stream*."""
    return {"wsgi.input": stream, "CONTENT_LENGTH": "1000", **environ}


@pytest.mark.parametrize(("error", "status", "reason"), READ_FAILURES)
def test_stalled_read_is_answered_without_calling_the_app(
    kit: Kit,
    caplog: pytest.LogCaptureFixture,
    error: OSError,
    status: int,
    reason: str,
) -> None:
    """A body read that times out or fails is the timeout outcome (408), a reset is 400."""
    handler = Handler()
    stream = Stalling(b"x" * 10, error)
    answer = call(wrap(kit, handler), b"", kit.signed(), **stalled(stream))
    assert answer[::2] == (status, b"request timeout" if status == 408 else b"bad request")
    assert len(handler) == 0
    assert reasons(caplog) == [reason]


@pytest.mark.parametrize(
    ("key", "previous", "applied"),
    [("gunicorn.socket", None, 1.5), ("werkzeug.socket", None, 1.5), ("gunicorn.socket", 0.5, 0.5)],
)
def test_read_timeout_is_set_on_the_server_socket_and_restored(
    kit: Kit, key: str, previous: float | None, applied: float
) -> None:
    """The socket times the body read (a shorter server timeout wins), then gets its own back."""
    handler = Handler()
    app = wrap(kit, handler, read_timeout=1.5)
    sock = FakeSocket(previous)
    stream = Stalling(b"x" * 10, TimeoutError("timed out"), sock)
    assert call(app, b"", kit.signed(), **stalled(stream, **{key: sock}))[0] == 408
    assert stream.timeouts == [applied, applied]
    assert sock.timeout == previous
    sock.set.clear()
    assert call(app, BODY, kit.signed(), **{key: sock})[0] == 200
    # A shorter server timeout is left as it is: no system call spent on it.
    assert sock.set == ([] if previous is not None and previous <= applied else [applied, previous])
    assert len(handler) == 1


def test_read_timeout_is_10_seconds_unless_given(kit: Kit) -> None:
    """Left unset, the socket gets 10 seconds for the body read."""
    sock = FakeSocket(None)
    assert call(wrap(kit), BODY, kit.signed(), **{"gunicorn.socket": sock})[0] == 200
    assert sock.set == [10.0, None]


def test_socket_is_left_alone_without_a_timeout_or_over_http2(kit: Kit) -> None:
    """read_timeout=None, a non-blocking socket and an HTTP/2 request leave the socket untouched."""
    sock = FakeSocket(None)
    untimed, timed = wrap(kit, read_timeout=None), wrap(kit)
    assert call(untimed, BODY, kit.signed(id="msg_a"), **{"gunicorn.socket": sock})[0] == 200
    h2 = {"gunicorn.socket": sock, "SERVER_PROTOCOL": "HTTP/2"}
    assert call(timed, BODY, kit.signed(id="msg_b"), **h2)[0] == 200
    polled = FakeSocket(0.0)
    assert call(timed, BODY, kit.signed(id="msg_c"), **{"gunicorn.socket": polled})[0] == 200
    assert sock.set == polled.set == []


def test_stalled_client_on_a_real_socket_is_408_in_time(kit: Kit) -> None:
    """Over a loopback socket pair, a body that stops after 10 of 1000 bytes is 408 on time."""
    handler = Handler()
    app = wrap(kit, handler, read_timeout=0.3)
    server, client = socket.socketpair()
    with server, client, server.makefile("rb") as stream:
        client.sendall(b"x" * 10)
        started = time.monotonic()
        status = call(app, b"", kit.signed(), **stalled(stream, **{"werkzeug.socket": server}))
        elapsed = time.monotonic() - started
        assert server.gettimeout() is None
    assert status[0] == 408
    assert 0.25 <= elapsed < 2.0
    assert len(handler) == 0


@pytest.mark.parametrize("value", [0, -1.0, "10", float("nan")])
def test_bad_read_timeout_is_refused(value: Any) -> None:
    """A read timeout that is not a positive number of seconds is refused at construction."""
    with pytest.raises(ConfigurationError, match="read_timeout"):
        WebhookMiddleware(make_app(Handler()), {}, read_timeout=value)
