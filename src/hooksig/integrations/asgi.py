"""
Starlette, or any ASGI app: ``WebhookMiddleware`` verifies webhook paths before the app sees them.

::

    from hooksig.integrations.asgi import WebhookMiddleware

    app = WebhookMiddleware(app, {"/hooks/github": verifier}, idempotency=guard)

For a path in the table, the middleware reads the body under the verifier's
limit, with a timeout on each ``receive``, verifies it, claims the delivery
id and only then calls the app.  The app finds the verified
:class:`~hooksig.Delivery` in ``scope["state"]["hooksig.delivery"]`` (in
Starlette: ``request.scope["state"]["hooksig.delivery"]``), and receives the
exact body again from ``receive``.  Other paths, websockets and lifespan
events pass through untouched.  Standard library only; runs under asyncio.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from ..delivery import Delivery
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._endpoint import Endpoint, asgi_target, endpoints
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import Refused, checked_timeout, declared_length, read_async, receive_chunks

__all__ = ["DELIVERY_KEY", "WebhookMiddleware", "send_answer"]

#: The key of the verified delivery in ``scope["state"]``.
DELIVERY_KEY = "hooksig.delivery"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_answer(answer: Answer, send: Send) -> None:
    """
    Send *answer* as a complete ASGI response.

    When the body was left unread, ``Connection: close`` asks the server not
    to reuse the connection (and so not to read the rest of the body).

    .. versionadded:: 0.1
    """
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers
    ]
    headers.append((b"content-length", str(len(answer.body)).encode()))
    if answer.close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


def content_length(headers: list[tuple[bytes, bytes]]) -> str | None:
    """
    Return the one ``Content-Length`` of raw ASGI *headers*, or ``None``.

    Raises:
        Refused: the header was sent twice with different values.
    """
    values = {value for name, value in headers if name.lower() == b"content-length"}
    if len(values) > 1:
        raise Refused("bad_request", "conflicting_content_length")
    return values.pop().decode("latin-1") if values else None


class WebhookMiddleware:
    """
    Verify and guard the webhook paths of an ASGI app.

    The app runs under a claim on the delivery id: raising, or answering
    5xx, releases it (the provider's retry runs the app again); any other
    answer completes it.

    Args:
        app: the ASGI app to wrap.
        routes: ``scope["path"]`` -> a :class:`~hooksig.Verifier`, or an
            :class:`~hooksig.integrations.Endpoint` with its own guard.
        idempotency: the guard of routes given as a bare verifier.
        outcomes: the status table of routes given as a bare verifier.
        read_timeout: seconds to wait for each chunk of the body; a client
            that stalls longer is answered 408.  ``None`` waits forever.

    Raises:
        ConfigurationError: a route or the timeout has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: ASGIApp,
        routes: Mapping[str, Verifier | Endpoint],
        *,
        idempotency: Idempotency | None = None,
        outcomes: Outcomes | None = None,
        read_timeout: float | None = 10.0,
    ) -> None:
        self.read_timeout = checked_timeout(read_timeout)
        self.app = app
        self.routes = endpoints(routes, idempotency, outcomes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """
        Handle one connection (the ASGI interface).
        """
        endpoint = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        early = endpoint.method(method)
        if early is not None:
            await send_answer(early, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", ()))
        try:
            declared_length(content_length(headers), endpoint.limit)
            body = await read_async(receive_chunks(receive), endpoint.limit, self.read_timeout)
            target = asgi_target(scope)
            reply = endpoint.challenge(body, headers, method=method, path=target)
            if reply is None:
                delivery = await endpoint.verify_async(body, headers, path=target)
                reply = await endpoint.handshake_async(delivery)
        except ANSWERED as error:
            await send_answer(endpoint.refuse(error, path=scope["path"]), send)
            return
        if reply is not None:
            await send_answer(reply, send)
            return
        await self._run(endpoint, delivery, _inner(scope, delivery), _replay(body, receive), send)

    async def _run(
        self, endpoint: Endpoint, delivery: Delivery, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status: int | None = None

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        async def call() -> int | None:
            await self.app(scope, receive, tracked)
            return status

        result = await endpoint.run_async(delivery, call, lambda s: s is None or s >= 500)
        # A claim that failed after the app answered was logged by the
        # endpoint; the response is already on its way and cannot change.
        if isinstance(result, Answer) and status is None:
            await send_answer(result, send)


def _inner(scope: Scope, delivery: Delivery) -> Scope:
    state = dict(scope.get("state") or {})
    state[DELIVERY_KEY] = delivery
    return {**scope, "state": state}


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
