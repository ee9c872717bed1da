"""Receivers for the input tests in tests/servers/test_inputs_e2e.py, one per adapter.

Each factory serves the same four webhooks, without a guard, and answers
``id=<delivery id>`` for an authentic delivery:

- ``/hooks/github``: GitHub, whose unsigned ``X-GitHub-Delivery`` a WSGI
  server joins with a second copy into ``a,b``;
- ``/hooks/square`` and ``/hooks/trello``: configured with the full
  notification URL as ``public_url``, as their provider pages say;
- ``/hooks/twilio``: configured with a base URL on port 8443, a callback
  Twilio may sign without the port.

The factory names match ``tests.servers.support.SERVERS``.
"""

# No "from __future__ import annotations": FastAPI reads the handler's annotations at runtime.

from typing import Annotated, Any

import hooksig

GITHUB_SECRET = "github-input-secret-0123456789abcdef"
SQUARE_SECRET = "square-input-signature-key-012345"
TRELLO_SECRET = "trello-input-oauth-secret-0123456"
TWILIO_SECRET = "twilio-input-auth-token-01234567"
SQUARE_URL = "https://example.com/hooks/square"
TRELLO_URL = "https://example.com/hooks/trello"
TWILIO_BASE = "https://example.com:8443"

#: Django's URLconf: this module, filled in by django_app().
urlpatterns: list[Any] = []


def verifiers() -> dict[str, hooksig.Verifier]:
    """The verifier of each path."""
    return {
        "/hooks/github": hooksig.Verifier("github", secret=GITHUB_SECRET),
        "/hooks/square": hooksig.Verifier("square", secret=SQUARE_SECRET, public_url=SQUARE_URL),
        "/hooks/trello": hooksig.Verifier("trello", secret=TRELLO_SECRET, public_url=TRELLO_URL),
        "/hooks/twilio": hooksig.Verifier("twilio", secret=TWILIO_SECRET, public_url=TWILIO_BASE),
    }


def answer(delivery: hooksig.Delivery) -> str:
    """What every handler answers: the delivery id it was given."""
    return f"id={delivery.id}"


def fastapi_app() -> Any:
    """FastAPI with one VerifiedDelivery dependency per path."""
    from fastapi import Depends, FastAPI
    from fastapi.responses import PlainTextResponse

    from hooksig.integrations.fastapi import VerifiedDelivery, install

    app = FastAPI()
    install(app)
    for path, verifier in verifiers().items():
        verified = VerifiedDelivery(verifier)

        async def hook(
            delivery: Annotated[hooksig.Delivery, Depends(verified)],
        ) -> PlainTextResponse:
            return PlainTextResponse(answer(delivery))

        app.post(path)(hook)
    return app


def asgi_app() -> Any:
    """A bare ASGI app behind hooksig.integrations.asgi.WebhookMiddleware."""
    from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = answer(scope["state"][DELIVERY_KEY]).encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    return WebhookMiddleware(app, verifiers())


def wsgi_app() -> Any:
    """A bare WSGI app behind hooksig.integrations.wsgi.WebhookMiddleware."""
    from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [answer(environ[DELIVERY_KEY]).encode()]

    return WebhookMiddleware(app, verifiers())


def flask_app() -> Any:
    """Flask with the @webhook decorator on each path."""
    from flask import Flask

    from hooksig.integrations.flask import webhook

    app = Flask(__name__)
    for path, verifier in verifiers().items():

        def hook(delivery: hooksig.Delivery) -> str:
            return answer(delivery)

        app.post(path, endpoint=path)(webhook(verifier, idempotency=None)(hook))
    return app


def django_app() -> Any:
    """Django (WSGI, under its own WSGIHandler) with @webhook_view on each path."""
    from django.http import HttpResponse
    from django.urls import path as route

    from tests.integrations.apps import configure_django

    configure_django(__name__)
    from django.core.wsgi import get_wsgi_application

    from hooksig.integrations.django import webhook_view

    def view(verifier: hooksig.Verifier) -> Any:
        @webhook_view(verifier, idempotency=None)
        def hook(request: Any, delivery: hooksig.Delivery) -> HttpResponse:
            return HttpResponse(answer(delivery))

        return hook

    global urlpatterns  # noqa: PLW0603 - Django reads the URLconf module
    urlpatterns = [route(path.lstrip("/"), view(v)) for path, v in verifiers().items()]
    return get_wsgi_application()
