"""A FastAPI webhook receiver: ``python examples/fastapi/app.py``."""

# No "from __future__ import annotations": FastAPI reads annotations at runtime.

import os
from typing import Annotated

from fastapi import Depends, FastAPI

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations.fastapi import VerifiedDelivery, WebhookRoute

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")

app = FastAPI()
app.router.route_class = WebhookRoute  # the webhook flow, HEAD and exact answers included
github = VerifiedDelivery(
    hooksig.Verifier("github", secret=SECRET),
    idempotency=Idempotency(SQLiteStore("hooksig-example.db")),
)


@app.post("/hooks/github")
async def on_github(delivery: Annotated[hooksig.Delivery, Depends(github)]) -> dict[str, str]:
    """Runs once per delivery id; declare no body parameter, use delivery.json()."""
    print(f"GitHub delivery {delivery.id}: {delivery.json().get('action')}")
    return {"status": "ok"}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
