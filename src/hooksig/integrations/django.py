"""
Django: ``@webhook_view`` for function views (sync or async), and ``HookSigMiddleware``.

::

    from hooksig.integrations.django import webhook_view

    @webhook_view(verifier, idempotency=guard)
    def github(request, delivery):
        ...

The view is exempt from CSRF (a provider has no CSRF token) and, on Django
5.1+, from ``LoginRequiredMiddleware``; ``HEAD`` is answered 200.  The body
is read once, as ``request.body``: it stays available to your view.

Settings, all optional, read again whenever ``HOOKSIG`` changes (Django's
``setting_changed``, which ``override_settings`` and pytest-django's
``settings`` send)::

    HOOKSIG = {
        "IDEMPOTENCY": "myproject.hooks.guard",   # an Idempotency, or its dotted path
        "OUTCOMES": {"duplicate": 204},            # an Outcomes, or a dict of its fields
        "KEY": None,                               # an idempotency key function, or its path
        "READ_TIMEOUT": 10.0,                      # seconds, or None (WSGI only)
        "ON_OUTCOME": "myproject.hooks.count",     # called with every request's Event
        "ALLOWLIST": "myproject.hooks.allowlist",  # also PROXIES, RATE_LIMIT, JOURNAL: objects
        "HTTPS_ONLY": True,                        #   or their dotted paths
        "ROUTES": {                                # for HookSigMiddleware
            "/hooks/github/": {
                "verifier": "myproject.hooks.github_verifier",
                "handler": "myproject.hooks.handle_github",  # handler(request, delivery)
                # optional: any of the options, lowercase ("idempotency", ...)
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
import itertools
import time
from collections.abc import Callable, Mapping
from typing import Any

from .._primitives.headers import Headers
from ..delivery import Delivery
from ..errors import ConfigurationError, ExtraNotInstalled, PayloadTooLarge
from ..gate import Allowlist, Limiter, Permit, ProxyChain
from ..idempotency import Idempotency
from ..journal import Journal
from ..verifier import Verifier
from ._around import scope_origin, wsgi_origin
from ._endpoint import OPTIONS, UNCOUNTED, UNSET, Endpoint, Unset, ViewEndpoint
from ._events import OnOutcome
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import (
    Refused,
    asgi_target,
    check_complete,
    declared_length,
    read_refusal,
    socket_timeout,
    wsgi_socket,
    wsgi_target,
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

__all__ = ["HookSigMiddleware", "webhook_view"]

View = Callable[..., Any]


def _hooksig() -> Mapping[str, Any]:
    return getattr(settings, "HOOKSIG", None) or {}


_NAMES = tuple(name.upper() for name in OPTIONS)


@functools.cache
def _app_settings() -> tuple[object, ...]:
    # One value per option, UNSET where HOOKSIG has no key: read again after
    # every change of the setting (_reset), not on every request, where a
    # missing HOOKSIG costs Django an exception each time.
    return tuple(map(_hooksig().get, _NAMES, itertools.repeat(UNSET)))


def _label(name: str) -> str:
    return f'HOOKSIG["{name.upper()}"]'


def _load(name: str, value: object) -> object:
    # A dotted path names the object: a guard, a table, a key function, a hook,
    # an allowlist, a proxy chain, a rate limit, a journal.
    if not isinstance(value, str) or name in ("read_timeout", "https_only"):
        return value
    try:
        return import_string(value)
    except ImportError as error:
        raise ConfigurationError(f"{_label(name)}: cannot import {value!r} ({error})") from None


def _response(answer: Answer) -> HttpResponse:
    return HttpResponse(answer.body, status=answer.status, headers=dict(answer.headers))


def _target(request: HttpRequest) -> str:
    scope = getattr(request, "scope", None)  # ASGIRequest keeps its ASGI scope
    return asgi_target(scope) if isinstance(scope, Mapping) else wsgi_target(request.META)


def _route(request: HttpRequest) -> str:
    match = request.resolver_match
    route = getattr(match, "route", None)
    return f"/{route}" if isinstance(route, str) and route else request.path_info


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


def _admit(
    endpoint: Endpoint, request: HttpRequest, route: str, started: float
) -> Permit | HttpResponse:
    """Method and gate: the gate's permit, or the answer that ends the request."""
    early = endpoint.method(request.method or "GET", route=route, started=started)
    if early is not None:
        return _response(early)
    if endpoint.gate is None:
        return UNCOUNTED  # no origin worked out without a gate
    scope = getattr(request, "scope", None)  # ASGIRequest: the server's own view of it
    origin = scope_origin(scope) if isinstance(scope, Mapping) else wsgi_origin(request.META)
    permit = endpoint.admit(*origin, route=route, started=started)
    return _response(permit) if isinstance(permit, Answer) else permit


def _intake(
    endpoint: Endpoint, request: HttpRequest, route: str, started: float
) -> tuple[bytes, Headers, Callable[[], str]] | HttpResponse:
    """The body, with the headers and target to verify it by, or the answer."""
    meta = request.META
    try:
        declared = declared_length(meta.get("CONTENT_LENGTH"), endpoint.limit)
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if declared is None and chunked and not hasattr(request, "scope"):
            # Django's WSGI request reads no body without a Content-Length.
            raise Refused("length_required", "chunked_body_unsupported")
        body = check_complete(_read_body(request, endpoint.read_timeout), declared)
    except ANSWERED as error:
        return _response(endpoint.refuse(error, route=route, started=started))
    return body, Headers.from_environ(meta), functools.partial(_target, request)


def _taken(
    endpoint: Endpoint, request: HttpRequest, route: str, started: float
) -> tuple[Permit, bytes, Headers, Callable[[], str]] | HttpResponse:
    """Method, gate and body: what to verify under its permit, or the answer."""
    permit = _admit(endpoint, request, route, started)
    if isinstance(permit, HttpResponse):
        return permit
    try:
        taken = _intake(endpoint, request, route, started)
    except BaseException:
        permit.release()
        raise
    if isinstance(taken, HttpResponse):
        permit.release()
        return taken
    return (permit, *taken)


def _kept(permit: Permit, delivered: Delivery | Answer) -> tuple[Delivery, Permit] | HttpResponse:
    """The delivery under its permit, or the answer to a challenge or handshake."""
    if isinstance(delivered, Answer):
        permit.release()
        return _response(delivered)
    return delivered, permit


def _prepare(
    endpoint: Endpoint, request: HttpRequest, route: str, started: float
) -> tuple[Delivery, Permit] | HttpResponse:
    taken = _taken(endpoint, request, route, started)
    if isinstance(taken, HttpResponse):
        return taken
    permit, body, headers, target = taken
    try:
        delivered = endpoint.deliver(
            body, headers, method=request.method or "GET", path=target, route=route, started=started
        )
    except ANSWERED as error:
        permit.release()
        return _response(endpoint.refuse(error, route=route, started=started))
    except BaseException:
        permit.release()
        raise
    return _kept(permit, delivered)


async def _prepare_async(
    endpoint: Endpoint, request: HttpRequest, route: str, started: float
) -> tuple[Delivery, Permit] | HttpResponse:
    taken = _taken(endpoint, request, route, started)
    if isinstance(taken, HttpResponse):
        return taken
    permit, body, headers, target = taken
    try:
        delivered = await endpoint.deliver_async(
            body, headers, method=request.method or "GET", path=target, route=route, started=started
        )
    except ANSWERED as error:
        permit.release()
        return _response(endpoint.refuse(error, route=route, started=started))
    except BaseException:
        permit.release()
        raise
    return _kept(permit, delivered)


def _status(response: HttpResponseBase) -> int:
    return int(response.status_code)


def webhook_view(
    verifier: Verifier,
    idempotency: Idempotency | Unset | None = UNSET,
    *,
    outcomes: Outcomes | Unset | None = UNSET,
    key: Callable[[Delivery], str] | Unset | None = UNSET,
    read_timeout: float | Unset | None = UNSET,
    on_outcome: OnOutcome | Unset | None = UNSET,
    allowlist: Allowlist | Unset | None = UNSET,
    https_only: bool | Unset | None = UNSET,
    proxies: ProxyChain | Unset | None = UNSET,
    rate_limit: Limiter | Unset | None = UNSET,
    journal: Journal | Unset | None = UNSET,
) -> Callable[[View], View]:
    """
    Decorate a function view so that it runs only for authentic deliveries, once each.

    The view is called as ``view(request, delivery, *args, **kwargs)`` and
    returns an ``HttpResponse``, or ``None`` for an empty 200.  ``async def``
    views are awaited, verify with :meth:`hooksig.Verifier.verify_async` (a
    key fetch never blocks the event loop) and claim through the guard's
    asyncio interface.  A provider's endpoint challenge is answered without
    calling the view.  A
    view that raises, or answers 5xx, releases its claim so that the
    provider's retry runs it again.

    Every option left out takes ``HOOKSIG["IDEMPOTENCY"]`` (and so on, see
    the module docstring), else its default; ``None`` turns it off.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` runs every authentic delivery unguarded.
        outcomes: the status table; ``None`` for the defaults.
        key: the idempotency key of a delivery; ``None`` for its scheme and id.
        read_timeout: seconds the client may stay silent while sending the
            body, under WSGI; one that stalls longer is answered 408 (the
            ``timeout`` outcome) and the view is not called.  Applied to the
            connection's socket where the server exposes it in
            ``request.META`` (gunicorn, Werkzeug's development server), and
            restored after the read.  ``None`` leaves the socket to the
            server; the default is 10.  Under ASGI Django has read the body
            before the view: no effect.
        on_outcome: called with an :class:`~hooksig.integrations.Event` for
            every answered request.
        allowlist: the addresses requests may come from; others get 403
            before the body is read (:class:`~hooksig.gate.Allowlist`).
        https_only: answer 403 to plain HTTP not vouched for by a trusted proxy.
        proxies: your proxies (:class:`~hooksig.gate.ProxyChain`), whose
            forwarding headers give the client address and scheme.
        rate_limit: requests per second and in flight; over it, 429 with
            ``Retry-After`` before the body is read.
        journal: keeps each verified delivery with the view's outcome
            (:class:`~hooksig.journal.Journal`).

    Raises:
        ConfigurationError: an argument has the wrong type (when decorating).

    .. versionadded:: 0.1
    """
    view_endpoint = ViewEndpoint(
        Endpoint(
            verifier,
            idempotency,
            outcomes=outcomes,
            key=key,
            read_timeout=read_timeout,
            on_outcome=on_outcome,
            allowlist=allowlist,
            https_only=https_only,
            proxies=proxies,
            rate_limit=rate_limit,
            journal=journal,
        )
    )

    def current() -> Endpoint:
        return view_endpoint.get(_app_settings(), _label, _load)

    def decorator(view: View) -> View:
        wrapper: View
        if iscoroutinefunction(view):

            async def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                started = time.perf_counter()
                endpoint, route = current(), _route(request)
                prepared = await _prepare_async(endpoint, request, route, started)
                if isinstance(prepared, HttpResponseBase):
                    return prepared
                delivery, permit = prepared

                async def call() -> HttpResponseBase:
                    return _result(await view(request, delivery, *args, **kwargs))

                try:
                    result = await endpoint.run_async(
                        delivery, call, _status, route=route, started=started
                    )
                finally:
                    permit.release()
                return _response(result) if isinstance(result, Answer) else result

            markcoroutinefunction(wrapper)
        else:

            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                started = time.perf_counter()
                endpoint, route = current(), _route(request)
                prepared = _prepare(endpoint, request, route, started)
                if isinstance(prepared, HttpResponseBase):
                    return prepared
                delivery, permit = prepared

                def call() -> HttpResponseBase:
                    return _result(view(request, delivery, *args, **kwargs))

                try:
                    result = endpoint.run(delivery, call, _status, route=route, started=started)
                finally:
                    permit.release()
                return _response(result) if isinstance(result, Answer) else result

        wrapped: View = csrf_exempt(functools.wraps(view)(wrapper))
        if login_not_required is not None:
            wrapped = login_not_required(wrapped)
        return wrapped

    return decorator


@functools.cache
def _routes() -> dict[str, View]:
    routes: dict[str, View] = {}
    table = _hooksig().get("ROUTES") or {}
    for path, route in table.items():
        if not isinstance(route, Mapping) or "verifier" not in route or "handler" not in route:
            raise ConfigurationError(f"HOOKSIG route {path!r} needs a verifier and a handler")
        unknown = set(route) - {"verifier", "handler", *OPTIONS}
        if unknown:
            raise ConfigurationError(f"HOOKSIG route {path!r} has unknown keys {sorted(unknown)}")
        options = {name: _load(name, route[name]) for name in OPTIONS if name in route}
        if isinstance(options.get("outcomes"), Mapping):
            options["outcomes"] = Outcomes(**options["outcomes"])  # type: ignore[arg-type]
        view = webhook_view(_load("verifier", route["verifier"]), **options)  # type: ignore[arg-type]
        routes[path] = view(_load("handler", route["handler"]))  # type: ignore[arg-type]
    return routes


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "HOOKSIG":
        _routes.cache_clear()
        _app_settings.cache_clear()


setting_changed.connect(_reset, dispatch_uid="hooksig.integrations.django")


class HookSigMiddleware:
    """
    Answer the paths in ``HOOKSIG["ROUTES"]`` before URL resolution and view middleware.

    Each route runs its handler as ``@webhook_view`` would, with the route's
    own options (``"idempotency"``, ``"outcomes"``, ``"key"``,
    ``"read_timeout"``, ``"on_outcome"``, ``"allowlist"``, ``"https_only"``,
    ``"proxies"``, ``"rate_limit"``, ``"journal"``) over the app-wide ones.  Put it
    early in ``MIDDLEWARE``: middleware before it sees the unverified
    request.  Works under WSGI and ASGI, with sync and async handlers.

    Django builds middleware from settings (``MIDDLEWARE`` holds its dotted
    path), so it takes its routes from ``HOOKSIG``, not from arguments as
    the ASGI and WSGI ``WebhookMiddleware`` do: hence its own name.

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
