"""
Part 3 of ``hooksig demo``: a real receiver on 127.0.0.1 backed by the embedded SQLite store.

The receiver is the standard library's WSGI server running hooksig's own
:class:`~hooksig.integrations.wsgi.WebhookMiddleware`, so what the demo
shows is exactly what an application gets: verification, the body limit,
the outcome table and the idempotency guard, over real HTTP.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..idempotency import Idempotency, SQLiteStore
from ..integrations.wsgi import DELIVERY_KEY, WebhookMiddleware
from ..verifier import Verifier

#: The demo's body limit, small so that an oversized delivery is quick to send.
DEMO_LIMIT = 64 * 1024

Row = tuple[str, str, str]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the demo's output to its own table."""


@contextmanager
def _serve(app: Callable[..., Iterable[bytes]]) -> Iterator[str]:
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _post(base: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        # A receiver that answers 413 may close before the whole body is sent,
        # which is the point: its answer is still waiting to be read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace").strip()
    finally:
        connection.close()


def run_receiver(db_path: str, now: int) -> list[Row]:
    """Send genuine, forged, stale, duplicate and oversized deliveries; return one row each."""
    github = Verifier(
        "github", secret="demo secret for the github endpoint", max_body_size=DEMO_LIMIT
    )
    stripe = Verifier(
        "stripe", secret="whsec_demo_secret_for_hooksig_0001", max_body_size=DEMO_LIMIT
    )
    svix = Verifier(
        "svix", secret="whsec_ZGVtbyBzZWNyZXQgZm9yIHN2aXggZW5kcG9pbnQ=", max_body_size=DEMO_LIMIT
    )
    handled: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        delivery = environ[DELIVERY_KEY]
        handled.append(f"{delivery.scheme}:{delivery.id}")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"handled {delivery.scheme} delivery {delivery.id}".encode()]

    guard = Idempotency(SQLiteStore(db_path), lease=30.0, retention=3600.0)
    routes = {"/hooks/github": github, "/hooks/stripe": stripe, "/hooks/svix": svix}
    body = json.dumps({"id": "evt_demo_2", "type": "invoice.paid"}).encode()
    gh_headers = github.sign(body, id="d6a1f2c0-demo-0001")
    cases: list[tuple[str, str, bytes, dict[str, str]]] = [
        ("github: genuine", "/hooks/github", body, gh_headers),
        ("stripe: genuine", "/hooks/stripe", body, stripe.sign(body, timestamp=now)),
        ("svix: genuine", "/hooks/svix", body, svix.sign(body, timestamp=now)),
        ("github: same delivery again", "/hooks/github", body, gh_headers),
        (
            "github: forged signature",
            "/hooks/github",
            body,
            {**gh_headers, "X-Hub-Signature-256": "sha256=" + "0" * 64},
        ),
        (
            "stripe: stale (signed 1 h ago)",
            "/hooks/stripe",
            body,
            stripe.sign(body, timestamp=now - 3600),
        ),
        (
            "stripe: oversized body (1 MiB)",
            "/hooks/stripe",
            b"x" * (1024 * 1024),
            stripe.sign(b"x", timestamp=now),
        ),
    ]
    rows: list[Row] = []
    with _serve(WebhookMiddleware(app, routes, idempotency=guard)) as base:
        for label, path, data, headers in cases:
            before = len(handled)
            status, text = _post(base, path, data, headers)
            ran = "handler ran" if len(handled) > before else "handler not run"
            rows.append((label, str(status), f"{text[:48]} ({ran})"))
    return rows
