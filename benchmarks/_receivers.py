"""
The receivers `receiver.py` measures: one app per framework and contender, built the same way.

Every receiver answers ``POST /hooks/github`` with a 200 ``ok``:

- ``bare``: the route reads the body and answers, nothing verified;
- ``handwritten``: the route checks ``X-Hub-Signature-256`` itself, as the
  provider's docs show (``hmac.new`` + ``hmac.compare_digest``);
- ``minimal``: ``hooksig.Verifier`` in the least code that reads the body,
  verifies and hands the delivery over, where the adapter sits (a route for
  FastAPI, an ASGI or WSGI middleware, a Flask or Django view decorator), with
  none of the adapter's features (body limit, timeout, methods, challenges,
  outcome table, reports): what any adapter on hooksig costs at the least;
- ``hooksig``: the framework's hooksig adapter, no guard;
- ``memory``, ``sqlite``, ``redis``, ``postgres``: the adapter with a guard on that store.

Real servers build one with ``HOOKSIG_BENCH_KIND`` set (``--factory`` for
uvicorn, ``module:app()`` for gunicorn).  Stores take
``HOOKSIG_REDIS_URL``, ``HOOKSIG_POSTGRES_DSN``, ``HOOKSIG_BENCH_TABLE``,
``HOOKSIG_BENCH_PREFIX`` and ``HOOKSIG_BENCH_SQLITE``.
"""

# No "from __future__ import annotations": FastAPI reads annotations at runtime.

import functools
import hashlib
import hmac
import io
import os
import tempfile
from typing import Annotated, Any

import hooksig
from hooksig.idempotency import Idempotency, MemoryStore, SQLiteStore, Store

SECRET = "benchmark-github-secret-0123456789"
PATH = "/hooks/github"
KINDS = ("bare", "handwritten", "minimal", "hooksig", "memory", "sqlite", "redis", "postgres")
STORES = ("memory", "sqlite", "redis", "postgres")
_KEY = SECRET.encode()


def verifier() -> hooksig.Verifier:
    """The GitHub verifier every hooksig contender uses."""
    return hooksig.Verifier("github", secret=SECRET)


def store(kind: str) -> Store:
    """A fresh store of *kind*, on the servers of ``scripts/servers.sh``."""
    if kind == "memory":
        return MemoryStore(max_keys=1_000_000)
    if kind == "sqlite":
        path = os.environ.get("HOOKSIG_BENCH_SQLITE") or os.path.join(
            tempfile.mkdtemp(prefix="hooksig-bench-"), "claims.db"
        )
        return SQLiteStore(path)
    if kind == "redis":
        from hooksig.idempotency import RedisStore

        url = os.environ.get("HOOKSIG_REDIS_URL", "redis://127.0.0.1:6390/0")
        prefix = os.environ.get("HOOKSIG_BENCH_PREFIX", "hooksig-bench:")
        return RedisStore(url, prefix=prefix)
    if kind == "postgres":
        from hooksig.idempotency import PostgresStore

        dsn = os.environ.get(
            "HOOKSIG_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5440/hooksig_test"
        )
        return PostgresStore(dsn, table=os.environ.get("HOOKSIG_BENCH_TABLE", "hooksig_bench"))
    raise ValueError(f"no store {kind!r}")


def guard(kind: str) -> Idempotency | None:
    """The guard of a contender: ``None`` for ``hooksig``, else one on its store."""
    return Idempotency(store(kind)) if kind in STORES else None


def signature_ok(body: bytes, header: str | None) -> bool:
    """The check a provider's docs show, written by hand."""
    expected = "sha256=" + hmac.new(_KEY, body, hashlib.sha256).hexdigest()
    return header is not None and hmac.compare_digest(expected, header)


def _kind(kind: str | None) -> str:
    chosen = kind or os.environ.get("HOOKSIG_BENCH_KIND", "hooksig")
    if chosen not in KINDS:
        raise ValueError(f"HOOKSIG_BENCH_KIND must be one of {KINDS}")
    return chosen


# -- ASGI ----------------------------------------------------------------------


def fastapi_app(kind: str | None = None) -> Any:
    """FastAPI; hooksig through ``WebhookRoute`` and ``VerifiedDelivery``."""
    from fastapi import Depends, FastAPI, Request
    from fastapi.responses import PlainTextResponse

    from hooksig.integrations.fastapi import VerifiedDelivery, WebhookRoute

    kind = _kind(kind)
    app = FastAPI()
    if kind == "bare":

        @app.post(PATH)
        async def bare(request: Request) -> PlainTextResponse:
            await request.body()
            return PlainTextResponse("ok")

    elif kind == "handwritten":

        @app.post(PATH)
        async def handwritten(request: Request) -> PlainTextResponse:
            body = await request.body()
            if not signature_ok(body, request.headers.get("x-hub-signature-256")):
                return PlainTextResponse("forbidden", 403)
            return PlainTextResponse("ok")

    elif kind == "minimal":
        github_verifier = verifier()

        @app.post(PATH)
        async def minimal(request: Request) -> PlainTextResponse:
            try:
                github_verifier.verify(await request.body(), request.headers.raw)
            except hooksig.VerificationError:
                return PlainTextResponse("forbidden", 403)
            return PlainTextResponse("ok")

    else:
        # Routes on the app itself, as the bare ones: an included APIRouter
        # costs FastAPI's own routing more, with or without hooksig.
        app.router.route_class = WebhookRoute
        github = VerifiedDelivery(verifier(), idempotency=guard(kind))

        @app.post(PATH)
        async def hook(delivery: Annotated[hooksig.Delivery, Depends(github)]) -> PlainTextResponse:
            return PlainTextResponse("ok")

    return app


def starlette_app(kind: str | None = None) -> Any:
    """Starlette; hooksig through ``hooksig.integrations.asgi.WebhookMiddleware``."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

    kind = _kind(kind)

    async def bare(request: Request) -> PlainTextResponse:
        await request.body()
        return PlainTextResponse("ok")

    async def handwritten(request: Request) -> PlainTextResponse:
        body = await request.body()
        if not signature_ok(body, request.headers.get("x-hub-signature-256")):
            return PlainTextResponse("forbidden", 403)
        return PlainTextResponse("ok")

    async def hook(request: Request) -> PlainTextResponse:
        request.scope["state"][DELIVERY_KEY]  # the delivery, as a route reads it
        return PlainTextResponse("ok")

    endpoint = {"bare": bare, "handwritten": handwritten}.get(kind, hook)
    app = Starlette(routes=[Route(PATH, endpoint, methods=["POST"])])
    if endpoint is not hook:
        return app
    if kind == "minimal":
        return _minimal_asgi(app)
    return WebhookMiddleware(app, {PATH: verifier()}, idempotency=guard(kind))


def fastapi_asgi_app(kind: str | None = None) -> Any:
    """FastAPI without hooksig's route; hooksig through the ASGI ``WebhookMiddleware``."""
    from fastapi import FastAPI, Request
    from fastapi.responses import PlainTextResponse

    from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

    kind = _kind(kind)
    if kind in ("bare", "handwritten"):
        return fastapi_app(kind)
    app = FastAPI()

    @app.post(PATH)
    async def hook(request: Request) -> PlainTextResponse:
        request.scope["state"][DELIVERY_KEY]  # the delivery, as a route reads it
        return PlainTextResponse("ok")

    if kind == "minimal":
        return _minimal_asgi(app)
    return WebhookMiddleware(app, {PATH: verifier()}, idempotency=guard(kind))


def _minimal_asgi(app: Any) -> Any:
    """The least ASGI middleware on hooksig: read, verify, replay the body, call the app."""
    from hooksig.integrations.asgi import DELIVERY_KEY, replay

    github_verifier = verifier()

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            scope["state"][DELIVERY_KEY] = github_verifier.verify(body, scope["headers"])
        except hooksig.VerificationError:
            await send({"type": "http.response.start", "status": 403, "headers": []})
            await send({"type": "http.response.body", "body": b"forbidden"})
            return
        await app(scope, replay(body, receive), send)

    return middleware


# -- WSGI ----------------------------------------------------------------------


def flask_app(kind: str | None = None) -> Any:
    """Flask; hooksig through ``@webhook``."""
    from flask import Flask, request

    from hooksig.integrations.flask import webhook

    kind = _kind(kind)
    app = Flask(__name__)
    if kind == "bare":

        @app.post(PATH)
        def bare() -> str:
            request.get_data()
            return "ok"

    elif kind == "handwritten":

        @app.post(PATH)
        def handwritten() -> Any:
            body = request.get_data()
            if not signature_ok(body, request.headers.get("X-Hub-Signature-256")):
                return "forbidden", 403
            return "ok"

    elif kind == "minimal":

        @app.post(PATH)
        @_minimal_view
        def minimal(delivery: hooksig.Delivery) -> str:
            return "ok"

    else:

        @app.post(PATH)
        @webhook(verifier(), idempotency=guard(kind))
        def hook(delivery: hooksig.Delivery) -> str:
            return "ok"

    return app


def _read_input(environ: Any) -> bytes:
    """The body from ``wsgi.input``, by its Content-Length, put back for the app."""
    body: bytes = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _minimal_view(view: Any) -> Any:
    """The least Flask view decorator on hooksig: read, verify, call the view."""
    from flask import request

    github_verifier = verifier()

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        environ = request.environ
        try:
            delivery = github_verifier.verify(
                _read_input(environ), hooksig.Headers.from_environ(environ)
            )
        except hooksig.VerificationError:
            return "forbidden", 403
        return view(delivery, *args, **kwargs)

    return wrapper


def wsgi_app(kind: str | None = None) -> Any:
    """Flask without hooksig's decorator; hooksig through the WSGI ``WebhookMiddleware``."""
    from flask import Flask, request

    from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

    kind = _kind(kind)
    if kind in ("bare", "handwritten"):
        return flask_app(kind)
    app = Flask(__name__)

    @app.post(PATH)
    def hook() -> str:
        request.environ[DELIVERY_KEY]  # the delivery, as a route reads it
        return "ok"

    if kind == "minimal":
        return _minimal_wsgi(app)
    return WebhookMiddleware(app, {PATH: verifier()}, idempotency=guard(kind))


def _minimal_wsgi(app: Any) -> Any:
    """The least WSGI middleware on hooksig: read, verify, put the body back, call the app."""
    from hooksig.integrations.wsgi import DELIVERY_KEY

    github_verifier = verifier()

    def middleware(environ: Any, start_response: Any) -> Any:
        try:
            environ[DELIVERY_KEY] = github_verifier.verify(
                _read_input(environ), hooksig.Headers.from_environ(environ)
            )
        except hooksig.VerificationError:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"forbidden"]
        return app(environ, start_response)

    return middleware


def django_path(kind: str) -> str:
    """Where `django_app` routes *kind*: one URLconf holds every contender."""
    return f"{PATH}/{kind}"


def django_app(kind: str | None = None) -> Any:
    """Django's WSGI handler; hooksig through ``@webhook_view``, at `django_path`."""
    import django
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from hooksig.integrations.django import webhook_view

    kind = _kind(kind)
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="hooksig-bench-" + "x" * 40,
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=[],
            DATABASES={},
            # startproject's stack, less what needs a database.
            MIDDLEWARE=[
                "django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.middleware.clickjacking.XFrameOptionsMiddleware",
            ],
        )
        django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    if kind == "bare":

        @csrf_exempt  # type: ignore[untyped-decorator]  # django ships no types
        def view(request: HttpRequest) -> HttpResponse:
            request.body  # noqa: B018 - read the body, as the other contenders do
            return HttpResponse("ok")

    elif kind == "handwritten":

        @csrf_exempt  # type: ignore[untyped-decorator]  # django ships no types
        def view(request: HttpRequest) -> HttpResponse:
            if not signature_ok(request.body, request.headers.get("X-Hub-Signature-256")):
                return HttpResponse("forbidden", status=403)
            return HttpResponse("ok")

    elif kind == "minimal":
        github_verifier = verifier()

        @csrf_exempt  # type: ignore[untyped-decorator]  # django ships no types
        def view(request: HttpRequest) -> HttpResponse:
            # What the least @webhook_view would do around the view: read, verify, hand over.
            try:
                github_verifier.verify(request.body, hooksig.Headers.from_environ(request.META))
            except hooksig.VerificationError:
                return HttpResponse("forbidden", status=403)
            return HttpResponse("ok")

    else:

        @webhook_view(verifier(), idempotency=guard(kind))
        def view(request: HttpRequest, delivery: hooksig.Delivery) -> HttpResponse:
            return HttpResponse("ok")

    urlpatterns.append(path(django_path(kind).lstrip("/"), view))
    from django.urls import clear_url_caches

    clear_url_caches()
    return WSGIHandler()


#: Django's URLconf: this module, filled in by django_app().
urlpatterns: list[Any] = []
