"""Edge paths of the guard's leases and the embedded SQLite store, on real objects."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

import hooksig.idempotency
from hooksig import ConfigurationError, StoreUnavailable
from hooksig._backends import sqlite as sqlite_backend
from hooksig.idempotency import Claim, Idempotency, MemoryStore, SQLiteStore, _sqlite_sql


class FlakyStore(MemoryStore):
    """A real MemoryStore whose named operations report the store unreachable."""

    def __init__(self, *failing: str) -> None:
        super().__init__()
        self.failing = set(failing)

    def _check(self, name: str) -> None:
        if name in self.failing:
            raise StoreUnavailable(f"{name} failed")

    def renew(self, key: str, token: str, lease: float) -> bool:
        self._check("renew")
        return super().renew(key, token, lease)

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        self._check("renew_async")
        return await super().renew_async(key, token, lease)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        self._check("complete_async")
        return await super().complete_async(key, token, retention)


def test_renew_on_an_unreachable_store_fails_closed() -> None:
    """A renew that cannot reach the store raises StoreUnavailable by default."""
    guard = Idempotency(FlakyStore("renew"))
    with pytest.raises(StoreUnavailable), guard.claim("k") as lease:
        lease.renew()
    assert guard.store.claim("k", 60.0).acquired  # released for the next redelivery


def test_async_lease_reports_its_key() -> None:
    """The async lease exposes the namespaced storage key it claimed."""

    async def run() -> str:
        async with Idempotency(MemoryStore()).claim_async("evt_1") as lease:
            return lease.key

    assert asyncio.run(run()) == "evt_1"


def test_async_complete_on_an_unreachable_store_fails_closed() -> None:
    """An async completion that cannot reach the store raises StoreUnavailable."""
    guard = Idempotency(FlakyStore("complete_async"))

    async def run() -> None:
        async with guard.claim_async("k"):
            pass

    with pytest.raises(StoreUnavailable):
        asyncio.run(run())


def test_async_renew_fail_open_logs_and_continues(caplog: pytest.LogCaptureFixture) -> None:
    """With fail_open, an unreachable async renew is logged and the handler goes on."""
    guard = Idempotency(FlakyStore("renew_async"), fail_open=True)

    async def run() -> str:
        async with guard.claim_async("k") as lease:
            await lease.renew()
            return "handled"

    with caplog.at_level(logging.WARNING, logger="hooksig"):
        assert asyncio.run(run()) == "handled"
    assert "unreachable on renew" in caplog.text
    assert guard.store.claim("k", 60.0).state == "done"


@pytest.mark.parametrize(("state", "token"), [("acquired", None), ("done", "t1")])
def test_claim_token_must_match_state(state: str, token: str | None) -> None:
    """A Claim carries a token exactly when it was acquired."""
    with pytest.raises(ValueError, match="token"):
        Claim(state, token)  # type: ignore[arg-type]


def test_old_sqlite_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SQLite before 3.24 (no upserts) is a configuration error, not a late failure."""
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 23, 0))
    with pytest.raises(ConfigurationError, match=r"3\.24"):
        SQLiteStore(tmp_path / "old.db")


def test_purge_stops_after_max_batches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A purge bounded to N full batches deletes N batches and leaves the rest."""
    monkeypatch.setattr(_sqlite_sql, "BATCH", 2)
    now = [1000.0]
    store = SQLiteStore(tmp_path / "purge.db", clock=lambda: now[0], cleanup_interval=1e9)
    for number in range(5):
        assert store.claim(f"k{number}", 1.0).acquired
    now[0] += 100.0
    assert store._purge(store._connections.get(), max_batches=2) == 4
    assert store.purge_expired() == 1
    store.close()


def test_sqlite_rolls_back_a_failed_transaction(tmp_path: Path) -> None:
    """An error inside immediate() rolls the transaction back and propagates."""
    conn = sqlite3.connect(tmp_path / "tx.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x INTEGER)")

    def insert_then_fail() -> None:
        with sqlite_backend.immediate(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        insert_then_fail()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert not conn.in_transaction
    conn.close()


def test_sqlite_error_after_the_block_ended_its_transaction(tmp_path: Path) -> None:
    """An error raised once the block has already rolled back propagates untouched."""
    conn = sqlite3.connect(tmp_path / "tx2.db", isolation_level=None)

    def roll_back_then_fail() -> None:
        with sqlite_backend.immediate(conn):
            conn.execute("ROLLBACK")
            raise RuntimeError("after rollback")

    with pytest.raises(RuntimeError, match="after"):
        roll_back_then_fail()
    assert not conn.in_transaction
    conn.close()


def test_sqlite_handle_from_another_process_is_left_open(tmp_path: Path) -> None:
    """A handle inherited through fork() does not close the parent's connection."""
    conn = sqlite3.connect(tmp_path / "fork.db")
    handle = sqlite_backend._Handle(conn)
    handle.pid = -1  # as seen from a forked child
    handle.close()
    assert conn.execute("SELECT 1").fetchone() == (1,)
    conn.close()


def test_a_file_that_is_not_a_database_is_store_unavailable(tmp_path: Path) -> None:
    """A path holding something else fails as StoreUnavailable, its connection closed."""
    path = tmp_path / "not-a.db"
    path.write_bytes(b"this is not an SQLite database file, just text" * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        SQLiteStore(path).claim("k", 1.0)


def test_idempotency_dir_lists_every_public_name() -> None:
    """dir() on the package lists the lazily loaded stores too."""
    names = dir(hooksig.idempotency)
    assert {"Idempotency", "RedisStore", "PostgresStore", "SQLiteStore"} <= set(names)


def test_renew_fail_open_logs_and_continues(caplog: pytest.LogCaptureFixture) -> None:
    """With fail_open, an unreachable renew is logged and the handler goes on."""
    guard = Idempotency(FlakyStore("renew"), fail_open=True)
    with caplog.at_level(logging.WARNING, logger="hooksig"), guard.claim("k") as lease:
        lease.renew()
    assert "unreachable on renew" in caplog.text
    assert guard.store.claim("k", 60.0).state == "done"


def test_async_complete_fail_open_logs_and_returns(caplog: pytest.LogCaptureFixture) -> None:
    """With fail_open, an unreachable async completion is logged, not raised."""
    guard = Idempotency(FlakyStore("complete_async"), fail_open=True)

    async def run() -> None:
        async with guard.claim_async("k"):
            pass

    with caplog.at_level(logging.WARNING, logger="hooksig"):
        asyncio.run(run())
    assert "unreachable on complete" in caplog.text
    assert guard.store.claim("k", 60.0).state == "in_progress"
