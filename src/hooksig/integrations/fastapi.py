"""
FastAPI: ``WebhookRoute`` runs each webhook route's whole flow; ``VerifiedDelivery`` configures it.

::

    from fastapi import APIRouter, Depends
    from hooksig.integrations.fastapi import VerifiedDelivery, WebhookRoute

    router = APIRouter(route_class=WebhookRoute)
    github = VerifiedDelivery(verifier, idempotency=guard)

    @router.post("/hooks/github")
    async def on_github(delivery: Annotated[hooksig.Delivery, Depends(github)]):
        ...

A :class:`WebhookRoute` finds the ``VerifiedDelivery`` among its endpoint's
parameters (or its ``dependencies=``) and answers the request itself until
the delivery is authentic and claimed, exactly as the ASGI middleware does:
``HEAD`` 200, endpoint challenges and handshakes with their exact bodies
(route the methods the provider checks with, ``GET`` for Meta, X,
Braintree and Okta: ``@router.api_route(path, methods=["GET", "POST"])``), a key
fetch awaited, refusals from the outcome table.  Then FastAPI runs your
endpoint, with the delivery handed over without its dependency machinery
(an endpoint taking the delivery alone is called directly: see
``_lone_call``); the status of your response settles the claim (a 5xx,
returned or raised, releases it).  Routes without a ``VerifiedDelivery``
are plain ``APIRoute`` routes.

Without ``WebhookRoute``, ``Depends(VerifiedDelivery(...))`` still works as
a dependency with ``yield``: slower, and blind to a 5xx your endpoint
*returns* (FastAPI does not show a dependency the response), which then
completes the claim.  Declare no body parameter (no pydantic model, no
``Form``) on a webhook route: FastAPI would read or parse the body before
hooksig.  Use ``delivery.json()``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import time
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import Annotated, Any

from ..delivery import Delivery
from ..errors import ConfigurationError, ExtraNotInstalled
from ..gate import Allowlist, Limiter, ProxyChain
from ..idempotency import Idempotency
from ..journal import Journal
from ..verifier import Verifier
from ._around import scope_origin
from ._endpoint import UNSET, Endpoint, Unset
from ._events import OnOutcome, log
from ._outcomes import ANSWERED, Answer, Outcomes
from ._reading import (
    Refused,
    asgi_target,
    check_complete,
    declared_length,
    read_stream_async,
)
from .asgi import Receive, Scope, Send, receive_delivery, replay, send_answer

try:
    from fastapi import FastAPI, HTTPException, Request, Response, params
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import ClientDisconnect
    from starlette.routing import Match
except ImportError as _exc:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("fastapi", "fastapi") from _exc

__all__ = ["VerifiedDelivery", "WebhookAnswer", "WebhookRoute", "install"]

# The delivery of the request being handled, for the endpoint WebhookRoute calls.
_DELIVERY: ContextVar[Delivery] = ContextVar("hooksig.delivery")
# What an endpoint called directly returned, for FastAPI's handler to render.
_RETURNED: ContextVar[tuple[Any]] = ContextVar("hooksig.returned")
# Where a rewritten endpoint keeps what it was rewritten for: FastAPI may build
# a route again from a route's endpoint (older versions' include_router).
_MARK = "__hooksig_webhook__"


class WebhookAnswer(HTTPException):
    """
    The answer that stops a webhook request before your handler: an ``HTTPException``.

    Raised only on the dependency route (``Depends`` without
    :class:`WebhookRoute`); hooksig sends it with its exact body.

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
    Register the handler that sends :class:`WebhookAnswer` with its exact body.

    Optional: the dependency registers it on first use, and
    :class:`WebhookRoute` never raises one.

    .. versionadded:: 0.1
    """
    app.add_exception_handler(WebhookAnswer, _handle)


def _answer(request: Request, answer: Answer) -> WebhookAnswer:
    # Starlette keeps the app's exception handlers in the scope, in the dict
    # it looks them up in after a route raises: adding ours there is what
    # install(app) does, in time for this very request.
    handlers = request.scope.get("starlette.exception_handlers")
    if isinstance(handlers, tuple) and handlers and isinstance(handlers[0], dict):
        handlers[0].setdefault(WebhookAnswer, _handle)
    return WebhookAnswer(answer)


class VerifiedDelivery:
    """
    A webhook endpoint's configuration, used as ``Depends(VerifiedDelivery(...))``.

    On a :class:`WebhookRoute`, the route reads, verifies, answers
    handshakes, claims the delivery id and settles the claim by your
    response's status; the dependency itself never runs.  Elsewhere it runs
    as a dependency with ``yield`` (see the module docstring for what that
    cannot see).  In tests, ``app.dependency_overrides[this] = VerifiedDelivery(...)``
    swaps the configuration, a test guard say, on both routes.

    Args:
        verifier: verifies each delivery; its ``max_body_size`` is the body limit.
        idempotency: the guard; ``None`` (the default) runs every authentic delivery.
        outcomes: the status table; ``None`` for the defaults.
        key: the idempotency key of a delivery; ``None`` for its scheme and id.
        read_timeout: seconds the whole body may take (408 after); ``None``
            waits forever; the default is 10.
        on_outcome: called with an :class:`~hooksig.integrations.Event` for
            every answered request.
        allowlist: the addresses requests may come from; others get 403
            before the body is read (:class:`~hooksig.gate.Allowlist`).
        https_only: answer 403 to plain HTTP not vouched for by a trusted proxy.
        proxies: your proxies (:class:`~hooksig.gate.ProxyChain`), whose
            forwarding headers give the client address and scheme.
        rate_limit: requests per second and in flight; over it, 429 with
            ``Retry-After`` before the body is read.
        journal: keeps each verified delivery with the endpoint's outcome
            (:class:`~hooksig.journal.Journal`).

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
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
    ) -> None:
        self.endpoint = Endpoint(
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
        self._warned = False

    def __repr__(self) -> str:
        return f"VerifiedDelivery({self.endpoint.verifier!r})"

    async def _verify(self, request: Request, route: str, started: float) -> Delivery:
        endpoint = self.endpoint
        try:
            declared = declared_length(request.headers.get("content-length"), endpoint.limit)
            try:
                body = await read_stream_async(
                    request.stream(), None, endpoint.limit, endpoint.read_timeout
                )
            except ClientDisconnect:
                raise Refused("bad_request", "client_disconnected") from None
            except RuntimeError as exc:  # "Stream consumed": a Form parameter parsed it
                if "consumed" not in str(exc):
                    raise
                body = b""
            body, target = (
                check_complete(body, declared),
                functools.partial(asgi_target, request.scope),
            )
            delivered = await endpoint.deliver_async(
                body,
                request.headers.raw,
                method=request.method,
                path=target,
                route=route,
                started=started,
            )
        except ANSWERED as error:
            answer = endpoint.refuse(error, route=route, started=started)
            raise _answer(request, answer) from None
        if isinstance(delivered, Answer):
            raise _answer(request, delivered)
        return delivered

    async def __call__(self, request: Request) -> AsyncIterator[Delivery]:
        """
        The dependency route: verify and claim, yield the delivery, then settle the claim.
        """
        endpoint = self.endpoint
        started = time.perf_counter()
        route = str(getattr(request.scope.get("route"), "path", request.url.path))
        early = endpoint.method(request.method, route=route, started=started)
        if early is not None:
            raise _answer(request, early)
        permit = await endpoint.admit_async(
            *scope_origin(request.scope), route=route, started=started
        )
        if isinstance(permit, Answer):
            raise _answer(request, permit)
        try:
            delivery = await self._verify(request, route, started)
            held = await endpoint.claim_async(delivery, route=route, started=started)
            if isinstance(held, Answer):
                raise _answer(request, held)
            if held is not None and not self._warned:
                self._warned = True
                log.warning(
                    "webhook %s: a 5xx the endpoint returns completes its claim; make the route "
                    "a hooksig.integrations.fastapi.WebhookRoute to release it",
                    route,
                )
            try:
                yield delivery
            except BaseException as error:
                await endpoint.settle_async(
                    held, delivery, None, route=route, started=started, error=error
                )
                raise
            # The endpoint returned; its status is not shown to a dependency.
            await endpoint.settle_async(held, delivery, 200, route=route, started=started)
        finally:
            permit.release()


def _verified(value: object) -> VerifiedDelivery | None:
    dependency = getattr(value, "dependency", None) if isinstance(value, params.Depends) else None
    return dependency if isinstance(dependency, VerifiedDelivery) else None


def _webhook_parameter(
    endpoint: Callable[..., Any],
) -> tuple[str, VerifiedDelivery, inspect.Signature] | None:
    # The parameter that receives the delivery: Annotated[..., Depends(verified)]
    # or a Depends(verified) default.  Annotations are evaluated here as
    # FastAPI would; an endpoint whose annotations do not resolve is left to it.
    if inspect.isasyncgenfunction(endpoint) or inspect.isgeneratorfunction(endpoint):
        return None
    try:
        hints = typing.get_type_hints(endpoint, include_extras=True)
        signature = inspect.signature(endpoint)
    except (NameError, TypeError, ValueError):
        return None
    found: list[tuple[str, VerifiedDelivery]] = []
    parameters = []
    for parameter in signature.parameters.values():
        annotation = hints.get(parameter.name, parameter.annotation)
        parameters.append(parameter.replace(annotation=annotation))
        metadata = (
            typing.get_args(annotation)[1:] if typing.get_origin(annotation) is Annotated else ()
        )
        for candidate in (*metadata, parameter.default):
            verified = _verified(candidate)
            if verified is not None:
                found.append((parameter.name, verified))
    if not found:
        return None
    if len(found) > 1:
        raise ConfigurationError("a WebhookRoute endpoint takes one VerifiedDelivery")
    name, verified = found[0]
    returns = hints.get("return", signature.return_annotation)
    typed = signature.replace(
        parameters=[p for p in parameters if p.name != name], return_annotation=returns
    )
    return name, verified, typed


def _injecting(
    endpoint: Callable[..., Any],
    name: str,
    verified: VerifiedDelivery,
    signature: inspect.Signature,
) -> Any:
    # The endpoint FastAPI sees: the same, less the delivery parameter, which
    # it fills from the request WebhookRoute is answering.
    # An endpoint WebhookRoute already called (see _lone_call) only hands FastAPI
    # what it returned, to render.
    wrapper: Any
    if inspect.iscoroutinefunction(endpoint):

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            returned = _RETURNED.get(None)
            if returned is not None:
                return returned[0]
            kwargs[name] = _DELIVERY.get()
            return await endpoint(*args, **kwargs)

    else:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            returned = _RETURNED.get(None)
            if returned is not None:
                return returned[0]
            kwargs[name] = _DELIVERY.get()
            return endpoint(*args, **kwargs)

    functools.update_wrapper(wrapper, endpoint)
    wrapper.__signature__ = signature
    setattr(wrapper, _MARK, (name, verified, signature, endpoint))
    return wrapper


# What a Dependant may carry and still take nothing from the request.  Any other
# attribute set (a parameter, a dependency, security, one a later FastAPI adds)
# keeps FastAPI's handler in the way: the fast path fails safe.
_NO_INPUT = frozenset(
    {"name", "call", "use_cache", "path", "scope", "concurrency", "cache_key"}
    | {"own_oauth_scopes", "parent_oauth_scopes", "security_scopes"}
)


def _takes_nothing(dependant: object) -> bool:
    if dataclasses.is_dataclass(dependant):
        names = [field.name for field in dataclasses.fields(dependant)]
    elif hasattr(dependant, "__dict__"):  # FastAPI before 0.112: a plain class
        names = list(vars(dependant))
    else:
        return False  # a shape not known: FastAPI's handler decides
    return all(name in _NO_INPUT or not getattr(dependant, name, True) for name in names)


def _lone_call(
    handler: Callable[..., Any], endpoint: Callable[..., Any], name: str
) -> Callable[[Delivery], Awaitable[Any]] | None:
    """
    The endpoint as a call with the delivery alone, where FastAPI's handler has nothing else to do.

    FastAPI's request handler solves the dependencies, parses the query,
    cookies and headers for them, and renders the return value: about 15 µs
    a request even when the endpoint takes nothing but the delivery.  Such an
    endpoint is called directly; a ``Response`` it returns is the answer, as
    FastAPI would send it, and anything else goes through FastAPI's handler to
    be rendered (response model, status code, response class).  The handler
    FastAPI built is what says so: its ``dependant`` (every dependency in
    effect, a router's and the app's included) and body field.  A handler
    that does not show them keeps the usual route.
    """
    try:
        built = inspect.getclosurevars(handler).nonlocals
    except (TypeError, ValueError):
        return None
    dependant = built.get("dependant")
    if not isinstance(dependant, Dependant) or built.get("body_field", True) is not None:
        return None
    if not _takes_nothing(dependant):
        return None
    if inspect.iscoroutinefunction(endpoint):

        def call(delivery: Delivery) -> Awaitable[Any]:
            return endpoint(**{name: delivery})  # type: ignore[no-any-return]

    else:

        def call(delivery: Delivery) -> Awaitable[Any]:
            return run_in_threadpool(endpoint, **{name: delivery})

    return call


def _response(answer: Answer) -> Response:
    headers = dict(answer.headers)
    if answer.close:
        headers["Connection"] = "close"
    return Response(answer.body, answer.status, headers=headers)


def _status(result: Response | HTTPException) -> int:
    return result.status_code


class WebhookRoute(APIRoute):
    """
    An ``APIRoute`` that runs a webhook endpoint's whole flow, for routes that take a
    :class:`VerifiedDelivery`.

    Use it as FastAPI documents custom route classes:
    ``APIRouter(route_class=WebhookRoute)``, or ``app.router.route_class =
    WebhookRoute`` before declaring routes.  On a route whose endpoint takes
    ``Depends(verified)`` (as a parameter, or in ``dependencies=``), it
    answers ``HEAD`` 200 (the route need not list it), other methods but
    ``POST`` 405, refusals and handshakes with their exact bodies, and runs
    your endpoint under the claim, settled by its answer: a 5xx, returned or
    raised, releases it; an ``HTTPException`` counts as the answer its status
    says.  The delivery reaches your endpoint without FastAPI's dependency
    machinery, which is most of the speed.  Every other route is a plain
    ``APIRoute``.

    .. versionadded:: 0.1
    """

    webhook: VerifiedDelivery | None
    # Your endpoint, unwrapped, and the name of its delivery parameter.
    _delivered: tuple[Callable[..., Any], str] | None

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        marked = getattr(endpoint, _MARK, None)  # a route FastAPI re-creates from ours
        found = marked[:3] if marked else _webhook_parameter(endpoint)
        extra = [d for d in kwargs.get("dependencies") or () if _verified(d) is not None]
        if len(extra) + (found is not None) > 1:
            raise ConfigurationError("a WebhookRoute endpoint takes one VerifiedDelivery")
        self.webhook, self._delivered = None, None
        if found is not None:
            name, self.webhook, signature = found
            self._delivered = (marked[3] if marked else endpoint, name)
            if marked is None:
                endpoint = _injecting(endpoint, name, self.webhook, signature)
        elif extra:
            self.webhook = _verified(extra[0])
            kwargs["dependencies"] = [d for d in kwargs["dependencies"] if d is not extra[0]]
        super().__init__(path, endpoint, **kwargs)

    def _endpoint(self, verified: VerifiedDelivery, scope: Scope) -> Endpoint | None:
        # The configuration in effect: app.dependency_overrides may swap it
        # (a VerifiedDelivery), or replace it by a function (None here).
        overrides = getattr(scope.get("app"), "dependency_overrides", None)
        replacement = overrides.get(verified) if overrides else None
        if replacement is None:
            return verified.endpoint
        return replacement.endpoint if isinstance(replacement, VerifiedDelivery) else None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """
        Match ``HEAD`` on a webhook route as if it were declared: the route answers it.
        """
        match, child = super().matches(scope)
        if match is Match.PARTIAL and self.webhook is not None and scope.get("method") == "HEAD":
            return Match.FULL, child
        return match, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """
        Answer ``HEAD`` on a webhook route (200, some providers probe with it), else route on.
        """
        if self.webhook is None or scope.get("method") != "HEAD":
            await super().handle(scope, receive, send)
            return
        endpoint = self._endpoint(self.webhook, scope) or self.webhook.endpoint
        answer = endpoint.method("HEAD", route=self.path, started=time.perf_counter())
        assert answer is not None  # noqa: S101 - HEAD always has an answer
        await send_answer(answer, send)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """
        FastAPI's handler of this route, wrapped in the webhook flow on a webhook route.
        """
        handler = super().get_route_handler()
        verified = self.webhook
        if verified is None:
            return handler
        route = self.path
        lone = None if self._delivered is None else _lone_call(handler, *self._delivered)

        async def webhook_handler(request: Request) -> Response:
            started = time.perf_counter()
            scope = request.scope
            endpoint = self._endpoint(verified, scope)
            if endpoint is None:
                # A function in app.dependency_overrides: FastAPI's meaning is
                # "this replaces the dependency", verification and guard included.
                delivery = request.app.dependency_overrides[verified]()
                if inspect.isawaitable(delivery):
                    delivery = await delivery
                return await _with_delivery(delivery, handler, request)
            receive = request.receive
            received = await receive_delivery(endpoint, route, started, scope, receive)
            if isinstance(received, Answer):
                return _response(received)
            delivery, body, permit = received

            async def call() -> Response | HTTPException:
                returned = None
                try:
                    if lone is not None:
                        result = await lone(delivery)
                        if isinstance(result, Response):
                            return result
                        returned = _RETURNED.set((result,))  # FastAPI renders it
                    token = _DELIVERY.set(delivery)  # what _with_delivery does, a coroutine less
                    try:
                        return await handler(Request(scope, replay(body, receive)))
                    finally:
                        _DELIVERY.reset(token)
                except HTTPException as exc:  # an answer FastAPI renders: settle by its status
                    return exc
                finally:
                    if returned is not None:
                        _RETURNED.reset(returned)

            with permit:
                result = await endpoint.run_async(
                    delivery, call, _status, route=route, started=started
                )
            if isinstance(result, Answer):
                return _response(result)
            if isinstance(result, HTTPException):
                raise result
            return result

        return webhook_handler


async def _with_delivery(
    delivery: Delivery, handler: Callable[[Request], Awaitable[Response]], request: Request
) -> Response:
    token = _DELIVERY.set(delivery)
    try:
        return await handler(request)
    finally:
        _DELIVERY.reset(token)
