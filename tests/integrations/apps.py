"""Receivers served by real servers in tests/servers (uvicorn, gunicorn), configured by env.

Each factory builds one app with a webhook at ``/hooks/acme`` (standard-webhooks),
a Slack one at ``/hooks/slack``, one route per provider whose endpoint check
comes unsigned (``CHALLENGED``: Meta, Graph, Event Grid, Asana, X, Braintree),
and, when a key server is given, Google Pub/Sub routes whose keys are fetched.
The handlers append ``"<id> <pid>\\n"`` to the ledger file, so a test can
count handler runs across processes.

Environment:
    HOOKSIG_E2E_SECRET   the standard-webhooks ``whsec_`` secret
    HOOKSIG_E2E_STORE    ``sqlite:<path>`` or ``postgres:<dsn>``
    HOOKSIG_E2E_TABLE    the PostgreSQL table (default ``hooksig_claims``)
    HOOKSIG_E2E_LEDGER   the ledger file
    HOOKSIG_E2E_LIMIT    the body limit in bytes
    HOOKSIG_E2E_TIMEOUT  the read timeout in seconds of the middlewares, Flask and Django
    HOOKSIG_E2E_KEYS     ``<port> <CA PEM>``: the HTTPS key server of the Pub/Sub routes
"""

# No "from __future__ import annotations": FastAPI reads the annotations of
# handlers at runtime, and they name dependencies local to fastapi_app().

import os
from typing import Annotated, Any

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore, Store

SLACK_SECRET = "slack-signing-secret-0123456789abcdef"

#: Django's URLconf: this module, filled in by django_app().
urlpatterns: list[Any] = []


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"set {name}")
    return value


def verifiers() -> tuple[hooksig.Verifier, hooksig.Verifier]:
    """The acme (standard-webhooks) and Slack verifiers."""
    limit = int(_env("HOOKSIG_E2E_LIMIT", "65536"))
    acme = hooksig.Verifier(
        "standard-webhooks", secret=_env("HOOKSIG_E2E_SECRET"), max_body_size=limit
    )
    return acme, hooksig.Verifier("slack", secret=SLACK_SECRET)


#: The keys of the challenged routes (tests/servers/test_challenges_e2e.py).
META_SECRET = "meta-app-secret-0123456789abcdef"
META_VERIFY_TOKEN = "meta-verify-token-e2e"
GRAPH_CLIENT_STATE = "graph-client-state-0123456789"
GRID_SECRET = "grid-secret-0123456789abcdef"
ASANA_HOOK_SECRET = "asana-hook-secret-0123456789abcdef"
X_SECRET = "x-consumer-secret-0123456789abcdef"
BRAINTREE_KEY = hooksig.Secret("braintree-private-key-0123456789", key_id="braintree-public")
PUBSUB_AUDIENCE = "https://example.com/hooks/pubsub"
PUBSUB_EMAIL = "push@hooksig-e2e.iam.gserviceaccount.com"


def challenged() -> dict[str, hooksig.Verifier]:
    """One verifier per provider whose endpoint check comes unsigned, its challenge configured."""
    from hooksig.scheme.challenge import (
        bt_challenge,
        crc_challenge,
        hook_secret,
        hub_challenge,
        validation_token,
    )
    from hooksig.schemes import azure_event_grid, configure

    def scheme(name: str, challenge: Any, **settings: Any) -> Any:
        return configure(name, challenge=challenge, **settings)

    graph = scheme("microsoft-graph", validation_token(), app_ids=("e2e-app",))
    grid = scheme("azure-event-grid", azure_event_grid.validation())
    return {
        "/hooks/meta": hooksig.Verifier(
            scheme("meta", hub_challenge(META_VERIFY_TOKEN)), secret=META_SECRET
        ),
        "/hooks/graph": hooksig.Verifier(graph, secret=GRAPH_CLIENT_STATE),
        "/hooks/grid": hooksig.Verifier(grid, secret=GRID_SECRET, public_url="http://127.0.0.1"),
        "/hooks/asana": hooksig.Verifier(
            scheme("asana", hook_secret(lambda secret: secret == ASANA_HOOK_SECRET)),
            secret=ASANA_HOOK_SECRET,
        ),
        "/hooks/x": hooksig.Verifier(scheme("x", crc_challenge()), secret=X_SECRET),
        "/hooks/braintree": hooksig.Verifier(
            scheme("braintree", bt_challenge()), secret=BRAINTREE_KEY
        ),
    }


def fetched() -> dict[str, hooksig.Verifier]:
    """Google Pub/Sub verifiers whose keys come from the test key server (none without one)."""
    given = os.environ.get("HOOKSIG_E2E_KEYS")
    if not given:
        return {}
    import ssl

    from hooksig.keysource import HttpsFetch, KeySource, UrlRule

    port, _, ca = given.partition(" ")
    context = ssl.create_default_context(cadata=ca)
    routes = {}
    for path, keys in (
        ("/hooks/pubsub", "/certs"),
        ("/hooks/pubsub-down", "/down/certs"),
        ("/hooks/pubsub-slow", "/slow/certs"),
    ):
        scheme = hooksig.schemes.configure(
            "google-pubsub",
            email=PUBSUB_EMAIL,
            audience=PUBSUB_AUDIENCE,
            keys_url=f"https://127.0.0.1:{port}{keys}",
            key_rule=UrlRule(host=r"127\.0\.0\.1", path=keys, port=int(port)),
        )
        source = KeySource(fetch=HttpsFetch(timeout=5.0, ssl_context=context))
        routes[path] = hooksig.Verifier(scheme, public_key=source)
    return routes


def extra_routes() -> dict[str, hooksig.Verifier]:
    """The challenged and fetched-key routes every factory serves besides acme and slack."""
    return {**challenged(), **fetched()}


def guard() -> Idempotency:
    """The guard on the configured store."""
    kind, _, target = _env("HOOKSIG_E2E_STORE").partition(":")
    store: Store
    if kind == "sqlite":
        store = SQLiteStore(target)
    else:
        from hooksig.idempotency import PostgresStore

        table = _env("HOOKSIG_E2E_TABLE", "hooksig_claims")
        store = PostgresStore(target, table=table, pool_size=20)
    return Idempotency(store, lease=30)


def record(delivery: hooksig.Delivery) -> None:
    """Append one handler run to the ledger (O_APPEND: atomic across processes)."""
    line = f"{delivery.id} {os.getpid()}\n".encode()
    fd = os.open(_env("HOOKSIG_E2E_LEDGER"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def fastapi_app() -> Any:
    """FastAPI with the VerifiedDelivery dependency."""
    from fastapi import Depends, FastAPI
    from fastapi.responses import PlainTextResponse

    from hooksig.integrations.fastapi import VerifiedDelivery, install

    acme, slack = verifiers()
    app = FastAPI()
    install(app)
    verified = VerifiedDelivery(acme, idempotency=guard(), read_timeout=1.0)
    slack_verified = VerifiedDelivery(slack)

    async def acme_hook(
        delivery: Annotated[hooksig.Delivery, Depends(verified)],
    ) -> PlainTextResponse:
        record(delivery)
        return PlainTextResponse("handled")

    async def slack_hook(delivery: Annotated[hooksig.Delivery, Depends(slack_verified)]) -> str:
        return "not a handshake"

    app.post("/hooks/acme")(acme_hook)
    app.post("/hooks/slack")(slack_hook)
    for route, verifier in extra_routes().items():
        dependency = VerifiedDelivery(verifier)

        async def hook(
            delivery: Annotated[hooksig.Delivery, Depends(dependency)],
        ) -> PlainTextResponse:
            record(delivery)
            return PlainTextResponse("handled")

        app.api_route(route, methods=["GET", "POST", "OPTIONS"])(hook)
    return app


def asgi_app() -> Any:
    """A bare ASGI app behind hooksig.integrations.asgi.WebhookMiddleware."""
    from hooksig.integrations import Endpoint
    from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        record(scope["state"][DELIVERY_KEY])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"handled"})

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    routes = {"/hooks/acme": acme, "/hooks/slack": Endpoint(slack)}
    routes.update({route: Endpoint(verifier) for route, verifier in extra_routes().items()})
    return WebhookMiddleware(app, routes, idempotency=guard(), read_timeout=timeout)


def wsgi_app() -> Any:
    """A bare WSGI app behind hooksig.integrations.wsgi.WebhookMiddleware."""
    from hooksig.integrations import Endpoint
    from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        record(environ[DELIVERY_KEY])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"handled"]

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    routes = {"/hooks/acme": acme, "/hooks/slack": Endpoint(slack)}
    routes.update({route: Endpoint(verifier) for route, verifier in extra_routes().items()})
    return WebhookMiddleware(app, routes, idempotency=guard(), read_timeout=timeout)


def flask_app() -> Any:
    """Flask with the @webhook decorator."""
    from flask import Flask

    from hooksig.integrations.flask import HookSig, webhook

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    app = Flask(__name__)
    HookSig(app, idempotency=guard(), read_timeout=timeout)

    @app.post("/hooks/acme")
    @webhook(acme)
    def acme_hook(delivery: hooksig.Delivery) -> str:
        record(delivery)
        return "handled"

    @app.post("/hooks/slack")
    @webhook(slack, idempotency=False)
    def slack_hook(delivery: hooksig.Delivery) -> str:
        return "not a handshake"

    for route, verifier in extra_routes().items():

        def hook(delivery: hooksig.Delivery) -> str:
            record(delivery)
            return "handled"

        view = webhook(verifier, idempotency=False)(hook)
        app.add_url_rule(route, route, view, methods=["GET", "POST", "OPTIONS"])
    return app


def django_app() -> Any:
    """Django (WSGI) with @webhook_view, settings-driven guard and read timeout."""
    import django
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    settings.configure(
        DEBUG=False,
        SECRET_KEY="hooksig-e2e-" + "x" * 40,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        INSTALLED_APPS=[],
        DATABASES={},
        HOOKSIG={"IDEMPOTENCY": guard(), "READ_TIMEOUT": timeout},
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application

    from hooksig.integrations.django import webhook_view

    @webhook_view(acme)
    def acme_hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        record(delivery)
        return HttpResponse("handled")

    @webhook_view(slack, idempotency=False)
    def slack_hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        return HttpResponse("not a handshake")

    def hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        record(delivery)
        return HttpResponse("handled")

    extra = [
        path(route.lstrip("/"), webhook_view(verifier, idempotency=False)(hook))
        for route, verifier in extra_routes().items()
    ]
    global urlpatterns  # noqa: PLW0603 - Django reads the URLconf module
    urlpatterns = [path("hooks/acme", acme_hook), path("hooks/slack", slack_hook), *extra]
    return get_wsgi_application()
