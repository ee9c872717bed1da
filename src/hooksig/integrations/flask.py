"""
Flask: the ``@webhook`` view decorator and the optional ``HookSig`` extension.

::

    from hooksig.integrations.flask import webhook

    @app.post("/hooks/github")
    @webhook(verifier, idempotency=guard)
    def github(delivery):
        ...

The decorator reads the raw body under the verifier's size limit (and
``MAX_CONTENT_LENGTH``, where lower), verifies it, and runs your view once
per delivery id; ``request.get_data()`` and ``request.get_json()`` still
work inside your view.  The route also answers ``HEAD`` (200) without listing it.
Needs Flask 3.1 or later (``pip install "hooksig[flask]"``).

App-wide options live in ``app.config`` (``HOOKSIG_IDEMPOTENCY``,
``HOOKSIG_OUTCOMES``, ``HOOKSIG_KEY``, ``HOOKSIG_READ_TIMEOUT``,
``HOOKSIG_ON_OUTCOME``), read on every request: a test sets
``app.config["HOOKSIG_IDEMPOTENCY"]`` to give every view its guard.

A client that stalls mid-body is answered 408 (the ``timeout`` outcome)
after ``read_timeout`` seconds of silence where the server exposes the
connection's socket in the environ (gunicorn, Werkzeug's development
server): the socket gets the timeout while the body is read, as in
:class:`hooksig.integrations.wsgi.WebhookMiddleware`.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from .._primitives.headers import Headers
from ..delivery import Delivery
from ..errors import ExtraNotInstalled, PayloadTooLarge
from ..gate import Allowlist, Limiter, ProxyChain
from ..idempotency import Idempotency
from ..journal import Journal
from ..verifier import Verifier
from ._around import wsgi_origin
from ._endpoint import (
    OPTIONS,
    UNCOUNTED,
    UNSET,
    Endpoint,
    Unset,
    ViewEndpoint,
    settings_options,
)
from ._events import OnOutcome
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import (
    Refused,
    check_complete,
    declared_length,
    read_environ,
    read_refusal,
    replay_environ,
    socket_timeout,
    wsgi_socket,
    wsgi_target,
)

try:
    from flask import Flask, Request, Response, current_app, request
    from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
except ImportError as _exc:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("flask", "flask") from _exc

__all__ = ["HookSig", "webhook"]

#: The key of the extension in ``app.extensions``.
EXTENSION = "hooksig"

View = Callable[..., Any]


def _config_key(name: str) -> str:
    return f"HOOKSIG_{name.upper()}"


_KEYS = tuple(map(_config_key, OPTIONS))


_NONE_SET = tuple(UNSET for _ in _KEYS)


def _app_settings(config: Mapping[str, Any]) -> tuple[object, ...]:
    # One value per option, UNSET where the config has no key: read per request.
    # Most apps set none, and then it is the same tuple every time, which
    # ViewEndpoint.get() knows by identity.
    if not any(map(config.__contains__, _KEYS)):
        return _NONE_SET
    return tuple(map(config.get, _KEYS, itertools.repeat(UNSET)))


class HookSig:
    """
    App-wide options for every ``@webhook`` view, in the Flask extension pattern.

    ::

        hooksig = HookSig(idempotency=Idempotency(SQLiteStore("hooksig.db")))
        hooksig.init_app(app)

    Each argument given is written to the app's config key
    (``HOOKSIG_IDEMPOTENCY``, ``HOOKSIG_OUTCOMES``, ``HOOKSIG_KEY``,
    ``HOOKSIG_READ_TIMEOUT``, ``HOOKSIG_ON_OUTCOME``, ``HOOKSIG_ALLOWLIST``,
    ``HOOKSIG_HTTPS_ONLY``, ``HOOKSIG_PROXIES``, ``HOOKSIG_RATE_LIMIT``,
    ``HOOKSIG_JOURNAL``), which views read on
    every request; ``HOOKSIG_OUTCOMES`` may also be a dict of
    :class:`~hooksig.integrations.Outcomes` fields.  A view's own
    ``@webhook(...)`` arguments win over these.

    Args:
        app: the app to set up now; or call :meth:`init_app` later.
        idempotency: the default guard of every ``@webhook`` view.
        outcomes: the default status table.
        key: the default idempotency key function.
        read_timeout: the default read timeout, in seconds (10 when unset);
            ``None`` leaves the socket to the server.
        on_outcome: the default hook, called with an
            :class:`~hooksig.integrations.Event` for every answered request.
        allowlist: the default source allowlist (:class:`~hooksig.gate.Allowlist`).
        https_only: refuse plain HTTP in every view.
        proxies: your proxies (:class:`~hooksig.gate.ProxyChain`).
        rate_limit: the default rate limit; one limiter object shared by
            several views counts their requests together.
        journal: the default journal (:class:`~hooksig.journal.Journal`).

    Raises:
        ConfigurationError: an option has the wrong type (here, or in ``init_app``).

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        idempotency: Idempotency | Unset | None = UNSET,
        outcomes: Outcomes | Unset | None = UNSET,
        key: Callable[[Delivery], str] | Unset | None = UNSET,
        read_timeout: float | Unset | None = UNSET,
        on_outcome: OnOutcome | Unset | None = UNSET,
        allowlist: Allowlist | Unset | None = UNSET,
        https_only: bool | Unset | None = UNSET,
        proxies: ProxyChain | Unset | None = UNSET,
        rate_limit: Limiter | Unset | None = UNSET,
        journal: Journal | Unset | None = UNSET,
    ) -> None:
        given = {
            "idempotency": idempotency,
            "outcomes": outcomes,
            "key": key,
            "read_timeout": read_timeout,
            "on_outcome": on_outcome,
            "allowlist": allowlist,
            "https_only": https_only,
            "proxies": proxies,
            "rate_limit": rate_limit,
            "journal": journal,
        }
        self.options = settings_options(
            {name: value for name, value in given.items() if value is not UNSET}, str
        )
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """
        Write the options to *app*'s config and register the extension.

        Raises:
            ConfigurationError: a config key has the wrong type.

        .. versionadded:: 0.1
        """
        for name, value in self.options.items():
            app.config[_config_key(name)] = value
        present = dict(zip(OPTIONS, _app_settings(app.config), strict=True))
        settings_options({n: v for n, v in present.items() if v is not UNSET}, _config_key)
        app.extensions[EXTENSION] = self


def _disconnected(error: ClientDisconnected) -> Refused:
    # Werkzeug reports a failed read of wsgi.input (a socket timeout
    # included) as ClientDisconnected, raised while handling the OSError.
    cause = error.__cause__ or error.__context__
    if isinstance(cause, OSError):
        return read_refusal(cause)
    return Refused("bad_request", "incomplete_body")


# Where Flask 3.1 keeps a limit set on the request itself.  Its
# max_content_length property looks the app up twice to read the config
# otherwise; the app is at hand here.  A Flask that keeps it elsewhere is
# asked through the property.
_OWN_LIMIT = "_max_content_length" if getattr(Request, "_max_content_length", 0) is None else None


def _read_body(app: Flask, request: Request, limit: int, timeout: float | None) -> bytes:
    current: int | None
    if _OWN_LIMIT is None:  # pragma: no cover - another Flask than the suite's
        current = request.max_content_length
    else:
        current = getattr(request, _OWN_LIMIT)
        if current is None:
            current = app.config["MAX_CONTENT_LENGTH"]
    cap = limit if current is None else min(current, limit)
    environ = request.environ
    if "stream" not in request.__dict__:
        # Nothing has read the body yet (Werkzeug keeps its stream, once made, in
        # the request's __dict__): read wsgi.input as the WSGI middleware does,
        # and leave the bytes for request.get_data() and get_json() in the view.
        body = read_environ(environ, cap, timeout)
        replay_environ(environ, body)
        return body
    # A before_request hook read it through Werkzeug: take what Werkzeug kept.
    declared = declared_length(environ.get("CONTENT_LENGTH"), cap)
    # Werkzeug refuses a longer declared length without reading, and stops a
    # chunked body after cap + 1 bytes: one byte over tells "too large" apart
    # from "exactly at the limit", and the rest is never read.
    request.max_content_length = cap + 1
    try:
        with socket_timeout(wsgi_socket(environ), timeout):
            body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(cap) from None
    except ClientDisconnected as error:
        raise _disconnected(error) from None
    if len(body) > cap:
        raise PayloadTooLarge(cap)
    return check_complete(body, declared)


def _response(app: Flask, answer: Answer) -> Response:
    return app.response_class(answer.body, answer.status, list(answer.headers))


def _status(response: Response) -> int:
    return response.status_code


def webhook(
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
) -> Callable[[View], Callable[..., Response]]:
    """
    Decorate a Flask view so that it runs only for authentic deliveries, once each.

    The view is called as ``view(delivery, **url_values)`` and may return
    anything Flask accepts, or ``None`` for an empty 200.  ``HEAD`` is
    answered 200 (the route need not list it) and other methods but ``POST``
    405, without calling it; a provider's endpoint challenge (the scheme's
    ``challenge``, which may come as ``GET``: add that method to the route)
    is answered without calling it either.  A view that raises, or answers
    5xx, releases its claim so that the provider's retry runs it again.

    Every option left out takes the app's config key (``HOOKSIG_IDEMPOTENCY``
    and so on, see :class:`HookSig`), else its default; ``None`` turns it off.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` runs every authentic delivery unguarded.
        outcomes: the status table; ``None`` for the defaults.
        key: the idempotency key of a delivery; ``None`` for its scheme and id.
        read_timeout: seconds the client may stay silent while sending the
            body; one that stalls longer is answered 408 (the ``timeout``
            outcome) and the view is not called.  Applied to the connection's
            socket where the server exposes it in the environ (gunicorn,
            Werkzeug's development server), and restored after the read.
            ``None`` leaves the socket to the server; the default is 10.
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

    def decorator(view: View) -> Callable[..., Response]:
        is_async = inspect.iscoroutinefunction(view)

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            started = time.perf_counter()
            # The proxies resolved once: each access through one costs a lookup.
            app: Flask = cast(Any, current_app)._get_current_object()
            req: Request = cast(Any, request)._get_current_object()
            endpoint = view_endpoint.get(_app_settings(app.config), _config_key)
            rule = req.url_rule
            route = req.path if rule is None else rule.rule
            early = endpoint.method(req.method, route=route, started=started)
            if early is not None:
                return _response(app, early)
            environ = req.environ
            permit = (
                UNCOUNTED
                if endpoint.gate is None
                else endpoint.admit(*wsgi_origin(environ), route=route, started=started)
            )
            if isinstance(permit, Answer):
                return _response(app, permit)
            try:  # the response is made here: the request is done when this returns
                try:
                    body = _read_body(app, req, endpoint.limit, endpoint.read_timeout)
                    delivery = endpoint.deliver(
                        body,
                        Headers.from_environ(environ),
                        method=req.method,
                        path=functools.partial(wsgi_target, environ),
                        route=route,
                        started=started,
                    )
                except ANSWERED as error:
                    return _response(app, endpoint.refuse(error, route=route, started=started))
                if isinstance(delivery, Answer):
                    return _response(app, delivery)
                # Flask's ensure_sync() wraps an async view and returns a sync one as it
                # is; an app class with an ensure_sync() of its own gets every view.
                own_sync = type(app).ensure_sync is not Flask.ensure_sync
                run_view = app.ensure_sync(view) if is_async or own_sync else view

                def call() -> Response:
                    result = run_view(delivery, *args, **kwargs)
                    return app.make_response("" if result is None else result)

                outcome = endpoint.run(delivery, call, _status, route=route, started=started)
                return _response(app, outcome) if isinstance(outcome, Answer) else outcome
            finally:
                permit.release()

        # Flask adds a view's required_methods to those its route lists, so
        # @app.post(...) routes HEAD here too, where it is answered 200.
        cast(Any, wrapper).required_methods = {"HEAD", *getattr(view, "required_methods", ())}
        return wrapper

    return decorator
