"""A Flask webhook receiver: ``python examples/flask/app.py``."""

from __future__ import annotations

import os

from flask import Flask

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations.flask import HookSig, webhook

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")

app = Flask(__name__)
# App-wide settings: every @webhook view below claims delivery ids in this file.
HookSig(app, idempotency=Idempotency(SQLiteStore("hooksig-example.db")))
github = hooksig.Verifier("github", secret=SECRET)


@app.post("/hooks/github")
@webhook(github)
def on_github(delivery: hooksig.Delivery) -> dict[str, str]:
    """Runs once per delivery id, only for authentic deliveries."""
    event = delivery.json()
    print(f"GitHub delivery {delivery.id}: {event.get('action')}")
    return {"status": "ok"}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
