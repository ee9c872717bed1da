"""The generic WSGI middleware, driven through the standard library's wsgiref environ."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency
from hooksig.integrations import Endpoint, Outcomes
from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

from .conftest import (
    BODY,
    LIMIT,
    READ_FAILURES,
    Calls,
    FakeSocket,
    Kit,
    Stalling,
    assert_clean_logs,
    held,
    reasons,
)

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


def make_app(calls: Calls, *, fail_first: bool = False) -> Any:
    """A plain WSGI app that records the delivery and the replayed body and form."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        if DELIVERY_KEY not in environ:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"not a webhook"]
        calls.deliveries.append(environ[DELIVERY_KEY])
        calls.seen["body"] = body
        calls.seen["form"] = parse_qs(body.decode()) if b"=" in body else None
        if fail_first and len(calls) == 1:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"boom"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"handled"]

    return app


@pytest.fixture
def app(kit: Kit, calls: Calls, guard: Idempotency) -> WebhookMiddleware:
    """The middleware over make_app, routing /hooks/acme and /hooks/slack."""
    return WebhookMiddleware(
        make_app(calls),
        {"/hooks/acme": kit.verifier, "/hooks/slack": Endpoint(kit.slack)},
        idempotency=guard,
    )


def test_valid_delivery_reaches_the_app_with_the_body_replayed(
    app: Any, kit: Kit, calls: Calls
) -> None:
    """The app gets the verified delivery in the environ and the exact body on wsgi.input."""
    status, _, data = call(app, BODY, kit.signed())
    assert (status, data) == (200, b"handled")
    assert calls.deliveries[0].id == "msg_1"
    assert calls.seen["body"] == BODY


def test_forged_delivery_is_403(
    app: Any, kit: Kit, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong signature is answered 403 'forbidden' and never reaches the app."""
    status, _, data = call(app, BODY, kit.forged())
    assert (status, data) == (403, b"forbidden")
    assert len(calls) == 0
    assert reasons(caplog) == ["no_match"]
    assert_clean_logs(caplog)


def test_stale_delivery_is_403(app: Any, kit: Kit, calls: Calls) -> None:
    """An authentic but stale delivery is refused."""
    assert call(app, BODY, kit.stale())[0] == 403
    assert len(calls) == 0


def test_declared_oversized_body_is_413_unread(app: Any, kit: Kit, calls: Calls) -> None:
    """A Content-Length over the limit is refused without reading the stream."""
    stream = Counting(b"x" * (LIMIT * 4))
    status, _, _ = call(
        app, b"", kit.signed(), **{"wsgi.input": stream, "CONTENT_LENGTH": str(LIMIT * 4)}
    )
    assert status == 413
    assert stream.read_bytes == 0
    assert len(calls) == 0


def test_chunked_oversized_body_stops_at_the_limit(app: Any, kit: Kit) -> None:
    """A terminated chunked body is read only until it crosses the limit."""
    stream = Counting(b"x" * (LIMIT * 100))
    headers = {**kit.signed(), "Transfer-Encoding": "chunked"}
    overrides = {"wsgi.input": stream, "CONTENT_LENGTH": "", "wsgi.input_terminated": True}
    assert call(app, b"", headers, **overrides)[0] == 413
    assert stream.read_bytes <= LIMIT + 1


def test_unterminated_chunked_body_is_411(app: Any, kit: Kit) -> None:
    """A chunked body on a server that does not terminate the stream is not read at all."""
    stream = Counting(BODY)
    headers = {**kit.signed(), "Transfer-Encoding": "chunked"}
    assert call(app, b"", headers, **{"wsgi.input": stream, "CONTENT_LENGTH": ""})[0] == 411
    assert stream.read_bytes == 0


def test_bad_content_length_is_400(app: Any, kit: Kit) -> None:
    """A Content-Length that is not plain digits is refused."""
    assert call(app, BODY, kit.signed(), CONTENT_LENGTH="+35")[0] == 400


def test_duplicate_done_is_200_without_running(
    kit: Kit, calls: Calls, sqlite_guard: Idempotency
) -> None:
    """A redelivery is answered 200 from the SQLite store without calling the app."""
    app = WebhookMiddleware(
        make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=sqlite_guard
    )
    assert call(app, BODY, kit.signed())[0] == 200
    assert call(app, BODY, kit.signed())[:3:2] == (200, b"already handled")
    assert len(calls) == 1


def test_duplicate_in_progress_is_409(app: Any, kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """A delivery held by another worker is answered 409 with Retry-After."""
    with held(guard):
        status, headers, _ = call(app, BODY, kit.signed())
    assert status == 409
    assert headers["Retry-After"] == "30"
    assert len(calls) == 0


def test_store_down_is_503(kit: Kit, calls: Calls, down_guard: Idempotency) -> None:
    """An unreachable store is answered 503."""
    app = WebhookMiddleware(make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=down_guard)
    assert call(app, BODY, kit.signed())[0] == 503
    assert len(calls) == 0


def test_handshake_is_answered(app: Any, kit: Kit, calls: Calls) -> None:
    """A signed Slack challenge is answered by the middleware, not the app."""
    body, headers = kit.challenge()
    assert call(app, body, headers, PATH_INFO="/hooks/slack")[::2] == (200, b"c-7f3a")
    assert len(calls) == 0


def test_form_body_is_verified_raw_and_replayed(app: Any, kit: Kit, calls: Calls) -> None:
    """A form-encoded body is verified as bytes and parsed by the app afterwards."""
    body = b"a=1&b=caf%C3%A9"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert call(app, body, headers)[0] == 200
    assert calls.seen["form"] == {"a": ["1"], "b": ["café"]}


def test_server_error_releases_the_claim(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """An app answering 5xx releases the claim so the retry runs it again."""
    app = WebhookMiddleware(
        make_app(calls, fail_first=True), {"/hooks/acme": kit.verifier}, idempotency=guard
    )
    assert call(app, BODY, kit.signed())[0] == 500
    assert call(app, BODY, kit.signed())[0] == 200
    assert call(app, BODY, kit.signed())[2] == b"already handled"
    assert len(calls) == 2


def test_other_paths_and_methods(app: Any, calls: Calls) -> None:
    """Unrouted paths pass through; HEAD is 200 and GET 405 on a webhook path."""
    assert call(app, b"", PATH_INFO="/other")[::2] == (200, b"not a webhook")
    assert call(app, b"", REQUEST_METHOD="HEAD")[0] == 200
    assert call(app, b"", REQUEST_METHOD="GET")[0] == 405
    assert len(calls) == 0


def test_outcomes_are_configurable(kit: Kit, calls: Calls) -> None:
    """A custom table changes the answer of a forged delivery."""
    app = WebhookMiddleware(
        make_app(calls), {"/hooks/acme": kit.verifier}, outcomes=Outcomes(invalid=401)
    )
    assert call(app, BODY, kit.forged())[0] == 401


def stalled(stream: Any, **environ: Any) -> dict[str, Any]:
    """The environ of a signed request declaring 1000 bytes whose body comes from *stream*."""
    return {"wsgi.input": stream, "CONTENT_LENGTH": "1000", **environ}


@pytest.mark.parametrize(("error", "status", "reason"), READ_FAILURES)
def test_stalled_read_is_answered_without_calling_the_app(
    kit: Kit,
    calls: Calls,
    guard: Idempotency,
    caplog: pytest.LogCaptureFixture,
    error: OSError,
    status: int,
    reason: str,
) -> None:
    """A body read that times out or fails is the timeout outcome (408), a reset is 400."""
    app = WebhookMiddleware(make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=guard)
    stream = Stalling(b"x" * 10, error)
    answer = call(app, b"", kit.signed(), **stalled(stream))
    assert answer[::2] == (status, b"request timeout" if status == 408 else b"bad request")
    assert len(calls) == 0
    assert reasons(caplog) == [reason]


@pytest.mark.parametrize(
    ("key", "previous", "applied"),
    [("gunicorn.socket", None, 1.5), ("werkzeug.socket", None, 1.5), ("gunicorn.socket", 0.5, 0.5)],
)
def test_read_timeout_is_set_on_the_server_socket_and_restored(
    kit: Kit,
    calls: Calls,
    guard: Idempotency,
    key: str,
    previous: float | None,
    applied: float,
) -> None:
    """The socket times the body read (a shorter server timeout wins), then gets its own back."""
    app = WebhookMiddleware(
        make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=guard, read_timeout=1.5
    )
    sock = FakeSocket(previous)
    stream = Stalling(b"x" * 10, TimeoutError("timed out"), sock)
    assert call(app, b"", kit.signed(), **stalled(stream, **{key: sock}))[0] == 408
    assert stream.timeouts == [applied, applied]
    assert sock.timeout == previous
    sock.set.clear()
    assert call(app, BODY, kit.signed(), **{key: sock})[0] == 200
    assert sock.set == [applied, previous]
    assert len(calls) == 1


def test_socket_is_left_alone_without_a_timeout_or_over_http2(
    kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """read_timeout=None, a non-blocking socket and an HTTP/2 request leave the socket untouched."""
    sock = FakeSocket(None)
    untimed = WebhookMiddleware(
        make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=guard, read_timeout=None
    )
    timed = WebhookMiddleware(make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=guard)
    assert call(untimed, BODY, kit.signed(id="msg_a"), **{"gunicorn.socket": sock})[0] == 200
    h2 = {"gunicorn.socket": sock, "SERVER_PROTOCOL": "HTTP/2"}
    assert call(timed, BODY, kit.signed(id="msg_b"), **h2)[0] == 200
    polled = FakeSocket(0.0)
    assert call(timed, BODY, kit.signed(id="msg_c"), **{"gunicorn.socket": polled})[0] == 200
    assert sock.set == polled.set == []


def test_stalled_client_on_a_real_socket_is_408_in_time(
    kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """Over a loopback socket pair, a body that stops after 10 of 1000 bytes is 408 on time."""
    app = WebhookMiddleware(
        make_app(calls), {"/hooks/acme": kit.verifier}, idempotency=guard, read_timeout=0.3
    )
    server, client = socket.socketpair()
    with server, client, server.makefile("rb") as stream:
        client.sendall(b"x" * 10)
        started = time.monotonic()
        status = call(app, b"", kit.signed(), **stalled(stream, **{"werkzeug.socket": server}))
        elapsed = time.monotonic() - started
        assert server.gettimeout() is None
    assert status[0] == 408
    assert 0.25 <= elapsed < 2.0
    assert len(calls) == 0


@pytest.mark.parametrize("value", [0, -1.0, "10", float("nan")])
def test_bad_read_timeout_is_refused(calls: Calls, value: Any) -> None:
    """A read timeout that is not a positive number of seconds is refused at construction."""
    with pytest.raises(ConfigurationError, match="read_timeout"):
        WebhookMiddleware(make_app(calls), {}, read_timeout=value)
