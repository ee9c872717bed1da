"""
Any WSGI app: ``WebhookMiddleware`` verifies webhook paths before the app sees them.

::

    from hooksig.integrations.wsgi import WebhookMiddleware

    app = WebhookMiddleware(app, {"/hooks/github": verifier}, idempotency=guard)

For a path in the table, the middleware reads the body under the verifier's
limit, verifies it, claims the delivery id and only then calls the app, with
the verified :class:`~hooksig.Delivery` in ``environ["hooksig.delivery"]``
and the exact body replayed on ``wsgi.input``.  Other paths pass through
untouched.  Standard library only.

A client that stalls mid-body is answered 408 after ``read_timeout``
seconds of silence where the server lets hooksig time the read: gunicorn and
the Werkzeug development server expose the connection's socket
(``gunicorn.socket``, ``werkzeug.socket``), which gets the timeout while the
body is read.  waitress buffers the whole body before calling the app and
times out idle clients itself (``channel_timeout``).  Under other servers a
read error (``OSError``, which is how uWSGI and mod_wsgi report their own
timeouts) is answered 408 too; the timing is the server's.  A declared
``Content-Length`` over the limit is refused before a byte is read; a
chunked body is read only when the server terminates it
(``wsgi.input_terminated``) and only up to the limit.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any

from .._primitives.headers import Headers
from ..delivery import Delivery
from ..gate import Allowlist, Limiter, ProxyChain
from ..idempotency import Idempotency
from ..journal import Journal
from ..verifier import Verifier
from ._around import wsgi_origin
from ._endpoint import UNCOUNTED, UNSET, Endpoint, RoutesOverride, Unset, routes_table
from ._events import OnOutcome
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import read_environ, replay_environ, wsgi_target

__all__ = ["DELIVERY_KEY", "WebhookMiddleware"]

#: The environ key holding the verified delivery.
DELIVERY_KEY = "hooksig.delivery"

Environ = dict[str, Any]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | None
StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
_Response = tuple[str, list[tuple[str, str]], list[bytes]]


class WebhookMiddleware(RoutesOverride):
    """
    Verify and guard the webhook paths of a WSGI app.

    The app runs under a claim on the delivery id: raising, or answering
    5xx, releases it (the provider's retry runs the app again); any other
    answer completes it.  The app's response is buffered until the claim is
    settled: webhook answers are small.

    Args:
        app: the WSGI app to wrap.
        routes: ``PATH_INFO`` -> a :class:`~hooksig.Verifier`, or an
            :class:`~hooksig.integrations.Endpoint` with options of its own.
        idempotency: the guard of every route that does not set its own;
            ``None`` (the default) for none.
        outcomes: the status table; ``None`` for the defaults.
        key: the idempotency key of a delivery; ``None`` for its scheme and id.
        read_timeout: seconds the client may stay silent while sending the
            body; one that stalls longer is answered 408 (the ``timeout``
            outcome) and the app is not called.  Applied to the connection's
            socket where the server exposes it (gunicorn, the Werkzeug
            development server), and restored after the read.  ``None``
            leaves the socket to the server; the default is 10.
        on_outcome: called with an :class:`~hooksig.integrations.Event` for
            every answered request.
        allowlist: the addresses requests may come from; others get 403
            before the body is read (:class:`~hooksig.gate.Allowlist`).
        https_only: answer 403 to plain HTTP not vouched for by a trusted proxy.
        proxies: your proxies (:class:`~hooksig.gate.ProxyChain`), whose
            forwarding headers give the client address and scheme.
        rate_limit: requests per second and in flight; over it, 429 with
            ``Retry-After`` before the body is read.
        journal: keeps each verified delivery with the handler's outcome
            (:class:`~hooksig.journal.Journal`).

    Raises:
        ConfigurationError: a route or an option has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: WSGIApp,
        routes: Mapping[str, Verifier | Endpoint],
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
        self.app = app
        self.routes = routes_table(
            routes,
            {
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
            },
        )

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """
        Handle one request (the WSGI interface).
        """
        path = environ.get("PATH_INFO", "")
        endpoint = self.routes.get(path)
        if endpoint is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        early = endpoint.method(method, route=path, started=started)
        if early is not None:
            return _send(early, start_response)
        permit = (
            UNCOUNTED
            if endpoint.gate is None
            else endpoint.admit(*wsgi_origin(environ), route=path, started=started)
        )
        if isinstance(permit, Answer):
            return _send(permit, start_response)
        try:  # the response is buffered: the request is done when this returns
            return self._serve(endpoint, path, started, environ, start_response)
        finally:
            permit.release()

    def _serve(
        self,
        endpoint: Endpoint,
        path: str,
        started: float,
        environ: Environ,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        try:
            body = read_environ(environ, endpoint.limit, endpoint.read_timeout)
            delivery = endpoint.deliver(
                body,
                Headers.from_environ(environ),
                method=environ.get("REQUEST_METHOD", "GET"),
                path=functools.partial(wsgi_target, environ),
                route=path,
                started=started,
            )
        except ANSWERED as error:
            return _send(endpoint.refuse(error, route=path, started=started), start_response)
        if isinstance(delivery, Answer):
            return _send(delivery, start_response)
        _replay(environ, body, delivery)
        result = endpoint.run(
            delivery, lambda: self._call(environ), _status, route=path, started=started
        )
        if isinstance(result, Answer):
            return _send(result, start_response)
        status, response_headers, chunks = result
        start_response(status, response_headers)
        return chunks

    def _call(self, environ: Environ) -> _Response:
        captured: list[tuple[str, list[tuple[str, str]]]] = []
        chunks: list[bytes] = []

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: ExcInfo = None
        ) -> Callable[[bytes], object]:
            captured.append((status, headers))
            return chunks.append

        result = self.app(environ, start)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if not captured:
            raise RuntimeError("the WSGI app returned without calling start_response")
        status, headers = captured[-1]
        return status, headers, chunks


def _replay(environ: Environ, body: bytes, delivery: Delivery) -> None:
    replay_environ(environ, body)
    environ[DELIVERY_KEY] = delivery


def _send(answer: Answer, start_response: StartResponse) -> list[bytes]:
    # WSGI forbids hop-by-hop headers (Connection), so answer.close is left
    # to the server: gunicorn and waitress close a connection whose body is unread.
    headers = [*answer.headers, ("Content-Length", str(len(answer.body)))]
    start_response(f"{answer.status} {_phrase(answer.status)}", headers)
    return [answer.body]


def _status(response: _Response) -> int | None:
    code = response[0][:3]
    return int(code) if code.isdigit() else None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
