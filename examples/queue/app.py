"""The web side of the queue recipe: verify, enqueue, answer 202."""

from __future__ import annotations

import os

from flask import Flask
from redis import Redis
from rq import Queue, Retry
from tasks import REDIS_URL, handle_github

import hooksig
from hooksig.integrations.flask import webhook

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")

app = Flask(__name__)
queue = Queue(os.environ.get("QUEUE", "webhooks"), connection=Redis.from_url(REDIS_URL))
github = hooksig.Verifier("github", secret=SECRET)


@app.post("/hooks/github")
@webhook(github, idempotency=None)  # no guard here: the worker claims the delivery
def on_github(delivery: hooksig.Delivery) -> tuple[str, int]:
    """Hand the verified delivery on as plain data; the provider gets its answer now."""
    queue.enqueue(handle_github, delivery.scheme, delivery.id, delivery.body, retry=Retry(max=3))
    return "queued", 202


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
