"""The Flask adapter, through Flask's own test client."""

from __future__ import annotations

import io
import socket
import time
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency
from hooksig.integrations import Outcomes
from hooksig.integrations.flask import HookSig, webhook

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


class Exploding(io.RawIOBase):
    """An input stream that fails the test if anything reads it."""

    def readable(self) -> bool:
        """Yes."""
        return True

    def readinto(self, buffer: object) -> int:
        """Fail: the body should not have been read."""
        raise AssertionError("the body was read")


class Endless(io.RawIOBase):
    """An endless body that counts the bytes read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        """Yes."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill *buffer* with zeros."""
        size = len(buffer)
        buffer[:size] = b"\0" * size
        self.read_bytes += size
        return size


def make_app(kit: Kit, calls: Calls, guard: Idempotency | None) -> Flask:
    """An app with a guarded webhook route, a Slack route, and a failing route."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/hooks/acme", methods=["POST", "HEAD", "GET"])
    @webhook(kit.verifier, idempotency=guard)
    def acme(delivery: object) -> object:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        calls.seen["data"] = request.get_data()
        calls.seen["form"] = dict(request.form)
        calls.seen["json"] = request.get_json(silent=True)
        return {"handled": True}

    @app.post("/hooks/slack")
    @webhook(kit.slack)
    def slack(delivery: object) -> None:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]

    @app.post("/hooks/flaky")
    @webhook(kit.verifier, idempotency=guard)
    def flaky(delivery: object) -> tuple[str, int]:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        if len(calls) == 1:
            raise RuntimeError("handler failed")
        return "ok", 200

    return app


@pytest.fixture
def client(kit: Kit, calls: Calls, guard: Idempotency):  # type: ignore[no-untyped-def]
    """A test client of the app guarded by a MemoryStore."""
    return make_app(kit, calls, guard).test_client()


def test_valid_delivery_runs_the_view(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """An authentic delivery reaches the view with its exact bytes and id."""
    response = client.post("/hooks/acme", data=BODY, headers=kit.signed())
    assert response.status_code == 200
    assert response.get_json() == {"handled": True}
    assert len(calls) == 1
    assert calls.deliveries[0].body == BODY
    assert calls.deliveries[0].id == "msg_1"
    assert calls.seen["data"] == BODY


def test_forged_delivery_is_403_without_detail(client, kit: Kit, calls: Calls, caplog) -> None:  # type: ignore[no-untyped-def]
    """A wrong signature is answered 403 'forbidden', logged with a reason, never run."""
    response = client.post("/hooks/acme", data=BODY, headers=kit.forged())
    assert response.status_code == 403
    assert response.data == b"forbidden"
    assert len(calls) == 0
    assert reasons(caplog) == ["no_match"]
    assert_clean_logs(caplog, kit.forged()["webhook-signature"])


def test_stale_delivery_is_403(client, kit: Kit, calls: Calls, caplog) -> None:  # type: ignore[no-untyped-def]
    """An authentic delivery signed an hour ago is refused as stale."""
    response = client.post("/hooks/acme", data=BODY, headers=kit.stale())
    assert response.status_code == 403
    assert len(calls) == 0
    assert reasons(caplog) == ["too_old"]


def test_declared_oversized_body_is_413_unread(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A Content-Length over the limit is refused before a byte is read."""
    response = client.post(
        "/hooks/acme",
        headers=kit.signed(),
        environ_overrides={"wsgi.input": Exploding(), "CONTENT_LENGTH": str(LIMIT * 100)},
    )
    assert response.status_code == 413
    assert len(calls) == 0


def test_chunked_oversized_body_stops_at_the_limit(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A chunked body with no length is cut off just past the limit."""
    stream = Endless()
    response = client.post(
        "/hooks/acme",
        headers={**kit.signed(), "Transfer-Encoding": "chunked"},
        environ_overrides={
            "wsgi.input": stream,
            "wsgi.input_terminated": True,
            "CONTENT_LENGTH": "",
        },
    )
    assert response.status_code == 413
    assert stream.read_bytes <= LIMIT + 64 * 1024
    assert len(calls) == 0


def test_duplicate_done_is_200_without_running(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A redelivery of a handled id is answered 200 and the view is not run again."""
    assert client.post("/hooks/acme", data=BODY, headers=kit.signed()).status_code == 200
    again = client.post("/hooks/acme", data=BODY, headers=kit.signed())
    assert again.status_code == 200
    assert again.data == b"already handled"
    assert len(calls) == 1


def test_duplicate_in_progress_is_409(client, kit: Kit, calls: Calls, guard: Idempotency) -> None:  # type: ignore[no-untyped-def]
    """A delivery held by another worker is answered 409 with Retry-After."""
    with held(guard):
        response = client.post("/hooks/acme", data=BODY, headers=kit.signed())
    assert response.status_code == 409
    assert response.headers["Retry-After"] == "30"
    assert len(calls) == 0


def test_store_down_is_503(kit: Kit, calls: Calls, down_guard: Idempotency, caplog) -> None:  # type: ignore[no-untyped-def]
    """An unreachable store is answered 503 and the view is not run."""
    client = make_app(kit, calls, down_guard).test_client()
    response = client.post("/hooks/acme", data=BODY, headers=kit.signed())
    assert response.status_code == 503
    assert len(calls) == 0
    assert reasons(caplog) == ["store_unavailable"]


def test_handshake_is_answered_after_verification(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A signed Slack url_verification is answered with its challenge, not run."""
    body, headers = kit.challenge()
    response = client.post("/hooks/slack", data=body, headers=headers)
    assert response.status_code == 200
    assert response.data == b"c-7f3a"
    assert len(calls) == 0
    forged = client.post(
        "/hooks/slack", data=body, headers={**headers, "X-Slack-Signature": "v0=" + "0" * 64}
    )
    assert forged.status_code == 403


def test_form_body_is_verified_raw_then_parsed(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A form-encoded body is verified as bytes, and request.form still works after."""
    body = b"name=caf%C3%A9&amount=42&amount=43"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    response = client.post("/hooks/acme", data=body, headers=headers)
    assert response.status_code == 200
    assert calls.deliveries[0].body == body
    assert calls.seen["form"] == {"name": "café", "amount": "42"}


def test_json_body_is_verified_raw_then_parsed(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A JSON body is verified as bytes, and request.get_json() still works after."""
    body = b'{"b": 1,   "a": [1, 2]}'
    headers = {**kit.signed(body), "Content-Type": "application/json"}
    assert client.post("/hooks/acme", data=body, headers=headers).status_code == 200
    assert calls.seen["json"] == {"b": 1, "a": [1, 2]}


def test_form_read_before_verification_is_a_loud_error(kit: Kit, calls: Calls) -> None:
    """A before_request hook that parses the form makes the request fail, not pass."""
    app = make_app(kit, calls, None)
    app.before_request(lambda: request.form and None)
    body = b"a=1"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    response = app.test_client().post("/hooks/acme", data=body, headers=headers)
    assert response.status_code == 500
    assert len(calls) == 0


def test_failing_view_releases_the_claim(client, kit: Kit, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """A view that raises answers 500 and its retry runs the view again."""
    headers = kit.signed(id="msg_flaky")
    assert client.post("/hooks/flaky", data=BODY, headers=headers).status_code == 500
    assert client.post("/hooks/flaky", data=BODY, headers=headers).status_code == 200
    assert client.post("/hooks/flaky", data=BODY, headers=headers).data == b"already handled"
    assert len(calls) == 2


def test_head_and_other_methods(client, calls: Calls) -> None:  # type: ignore[no-untyped-def]
    """HEAD is answered 200 and GET 405, without verifying or running the view."""
    assert client.head("/hooks/acme").status_code == 200
    response = client.get("/hooks/acme")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST, HEAD"
    assert len(calls) == 0


def test_extension_supplies_the_guard_and_outcomes(
    kit: Kit, calls: Calls, sqlite_guard: Idempotency
) -> None:
    """HookSig.init_app gives unguarded views the app's guard and status table."""
    app = make_app(kit, calls, None)
    app.config["HOOKSIG_OUTCOMES"] = {"duplicate": 208}
    HookSig(idempotency=sqlite_guard).init_app(app)
    client = app.test_client()
    assert client.post("/hooks/acme", data=BODY, headers=kit.signed()).status_code == 200
    assert client.post("/hooks/acme", data=BODY, headers=kit.signed()).status_code == 208
    assert len(calls) == 1
    assert isinstance(app.extensions["hooksig"].outcomes, Outcomes)


def test_explicit_false_opts_out_of_the_app_guard(
    kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """idempotency=False runs every authentic delivery even with an app-wide guard."""
    app = Flask(__name__)
    HookSig(app, idempotency=guard)

    @app.post("/hook")
    @webhook(kit.verifier, idempotency=False)
    def hook(delivery: object) -> str:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        return "ok"

    client = app.test_client()
    for _ in range(2):
        assert client.post("/hook", data=BODY, headers=kit.signed()).status_code == 200
    assert len(calls) == 2


def stalled(stream: Any, **environ: Any) -> dict[str, Any]:
    """Environ overrides declaring a 1000-byte body that comes from *stream*."""
    return {"wsgi.input": stream, "CONTENT_LENGTH": "1000", **environ}


def timed_app(kit: Kit, calls: Calls, **options: Any) -> Flask:
    """An app with one webhook view at /hook, decorated with *options*."""
    app = Flask(__name__)

    @app.post("/hook")
    @webhook(kit.verifier, idempotency=False, **options)
    def hook(delivery: object) -> str:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        return "ok"

    return app


@pytest.mark.parametrize(("error", "status", "reason"), READ_FAILURES)
def test_stalled_read_is_answered_without_running_the_view(
    client: FlaskClient,
    kit: Kit,
    calls: Calls,
    caplog: pytest.LogCaptureFixture,
    error: OSError,
    status: int,
    reason: str,
) -> None:
    """A body read that times out or fails is the timeout outcome (408), a reset is 400."""
    overrides = stalled(Stalling(b"x" * 10, error))
    response = client.post("/hooks/acme", headers=kit.signed(), environ_overrides=overrides)
    assert response.status_code == status
    assert response.data == (b"request timeout" if status == 408 else b"bad request")
    assert len(calls) == 0
    assert reasons(caplog) == [reason]


def test_body_cut_short_is_400(client, kit: Kit, calls: Calls, caplog) -> None:  # type: ignore[no-untyped-def]
    """A body that ends before its declared length is answered 400 without running the view."""
    overrides = stalled(io.BytesIO(b"x" * 10))
    response = client.post("/hooks/acme", headers=kit.signed(), environ_overrides=overrides)
    assert (response.status_code, response.data) == (400, b"bad request")
    assert len(calls) == 0
    assert reasons(caplog) == ["incomplete_body"]


@pytest.mark.parametrize(
    ("key", "previous", "applied"),
    [("gunicorn.socket", None, 1.5), ("werkzeug.socket", None, 1.5), ("gunicorn.socket", 0.5, 0.5)],
)
def test_read_timeout_is_set_on_the_server_socket_and_restored(
    kit: Kit, calls: Calls, key: str, previous: float | None, applied: float
) -> None:
    """The socket times the body read (a shorter server timeout wins), then gets its own back."""
    client = timed_app(kit, calls, read_timeout=1.5).test_client()
    sock = FakeSocket(previous)
    stream = Stalling(b"x" * 10, TimeoutError("timed out"), sock)
    overrides = stalled(stream, **{key: sock})
    assert (
        client.post("/hook", headers=kit.signed(), environ_overrides=overrides).status_code == 408
    )
    assert stream.timeouts == [applied, applied]
    assert sock.timeout == previous
    sock.set.clear()
    response = client.post("/hook", data=BODY, headers=kit.signed(), environ_overrides={key: sock})
    assert response.status_code == 200
    assert sock.set == [applied, previous]
    assert len(calls) == 1


def test_read_timeout_defaults_and_app_wide_settings(kit: Kit, calls: Calls) -> None:
    """10 s by default; HookSig's argument, then HOOKSIG_READ_TIMEOUT, then the view's own win."""

    def applied(app: Flask) -> list[float | None]:
        sock = FakeSocket(None)
        client = app.test_client()
        response = client.post(
            "/hook", data=BODY, headers=kit.signed(), environ_overrides={"gunicorn.socket": sock}
        )
        assert response.status_code == 200
        return sock.set

    assert applied(timed_app(kit, calls)) == [10.0, None]
    configured = timed_app(kit, calls)
    configured.config["HOOKSIG_READ_TIMEOUT"] = 2
    HookSig(configured)
    assert applied(configured) == [2.0, None]
    configured = timed_app(kit, calls)
    configured.config["HOOKSIG_READ_TIMEOUT"] = 2
    HookSig(configured, read_timeout=3.0)
    assert applied(configured) == [3.0, None]
    disabled = timed_app(kit, calls)
    HookSig(disabled, read_timeout=None)
    assert applied(disabled) == []
    own = timed_app(kit, calls, read_timeout=4.0)
    HookSig(own, read_timeout=None)
    assert applied(own) == [4.0, None]


def test_socket_is_left_alone_without_a_timeout_or_over_http2(kit: Kit, calls: Calls) -> None:
    """read_timeout=None, a non-blocking socket and an HTTP/2 request leave the socket untouched."""
    sock = FakeSocket(None)
    polled = FakeSocket(0.0)
    untimed = timed_app(kit, calls, read_timeout=None).test_client()
    timed = timed_app(kit, calls).test_client()
    cases: list[tuple[FlaskClient, dict[str, Any]]] = [
        (untimed, {"gunicorn.socket": sock}),
        (timed, {"gunicorn.socket": sock, "SERVER_PROTOCOL": "HTTP/2"}),
        (timed, {"gunicorn.socket": polled}),
    ]
    for client, environ in cases:
        response = client.post("/hook", data=BODY, headers=kit.signed(), environ_overrides=environ)
        assert response.status_code == 200
    assert sock.set == polled.set == []
    assert len(calls) == 3


def test_stalled_client_on_a_real_socket_is_408_in_time(kit: Kit, calls: Calls) -> None:
    """Over a loopback socket pair, a body that stops after 10 of 1000 bytes is 408 on time."""
    client = timed_app(kit, calls, read_timeout=0.3).test_client()
    server, peer = socket.socketpair()
    with server, peer, server.makefile("rb") as stream:
        peer.sendall(b"x" * 10)
        started = time.monotonic()
        overrides = stalled(stream, **{"werkzeug.socket": server})
        response = client.post("/hook", headers=kit.signed(), environ_overrides=overrides)
        elapsed = time.monotonic() - started
        assert server.gettimeout() is None
    assert response.status_code == 408
    assert 0.25 <= elapsed < 2.0
    assert len(calls) == 0


@pytest.mark.parametrize("value", [0, -1.0, "10", float("nan")])
def test_bad_read_timeout_is_refused(kit: Kit, calls: Calls, value: Any) -> None:
    """A read timeout that is not a positive number of seconds is refused when set up."""
    with pytest.raises(ConfigurationError, match="read_timeout"):
        webhook(kit.verifier, read_timeout=value)
    with pytest.raises(ConfigurationError, match="read_timeout"):
        HookSig(read_timeout=value)
    app = Flask(__name__)
    app.config["HOOKSIG_READ_TIMEOUT"] = value
    with pytest.raises(ConfigurationError, match="HOOKSIG_READ_TIMEOUT"):
        HookSig(app)
