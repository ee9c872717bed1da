"""
Django: ``@webhook_view`` for function views (sync or async), and a path-routing middleware.

::

    from hooksig.integrations.django import webhook_view

    @webhook_view(verifier, idempotency=guard)
    def github(request, delivery):
        ...

The view is exempt from CSRF (a provider has no CSRF token) and, on Django
5.1+, from ``LoginRequiredMiddleware``; ``HEAD`` is answered 200.  The body
is read once, as ``request.body``: it stays available to your view.

Settings, all optional, read on each request (so ``override_settings`` works)::

    HOOKSIG = {
        "IDEMPOTENCY": "myproject.hooks.guard",   # an Idempotency, or its dotted path
        "OUTCOMES": {"duplicate": 204},            # an Outcomes, or a dict of its fields
        "READ_TIMEOUT": 10.0,                      # seconds, or None (WSGI only)
        "ROUTES": {                                # for WebhookMiddleware
            "/hooks/github/": {
                "verifier": "myproject.hooks.github_verifier",
                "handler": "myproject.hooks.handle_github",  # handler(request, delivery)
                # optional: "idempotency", "outcomes", "read_timeout"
            },
        },
    }

Django reads ``request.body`` whole, and caps it at
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB by default; a larger body is
answered 413 too).  Under WSGI, a client that stalls mid-body is answered
408 (the ``timeout`` outcome) after ``read_timeout`` seconds of silence
where the server exposes the connection's socket in ``request.META``
(gunicorn, Werkzeug's development server), as in
:class:`hooksig.integrations.wsgi.WebhookMiddleware`.  Under ASGI, Django
has already read the whole body before any view or middleware runs, so
``read_timeout`` does nothing: bound the body and its time at the server,
or put :class:`hooksig.integrations.asgi.WebhookMiddleware` in front.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..delivery import Delivery
from ..errors import ConfigurationError, ExtraNotInstalled, PayloadTooLarge
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._endpoint import Endpoint, asgi_target, wsgi_target
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import (
    FROM_SETTINGS,
    Refused,
    TimeoutSetting,
    check_complete,
    declared_length,
    given_timeout,
    read_refusal,
    resolved_timeout,
    socket_timeout,
    wsgi_socket,
)

try:
    from asgiref.sync import (
        async_to_sync,
        iscoroutinefunction,
        markcoroutinefunction,
        sync_to_async,
    )
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig
    from django.core.signals import setting_changed
    from django.http import HttpRequest, HttpResponse, HttpResponseBase
    from django.http.request import RawPostDataException, UnreadablePostError
    from django.utils.module_loading import import_string
    from django.views.decorators.csrf import csrf_exempt
except ImportError as _exc:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("django", "django") from _exc

try:
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # pragma: no cover - Django < 5.1 has no LoginRequiredMiddleware
    login_not_required = None

__all__ = ["WebhookMiddleware", "webhook_view"]

View = Callable[..., Any]


def _settings() -> Mapping[str, Any]:
    return getattr(settings, "HOOKSIG", None) or {}


def _setting(name: str) -> Any:
    value = _settings().get(name)
    return import_string(value) if isinstance(value, str) else value


def _timeout(read_timeout: TimeoutSetting) -> float | None:
    setting = _settings().get("READ_TIMEOUT", FROM_SETTINGS)
    try:
        return resolved_timeout(read_timeout, setting)
    except ConfigurationError:
        raise ConfigurationError(
            'HOOKSIG["READ_TIMEOUT"] must be a positive number of seconds or None'
        ) from None


def _outcomes(value: Any) -> Outcomes | None:
    return Outcomes(**value) if isinstance(value, Mapping) else value


def _endpoint(
    verifier: Verifier,
    idempotency: Idempotency | Literal[False] | None,
    outcomes: Outcomes | None,
    key: Callable[[Delivery], str] | None,
) -> Endpoint:
    if idempotency is None:
        idempotency = _setting("IDEMPOTENCY")
    if outcomes is None:
        outcomes = _outcomes(_setting("OUTCOMES"))
    return Endpoint(verifier, idempotency or None, outcomes=outcomes, key=key)


def _response(answer: Answer) -> HttpResponse:
    return HttpResponse(answer.body, status=answer.status, headers=dict(answer.headers))


def _target(request: HttpRequest) -> str:
    scope = getattr(request, "scope", None)  # ASGIRequest keeps its ASGI scope
    return asgi_target(scope) if isinstance(scope, Mapping) else wsgi_target(request.META)


def _result(result: object) -> HttpResponseBase:
    if result is None:
        return HttpResponse(b"", status=200)
    if not isinstance(result, HttpResponseBase):
        raise TypeError("a webhook view must return an HttpResponse or None")
    return result


def _read_body(request: HttpRequest, timeout: float | None) -> bytes:
    # Under WSGI, META is the environ: the server's socket, if exposed, times
    # the read.  Under ASGI the body is already read and META has no socket.
    try:
        with socket_timeout(wsgi_socket(request.META), timeout):
            body: bytes = request.body
    except RequestDataTooBig:
        raise PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from None
    except RawPostDataException:
        return b""  # read as a stream before us: check_complete explains
    except UnreadablePostError as error:
        # Django wraps the read's own OSError (a socket timeout included),
        # once in request.read() and again in request.body.
        cause: OSError = error
        while isinstance(cause, UnreadablePostError) and isinstance(cause.__cause__, OSError):
            cause = cause.__cause__
        raise read_refusal(cause) from None
    return body


def _intake(endpoint: Endpoint, request: HttpRequest, timeout: float | None) -> bytes:
    """The body of a request that goes on to verification; raises what refuses it."""
    declared = declared_length(request.META.get("CONTENT_LENGTH"), endpoint.limit)
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if declared is None and chunked and not hasattr(request, "scope"):
        # Django's WSGI request reads no body without a Content-Length.
        raise Refused("length_required", "chunked_body_unsupported")
    return check_complete(_read_body(request, timeout), declared)


def _prepare(
    endpoint: Endpoint, request: HttpRequest, timeout: float | None
) -> Delivery | HttpResponse:
    method = request.method or "GET"
    early = endpoint.method(method)
    if early is not None:
        return _response(early)
    try:
        body, target = _intake(endpoint, request, timeout), _target(request)
        reply = endpoint.challenge(body, request.headers.items(), method=method, path=target)
        if reply is None:
            delivery = endpoint.verify(body, request.headers.items(), path=target)
            reply = endpoint.handshake(delivery)
    except ANSWERED as error:
        return _response(endpoint.refuse(error, path=request.path))
    return delivery if reply is None else _response(reply)


async def _prepare_async(
    endpoint: Endpoint, request: HttpRequest, timeout: float | None
) -> Delivery | HttpResponse:
    method = request.method or "GET"
    early = endpoint.method(method)
    if early is not None:
        return _response(early)
    try:
        body, target = _intake(endpoint, request, timeout), _target(request)
        reply = endpoint.challenge(body, request.headers.items(), method=method, path=target)
        if reply is None:
            delivery = await endpoint.verify_async(body, request.headers.items(), path=target)
            reply = await endpoint.handshake_async(delivery)
    except ANSWERED as error:
        return _response(endpoint.refuse(error, path=request.path))
    return delivery if reply is None else _response(reply)


def _failed(response: HttpResponseBase) -> bool:
    return int(response.status_code) >= 500


def webhook_view(
    verifier: Verifier,
    idempotency: Idempotency | Literal[False] | None = None,
    *,
    outcomes: Outcomes | None = None,
    key: Callable[[Delivery], str] | None = None,
    read_timeout: TimeoutSetting = FROM_SETTINGS,
) -> Callable[[View], View]:
    """
    Decorate a function view so that it runs only for authentic deliveries, once each.

    The view is called as ``view(request, delivery, *args, **kwargs)`` and
    returns an ``HttpResponse``, or ``None`` for an empty 200.  ``async def``
    views are awaited, verify with :meth:`hooksig.Verifier.verify_async` (a
    key fetch never blocks the event loop) and claim through the guard's
    asyncio interface.  A provider's endpoint challenge is answered
    without calling the view.  A
    view that raises, or answers 5xx, releases its claim so that the
    provider's retry runs it again.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` uses ``HOOKSIG["IDEMPOTENCY"]``,
            ``False`` runs every authentic delivery unguarded.
        outcomes: the status table (default: ``HOOKSIG["OUTCOMES"]``, then the DESIGN's).
        key: the idempotency key of a delivery whose scheme has no id.
        read_timeout: seconds the client may stay silent while sending the
            body, under WSGI; one that stalls longer is answered 408 (the
            ``timeout`` outcome) and the view is not called.  Applied to the
            connection's socket where the server exposes it in
            ``request.META`` (gunicorn, Werkzeug's development server), and
            restored after the read.  ``None`` leaves the socket to the
            server.  Left out, ``HOOKSIG["READ_TIMEOUT"]``, else 10 seconds.
            Under ASGI Django has read the body before the view: no effect.

    Raises:
        ConfigurationError: an argument has the wrong type (when decorating).

    .. versionadded:: 0.1
    """
    Endpoint(verifier, idempotency or None, outcomes=outcomes, key=key)
    given_timeout(read_timeout)

    def decorator(view: View) -> View:
        wrapper: View
        if iscoroutinefunction(view):

            async def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                endpoint = _endpoint(verifier, idempotency, outcomes, key)
                prepared = await _prepare_async(endpoint, request, _timeout(read_timeout))
                if isinstance(prepared, HttpResponseBase):
                    return prepared

                async def call() -> HttpResponseBase:
                    return _result(await view(request, prepared, *args, **kwargs))

                result = await endpoint.run_async(prepared, call, _failed)
                return _response(result) if isinstance(result, Answer) else result

            markcoroutinefunction(wrapper)
        else:

            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                endpoint = _endpoint(verifier, idempotency, outcomes, key)
                prepared = _prepare(endpoint, request, _timeout(read_timeout))
                if isinstance(prepared, HttpResponseBase):
                    return prepared

                def call() -> HttpResponseBase:
                    return _result(view(request, prepared, *args, **kwargs))

                result = endpoint.run(prepared, call, _failed)
                return _response(result) if isinstance(result, Answer) else result

        wrapped: View = csrf_exempt(functools.wraps(view)(wrapper))
        if login_not_required is not None:
            wrapped = login_not_required(wrapped)
        return wrapped

    return decorator


@functools.cache
def _routes() -> dict[str, View]:
    routes: dict[str, View] = {}
    table = (getattr(settings, "HOOKSIG", None) or {}).get("ROUTES") or {}
    for path, route in table.items():
        if not isinstance(route, Mapping) or "verifier" not in route or "handler" not in route:
            raise ConfigurationError(f"HOOKSIG route {path!r} needs a verifier and a handler")
        resolved = {k: import_string(v) if isinstance(v, str) else v for k, v in route.items()}
        routes[path] = webhook_view(
            resolved["verifier"],
            resolved.get("idempotency"),
            outcomes=_outcomes(resolved.get("outcomes")),
            read_timeout=resolved.get("read_timeout", FROM_SETTINGS),
        )(resolved["handler"])
    return routes


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "HOOKSIG":
        _routes.cache_clear()


setting_changed.connect(_reset, dispatch_uid="hooksig.integrations.django")


class WebhookMiddleware:
    """
    Answer the paths in ``HOOKSIG["ROUTES"]`` before URL resolution and view middleware.

    Each route runs its handler as ``@webhook_view`` would, with the route's
    optional ``"idempotency"``, ``"outcomes"`` and ``"read_timeout"``.  Put it
    early in ``MIDDLEWARE``: middleware before it sees the unverified request.
    Works under WSGI and ASGI, with sync and async handlers.

    .. versionadded:: 0.1
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        """
        Answer a webhook path, or pass the request on.
        """
        if self.is_async:
            return self._acall(request)
        view = _routes().get(request.path_info)
        if view is None:
            return self.get_response(request)
        return async_to_sync(view)(request) if iscoroutinefunction(view) else view(request)

    async def _acall(self, request: HttpRequest) -> Any:
        view = _routes().get(request.path_info)
        if view is None:
            return await self.get_response(request)
        if iscoroutinefunction(view):
            return await view(request)
        return await sync_to_async(view)(request)
