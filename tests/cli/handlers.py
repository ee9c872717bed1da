"""Handlers for `hooksig journal replay` and `hooksig reconcile`, imported by --handler.

Each appends the event id to the file named by HOOKSIG_TEST_LEDGER.
"""

from __future__ import annotations

import os
from typing import Any


def record(event: Any) -> None:
    """Append the event's id to the ledger."""
    with open(os.environ["HOOKSIG_TEST_LEDGER"], "a", encoding="utf-8") as ledger:
        ledger.write(f"{event.id} {type(event).__name__}\n")


async def record_async(event: Any) -> None:
    """The same, as a coroutine function."""
    record(event)


def fail(event: Any) -> None:
    """Always raise."""
    raise RuntimeError(f"cannot handle {event.id}")


NOT_CALLABLE = 5
