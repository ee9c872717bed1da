"""Receivers served by real servers in tests/servers (uvicorn, gunicorn), configured by env.

Each factory builds one app with a webhook at ``/hooks/acme`` (standard-webhooks)
and a Slack one at ``/hooks/slack``, declared as the docs show, one route per
provider whose endpoint check comes unsigned (`challenged`: Meta, Graph,
Event Grid, Asana, X, Braintree), and, when a key server is given, Google
Pub/Sub routes whose keys are fetched (`fetched`).  The handler
appends ``"<id> <pid>\\n"`` to the ledger file, so a test can count handler
runs across processes, then answers through `answer`: a body holding
``"fail":"status"`` or ``"fail":"raise"`` makes the first run of its id
answer 503 or raise, so a test can see the retry run it again.

Environment:
    HOOKSIG_E2E_SECRET   the standard-webhooks ``whsec_`` secret
    HOOKSIG_E2E_STORE    ``sqlite:<path>``, ``redis:<url>`` or ``postgres:<dsn>``
    HOOKSIG_E2E_TABLE    the PostgreSQL table, or the Redis key prefix
    HOOKSIG_E2E_LEDGER   the ledger file
    HOOKSIG_E2E_LIMIT    the body limit in bytes
    HOOKSIG_E2E_TIMEOUT  the read timeout in seconds of the middlewares, FastAPI, Flask and Django
    HOOKSIG_E2E_STORE_TIMEOUT  the Redis or PostgreSQL store's timeout in seconds (default 5)
    HOOKSIG_E2E_LEASE    the guard's lease in seconds (default 30)
    HOOKSIG_E2E_KEYS     ``<port> <CA PEM>``: the HTTPS key server of the Pub/Sub routes
    HOOKSIG_E2E_JOURNAL  the SQLite journal of /hooks/journaled (default: beside the ledger)
    HOOKSIG_E2E_LIMIT_REDIS  a Redis URL (and key prefix, after a space) sharing /hooks/limited's
                         rate limit across workers; in process when unset

The routes around the receiver (`AROUND`), each answered by `answer` under the
guard: ``/hooks/allowed`` (an allowlist the local client is not in, proxies
10.0.0.0/8), ``/hooks/secure`` (HTTPS only, no proxy), ``/hooks/proxied``
(HTTPS only and an allowlist, 127.0.0.1 a trusted proxy), ``/hooks/limited``
(5 per second, burst 5), ``/hooks/journaled`` (the journal), and
``/hooks/stripe`` (a Stripe endpoint, for reconciliation).

The provider sample (`PROVIDERS`): ``/hooks/p/<name>`` for one scheme of each
family, with the fixed keys of `tests.integrations.providers`, under the guard.
"""

# No "from __future__ import annotations": FastAPI reads the annotations of
# handlers at runtime, and they name dependencies local to fastapi_app().

import os
from typing import Annotated, Any

import hooksig
from hooksig.gate import Allowlist, ProxyChain, RateLimit
from hooksig.idempotency import Idempotency, SQLiteStore, Store
from hooksig.journal import Journal

SLACK_SECRET = "slack-signing-secret-0123456789abcdef"
STRIPE_SECRET = "whsec_e2e_stripe_endpoint_secret_0123456789"
#: The address the allowlists of the routes around the receiver accept.
ALLOWED = "198.51.100.7"

#: One scheme of each family, served at /hooks/p/<name>: timestamped, hex, base64,
#: Standard Webhooks (an alias), Ed25519, ECDSA, URL-signed with a form body, URL-signed
#: JSON, signature fields in the body, Basic credentials, a batch (retries change a field).
#: HOOKSIG_E2E_PROVIDERS=all (in the test's environment) serves every registry name instead.
PROVIDERS = tuple(
    hooksig.schemes.names() if os.environ.get("HOOKSIG_E2E_PROVIDERS") == "all" else
    ("stripe", "github", "shopify", "svix", "discord", "sendgrid", "twilio", "square",
     "mailgun", "basic-auth", "hubspot")
)  # fmt: skip

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
OKTA_SECRET = "okta-event-hook-secret-e2e"
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
        # Okta's check carries the token: answered by default, with nothing configured.
        "/hooks/okta": hooksig.Verifier("okta", secret=OKTA_SECRET),
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
    timeout = float(_env("HOOKSIG_E2E_STORE_TIMEOUT", "5"))
    store: Store
    if kind == "sqlite":
        store = SQLiteStore(target)
    elif kind == "redis":
        from hooksig.idempotency import RedisStore

        store = RedisStore(target, prefix=_env("HOOKSIG_E2E_TABLE", "hooksig:"), timeout=timeout)
    else:
        from hooksig.idempotency import PostgresStore

        table = _env("HOOKSIG_E2E_TABLE", "hooksig_claims")
        store = PostgresStore(target, table=table, pool_size=20, timeout=timeout)
    return Idempotency(store, lease=float(_env("HOOKSIG_E2E_LEASE", "30")))


def record(delivery: hooksig.Delivery) -> int:
    """Append one handler run to the ledger (O_APPEND: atomic); return the earlier runs."""
    path = _env("HOOKSIG_E2E_LEDGER")
    earlier = 0
    if os.path.exists(path):
        with open(path) as ledger:
            earlier = sum(line.split()[0] == delivery.id for line in ledger)
    line = f"{delivery.id} {os.getpid()}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return earlier


def answer(delivery: hooksig.Delivery) -> int:
    """Record the run; return the status to answer (503 or an exception on a failing first run)."""
    earlier = record(delivery)
    if earlier == 0 and b'"fail":"status"' in delivery.body:
        return 503
    if earlier == 0 and b'"fail":"raise"' in delivery.body:
        raise RuntimeError("the handler failed, as asked")
    return 200


def _limit() -> Any:
    shared = os.environ.get("HOOKSIG_E2E_LIMIT_REDIS")
    if not shared:
        return RateLimit(per_second=5, burst=5)
    from hooksig.gate import RedisRateLimit

    url, _, prefix = shared.partition(" ")
    return RedisRateLimit(url, name="limited", prefix=prefix, per_second=5, burst=5)


def around() -> dict[str, tuple[hooksig.Verifier, dict[str, Any]]]:
    """Path -> (verifier, options) of the routes around the receiver, on the shared guard."""
    acme, _ = verifiers()
    journal = os.environ.get("HOOKSIG_E2E_JOURNAL") or _env("HOOKSIG_E2E_LEDGER") + ".journal.db"
    shared = {"idempotency": guard()}
    stripe = hooksig.Verifier("stripe", secret=STRIPE_SECRET)
    return {
        "/hooks/allowed": (acme, {**shared, "allowlist": Allowlist(ranges=[ALLOWED]),
                                  "proxies": ProxyChain(["10.0.0.0/8"])}),
        "/hooks/secure": (acme, {**shared, "https_only": True}),
        "/hooks/proxied": (acme, {**shared, "https_only": True, "allowlist": Allowlist(
            ranges=[ALLOWED]), "proxies": ProxyChain(["127.0.0.1"])}),
        "/hooks/limited": (acme, {**shared, "rate_limit": _limit()}),
        "/hooks/journaled": (acme, {**shared, "journal": Journal(journal)}),
        "/hooks/stripe": (stripe, shared),
    }  # fmt: skip


def webhooks() -> dict[str, tuple[hooksig.Verifier, dict[str, Any]]]:
    """The routes around the receiver and the provider sample, on the shared guard."""
    from tests.integrations.providers import matrix_path, provider

    shared = {"idempotency": guard()}
    sample = {matrix_path(name): (provider(name).verifier, shared) for name in PROVIDERS}
    return {**around(), **sample}


def fastapi_app() -> Any:
    """FastAPI with WebhookRoute, declared as the docs show (no install(), no HEAD listed)."""
    from fastapi import Depends, FastAPI
    from fastapi.responses import PlainTextResponse

    from hooksig.integrations.fastapi import VerifiedDelivery, WebhookRoute

    acme, slack = verifiers()
    app = FastAPI()
    app.router.route_class = WebhookRoute
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    verified = VerifiedDelivery(acme, idempotency=guard(), read_timeout=timeout)
    slack_verified = VerifiedDelivery(slack)

    async def acme_hook(
        delivery: Annotated[hooksig.Delivery, Depends(verified)],
    ) -> PlainTextResponse:
        status = answer(delivery)
        return PlainTextResponse("handled" if status == 200 else "failed", status)

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
    for path, (verifier, options) in webhooks().items():
        app.post(path)(_fastapi_route(VerifiedDelivery(verifier, **options)))
    return app


def _fastapi_route(verified: Any) -> Any:
    from fastapi import Depends
    from fastapi.responses import PlainTextResponse

    async def hook(delivery: Annotated[hooksig.Delivery, Depends(verified)]) -> PlainTextResponse:
        status = answer(delivery)
        return PlainTextResponse("handled" if status == 200 else "failed", status)

    return hook


def asgi_app() -> Any:
    """A bare ASGI app behind hooksig.integrations.asgi.WebhookMiddleware."""
    from hooksig.integrations import Endpoint
    from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        status = answer(scope["state"][DELIVERY_KEY])
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send(
            {"type": "http.response.body", "body": b"handled" if status == 200 else b"failed"}
        )

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    routes: dict[str, Any] = {
        "/hooks/acme": acme,
        "/hooks/slack": Endpoint(slack, idempotency=None),
        **{path: Endpoint(v, **options) for path, (v, options) in webhooks().items()},
        **{path: Endpoint(v, idempotency=None) for path, v in extra_routes().items()},
    }
    return WebhookMiddleware(app, routes, idempotency=guard(), read_timeout=timeout)


def wsgi_app() -> Any:
    """A bare WSGI app behind hooksig.integrations.wsgi.WebhookMiddleware."""
    from hooksig.integrations import Endpoint
    from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        status = answer(environ[DELIVERY_KEY])
        start_response(f"{status} Status", [("Content-Type", "text/plain")])
        return [b"handled" if status == 200 else b"failed"]

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    routes: dict[str, Any] = {
        "/hooks/acme": acme,
        "/hooks/slack": Endpoint(slack, idempotency=None),
        **{path: Endpoint(v, **options) for path, (v, options) in webhooks().items()},
        **{path: Endpoint(v, idempotency=None) for path, v in extra_routes().items()},
    }
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
    def acme_hook(delivery: hooksig.Delivery) -> tuple[str, int]:
        status = answer(delivery)
        return ("handled" if status == 200 else "failed"), status

    @app.post("/hooks/slack")
    @webhook(slack, idempotency=None)
    def slack_hook(delivery: hooksig.Delivery) -> str:
        return "not a handshake"

    for route, verifier in extra_routes().items():

        def hook(delivery: hooksig.Delivery) -> str:
            record(delivery)
            return "handled"

        view = webhook(verifier, idempotency=None)(hook)
        app.add_url_rule(route, route, view, methods=["GET", "POST", "OPTIONS"])
    for path, (verifier, options) in webhooks().items():
        app.post(path, endpoint=path)(webhook(verifier, **options)(_flask_view))
    return app


def _flask_view(delivery: hooksig.Delivery) -> tuple[str, int]:
    status = answer(delivery)
    return ("handled" if status == 200 else "failed"), status


def configure_django(urlconf: str, **extra: Any) -> None:
    """Settings for a one-module Django site whose URLconf is *urlconf*; CSRF on, no database."""
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="hooksig-e2e-" + "x" * 40,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=urlconf,
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        INSTALLED_APPS=[],
        DATABASES={},
        **extra,
    )
    django.setup()


def django_app() -> Any:
    """Django (WSGI) with @webhook_view, settings-driven guard and read timeout."""
    from django.http import HttpResponse
    from django.urls import path

    acme, slack = verifiers()
    timeout = float(_env("HOOKSIG_E2E_TIMEOUT", "1.0"))
    configure_django(__name__, HOOKSIG={"IDEMPOTENCY": guard(), "READ_TIMEOUT": timeout})
    from django.core.wsgi import get_wsgi_application

    from hooksig.integrations.django import webhook_view

    @webhook_view(acme)
    def acme_hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        status = answer(delivery)
        return HttpResponse("handled" if status == 200 else "failed", status=status)

    @webhook_view(slack, idempotency=None)
    def slack_hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        return HttpResponse("not a handshake")

    def view(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        status = answer(delivery)
        return HttpResponse("handled" if status == 200 else "failed", status=status)

    def hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
        record(delivery)
        return HttpResponse("handled")

    extra = [
        path(route.lstrip("/"), webhook_view(verifier, idempotency=None)(hook))
        for route, verifier in extra_routes().items()
    ]
    global urlpatterns  # noqa: PLW0603 - Django reads the URLconf module
    urlpatterns = [
        path("hooks/acme", acme_hook),
        path("hooks/slack", slack_hook),
        *extra,
        *(
            path(route.lstrip("/"), webhook_view(verifier, **options)(view))
            for route, (verifier, options) in webhooks().items()
        ),
    ]
    return get_wsgi_application()
