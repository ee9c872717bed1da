"""
FastAPI: ``VerifiedDelivery``, a dependency that verifies, claims, and settles the claim.

::

    from hooksig.integrations.fastapi import VerifiedDelivery, install

    install(app)   # exact answer bodies (handshakes and challenges need it)
    github_delivery = VerifiedDelivery(verifier, idempotency=guard)

    @app.post("/hooks/github")
    async def github(delivery: hooksig.Delivery = Depends(github_delivery)):
        ...

The dependency reads the body from ``request.stream()`` under the
verifier's limit, with a timeout on each chunk.  Declare no body parameter
(no pydantic model, no ``Form``) on a webhook route: FastAPI would read or
parse the body before the dependency runs.  Use ``delivery.json()``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable

from ..delivery import Delivery
from ..errors import DuplicateDelivery, ExtraNotInstalled, StoreUnavailable
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._endpoint import Endpoint, asgi_target
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import Refused, check_complete, checked_timeout, declared_length, read_async

try:
    from fastapi import FastAPI, HTTPException, Request, Response
    from starlette.requests import ClientDisconnect
except ImportError as _exc:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("fastapi", "fastapi") from _exc

__all__ = ["VerifiedDelivery", "WebhookAnswer", "install"]


class WebhookAnswer(HTTPException):
    """
    The answer that stops a webhook request before your handler: an ``HTTPException``.

    Without :func:`install`, FastAPI sends it with the right status and
    headers but a JSON ``{"detail": ...}`` body; with it, the exact body.

    Attributes:
        answer: the :class:`~hooksig.integrations.Answer` to send.

    .. versionadded:: 0.1
    """

    def __init__(self, answer: Answer) -> None:
        super().__init__(
            answer.status,
            detail=answer.body.decode("utf-8", "replace"),
            headers=dict(answer.headers),
        )
        self.answer = answer


async def _handle(request: Request, exc: Exception) -> Response:
    answer = exc.answer if isinstance(exc, WebhookAnswer) else None
    if answer is None:  # pragma: no cover - registered for WebhookAnswer only
        raise exc
    headers = dict(answer.headers)
    if answer.close:
        headers["Connection"] = "close"
    return Response(answer.body, answer.status, headers=headers)


def install(app: FastAPI) -> None:
    """
    Send every hooksig answer with its exact body (a handshake reply, for one).

    .. versionadded:: 0.1
    """
    app.add_exception_handler(WebhookAnswer, _handle)


class VerifiedDelivery:
    """
    A FastAPI dependency that yields the verified :class:`~hooksig.Delivery`.

    Configure it once, then use it in ``Depends()``.  Before the handler it
    reads and verifies the body (a key fetch is awaited), answers an
    endpoint challenge or a handshake, and claims the
    delivery id (a failure raises :class:`WebhookAnswer` with the status from
    the outcome table).  After the handler, the claim is completed, or
    released if the handler raised, so the provider's retry runs it again.
    Pass ``Depends(..., scope="function")`` (FastAPI 0.121+) to settle the
    claim before the response is sent rather than after.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` runs every authentic delivery.
        outcomes: the status table.
        key: the idempotency key of a delivery whose scheme has no id.
        read_timeout: seconds to wait for each chunk of the body (408 after).

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        verifier: Verifier,
        idempotency: Idempotency | None = None,
        *,
        outcomes: Outcomes | None = None,
        key: Callable[[Delivery], str] | None = None,
        read_timeout: float | None = 10.0,
    ) -> None:
        self.read_timeout = checked_timeout(read_timeout)
        self.endpoint = Endpoint(verifier, idempotency, outcomes=outcomes, key=key)

    async def _verify(self, request: Request) -> Delivery:
        endpoint = self.endpoint
        reply: Answer | None
        try:
            declared = declared_length(request.headers.get("content-length"), endpoint.limit)
            try:
                body = await read_async(request.stream(), endpoint.limit, self.read_timeout)
            except ClientDisconnect:
                raise Refused("bad_request", "client_disconnected") from None
            except RuntimeError as exc:  # "Stream consumed": a Form parameter parsed it
                if "consumed" not in str(exc):
                    raise
                body = b""
            body, target = check_complete(body, declared), asgi_target(request.scope)
            reply = endpoint.challenge(
                body, request.headers.raw, method=request.method, path=target
            )
            if reply is None:
                delivery = await endpoint.verify_async(body, request.headers.raw, path=target)
                reply = await endpoint.handshake_async(delivery)
        except ANSWERED as error:
            raise WebhookAnswer(endpoint.refuse(error, path=request.url.path)) from None
        if reply is not None:
            raise WebhookAnswer(reply)
        return delivery

    async def __call__(self, request: Request) -> AsyncIterator[Delivery]:
        """
        Verify and claim the delivery of *request*, yield it, then settle the claim.
        """
        endpoint = self.endpoint
        delivery = await self._verify(request)
        guard = endpoint.idempotency
        if guard is None:
            yield delivery
            return
        lease = guard.claim_async(delivery if endpoint.key is None else endpoint.key(delivery))
        try:
            await lease.__aenter__()
        except (DuplicateDelivery, StoreUnavailable) as error:
            raise WebhookAnswer(endpoint.refuse(error, delivery=delivery)) from None
        try:
            yield delivery
        except BaseException:
            await lease.__aexit__(*sys.exc_info())
            raise
        try:
            await lease.__aexit__(None, None, None)
        except (DuplicateDelivery, StoreUnavailable) as error:
            # The handler's answer stands; the log says the claim was not settled.
            endpoint.refuse(error, delivery=delivery)

    def __repr__(self) -> str:
        return f"VerifiedDelivery({self.endpoint.verifier!r})"
