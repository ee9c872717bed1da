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
    """Webhook paths arrive authentic and first-time, the body replayed on wsgi.input."""
    delivery: hooksig.Delivery | None = environ.get(DELIVERY_KEY)  # None off webhook paths
    if delivery is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
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
    port = int(os.environ.get("PORT", "8000"))
    with make_server("127.0.0.1", port, app) as server:
        print(f"listening on http://127.0.0.1:{port}/hooks/github")
        server.serve_forever()
