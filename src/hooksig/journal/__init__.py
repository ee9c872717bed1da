"""
The delivery journal: each verified delivery kept with its outcome; dead letters replayed once.

A handler that fails leaves an entry marked ``"failed"``: list the dead
letters, inspect one, and replay it through the same idempotency guard, from
Python or with ``hooksig journal list|show|replay``.  Stores:
:class:`SQLiteJournal` (standard library, the default),
:class:`PostgresJournal` (extra ``postgres``) and :class:`RedisJournal`
(extra ``redis``), which load on first use.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ._entry import JournalEntry as JournalEntry
from ._entry import JournalStore as JournalStore
from ._entry import Outcome as Outcome
from ._entry import ReplayResult as ReplayResult
from ._journal import Journal as Journal
from .sqlite import SQLiteJournal as SQLiteJournal

if TYPE_CHECKING:
    from .postgres import PostgresJournal as PostgresJournal
    from .redis import RedisJournal as RedisJournal

__all__ = [
    "Journal",
    "JournalEntry",
    "JournalStore",
    "Outcome",
    "PostgresJournal",
    "RedisJournal",
    "ReplayResult",
    "SQLiteJournal",
    "open_store",
]

for _obj in (Journal, JournalEntry, JournalStore, ReplayResult, SQLiteJournal):
    _obj.__module__ = __name__
del _obj

_LAZY = {"PostgresJournal": "postgres", "RedisJournal": "redis"}


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


def open_store(spec: str | os.PathLike[str]) -> JournalStore:
    """
    Return the journal store *spec* names: ``redis://...`` or ``rediss://...``,
    ``postgresql://...`` (or ``postgres://``), or an SQLite path (``sqlite:`` optional).

    Raises:
        ConfigurationError: *spec* is empty.

    .. versionadded:: 0.1
    """
    text = os.fspath(spec)
    if text.startswith(("redis://", "rediss://")):
        return importlib.import_module(f"{__name__}.redis").RedisJournal(text)  # type: ignore[no-any-return]
    if text.startswith(("postgresql://", "postgres://")):
        return importlib.import_module(f"{__name__}.postgres").PostgresJournal(text)  # type: ignore[no-any-return]
    path = text.removeprefix("sqlite:")
    if not path:
        raise ConfigurationError("name a journal: an SQLite path, a redis:// or postgresql:// URL")
    return SQLiteJournal(path)
