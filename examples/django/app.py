"""A single-file Django webhook receiver: ``python examples/django/app.py runserver``."""

from __future__ import annotations

import os
import sys

import django
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")

settings.configure(
    DEBUG=True,
    SECRET_KEY="example-only-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
    INSTALLED_APPS=[],
    DATABASES={},
    # The default guard of every @webhook_view (an object, or a dotted path).
    HOOKSIG={"IDEMPOTENCY": Idempotency(SQLiteStore("hooksig-example.db"))},
)
django.setup()

from hooksig.integrations.django import webhook_view  # noqa: E402 - needs settings

github = hooksig.Verifier("github", secret=SECRET)


@webhook_view(github)
def on_github(request: HttpRequest, delivery: hooksig.Delivery) -> JsonResponse:
    """Runs once per delivery id, only for authentic deliveries; CSRF exempt."""
    print(f"GitHub delivery {delivery.id}: {delivery.json().get('action')}")
    return JsonResponse({"status": "ok"})


urlpatterns = [path("hooks/github", on_github)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    port = os.environ.get("PORT", "8000")
    default = [sys.argv[0], "runserver", f"127.0.0.1:{port}", "--noreload"]
    execute_from_command_line(sys.argv if len(sys.argv) > 1 else default)
