"""
Run one Python code block of the docs as written, then send it a signed delivery.

``python -m tests.integrations._docs_harness PAGE INDEX`` runs the INDEX-th
``python`` block of PAGE (a Markdown file) in a fresh namespace, in the
current directory, with ``GITHUB_WEBHOOK_SECRET`` set as the page expects.
Then, if the block made an app (``app``, or a Django view ``on_github``),
it posts one signed GitHub delivery to ``/hooks/github`` twice through the
framework's own test client; if it made an ``on_outcome`` hook (``count``),
it answers one request through a Flask app with that hook.  It prints what
happened as JSON for the test to check.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

SECRET = "docs-github-secret-0123456789abcdef"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(page: Path) -> list[str]:
    """The ``python`` code blocks of *page*, in order."""
    return BLOCK.findall(page.read_text(encoding="utf-8"))


def _configure_django() -> None:
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="docs-" + "x" * 40,
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        DATABASES={},
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        HOOKSIG={},
    )
    django.setup()


urlpatterns: list[Any] = []


def _send(namespace: dict[str, Any]) -> list[tuple[int, str]]:
    import hooksig

    body = b'{"action":"opened"}'
    headers = hooksig.Verifier("github", secret=SECRET).sign(body, id="docs-1")
    headers["Content-Type"] = "application/json"
    app = namespace.get("app")
    replies = []
    for _ in range(2):
        if "on_github" in namespace and app is None:  # a Django view
            from django.test import Client
            from django.urls import clear_url_caches, path

            urlpatterns[:] = [path("hooks/github", namespace["on_github"])]
            clear_url_caches()
            content_type = headers.pop("Content-Type")
            response = Client().generic(
                "POST", "/hooks/github", body, content_type, headers=headers
            )
            headers["Content-Type"] = content_type
            replies.append((response.status_code, response.content.decode()))
        elif hasattr(app, "test_client"):  # Flask
            response = app.test_client().post("/hooks/github", data=body, headers=headers)
            replies.append((response.status_code, response.get_data(as_text=True)))
        elif _is_asgi(app):
            from starlette.testclient import TestClient

            response = TestClient(app).post("/hooks/github", content=body, headers=headers)
            replies.append((response.status_code, response.text))
        else:  # WSGI
            from werkzeug.test import Client as WsgiClient

            response = WsgiClient(app).post("/hooks/github", data=body, headers=headers)
            replies.append((response.status_code, response.get_data(as_text=True)))
    return replies


def _is_asgi(app: object) -> bool:
    import inspect

    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__)


def _hook(namespace: dict[str, Any]) -> list[tuple[int, str]]:
    from flask import Flask

    import hooksig
    from hooksig.integrations.flask import webhook

    app = Flask("hooked")
    github = hooksig.Verifier("github", secret=SECRET)

    @app.post("/hooks/github")
    @webhook(github, on_outcome=namespace["count"])
    def on_github(delivery: hooksig.Delivery) -> str:
        return "ok"

    return _send({"app": app})


def main() -> None:
    """Run the block named on the command line; print the outcome as JSON."""
    page, index = Path(sys.argv[1]), int(sys.argv[2])
    code = blocks(page)[index]
    os.environ["GITHUB_WEBHOOK_SECRET"] = SECRET
    if "opentelemetry" in code:
        from opentelemetry import metrics
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader

        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    if "django" in code:
        _configure_django()
    namespace: dict[str, Any] = {"__name__": f"docs_block_{index}"}
    exec(compile(code, f"{page}:{index}", "exec"), namespace)  # noqa: S102 - the docs' own code
    result: dict[str, Any] = {"names": sorted(n for n in namespace if not n.startswith("__"))}
    if "app" in namespace or "on_github" in namespace:
        result["replies"] = _send(namespace)
    if "count" in namespace:
        result["replies"] = _hook(namespace)
        if "opentelemetry" in code:
            data = reader.get_metrics_data()
            points = [
                (metric.name, dict(point.attributes), getattr(point, "value", None))
                for resource in data.resource_metrics
                for scope in resource.scope_metrics
                for metric in scope.metrics
                for point in metric.data.data_points
            ]
            result["otel"] = [p for p in points if p[0] == "webhook.requests"]
        else:
            from prometheus_client import REGISTRY

            labels = {"endpoint": "/hooks/github", "scheme": "github"}
            result["prometheus"] = {
                outcome: REGISTRY.get_sample_value(
                    "webhook_requests_total", {**labels, "outcome": outcome}
                )
                for outcome in ("accepted", "duplicate")
            }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
