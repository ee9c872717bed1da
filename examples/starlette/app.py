"""A Starlette receiver behind the ASGI WebhookMiddleware: ``python examples/starlette/app.py``."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations.asgi import DELIVERY_KEY, WebhookMiddleware

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")


async def on_github(request: Request) -> JSONResponse:
    """Reached only by authentic, first-time deliveries; the body is replayed intact."""
    delivery: hooksig.Delivery = request.scope["state"][DELIVERY_KEY]
    print(f"GitHub delivery {delivery.id}: {(await request.json()).get('action')}")
    return JSONResponse({"status": "ok"})


app = WebhookMiddleware(
    Starlette(routes=[Route("/hooks/github", on_github, methods=["POST"])]),
    {"/hooks/github": hooksig.Verifier("github", secret=SECRET)},
    idempotency=Idempotency(SQLiteStore("hooksig-example.db")),
    read_timeout=10.0,
)

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
