"""A FastAPI webhook receiver: ``python examples/fastapi/app.py``."""

# No "from __future__ import annotations": FastAPI reads annotations at runtime.

import os
from typing import Annotated

from fastapi import Depends, FastAPI

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations.fastapi import VerifiedDelivery, install

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")

app = FastAPI()
install(app)  # answers (403, 413, handshakes...) go out with their exact bodies
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

    uvicorn.run(app, host="127.0.0.1", port=8000)
