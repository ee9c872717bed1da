"""
Handle each delivery once, though providers deliver at least once.

`Idempotency` claims a delivery's id in a `Store` before your handler runs,
marks it done when the handler returns, and gives it back when the handler
raises.  Stores: `MemoryStore` and `SQLiteStore` (standard library),
`RedisStore` (extra ``redis``) and `PostgresStore` (extra ``postgres``).  The
last two load on first use, so importing this package never imports an extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hooksig.idempotency._guard import AsyncLease as AsyncLease
from hooksig.idempotency._guard import Idempotency as Idempotency
from hooksig.idempotency._guard import Lease as Lease
from hooksig.idempotency._keys import DeliveryLike as DeliveryLike
from hooksig.idempotency._keys import storage_key as storage_key
from hooksig.idempotency._store import Claim as Claim
from hooksig.idempotency._store import ClaimState as ClaimState
from hooksig.idempotency._store import Store as Store
from hooksig.idempotency.memory import MemoryStore as MemoryStore
from hooksig.idempotency.sqlite import SQLiteStore as SQLiteStore

if TYPE_CHECKING:
    from hooksig.idempotency.postgres import PostgresStore as PostgresStore
    from hooksig.idempotency.redis import RedisStore as RedisStore

__all__ = [
    "AsyncLease",
    "Claim",
    "ClaimState",
    "DeliveryLike",
    "Idempotency",
    "Lease",
    "MemoryStore",
    "PostgresStore",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "storage_key",
]

for _obj in (
    AsyncLease,
    Claim,
    DeliveryLike,
    Idempotency,
    Lease,
    MemoryStore,
    SQLiteStore,
    Store,
    storage_key,
):
    _obj.__module__ = __name__
del _obj

# Name -> submodule for the stores whose module needs an extra at construction.
_LAZY = {"PostgresStore": "postgres", "RedisStore": "redis"}


def __getattr__(name: str) -> Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    store = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    store.__module__ = __name__
    globals()[name] = store
    return store


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
