"""The Flask adapter: the shared contract and Flask specifics, through Flask's test client."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.integrations import Outcomes
from hooksig.integrations.flask import HookSig, webhook

from .conftest import BODY, READ_FAILURES, Calls, FakeSocket, Kit, Stalling, reasons
from .contract import AdapterContract, Client, Handler, Hook, wsgi_client


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


def contract_app(
    kit: Kit, handler: Handler, options: Mapping[str, Any], app_wide: Mapping[str, Any] | None
) -> Flask:
    """Routes declared as the docs show (@app.post), app-wide options through HookSig."""
    app = Flask(__name__)
    if app_wide is not None:
        HookSig(app, **app_wide)

    @app.post("/hooks/acme")
    @webhook(kit.verifier, **options)
    def acme(delivery: Any) -> tuple[bytes, int]:
        status, text = handler(delivery)
        return text, status

    @app.post("/hooks/slack")
    @webhook(kit.slack, idempotency=None)
    def slack(delivery: Any) -> str:
        return "not a handshake"

    return app


class TestContract(AdapterContract):
    """The shared behaviour; HookSig (the app's config) holds the app-wide options."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client:
        """The app of contract_app, through Werkzeug's client."""
        return wsgi_client(contract_app(kit, handler, options, app_wide))

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """One Flask app, a @webhook view per path."""
        app = Flask(__name__)
        for path, route in routes.items():
            app.post(path, endpoint=path)(webhook(route.verifier, **route.options)(_view(route)))
        return wsgi_client(app)


def _view(route: Hook) -> Any:
    """A view answering through the route's handler."""

    def view(delivery: Any) -> tuple[bytes, int]:
        status, text = route.handler(delivery)
        return text, status

    return view


def make_app(kit: Kit, calls: Calls, guard: Idempotency | None) -> Flask:
    """An app whose webhook view records what Flask parses from the verified body."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/hooks/acme")
    @webhook(kit.verifier, idempotency=guard)
    def acme(delivery: object) -> object:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        calls.seen["data"] = request.get_data()
        calls.seen["form"] = dict(request.form)
        calls.seen["json"] = request.get_json(silent=True)
        return {"handled": True}

    return app


@pytest.fixture
def client(kit: Kit, calls: Calls, guard: Idempotency) -> FlaskClient:
    """A test client of the app guarded by a MemoryStore."""
    return make_app(kit, calls, guard).test_client()


def test_form_body_is_verified_raw_then_parsed(client: FlaskClient, kit: Kit, calls: Calls) -> None:
    """A form-encoded body is verified as bytes, and request.form still works after."""
    body = b"name=caf%C3%A9&amount=42&amount=43"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    response = client.post("/hooks/acme", data=body, headers=headers)
    assert response.status_code == 200
    assert calls.deliveries[0].body == body
    assert calls.seen["form"] == {"name": "café", "amount": "42"}


def test_json_body_is_verified_raw_then_parsed(client: FlaskClient, kit: Kit, calls: Calls) -> None:
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


@pytest.mark.parametrize("early", [False, True], ids=["view-reads", "hook-reads-first"])
def test_the_body_read_by_werkzeug_before_the_view_is_verified_as_read(
    kit: Kit, calls: Calls, early: bool
) -> None:
    """A before_request hook that reads request.get_data() first: Werkzeug's copy is verified."""
    app = make_app(kit, calls, None)
    if early:
        app.before_request(lambda: request.get_data() and None)
    body = b'{"read": "once"}'
    headers = {**kit.signed(body), "Content-Type": "application/json"}
    assert app.test_client().post("/hooks/acme", data=body, headers=headers).status_code == 200
    assert calls.deliveries[0].body == calls.seen["data"] == body
    assert calls.seen["json"] == {"read": "once"}
    tampered = app.test_client().post("/hooks/acme", data=body + b" ", headers=headers)
    assert tampered.status_code == 403
    assert len(calls) == 1


def stalled(stream: Any, **environ: Any) -> dict[str, Any]:
    """Environ overrides declaring a 1000-byte body that comes from *stream*."""
    return {"wsgi.input": stream, "CONTENT_LENGTH": "1000", **environ}


def timed_app(kit: Kit, calls: Calls, **options: Any) -> Flask:
    """An app with one webhook view at /hook, decorated with *options*."""
    app = Flask(__name__)

    @app.post("/hook")
    @webhook(kit.verifier, idempotency=None, **options)
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


def test_body_cut_short_is_400(
    client: FlaskClient, kit: Kit, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
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
    # A shorter server timeout is left as it is: no system call spent on it.
    assert sock.set == ([] if previous is not None and previous <= applied else [applied, previous])
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


def recording_app(kit: Kit, calls: Calls, **options: Any) -> Flask:
    """An app with one webhook view, at /hook, that records each delivery it runs for."""
    app = Flask(__name__)

    @app.post("/hook")
    @webhook(kit.verifier, **options)
    def hook(delivery: object) -> str:
        calls.deliveries.append(delivery)  # type: ignore[arg-type]
        return "ok"

    return app


def test_app_config_is_read_on_every_request(kit: Kit, calls: Calls) -> None:
    """Setting app.config["HOOKSIG_IDEMPOTENCY"] after init_app (a test guard) takes effect."""
    app = recording_app(kit, calls)
    HookSig(app, outcomes={"duplicate": 208})  # type: ignore[arg-type]
    client = app.test_client()
    for _ in range(2):
        assert client.post("/hook", data=BODY, headers=kit.signed()).status_code == 200
    app.config["HOOKSIG_IDEMPOTENCY"] = Idempotency(MemoryStore())
    assert client.post("/hook", data=BODY, headers=kit.signed()).status_code == 200
    assert client.post("/hook", data=BODY, headers=kit.signed()).status_code == 208
    assert len(calls) == 3
    assert app.extensions["hooksig"].options["outcomes"] == Outcomes(duplicate=208)
    app.config["HOOKSIG_IDEMPOTENCY"] = "not a guard"
    app.testing = True
    with pytest.raises(ConfigurationError, match="HOOKSIG_IDEMPOTENCY"):
        client.post("/hook", data=BODY, headers=kit.signed())


def test_a_config_key_set_later_takes_effect_and_one_removed_is_forgotten(
    kit: Kit, calls: Calls
) -> None:
    """An app that starts with no HOOKSIG_ key at all reads one set later, and its removal."""
    app = recording_app(kit, calls)
    client = app.test_client()
    headers = kit.signed()
    for _ in range(2):  # unguarded: the same delivery runs twice
        assert client.post("/hook", data=BODY, headers=headers).status_code == 200
    assert len(calls) == 2
    app.config["HOOKSIG_IDEMPOTENCY"] = Idempotency(MemoryStore())
    app.config["HOOKSIG_OUTCOMES"] = {"duplicate": 208}
    assert client.post("/hook", data=BODY, headers=headers).status_code == 200
    assert client.post("/hook", data=BODY, headers=headers).status_code == 208
    assert len(calls) == 3
    del app.config["HOOKSIG_IDEMPOTENCY"], app.config["HOOKSIG_OUTCOMES"]
    assert client.post("/hook", data=BODY, headers=headers).status_code == 200
    assert len(calls) == 4


@pytest.mark.parametrize("where", ["config", "request"])
@pytest.mark.parametrize("room", [-1, 0])
def test_flask_body_limit_below_the_verifiers_is_kept(
    kit: Kit, calls: Calls, where: str, room: int
) -> None:
    """MAX_CONTENT_LENGTH, or a limit a hook set on the request, bounds the body read."""
    app = recording_app(kit, calls, idempotency=None)
    limit = len(BODY) + room
    if where == "config":
        app.config["MAX_CONTENT_LENGTH"] = limit
    else:

        @app.before_request
        def lower() -> None:
            request.max_content_length = limit

    answered = app.test_client().post("/hook", data=BODY, headers=kit.signed())
    assert answered.status_code == (413 if room < 0 else 200)
    assert len(calls) == (0 if room < 0 else 1)


def test_head_is_routed_without_being_listed(kit: Kit) -> None:
    """@app.post(...) with @webhook routes HEAD too, and keeps a view's own required methods."""
    app = contract_app(kit, Handler(), {}, None)
    methods = {rule.rule: rule.methods for rule in app.url_map.iter_rules()}
    assert methods["/hooks/acme"] == {"POST", "HEAD", "OPTIONS"}


def test_idempotency_false_is_refused_with_a_hint(kit: Kit) -> None:
    """False no longer means unguarded: None does, everywhere; the error says so."""
    with pytest.raises(ConfigurationError, match="None"):
        webhook(kit.verifier, idempotency=False)  # type: ignore[arg-type]
