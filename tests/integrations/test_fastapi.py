"""The FastAPI adapter: WebhookRoute through the shared contract, and the dependency route."""

# No "from __future__ import annotations": FastAPI reads these annotations at
# runtime, and they name dependencies local to the app factories.

import asyncio
import json
import logging
import warnings
from collections.abc import Mapping
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from hooksig import Delivery
from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.integrations import Event
from hooksig.integrations.fastapi import VerifiedDelivery, WebhookRoute, install

from .conftest import BODY, LIMIT, Kit, make_kit
from .contract import AdapterContract, Client, Handler, Hook, ProviderMatrix, asgi_client


def webhook_app(kit: Kit, handler: Handler, **options: Any) -> FastAPI:
    """An app whose router uses WebhookRoute: /hooks/acme with *options*, /hooks/slack."""
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier, **options)
    slack = VerifiedDelivery(kit.slack)

    @router.post("/hooks/acme")
    async def acme(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        status, text = handler(delivery)
        return PlainTextResponse(text, status)

    @router.post("/hooks/slack")
    async def slack_hook(delivery: Annotated[Delivery, Depends(slack)]) -> str:
        return "not a handshake"

    app.include_router(router)
    return app


class TestWebhookRoute(AdapterContract):
    """The shared behaviour through WebhookRoute (FastAPI has no app-wide options)."""

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client | None:
        """The app of webhook_app, or None for app-wide options."""
        return None if app_wide is not None else asgi_client(webhook_app(kit, handler, **options))

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """One app, WebhookRoute on its router, a VerifiedDelivery dependency per path."""
        app = FastAPI()
        router = APIRouter(route_class=WebhookRoute)
        for path, route in routes.items():
            router.post(path)(_endpoint(route))
        app.include_router(router)
        return asgi_client(app)


class TestDependencyMatrix(ProviderMatrix):
    """Every provider through the dependency on plain routes (no WebhookRoute), as documented."""

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """One app, plain APIRoutes, a VerifiedDelivery dependency per path."""
        app = FastAPI()
        for path, route in routes.items():
            app.post(path)(_endpoint(route))
        return asgi_client(app)


def _endpoint(route: Hook) -> Any:
    """An endpoint answering through the route's handler, its delivery a dependency."""
    verified = VerifiedDelivery(route.verifier, **route.options)

    async def endpoint(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        status, text = route.handler(delivery)
        return PlainTextResponse(text, status)

    return endpoint


def test_route_class_on_the_app_router() -> None:
    """app.router.route_class = WebhookRoute, as FastAPI documents, works the same."""
    kit, handler = make_kit(), Handler()
    app = FastAPI()
    app.router.route_class = WebhookRoute
    verified = VerifiedDelivery(kit.verifier)

    @app.post("/hooks/acme")
    def acme(delivery: Annotated[Delivery, Depends(verified)]) -> dict[str, str | None]:
        handler(delivery)
        return {"id": delivery.id}

    client = asgi_client(app)
    reply = client.post("/hooks/acme", BODY, kit.signed())
    assert (reply.status, reply.body) == (200, b'{"id":"msg_1"}')
    assert client.call("HEAD", "/hooks/acme").status == 200
    assert len(handler) == 1


def test_other_parameters_path_templates_and_background_tasks() -> None:
    """Path parameters, Request and BackgroundTasks work; events name the route template."""
    kit, events, ran = make_kit(), [], []
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier, on_outcome=events.append)

    @router.post("/hooks/{tenant}")
    async def hook(
        tenant: str,
        request: Request,
        tasks: BackgroundTasks,
        delivery: Annotated[Delivery, Depends(verified)],
    ) -> dict[str, str]:
        tasks.add_task(ran.append, delivery.id)
        return {"tenant": tenant, "body": (await request.body()).decode()}

    app.include_router(router)
    reply = asgi_client(app).post("/hooks/shop-1", BODY, kit.signed())
    assert reply.status == 200
    assert json.loads(reply.body) == {"tenant": "shop-1", "body": BODY.decode()}
    assert ran == ["msg_1"]
    assert [(e.endpoint, e.outcome) for e in events] == [("/hooks/{tenant}", "accepted")]


def test_dependencies_argument() -> None:
    """dependencies=[Depends(verified)] guards a route that does not read the delivery."""
    kit, hits = make_kit(), []
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier, idempotency=Idempotency(MemoryStore()))

    @router.post("/hooks/acme", dependencies=[Depends(verified)])
    async def acme() -> str:
        hits.append(1)
        return "ok"

    app.include_router(router)
    client = asgi_client(app)
    assert client.post("/hooks/acme", BODY, kit.forged()).status == 403
    assert client.post("/hooks/acme", BODY, kit.signed()).status == 200
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"already handled"
    assert hits == [1]


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time FastAPI's request handler solves an endpoint's dependencies: its name."""
    import fastapi.routing

    calls: list[str] = []
    solve = fastapi.routing.solve_dependencies

    async def counted(**kwargs: Any) -> Any:
        calls.append(kwargs["dependant"].call.__name__)
        return await solve(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counted)
    return calls


def test_an_endpoint_taking_only_the_delivery_is_called_directly(solved: list[str]) -> None:
    """
    FastAPI's handler is skipped where it would only call the endpoint: a Response
    returned is the answer; anything else is rendered by FastAPI, response model,
    status code and all; a sync endpoint runs in the thread pool as FastAPI runs it.
    """
    kit, on_loop = make_kit(), []
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier)

    @router.post("/hooks/response")
    async def response(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        return PlainTextResponse(f"got {delivery.id}", 201)

    @router.post("/hooks/model", status_code=202)
    async def model(delivery: Annotated[Delivery, Depends(verified)]) -> dict[str, int]:
        return {"length": str(len(delivery.body))}  # type: ignore[dict-item] # the model coerces

    @router.post("/hooks/sync")
    def sync(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no loop runs here: a worker thread
            on_loop.append(False)
        else:
            on_loop.append(True)
        return PlainTextResponse(str(delivery.id))

    @router.post("/hooks/sync-model")
    def sync_model(delivery: Annotated[Delivery, Depends(verified)]) -> list[str | None]:
        return [delivery.id]

    @router.post("/hooks/request")
    async def with_request(
        request: Request, delivery: Annotated[Delivery, Depends(verified)]
    ) -> Response:
        return PlainTextResponse(await request.body())

    app.include_router(router)
    client = asgi_client(app)
    assert client.post("/hooks/response", BODY, kit.signed()).body == b"got msg_1"
    assert client.post("/hooks/response", BODY, kit.signed()).status == 201
    assert client.post("/hooks/sync", BODY, kit.signed()).body == b"msg_1"
    assert on_loop == [False]
    assert solved == []
    reply = client.post("/hooks/model", BODY, kit.signed())
    assert (reply.status, json.loads(reply.body)) == (202, {"length": len(BODY)})
    assert json.loads(client.post("/hooks/sync-model", BODY, kit.signed()).body) == ["msg_1"]
    assert client.post("/hooks/request", BODY, kit.signed()).body == BODY
    assert solved == ["model", "sync_model", "with_request"]
    assert client.post("/hooks/response", BODY, kit.forged()).status == 403


def test_the_direct_call_fails_safe_on_a_dependant_it_does_not_know() -> None:
    """Only a dependant that plainly takes nothing is skipped; any other keeps FastAPI's handler."""
    from fastapi.dependencies.models import Dependant

    from hooksig.integrations.fastapi import _takes_nothing

    class OldStyle:  # FastAPI before 0.112 kept a Dependant's fields in its __dict__
        def __init__(self, **fields: object) -> None:
            self.__dict__.update(fields)

    class Slotted:
        __slots__ = ("call",)

    assert _takes_nothing(Dependant(call=len, path="/x"))
    assert not _takes_nothing(Dependant(call=len, request_param_name="request"))
    assert _takes_nothing(OldStyle(call=len, security_requirements=[], cache_key=(len, ())))
    assert not _takes_nothing(OldStyle(call=len, security_requirements=["oauth"]))
    assert not _takes_nothing(OldStyle(call=len, a_later_input=["x"]))
    assert not _takes_nothing(Slotted())


@pytest.mark.parametrize("where", ["app", "router", "include", "route"])
def test_dependencies_in_effect_are_never_skipped(where: str, solved: list[str]) -> None:
    """A dependency from the app, a router, an include or the route runs: no direct call."""
    kit, checked = make_kit(), []

    def auth() -> None:
        checked.append(where)
        raise HTTPException(401, "who are you")

    guard = [Depends(auth)]
    app = FastAPI(dependencies=guard if where == "app" else None)
    router = APIRouter(route_class=WebhookRoute, dependencies=guard if where == "router" else None)
    verified = VerifiedDelivery(kit.verifier)

    @router.post("/hooks/acme", dependencies=guard if where == "route" else None)
    async def acme(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        return PlainTextResponse("handled")

    app.include_router(router, dependencies=guard if where == "include" else None)
    reply = asgi_client(app).post("/hooks/acme", BODY, kit.signed())
    assert (reply.status, checked, solved) == (401, [where], ["acme"])


def test_body_parameters_parse_the_verified_bytes() -> None:
    """A pydantic model parameter parses the body hooksig verified and replayed."""

    class Invoice(BaseModel):
        type: str
        amount: int

    kit = make_kit()
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier)

    @router.post("/hooks/model")
    async def model(invoice: Invoice, delivery: Annotated[Delivery, Depends(verified)]) -> int:
        return invoice.amount

    app.include_router(router)
    client = asgi_client(app)
    body = b'{"type": "invoice.paid",   "amount": 42}'
    headers = {**kit.signed(body), "Content-Type": "application/json"}
    assert client.post("/hooks/model", body, headers).body == b"42"
    assert client.post("/hooks/model", body, kit.forged(body)).status == 403


def test_oversized_bodies_are_413() -> None:
    """A declared or streamed body over the limit is refused, with Connection: close."""
    kit, handler = make_kit(), Handler()
    client = asgi_client(webhook_app(kit, handler))
    body = b"x" * (LIMIT + 1)
    reply = client.post("/hooks/acme", body, kit.signed(body))
    assert (reply.status, reply.headers["connection"]) == (413, "close")
    from ._testclient import TestClient

    streamed = TestClient(webhook_app(kit, handler)).post(
        "/hooks/acme", content=(b"x" * 1000 for _ in range(100)), headers=kit.signed()
    )
    assert streamed.status_code == 413
    assert len(handler) == 0


def test_dependency_overrides_swap_the_configuration() -> None:
    """app.dependency_overrides[verified] takes a VerifiedDelivery (a test guard) or a function."""
    kit, handler = make_kit(), Handler()
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)
    verified = VerifiedDelivery(kit.verifier)

    @router.post("/hooks/acme")
    async def acme(delivery: Annotated[Delivery, Depends(verified)]) -> str:
        handler(delivery)
        return str(delivery.id)

    app.include_router(router)
    client = asgi_client(app)
    app.dependency_overrides[verified] = VerifiedDelivery(
        kit.verifier, idempotency=Idempotency(MemoryStore())
    )
    assert client.post("/hooks/acme", BODY, kit.signed()).status == 200
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"already handled"
    fake = kit.verifier.verify(BODY, kit.signed(id="fake"))

    async def made_up() -> Delivery:
        return fake

    app.dependency_overrides[verified] = made_up
    assert client.post("/hooks/acme", b"unsigned", {}).body == b'"fake"'
    app.dependency_overrides.clear()
    assert client.post("/hooks/acme", b"unsigned", {}).status == 403
    assert len(handler) == 2


def test_openapi_is_unchanged() -> None:
    """The schema lists POST only and no delivery parameter, without warnings."""
    kit = make_kit()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = webhook_app(kit, Handler()).openapi()
    operation = schema["paths"]["/hooks/acme"]
    assert list(operation) == ["post"]
    assert "parameters" not in operation["post"]
    assert "requestBody" not in operation["post"]


def test_one_verified_delivery_per_route() -> None:
    """Two VerifiedDelivery on one route are refused when the route is declared."""
    kit = make_kit()
    one, two = VerifiedDelivery(kit.verifier), VerifiedDelivery(kit.slack)
    router = APIRouter(route_class=WebhookRoute)

    async def both(
        a: Annotated[Delivery, Depends(one)], b: Annotated[Delivery, Depends(two)]
    ) -> None:
        return None

    with pytest.raises(ConfigurationError):
        router.post("/x")(both)
    with pytest.raises(ConfigurationError):
        router.post("/y", dependencies=[Depends(one)])(both)


def test_plain_routes_are_untouched() -> None:
    """A route without a VerifiedDelivery is a plain APIRoute: no HEAD, no verification."""
    app = FastAPI()
    router = APIRouter(route_class=WebhookRoute)

    @router.post("/plain")
    async def plain() -> str:
        return "plain"

    app.include_router(router)
    client = asgi_client(app)
    assert client.post("/plain", b"", {}).body == b'"plain"'
    assert client.call("HEAD", "/plain").status == 405


# -- the dependency route: Depends(VerifiedDelivery) without WebhookRoute ------


def dependency_app(kit: Kit, handler: Handler, *, exact: bool = False, **options: Any) -> FastAPI:
    """A plain FastAPI app using the dependency, HEAD listed, install() optional."""
    app = FastAPI()
    if exact:
        install(app)
    verified = VerifiedDelivery(kit.verifier, **options)
    slack = VerifiedDelivery(kit.slack)

    @app.api_route("/hooks/acme", methods=["POST", "HEAD"])
    async def acme(delivery: Annotated[Delivery, Depends(verified)]) -> Response:
        status, text = handler(delivery)
        return PlainTextResponse(text, status)

    @app.post("/hooks/slack")
    async def slack_hook(delivery: Annotated[Delivery, Depends(slack)]) -> str:
        return "not a handshake"

    return app


@pytest.mark.parametrize("exact", [False, True])
def test_dependency_answers_exactly_with_or_without_install(exact: bool) -> None:
    """The challenge is the bare text and a refusal its plain body, install() or not."""
    kit = make_kit()
    client = asgi_client(dependency_app(kit, Handler(), exact=exact))
    body, headers = kit.challenge()
    challenge = client.post("/hooks/slack", body, headers)
    assert (challenge.status, challenge.body) == (200, b"c-7f3a")
    assert challenge.headers["content-type"].startswith("text/plain")
    forged = client.post("/hooks/acme", BODY, kit.forged())
    assert (forged.status, forged.body) == (403, b"forbidden")


def test_dependency_head_and_guard() -> None:
    """HEAD is 200 where the route allows it; a redelivery is 200 unrun; a raise releases."""
    kit, handler = make_kit(), Handler()
    client = asgi_client(dependency_app(kit, handler, idempotency=Idempotency(MemoryStore())))
    assert client.call("HEAD", "/hooks/acme").status == 200
    handler.raises = True
    assert client.post("/hooks/acme", BODY, kit.signed()).status == 500
    handler.raises = False
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"handled"
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"already handled"
    assert len(handler) == 2


def test_dependency_cannot_see_a_returned_5xx_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    """Without WebhookRoute a returned 5xx completes the claim; a warning names the fix."""
    kit, handler = make_kit(), Handler(status=503)
    events: list[Event] = []
    client = asgi_client(
        dependency_app(
            kit, handler, idempotency=Idempotency(MemoryStore()), on_outcome=events.append
        )
    )
    assert client.post("/hooks/acme", BODY, kit.signed()).status == 503
    assert client.post("/hooks/acme", BODY, kit.signed()).body == b"already handled"
    warned = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and "WebhookRoute" in r.getMessage()
    ]
    assert len(warned) == 1
    assert [e.outcome for e in events] == ["accepted", "duplicate"]


def test_dependency_options_are_checked() -> None:
    """A wrong option is refused when the dependency is built."""
    kit = make_kit()
    with pytest.raises(ConfigurationError):
        VerifiedDelivery(kit.verifier, read_timeout=-1)
    with pytest.raises(ConfigurationError):
        VerifiedDelivery(kit.verifier, idempotency=False)  # type: ignore[arg-type]
