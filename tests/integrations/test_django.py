"""The Django adapter, through Django's own test clients (sync and async)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
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
            "hooksig.integrations.django.WebhookMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        USE_TZ=True,
    )
    django.setup()

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path

from hooksig import Delivery
from hooksig.idempotency import Idempotency
from hooksig.integrations.django import webhook_view

from .conftest import BODY, LIMIT, Calls, assert_clean_logs, held, make_kit, reasons

KIT = make_kit()
CALLS = Calls()


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


@webhook_view(KIT.slack, idempotency=False)
def slack(request: HttpRequest, delivery: Delivery) -> None:
    """Record the delivery (a handshake never gets here)."""
    CALLS.deliveries.append(delivery)


@webhook_view(KIT.verifier)
def flaky(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """Fail with a 500 the first time only."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("boom" if len(CALLS) == 1 else "ok", status=500 if len(CALLS) == 1 else 200)


def routed(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """A handler reached through WebhookMiddleware and HOOKSIG["ROUTES"]."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("routed")


async def routed_async(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    """An async handler reached through WebhookMiddleware."""
    CALLS.deliveries.append(delivery)
    return HttpResponse("routed async")


urlpatterns = [
    path("hooks/acme", acme),
    path("hooks/acme-async", acme_async),
    path("hooks/slack", slack),
    path("hooks/flaky", flaky),
]


@pytest.fixture(autouse=True)
def _fresh(guard: Idempotency) -> Iterator[None]:
    """Empty the call record, and make the MemoryStore guard the settings' default."""
    CALLS.deliveries.clear()
    CALLS.seen.clear()
    with override_settings(HOOKSIG={"IDEMPOTENCY": guard}):
        yield


def post(client: Client, url: str, body: bytes, headers: dict[str, str], **extra: Any) -> Any:
    """POST raw *body* with *headers* as Django's test client wants them."""
    content_type = headers.pop("Content-Type", "application/json")
    return client.generic("POST", url, body, content_type, headers=headers, **extra)


@pytest.fixture
def client() -> Client:
    """A client that enforces CSRF, as a browser-facing site does."""
    return Client(enforce_csrf_checks=True)


def test_valid_delivery_runs_the_view(client: Client) -> None:
    """An authentic delivery passes CSRF and reaches the view with its exact bytes."""
    response = post(client, "/hooks/acme", BODY, KIT.signed())
    assert (response.status_code, response.json()) == (200, {"handled": True})
    assert CALLS.deliveries[0].id == "msg_1"
    assert CALLS.seen["body"] == BODY


def test_forged_delivery_is_403(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    """A wrong signature is answered 403 'forbidden' and never runs the view."""
    response = post(client, "/hooks/acme", BODY, KIT.forged())
    assert (response.status_code, response.content) == (403, b"forbidden")
    assert len(CALLS) == 0
    assert reasons(caplog) == ["no_match"]
    assert_clean_logs(caplog)


def test_stale_delivery_is_403(client: Client) -> None:
    """An authentic but stale delivery is refused."""
    assert post(client, "/hooks/acme", BODY, KIT.stale()).status_code == 403
    assert len(CALLS) == 0


def test_declared_oversized_body_is_413_unread(client: Client) -> None:
    """A Content-Length over the limit is refused before the stream is touched."""

    class Exploding(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    extra = {"wsgi.input": Exploding(), "CONTENT_LENGTH": str(LIMIT * 10)}
    assert post(client, "/hooks/acme", BODY, KIT.signed(), **extra).status_code == 413
    assert len(CALLS) == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_djangos_own_upload_limit_is_413_too(client: Client, guard: Idempotency) -> None:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (but under ours) is also 413."""
    body = b'{"pad":"' + b"x" * 200 + b'"}'
    assert post(client, "/hooks/acme", body, KIT.signed(body)).status_code == 413


def test_duplicate_done_is_200_without_running(client: Client, sqlite_guard: Idempotency) -> None:
    """A redelivery is answered 200 from the SQLite store named in settings."""
    with override_settings(HOOKSIG={"IDEMPOTENCY": sqlite_guard}):
        assert post(client, "/hooks/acme", BODY, KIT.signed()).status_code == 200
        again = post(client, "/hooks/acme", BODY, KIT.signed())
    assert (again.status_code, again.content) == (200, b"already handled")
    assert len(CALLS) == 1


def test_duplicate_in_progress_is_409(client: Client, guard: Idempotency) -> None:
    """A delivery held by another worker is answered 409 with Retry-After."""
    with held(guard):
        response = post(client, "/hooks/acme", BODY, KIT.signed())
    assert response.status_code == 409
    assert response["Retry-After"] == "30"
    assert len(CALLS) == 0


def test_store_down_is_503(client: Client, down_guard: Idempotency) -> None:
    """An unreachable store is answered 503, and OUTCOMES from settings apply."""
    with override_settings(HOOKSIG={"IDEMPOTENCY": down_guard, "OUTCOMES": {"retry_after": 5}}):
        response = post(client, "/hooks/acme", BODY, KIT.signed())
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert len(CALLS) == 0


def test_handshake_is_answered(client: Client) -> None:
    """A signed Slack challenge is answered with the challenge, not run."""
    body, headers = KIT.challenge()
    response = post(client, "/hooks/slack", body, headers)
    assert (response.status_code, response.content) == (200, b"c-7f3a")
    assert len(CALLS) == 0


def test_form_body_is_verified_raw_then_parsed(client: Client) -> None:
    """A form-encoded body is verified as bytes; request.POST still works after."""
    body = b"a=1&b=caf%C3%A9"
    headers = {**KIT.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert post(client, "/hooks/acme", body, headers).status_code == 200
    assert CALLS.seen["post"] == {"a": "1", "b": "café"}
    assert CALLS.deliveries[0].body == body


def test_server_error_releases_the_claim(client: Client) -> None:
    """A view answering 500 releases its claim so the retry runs it again."""
    assert post(client, "/hooks/flaky", BODY, KIT.signed()).status_code == 500
    assert post(client, "/hooks/flaky", BODY, KIT.signed()).status_code == 200
    assert post(client, "/hooks/flaky", BODY, KIT.signed()).content == b"already handled"
    assert len(CALLS) == 2


def test_head_and_other_methods(client: Client) -> None:
    """HEAD is answered 200 and GET 405, without running the view."""
    assert client.head("/hooks/acme").status_code == 200
    assert client.get("/hooks/acme").status_code == 405
    assert len(CALLS) == 0


def test_view_is_marked_exempt() -> None:
    """The decorated view is CSRF exempt and, where Django has it, login-exempt."""
    assert acme.csrf_exempt is True  # type: ignore[attr-defined]
    assert getattr(acme, "login_required", False) is False


async def apost(url: str, headers: dict[str, str]) -> Any:
    """POST BODY through Django's AsyncClient (the ASGI request path)."""
    return await AsyncClient().generic("POST", url, BODY, "application/json", headers=headers)


def test_async_view_runs_once() -> None:
    """An async view is awaited and claims through the guard's asyncio interface."""
    first = asyncio.run(apost("/hooks/acme-async", KIT.signed()))
    again = asyncio.run(apost("/hooks/acme-async", KIT.signed()))
    assert (first.status_code, first.content) == (200, b"")
    assert (again.status_code, again.content) == (200, b"already handled")
    assert len(CALLS) == 1


def test_middleware_routes_by_path(client: Client, guard: Idempotency) -> None:
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
