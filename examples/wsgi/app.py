"""A plain WSGI receiver behind WebhookMiddleware: ``python examples/wsgi/app.py``.

Standard library only (wsgiref) for the demo; serve it with gunicorn or
waitress in production: ``gunicorn --chdir examples/wsgi app:app``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import make_server

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations.wsgi import DELIVERY_KEY, WebhookMiddleware

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")


def receiver(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Reached only by authentic, first-time deliveries, with the body replayed on wsgi.input."""
    delivery: hooksig.Delivery = environ[DELIVERY_KEY]
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    print(f"GitHub delivery {delivery.id}: {json.loads(body).get('action')}")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"status": "ok"}']


app = WebhookMiddleware(
    receiver,
    {"/hooks/github": hooksig.Verifier("github", secret=SECRET)},
    idempotency=Idempotency(SQLiteStore("hooksig-example.db")),
)

if __name__ == "__main__":
    with make_server("127.0.0.1", 8000, app) as server:
        print("listening on http://127.0.0.1:8000/hooks/github")
        server.serve_forever()
