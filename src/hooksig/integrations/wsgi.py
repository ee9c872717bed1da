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

import io
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any

from ..delivery import Delivery
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._endpoint import Endpoint, endpoints, wsgi_target
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import (
    Refused,
    checked_timeout,
    declared_length,
    read_stream,
    socket_timeout,
    wsgi_socket,
)

__all__ = ["DELIVERY_KEY", "WebhookMiddleware"]

#: The environ key holding the verified delivery.
DELIVERY_KEY = "hooksig.delivery"

Environ = dict[str, Any]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | None
StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
_Response = tuple[str, list[tuple[str, str]], list[bytes]]


def _read(environ: Environ, limit: int, timeout: float | None) -> bytes:
    declared = declared_length(environ.get("CONTENT_LENGTH"), limit)
    if declared is None:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked:
            return b""
        if not environ.get("wsgi.input_terminated"):
            raise Refused("length_required", "unterminated_chunked_body")
    with socket_timeout(wsgi_socket(environ), timeout):
        return read_stream(environ["wsgi.input"], declared, limit)


class WebhookMiddleware:
    """
    Verify and guard the webhook paths of a WSGI app.

    The app runs under a claim on the delivery id: raising, or answering
    5xx, releases it (the provider's retry runs the app again); any other
    answer completes it.  The app's response is buffered until the claim is
    settled: webhook answers are small.

    Args:
        app: the WSGI app to wrap.
        routes: ``PATH_INFO`` -> a :class:`~hooksig.Verifier`, or an
            :class:`~hooksig.integrations.Endpoint` with its own guard.
        idempotency: the guard of routes given as a bare verifier.
        outcomes: the status table of routes given as a bare verifier.
        read_timeout: seconds the client may stay silent while sending the
            body; one that stalls longer is answered 408 (the ``timeout``
            outcome) and the app is not called.  Applied to the connection's
            socket where the server exposes it (gunicorn, the Werkzeug
            development server), and restored after the read.  ``None``
            leaves the socket to the server.

    Raises:
        ConfigurationError: a route or the timeout has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: WSGIApp,
        routes: Mapping[str, Verifier | Endpoint],
        *,
        idempotency: Idempotency | None = None,
        outcomes: Outcomes | None = None,
        read_timeout: float | None = 10.0,
    ) -> None:
        self.read_timeout = checked_timeout(read_timeout)
        self.app = app
        self.routes = endpoints(routes, idempotency, outcomes)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """
        Handle one request (the WSGI interface).
        """
        path = environ.get("PATH_INFO", "")
        endpoint = self.routes.get(path)
        if endpoint is None:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        early = endpoint.method(method)
        if early is not None:
            return _send(early, start_response)
        try:
            body = _read(environ, endpoint.limit, self.read_timeout)
            headers, target = _headers(environ), wsgi_target(environ)
            reply = endpoint.challenge(body, headers, method=method, path=target)
            if reply is None:
                delivery = endpoint.verify(body, headers, path=target)
                reply = endpoint.handshake(delivery)
        except ANSWERED as error:
            return _send(endpoint.refuse(error, path=path), start_response)
        if reply is not None:
            return _send(reply, start_response)
        inner = _replay(environ, body, delivery)
        result = endpoint.run(delivery, lambda: self._call(inner), _server_error)
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


def _headers(environ: Environ) -> list[tuple[str, str]]:
    headers = [
        (name[5:].replace("_", "-"), value)
        for name, value in environ.items()
        if name.startswith("HTTP_") and isinstance(value, str)
    ]
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers.append((name.replace("_", "-"), environ[name]))
    return headers


def _replay(environ: Environ, body: bytes, delivery: Delivery) -> Environ:
    inner = dict(environ)
    inner["wsgi.input"] = io.BytesIO(body)
    inner["CONTENT_LENGTH"] = str(len(body))
    # The body is now plain bytes of a known length, no longer chunked.
    inner.pop("HTTP_TRANSFER_ENCODING", None)
    inner[DELIVERY_KEY] = delivery
    return inner


def _send(answer: Answer, start_response: StartResponse) -> list[bytes]:
    # WSGI forbids hop-by-hop headers (Connection), so answer.close is left
    # to the server: gunicorn and waitress close a connection whose body is unread.
    headers = [*answer.headers, ("Content-Length", str(len(answer.body)))]
    start_response(f"{answer.status} {_phrase(answer.status)}", headers)
    return [answer.body]


def _server_error(response: _Response) -> bool:
    code = response[0][:3]
    return not code.isdigit() or int(code) >= 500


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
