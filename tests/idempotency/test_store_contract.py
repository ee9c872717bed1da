"""The Store contract run against the standard-library stores: MemoryStore and SQLiteStore."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hooksig.idempotency import MemoryStore, SQLiteStore
from tests.idempotency.store_contract import Advance, FakeClock, StoreContract


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock for the store under test."""
    return FakeClock()


@pytest.fixture
def advance(clock: FakeClock) -> Advance:
    """Move the fake clock."""
    return clock.advance


class TestMemoryStoreContract(StoreContract):
    """MemoryStore keeps the Store contract."""

    @pytest.fixture
    def store(self, clock: FakeClock) -> MemoryStore:
        """A fresh MemoryStore on the fake clock."""
        return MemoryStore(clock=clock)

    def stored_keys(self, store: Any) -> list[str]:
        """The keys of both dicts (the memory store has no other way to list them)."""
        return [*store._claims, *store._done]


class TestSQLiteStoreContract(StoreContract):
    """SQLiteStore keeps the Store contract."""

    @pytest.fixture
    def store(self, tmp_path: Path, clock: FakeClock) -> Iterator[SQLiteStore]:
        """A fresh SQLiteStore file on the fake clock."""
        store = SQLiteStore(tmp_path / "claims.db", clock=clock)
        yield store
        store.close()

    def stored_keys(self, store: Any) -> list[str]:
        """Every key in the claims table, read with a separate connection."""
        with sqlite3.connect(store.path) as conn:
            keys = [row[0] for row in conn.execute("SELECT key FROM hooksig_claims")]
        conn.close()
        return keys
