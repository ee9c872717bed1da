"""The worker side of the queue recipe: the guard sits where the work happens.

``rq worker --path examples/queue webhooks`` imports this module and runs
`handle_github` for each job the web side enqueued.
"""

from __future__ import annotations

import json
import os

from hooksig.errors import DuplicateDelivery
from hooksig.idempotency import Idempotency, RedisStore

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The lease outlasts the slowest job; done deliveries are remembered a week.
guard = Idempotency(RedisStore(REDIS_URL, prefix="hooksig-queue:"), lease=300)


def handle_github(scheme: str, delivery_id: str, body: bytes) -> str:
    """Do the work of one verified delivery, once, however often it was enqueued."""
    try:
        with guard.claim(f"{scheme}:{delivery_id}"):  # the key the adapters use
            event = json.loads(body)
            with open(os.environ.get("WORK_LOG", "work.log"), "a") as log:
                log.write(f"{delivery_id} {event.get('action')}\n")
    except DuplicateDelivery as duplicate:
        return duplicate.state  # done, or another worker has it: nothing to do
    return "done"
