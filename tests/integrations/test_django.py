"""The Django adapter: the shared contract (sync, async, middleware) and Django specifics."""

from __future__ import annotations

import asyncio
import io
import itertools
import socket
import sys
import time
import types
from collections.abc import Iterator, Mapping
from typing import Any

import django
import pytest
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="hooksig-tests-" + "x" * 40,
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
        DATABASES={},
        MIDDLEWARE=[
            "hooksig.integrations.django.HookSigMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        USE_TZ=True,
    )
    django.setup()

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import AsyncClient, override_settings
from django.test import Client as DjangoClient
from django.urls import path

from hooksig import Delivery, Verifier, schemes
from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency
from hooksig.integrations import django as django_adapter
from hooksig.integrations.django import webhook_view
from hooksig.scheme.challenge import hub_challenge

from .conftest import (
    BODY,
    LIMIT,
    READ_FAILURES,
    Calls,
    FakeSocket,
    Kit,
    Stalling,
    make_kit,
    reasons,
)
from .contract import AdapterContract, Client, Handler, Hook, Reply

KIT = make_kit()
CALLS = Calls()
META_SECRET = "meta-app-secret-for-django-tests"
META = Verifier(
    schemes.configure("meta", challenge=hub_challenge("django-token")), secret=META_SECRET
)


@webhook_view(KIT.verifier)
def acme(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """Record the delivery, and what Django parses from the verified body."""
    CALLS.deliveries.append(delivery)
    CALLS.seen["body"] = request.body
    CALLS.seen["post"] = dict(request.POST.items())
    return JsonResponse({"handled": True})


@webhook_view(KIT.verifier)
async def acme_async(request: HttpRequest, delivery: Delivery) -> None:
    """Record the delivery; None answers an empty 200."""
    CALLS.deliveries.append(delivery)


@webhook_view(KIT.slack, idempotency=None)
def slack(request: HttpRequest, delivery: Delivery) -> None:
    """Record the delivery (a handshake never gets here)."""
    CALLS.deliveries.append(delivery)


@webhook_view(KIT.verifier, idempotency=None, read_timeout=1.5)
def timed(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """Record the delivery; the body is read with a 1.5 s timeout."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("ok")


@webhook_view(KIT.verifier, idempotency=None, read_timeout=None)
def untimed(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """Record the delivery; the socket is left to the server."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("ok")


def routed(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """A handler reached through HookSigMiddleware and HOOKSIG["ROUTES"]."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("routed")


async def routed_async(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """An async handler reached through HookSigMiddleware."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("routed async")


@webhook_view(META, idempotency=None)
def meta(request: HttpRequest, delivery: Delivery) -> None:
    """Record the delivery (a challenge never gets here)."""
    CALLS.deliveries.append(delivery)


@webhook_view(META, idempotency=None)
async def meta_async(request: HttpRequest, delivery: Delivery) -> None:
    """Record the delivery (a challenge never gets here)."""
    CALLS.deliveries.append(delivery)


urlpatterns = [
    path("hooks/meta", meta),
    path("hooks/meta-async", meta_async),
    path("hooks/acme", acme),
    path("hooks/acme-async", acme_async),
    path("hooks/slack", slack),
    path("hooks/timed", timed),
    path("hooks/untimed", untimed),
]


@pytest.fixture(autouse=True)
def _fresh(guard: Idempotency) -> Iterator[None]:
    """Empty the call record, and make the MemoryStore guard the settings' default."""
    CALLS.deliveries.clear()
    CALLS.seen.clear()
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard}):
        yield


def post(client: DjangoClient, url: str, body: bytes, headers: dict[str, str], **extra: Any) -> Any:
    """POST raw *body* with *headers* as Django's test client wants them."""
    content_type = headers.pop("Content-Type", "application/json")
    return client.generic("POST", url, body, content_type, headers=headers, **extra)


@pytest.fixture
def client() -> DjangoClient:
    """A client that enforces CSRF, as a browser-facing site does."""
    return DjangoClient(enforce_csrf_checks=True)


# -- the shared contract: the same app as a sync view, an async view, and a route ------

_URLCONFS = itertools.count()


def _urlconf(*patterns: Any) -> str:
    """Register a throwaway URLconf module holding *patterns*; return its name."""
    name = f"tests.integrations._urlconf_{next(_URLCONFS)}"
    module = types.ModuleType(name)
    module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    sys.modules[name] = module
    return name


def _client(hooksig_setting: dict[str, Any], urlconf: str) -> Client:
    """A contract Client over Django's test client, with these settings for each request."""
    django_client = DjangoClient(enforce_csrf_checks=True, raise_request_exception=False)

    def request(method: str, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        headers = dict(headers)
        content_type = headers.pop("Content-Type", "application/json")
        response = django_client.generic(method, url, body, content_type, headers=headers)
        return Reply(
            response.status_code,
            response.content,
            {name.lower(): value for name, value in response.headers.items()},
        )

    return Client(request, lambda: override_settings(ROOT_URLCONF=urlconf, HOOKSIG=hooksig_setting))


def _app_wide(app_wide: Mapping[str, Any] | None) -> dict[str, Any]:
    return {name.upper(): value for name, value in (app_wide or {}).items()}


class TestSyncView(AdapterContract):
    """The shared behaviour through a sync @webhook_view; HOOKSIG holds app-wide options."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client:
        """Views under a throwaway URLconf."""

        @webhook_view(kit.verifier, **options)
        def acme(request: HttpRequest, delivery: Delivery) -> HttpResponse:
            status, text = handler(delivery)
            return HttpResponse(text, status=status, content_type="text/plain")

        @webhook_view(kit.slack, idempotency=None)
        def slack(request: HttpRequest, delivery: Delivery) -> None:
            return None

        urlconf = _urlconf(path("hooks/acme", acme), path("hooks/slack", slack))
        return _client(_app_wide(app_wide), urlconf)

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """A @webhook_view per path, under a throwaway URLconf."""
        views = [
            path(route_path.lstrip("/"), webhook_view(r.verifier, **r.options)(_view(r)))
            for route_path, r in routes.items()
        ]
        return _client({}, _urlconf(*views))


class TestAsyncView(AdapterContract):
    """The shared behaviour through an async @webhook_view, under Django's ASGI handler."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client:
        """Async views under a throwaway URLconf, through AsyncClient."""

        @webhook_view(kit.verifier, **options)
        async def acme(request: HttpRequest, delivery: Delivery) -> HttpResponse:
            status, text = handler(delivery)
            return HttpResponse(text, status=status, content_type="text/plain")

        @webhook_view(kit.slack, idempotency=None)
        async def slack(request: HttpRequest, delivery: Delivery) -> None:
            return None

        urlconf = _urlconf(path("hooks/acme", acme), path("hooks/slack", slack))
        return _async_client(_app_wide(app_wide), urlconf)

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """An async @webhook_view per path, under a throwaway URLconf."""
        views = [
            path(route_path.lstrip("/"), webhook_view(r.verifier, **r.options)(_async_view(r)))
            for route_path, r in routes.items()
        ]
        return _async_client({}, _urlconf(*views))


def _async_client(setting: dict[str, Any], urlconf: str) -> Client:
    """A contract Client over Django's AsyncClient, with these settings for each request."""
    async_client = AsyncClient(raise_request_exception=False)

    def request(method: str, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        headers = dict(headers)
        content_type = headers.pop("Content-Type", "application/json")
        response = asyncio.run(
            async_client.generic(method, url, body, content_type, headers=headers)
        )
        return Reply(
            response.status_code,
            response.content,
            {name.lower(): value for name, value in response.headers.items()},
        )

    return Client(request, lambda: override_settings(ROOT_URLCONF=urlconf, HOOKSIG=setting))


class TestMiddlewareRoutes(AdapterContract):
    """The shared behaviour through HookSigMiddleware and HOOKSIG["ROUTES"]."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client:
        """Routes in settings, a route's options as its own lowercase keys."""

        def acme(request: HttpRequest, delivery: Delivery) -> HttpResponse:
            status, text = handler(delivery)
            return HttpResponse(text, status=status, content_type="text/plain")

        routes = {
            "/hooks/acme": {"verifier": kit.verifier, "handler": acme, **options},
            "/hooks/slack": {"verifier": kit.slack, "handler": acme, "idempotency": None},
        }
        setting = {**_app_wide(app_wide), "ROUTES": routes}
        with override_settings(HOOKSIG=setting):
            django_adapter._routes()  # built as a deployment would: a bad option fails here
        return _client(setting, _urlconf())

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """Every path in HOOKSIG["ROUTES"], its options as its own keys."""
        table = {
            route_path: {"verifier": r.verifier, "handler": _view(r), **r.options}
            for route_path, r in routes.items()
        }
        return _client({"ROUTES": table}, _urlconf())


def _view(route: Hook) -> Any:
    """A Django view answering through the route's handler."""

    def view(request: HttpRequest, delivery: Delivery) -> HttpResponse:
        status, text = route.handler(delivery)
        return HttpResponse(text, status=status, content_type="text/plain")

    return view


def _async_view(route: Hook) -> Any:
    """An async Django view answering through the route's handler."""

    async def view(request: HttpRequest, delivery: Delivery) -> HttpResponse:
        status, text = route.handler(delivery)
        return HttpResponse(text, status=status, content_type="text/plain")

    return view


def test_declared_oversized_body_is_413_unread(client: DjangoClient) -> None:
    """A Content-Length over the limit is refused before the stream is touched."""

    class Exploding(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    extra = {"wsgi.input": Exploding(), "CONTENT_LENGTH": str(LIMIT * 10)}
    assert post(client, "/hooks/acme", BODY, KIT.signed(), **extra).status_code == 413
    assert len(CALLS) == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_djangos_own_upload_limit_is_413_too(client: DjangoClient, guard: Idempotency) -> None:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (but under ours) is also 413."""
    body = b'{"pad":"' + b"x" * 200 + b'"}'
    assert post(client, "/hooks/acme", body, KIT.signed(body)).status_code == 413


def test_form_body_is_verified_raw_then_parsed(client: DjangoClient) -> None:
    """A form-encoded body is verified as bytes; request.POST still works after."""
    body = b"a=1&b=caf%C3%A9"
    headers = {**KIT.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert post(client, "/hooks/acme", body, headers).status_code == 200
    assert CALLS.seen["post"] == {"a": "1", "b": "café"}
    assert CALLS.deliveries[0].body == body


def test_view_is_marked_exempt() -> None:
    """The decorated view is CSRF exempt and, where Django has it, login-exempt."""
    assert acme.csrf_exempt is True  # type: ignore[attr-defined]
    assert getattr(acme, "login_required", False) is False


async def apost(url: str, headers: dict[str, str]) -> Any:
    """POST BODY through Django's AsyncClient (the ASGI request path)."""
    return await AsyncClient().generic("POST", url, BODY, "application/json", headers=headers)


def test_middleware_routes_by_path(client: DjangoClient, guard: Idempotency) -> None:
    """HOOKSIG["ROUTES"] answers a path with no URL pattern, dotted paths included."""
    routes = {
        "/mw/acme": {"verifier": KIT.verifier, "handler": f"{__name__}.routed"},
        "/mw/async": {"verifier": KIT.verifier, "handler": routed_async},
    }
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard, "ROUTES": routes}):
        assert post(client, "/mw/acme", BODY, KIT.signed()).content == b"routed"
        assert post(client, "/mw/acme", BODY, KIT.signed()).content == b"already handled"
        assert post(client, "/mw/async", BODY, KIT.signed(id="m2")).content == b"routed async"
        assert post(client, "/mw/acme", BODY, KIT.forged()).status_code == 403
        assert client.get("/hooks/acme").status_code == 405
    assert len(CALLS) == 2


def test_middleware_under_asgi(guard: Idempotency) -> None:
    """The middleware also answers in async mode, for sync and async handlers."""
    routes = {
        "/mw/acme": {"verifier": KIT.verifier, "handler": routed},
        "/mw/async": {"verifier": KIT.verifier, "handler": routed_async},
    }
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard, "ROUTES": routes}):
        sync = asyncio.run(apost("/mw/acme", KIT.signed()))
        other = asyncio.run(apost("/mw/async", KIT.signed(id="m2")))
    assert (sync.content, other.content) == (b"routed", b"routed async")


def stalled(stream: Any, **extra: Any) -> dict[str, Any]:
    """WSGI environ extras declaring a 1000-byte body that comes from *stream*."""
    return {"wsgi.input": stream, "CONTENT_LENGTH": "1000", **extra}


@pytest.mark.parametrize(("error", "status", "reason"), READ_FAILURES)
def test_stalled_read_is_answered_without_running_the_view(
    client: DjangoClient, caplog: pytest.LogCaptureFixture, error: OSError, status: int, reason: str
) -> None:
    """A body read that times out or fails is the timeout outcome (408), a reset is 400."""
    response = post(client, "/hooks/acme", b"", KIT.signed(), **stalled(Stalling(b"", error)))
    assert response.status_code == status
    assert response.content == (b"request timeout" if status == 408 else b"bad request")
    assert len(CALLS) == 0
    assert reasons(caplog) == [reason]


@pytest.mark.parametrize(
    ("key", "previous", "applied"),
    [("gunicorn.socket", None, 1.5), ("werkzeug.socket", None, 1.5), ("gunicorn.socket", 0.5, 0.5)],
)
def test_read_timeout_is_set_on_the_server_socket_and_restored(
    client: DjangoClient, key: str, previous: float | None, applied: float
) -> None:
    """The socket times the body read (a shorter server timeout wins), then gets its own back."""
    sock = FakeSocket(previous)
    stream = Stalling(b"", TimeoutError("timed out"), sock)
    extra = stalled(stream, **{key: sock})
    assert post(client, "/hooks/timed", b"", KIT.signed(), **extra).status_code == 408
    assert stream.timeouts == [applied]
    assert sock.timeout == previous
    sock.set.clear()
    assert post(client, "/hooks/timed", BODY, KIT.signed(), **{key: sock}).status_code == 200
    # A shorter server timeout is left as it is: no system call spent on it.
    assert sock.set == ([] if previous is not None and previous <= applied else [applied, previous])
    assert len(CALLS) == 1


def test_read_timeout_defaults_and_settings(client: DjangoClient, guard: Idempotency) -> None:
    """10 s by default, HOOKSIG["READ_TIMEOUT"] when set, a view's or route's own first."""

    def applied(url: str, id: str) -> list[float | None]:
        sock = FakeSocket(None)
        response = post(client, url, BODY, KIT.signed(id=id), **{"gunicorn.socket": sock})
        assert response.status_code == 200
        return sock.set

    assert applied("/hooks/acme", "m1") == [10.0, None]
    routes = {"/mw/acme": {"verifier": KIT.verifier, "handler": routed, "read_timeout": 4}}
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard, "READ_TIMEOUT": 2, "ROUTES": routes}):
        assert applied("/hooks/acme", "m2") == [2.0, None]
        assert applied("/hooks/timed", "m3") == [1.5, None]
        assert applied("/mw/acme", "m4") == [4.0, None]
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard, "READ_TIMEOUT": None}):
        assert applied("/hooks/acme", "m5") == []
        assert applied("/hooks/timed", "m6") == [1.5, None]
    assert len(CALLS) == 6


def test_socket_is_left_alone_without_a_timeout_or_over_http2(client: DjangoClient) -> None:
    """read_timeout=None, a non-blocking socket and an HTTP/2 request leave the socket untouched."""
    sock = FakeSocket(None)
    polled = FakeSocket(0.0)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("/hooks/untimed", {"gunicorn.socket": sock}),
        ("/hooks/timed", {"gunicorn.socket": sock, "SERVER_PROTOCOL": "HTTP/2"}),
        ("/hooks/timed", {"gunicorn.socket": polled}),
    ]
    for url, extra in cases:
        assert post(client, url, BODY, KIT.signed(), **extra).status_code == 200
    assert sock.set == polled.set == []
    assert len(CALLS) == 3


def test_stalled_client_on_a_real_socket_is_408_in_time(client: DjangoClient) -> None:
    """Over a loopback socket pair, a body that stops after 10 of 1000 bytes is 408 on time."""
    server, peer = socket.socketpair()
    with server, peer, server.makefile("rb") as stream:
        peer.sendall(b"x" * 10)
        started = time.monotonic()
        with override_settings(HOOKSIG={"READ_TIMEOUT": 0.3}):
            extra = stalled(stream, **{"werkzeug.socket": server})
            response = post(client, "/hooks/acme", b"", KIT.signed(), **extra)
        elapsed = time.monotonic() - started
        assert server.gettimeout() is None
    assert response.status_code == 408
    assert 0.25 <= elapsed < 2.0
    assert len(CALLS) == 0


def test_read_timeout_does_nothing_under_asgi(guard: Idempotency) -> None:
    """Under ASGI Django has read the body already: a read timeout in settings changes nothing."""
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard, "READ_TIMEOUT": 0.01}):
        response = asyncio.run(apost("/hooks/acme-async", KIT.signed()))
    assert response.status_code == 200
    assert len(CALLS) == 1


@pytest.mark.parametrize("value", [0, -1.0, "10", float("nan")])
def test_bad_read_timeout_is_refused(client: DjangoClient, guard: Idempotency, value: Any) -> None:
    """A read timeout that is not a positive number of seconds is refused, in code or settings."""
    with pytest.raises(ConfigurationError, match="read_timeout"):
        webhook_view(KIT.verifier, read_timeout=value)
    with (
        override_settings(HOOKSIG={"IDEMPOTENCY": guard, "READ_TIMEOUT": value}),
        pytest.raises(ConfigurationError, match="READ_TIMEOUT"),
    ):
        post(client, "/hooks/acme", BODY, KIT.signed())
    assert len(CALLS) == 0


CHECK = "hub.mode=subscribe&hub.verify_token=django-token&hub.challenge=4242"


def test_a_challenge_is_answered_before_the_view(client: Client) -> None:
    """Meta's GET check, sync view: echoed with the right token, 405 otherwise, view never run."""
    answer = client.get(f"/hooks/meta?{CHECK}")
    assert (answer.status_code, answer.content) == (200, b"4242")
    assert answer["X-Content-Type-Options"] == "nosniff"
    wrong = CHECK.replace("django-token", "guess")
    assert client.get(f"/hooks/meta?{wrong}").status_code == 405
    assert client.get(f"/hooks/acme?{CHECK}").status_code == 405  # no challenge on this route
    assert len(CALLS) == 0
    body = b'{"object": "page"}'
    signed = META.sign(body)
    assert post(client, "/hooks/meta", body, signed).status_code == 200
    assert len(CALLS) == 1


def test_async_views_answer_challenges_and_verify_asynchronously() -> None:
    """The async view: the check answered, an unsigned POST 403, a signed one verified."""

    async def main() -> list[Any]:
        browser = AsyncClient()
        body = b'{"object": "page"}'
        return [
            await browser.get(f"/hooks/meta-async?{CHECK}"),
            await browser.get("/hooks/meta-async?hub.challenge=1"),
            await browser.generic("POST", "/hooks/meta-async", body, "application/json"),
            await browser.generic(
                "POST", "/hooks/meta-async", body, "application/json", headers=META.sign(body)
            ),
        ]

    check, refused, unsigned, signed = asyncio.run(main())
    assert (check.status_code, check.content) == (200, b"4242")
    assert refused.status_code == 405
    assert unsigned.status_code == 403
    assert signed.status_code == 200
    assert len(CALLS) == 1
