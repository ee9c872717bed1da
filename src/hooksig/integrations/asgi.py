"""
Starlette, or any ASGI app: ``WebhookMiddleware`` verifies webhook paths before the app sees them.

::

    from hooksig.integrations.asgi import WebhookMiddleware

    app = WebhookMiddleware(app, {"/hooks/github": verifier}, idempotency=guard)

For a path in the table, the middleware reads the body under the verifier's
limit and one deadline for the whole body, verifies it, claims the delivery
id and only then calls the app.  The app finds the verified
:class:`~hooksig.Delivery` in ``scope["state"]["hooksig.delivery"]`` (in
Starlette: ``request.scope["state"]["hooksig.delivery"]``), and receives the
exact body again from ``receive``.  Other paths, websockets and lifespan
events pass through untouched.  Standard library only; runs under asyncio.

:func:`serve` is the flow of one request, shared with the FastAPI adapter.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from ..delivery import Delivery
from ..gate import Allowlist, Limiter, Permit, ProxyChain
from ..idempotency import Idempotency
from ..journal import Journal
from ..verifier import Verifier
from ._around import scope_origin
from ._endpoint import UNCOUNTED, UNSET, Endpoint, RoutesOverride, Unset, routes_table
from ._events import OnOutcome
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import asgi_headers, asgi_target, declared_length, read_asgi

__all__ = [
    "DELIVERY_KEY",
    "WebhookMiddleware",
    "receive_delivery",
    "replay",
    "send_answer",
    "serve",
]

#: The key of the verified delivery in ``scope["state"]``.
DELIVERY_KEY = "hooksig.delivery"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
#: How :func:`serve` runs the app for a verified delivery: ``call(delivery, scope, receive, send)``.
Handler = Callable[[Delivery, Scope, Receive, Send], Awaitable[None]]


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


async def receive_delivery(
    endpoint: Endpoint, route: str, started: float, scope: Scope, receive: Receive
) -> tuple[Delivery, bytes, Permit] | Answer:
    """
    Take one ASGI request up to a new delivery: method, gate, body, challenge,
    verification (a key fetch awaited), handshake.

    Returns the verified delivery, its body and the gate's permit (release
    it once the answer is sent), or the answer that ends the request here
    (already reported, its permit released).

    .. versionadded:: 0.1
    """
    method = scope["method"]
    early = endpoint.method(method, route=route, started=started)
    if early is not None:
        return early
    permit = (
        UNCOUNTED
        if endpoint.gate is None
        else await endpoint.admit_async(*scope_origin(scope), route=route, started=started)
    )
    if isinstance(permit, Answer):
        return permit
    limit = endpoint.limit
    try:
        headers, length = asgi_headers(scope["headers"])
        declared = declared_length(length, limit)
        body = read_asgi(receive, declared, limit, endpoint.read_timeout)
        if not isinstance(body, bytes):  # not at hand: read under the deadline
            body = await body
        # Worked out only for a challenge or a verifier's public_url, as the other adapters do.
        target = functools.partial(asgi_target, scope)
        delivered = await endpoint.deliver_async(
            body, headers, method=method, path=target, route=route, started=started
        )
    except ANSWERED as error:
        permit.release()
        return endpoint.refuse(error, route=route, started=started)
    except BaseException:
        permit.release()
        raise
    if isinstance(delivered, Answer):
        permit.release()
        return delivered
    return delivered, body, permit


async def serve(
    endpoint: Endpoint, route: str, scope: Scope, receive: Receive, send: Send, call: Handler
) -> None:
    """
    Answer one ASGI request to a webhook endpoint: every step, then *call* for a new delivery.

    *call* gets the verified delivery, a ``receive`` that hands the exact
    body over again, and a ``send`` whose first message's status settles the
    claim once *call* returns (a 5xx, no answer, or an exception releases
    it).  *route* names the endpoint in logs and events.

    .. versionadded:: 0.1
    """
    started = time.perf_counter()
    received = await receive_delivery(endpoint, route, started, scope, receive)
    if isinstance(received, Answer):
        await send_answer(received, send)
        return
    delivery, body, permit = received
    replayed, status = replay(body, receive), None

    def tracked(message: Message) -> Awaitable[None]:
        # The send the app awaits: the server's own awaitable, no coroutine around it.
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        return send(message)

    def answered(_: None) -> int | None:
        return status

    try:
        result = await endpoint.run_async(
            delivery,
            functools.partial(call, delivery, scope, replayed, tracked),
            answered,
            route=route,
            started=started,
        )
        if isinstance(result, Answer):
            await send_answer(result, send)
    finally:
        permit.release()


class WebhookMiddleware(RoutesOverride):
    """
    Verify and guard the webhook paths of an ASGI app.

    The app runs under a claim on the delivery id: raising, or answering
    5xx, releases it (the provider's retry runs the app again); any other
    answer completes it, once the app has sent its response.

    Args:
        app: the ASGI app to wrap.
        routes: ``scope["path"]`` -> a :class:`~hooksig.Verifier`, or an
            :class:`~hooksig.integrations.Endpoint` with options of its own.
        idempotency: the guard of every route that does not set its own;
            ``None`` (the default) for none.
        outcomes: the status table; ``None`` for the defaults.
        key: the idempotency key of a delivery; ``None`` for its scheme and id.
        read_timeout: seconds the whole body may take; a client slower than
            that is answered 408.  ``None`` waits forever; the default is 10.
        on_outcome: called with an :class:`~hooksig.integrations.Event` for
            every answered request.
        allowlist: the addresses requests may come from; others get 403
            before the body is read (:class:`~hooksig.gate.Allowlist`).
        https_only: answer 403 to plain HTTP not vouched for by a trusted proxy.
        proxies: your proxies (:class:`~hooksig.gate.ProxyChain`), whose
            forwarding headers give the client address and scheme.
        rate_limit: requests per second and in flight; over it, 429 with
            ``Retry-After`` before the body is read.
        journal: keeps each verified delivery with the app's outcome
            (:class:`~hooksig.journal.Journal`).

    Raises:
        ConfigurationError: a route or an option has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: ASGIApp,
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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """
        Handle one connection (the ASGI interface).
        """
        endpoint = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        await serve(endpoint, scope["path"], scope, receive, send, self._call)

    def _call(
        self, delivery: Delivery, scope: Scope, receive: Receive, send: Send
    ) -> Awaitable[None]:
        state = scope.get("state")
        # A copy: the server may hand every request the same state dict.
        scope["state"] = {**state, DELIVERY_KEY: delivery} if state else {DELIVERY_KEY: delivery}
        return self.app(scope, receive, send)  # the app's own awaitable: no coroutine around it


def replay(body: bytes, receive: Receive) -> Receive:
    """
    Return a ``receive`` that hands *body* over once more, then passes on to *receive*.
    """
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
