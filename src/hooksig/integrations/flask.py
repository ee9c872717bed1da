"""
Flask: the ``@webhook`` view decorator and the optional ``HookSig`` extension.

::

    from hooksig.integrations.flask import webhook

    @app.post("/hooks/github")
    @webhook(verifier, idempotency=guard)
    def github(delivery):
        ...

The decorator reads the raw body with ``request.get_data()`` under the
verifier's size limit (so ``request.get_data()`` and ``request.get_json()``
still work inside your view), verifies it, and runs your view once per
delivery id.  Needs Flask 3.1 or later (``pip install "hooksig[flask]"``).

A client that stalls mid-body is answered 408 (the ``timeout`` outcome)
after ``read_timeout`` seconds of silence where the server exposes the
connection's socket in the environ (gunicorn, Werkzeug's development
server): the socket gets the timeout while the body is read, as in
:class:`hooksig.integrations.wsgi.WebhookMiddleware`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..delivery import Delivery
from ..errors import ConfigurationError, ExtraNotInstalled, PayloadTooLarge
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._endpoint import Endpoint, wsgi_target
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
    from flask import Flask, Response, current_app, request
    from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
except ImportError as _exc:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("flask", "flask") from _exc

__all__ = ["HookSig", "webhook"]

#: The key of the extension's settings in ``app.extensions``.
EXTENSION = "hooksig"

View = Callable[..., Any]


@dataclass(frozen=True)
class _Settings:
    idempotency: Idempotency | None
    outcomes: Outcomes | None
    read_timeout: float | None


class HookSig:
    """
    App-wide settings for every ``@webhook`` view, in the Flask extension pattern.

    ::

        hooksig = HookSig(idempotency=Idempotency(SQLiteStore("hooksig.db")))
        hooksig.init_app(app)

    Arguments given here win over the app's config keys
    ``HOOKSIG_IDEMPOTENCY`` (an ``Idempotency``), ``HOOKSIG_OUTCOMES`` (an
    :class:`~hooksig.integrations.Outcomes`, or a dict of its fields) and
    ``HOOKSIG_READ_TIMEOUT`` (seconds, or ``None``).  A view's own
    ``@webhook(..., idempotency=..., read_timeout=...)`` wins over both.

    Args:
        app: the app to set up now; or call :meth:`init_app` later.
        idempotency: the default guard of every ``@webhook`` view.
        outcomes: the default status table.
        read_timeout: the default read timeout of every ``@webhook`` view, in
            seconds; ``None`` leaves the socket to the server.  Left out, the
            config key's, else 10 seconds.

    Raises:
        ConfigurationError: *read_timeout* is not a positive number or ``None``.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        idempotency: Idempotency | None = None,
        outcomes: Outcomes | None = None,
        read_timeout: TimeoutSetting = FROM_SETTINGS,
    ) -> None:
        self.idempotency = idempotency
        self.outcomes = outcomes
        self.read_timeout = given_timeout(read_timeout)
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """
        Register the settings on *app* (``app.extensions["hooksig"]``).

        Raises:
            ConfigurationError: a setting has the wrong type.

        .. versionadded:: 0.1
        """
        guard = self.idempotency or app.config.get("HOOKSIG_IDEMPOTENCY")
        outcomes = self.outcomes or app.config.get("HOOKSIG_OUTCOMES")
        if isinstance(outcomes, Mapping):
            outcomes = Outcomes(**outcomes)
        if guard is not None and not isinstance(guard, Idempotency):
            raise ConfigurationError("HOOKSIG_IDEMPOTENCY must be a hooksig Idempotency guard")
        if outcomes is not None and not isinstance(outcomes, Outcomes):
            raise ConfigurationError("HOOKSIG_OUTCOMES must be an Outcomes or a dict of its fields")
        try:
            timeout = resolved_timeout(
                self.read_timeout, app.config.get("HOOKSIG_READ_TIMEOUT", FROM_SETTINGS)
            )
        except ConfigurationError:
            raise ConfigurationError(
                "HOOKSIG_READ_TIMEOUT must be a positive number of seconds or None"
            ) from None
        app.extensions[EXTENSION] = _Settings(guard, outcomes, timeout)


def _endpoint(
    verifier: Verifier,
    idempotency: Idempotency | Literal[False] | None,
    outcomes: Outcomes | None,
    key: Callable[[Delivery], str] | None,
) -> Endpoint:
    settings = current_app.extensions.get(EXTENSION)
    if isinstance(settings, _Settings):
        if idempotency is None:
            idempotency = settings.idempotency
        outcomes = outcomes or settings.outcomes
    return Endpoint(verifier, idempotency or None, outcomes=outcomes, key=key)


def _timeout(read_timeout: TimeoutSetting) -> float | None:
    settings = current_app.extensions.get(EXTENSION)
    setting = settings.read_timeout if isinstance(settings, _Settings) else FROM_SETTINGS
    return resolved_timeout(read_timeout, setting)


def _disconnected(error: ClientDisconnected) -> Refused:
    # Werkzeug reports a failed read of wsgi.input (a socket timeout
    # included) as ClientDisconnected, raised while handling the OSError.
    cause = error.__cause__ or error.__context__
    if isinstance(cause, OSError):
        return read_refusal(cause)
    return Refused("bad_request", "incomplete_body")


def _read_body(limit: int, timeout: float | None) -> bytes:
    current = request.max_content_length
    cap = limit if current is None else min(current, limit)
    declared = declared_length(request.headers.get("Content-Length"), cap)
    # Werkzeug refuses a longer declared length without reading, and stops a
    # chunked body after cap + 1 bytes: one byte over tells "too large" apart
    # from "exactly at the limit", and the rest is never read.
    request.max_content_length = cap + 1
    try:
        with socket_timeout(wsgi_socket(request.environ), timeout):
            body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(cap) from None
    except ClientDisconnected as error:
        raise _disconnected(error) from None
    if len(body) > cap:
        raise PayloadTooLarge(cap)
    return check_complete(body, declared)


def _response(answer: Answer) -> Response:
    return current_app.response_class(answer.body, answer.status, list(answer.headers))


def webhook(
    verifier: Verifier,
    idempotency: Idempotency | Literal[False] | None = None,
    *,
    outcomes: Outcomes | None = None,
    key: Callable[[Delivery], str] | None = None,
    read_timeout: TimeoutSetting = FROM_SETTINGS,
) -> Callable[[View], Callable[..., Response]]:
    """
    Decorate a Flask view so that it runs only for authentic deliveries, once each.

    The view is called as ``view(delivery, **url_values)`` and may return
    anything Flask accepts, or ``None`` for an empty 200.  ``HEAD`` is
    answered 200 and other methods but ``POST`` 405, without calling it; a
    provider's endpoint challenge (the scheme's ``challenge``, which may
    come as ``GET``: route those methods to the view too) is answered
    without calling it either.  A
    view that raises, or answers 5xx, releases its claim so that the
    provider's retry runs it again.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` uses the :class:`HookSig` default,
            ``False`` runs every authentic delivery unguarded.
        outcomes: the status table (default: the extension's, then the DESIGN's).
        key: the idempotency key of a delivery whose scheme has no id.
        read_timeout: seconds the client may stay silent while sending the
            body; one that stalls longer is answered 408 (the ``timeout``
            outcome) and the view is not called.  Applied to the connection's
            socket where the server exposes it in the environ (gunicorn,
            Werkzeug's development server), and restored after the read.
            ``None`` leaves the socket to the server.  Left out, the
            :class:`HookSig` default, else 10 seconds.

    Raises:
        ConfigurationError: an argument has the wrong type (when decorating).

    .. versionadded:: 0.1
    """
    Endpoint(verifier, idempotency or None, outcomes=outcomes, key=key)
    given_timeout(read_timeout)

    def decorator(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            endpoint = _endpoint(verifier, idempotency, outcomes, key)
            early = endpoint.method(request.method)
            if early is not None:
                return _response(early)
            try:
                body = _read_body(endpoint.limit, _timeout(read_timeout))
                headers, target = list(request.headers.items()), wsgi_target(request.environ)
                reply = endpoint.challenge(body, headers, method=request.method, path=target)
                if reply is None:
                    delivery = endpoint.verify(body, headers, path=target)
                    reply = endpoint.handshake(delivery)
            except ANSWERED as error:
                return _response(endpoint.refuse(error, path=request.path))
            if reply is not None:
                return _response(reply)

            def call() -> Response:
                result = current_app.ensure_sync(view)(delivery, *args, **kwargs)
                return current_app.make_response("" if result is None else result)

            outcome = endpoint.run(delivery, call, lambda r: r.status_code >= 500)
            return _response(outcome) if isinstance(outcome, Answer) else outcome

        return wrapper

    return decorator
