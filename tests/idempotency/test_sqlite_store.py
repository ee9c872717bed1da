"""hooksig.idempotency.SQLiteStore: WAL, busy timeout, cleanup, and many processes on one file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency import Claim, SQLiteStore
from tests.idempotency.store_contract import FakeClock
from tests.idempotency.workers import (
    die_holding,
    die_in_transaction,
    process_race,
    stopped_lock_holder,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Where the database file goes."""
    return tmp_path / "claims.db"


@pytest.fixture
def store(path: Path) -> Iterator[SQLiteStore]:
    """A SQLiteStore on the real clock."""
    store = SQLiteStore(path)
    yield store
    store.close()


def _rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM hooksig_claims").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("bad", [":memory:", ""])
def test_refuses_in_memory_paths(bad: str) -> None:
    """':memory:' would give each thread its own database, so it is refused."""
    with pytest.raises(ConfigurationError, match="MemoryStore"):
        SQLiteStore(bad)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), True, False])
def test_refuses_bad_timeout(path: Path, bad: float) -> None:
    """A timeout must be a positive, finite number of seconds."""
    with pytest.raises(ConfigurationError):
        SQLiteStore(path, timeout=bad)


def test_unopenable_file_is_unavailable(tmp_path: Path) -> None:
    """A path in a missing directory raises StoreUnavailable at construction."""
    with pytest.raises(StoreUnavailable):
        SQLiteStore(tmp_path / "missing" / "claims.db")


def test_wal_mode_and_table(store: SQLiteStore, path: Path) -> None:
    """The file is in WAL mode and holds the claims table from construction."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM hooksig_claims").fetchone()[0] == 0
    finally:
        conn.close()


def test_repr_and_path(store: SQLiteStore, path: Path) -> None:
    """The repr names the file; .path gives it back."""
    assert store.path == str(path)
    assert repr(store) == f"SQLiteStore({str(path)!r})"


def test_busy_writer_is_unavailable_then_recovers(path: Path) -> None:
    """A writer holding the lock past the timeout gives StoreUnavailable, and nothing changes."""
    store = SQLiteStore(path, timeout=0.2)
    token = store.claim("held", 60.0).token
    assert token is not None
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="locked"):
            store.claim("new", 60.0)
        with pytest.raises(StoreUnavailable):
            store.complete("held", token, 60.0)
        assert 0.15 < time.monotonic() - started < 10
        blocker.execute("ROLLBACK")
    finally:
        blocker.close()
    assert store.claim("held", 60.0) == Claim("in_progress")
    assert store.complete("held", token, 60.0) is True
    assert store.claim("new", 60.0).acquired
    store.close()


def test_purge_expired(path: Path) -> None:
    """purge_expired deletes rows whose lease or retention ran out, and only those."""
    clock = FakeClock()
    store = SQLiteStore(path, clock=clock)
    for n in range(1200):
        store.claim(f"short-{n}", 1.0)
    token = store.claim("long", 100.0).token
    assert token is not None
    done = store.claim("done", 100.0).token
    assert done is not None
    assert store.complete("done", done, 5.0)
    clock.advance(10.0)
    assert store.purge_expired() == 1201
    assert _rows(path) == 1
    assert store.claim("long", 100.0) == Claim("in_progress")
    store.close()


def test_cleanup_runs_on_claim_every_interval(path: Path) -> None:
    """Expired rows are swept by a claim once the cleanup interval has passed."""
    clock = FakeClock()
    store = SQLiteStore(path, clock=clock, cleanup_interval=60.0)
    for n in range(10):
        store.claim(f"k{n}", 1.0)
    clock.advance(30.0)
    store.claim("trigger-1", 100.0)
    assert _rows(path) == 11  # interval not reached: nothing swept
    clock.advance(31.0)
    store.claim("trigger-2", 100.0)
    assert _rows(path) == 2
    store.close()


def test_close_then_reuse(store: SQLiteStore) -> None:
    """After close(), the next call opens a new connection and sees the same data."""
    token = store.claim("k", 60.0).token
    store.close()
    assert store.claim("k", 60.0) == Claim("in_progress")
    assert token is not None
    assert store.complete("k", token, 60.0)


def test_connection_per_thread(store: SQLiteStore) -> None:
    """Threads each use their own connection and see each other's claims."""
    results: list[Claim] = []
    store.claim("shared", 60.0)
    thread = threading.Thread(target=lambda: results.append(store.claim("shared", 60.0)))
    thread.start()
    thread.join(timeout=30)
    assert results == [Claim("in_progress")]


def test_two_stores_on_one_file(path: Path) -> None:
    """Two store objects on one file share claims, as two processes would."""
    first, second = SQLiteStore(path), SQLiteStore(path)
    token = first.claim("k", 60.0).token
    assert token is not None
    assert second.claim("k", 60.0) == Claim("in_progress")
    assert second.complete("k", token, 60.0) is True
    assert first.claim("k", 60.0) == Claim("done")
    first.close()
    second.close()


@pytest.mark.slow
def test_eight_processes_one_winner_per_key(store: SQLiteStore, path: Path) -> None:
    """8 processes claiming the same 200 keys on one file: exactly one winner per key."""
    keys = [f"p-{n}" for n in range(200)]
    wins = process_race({"kind": "sqlite", "path": str(path)}, keys, processes=8)
    assert wins == dict.fromkeys(keys, 1)
    assert all(store.claim(key, 60.0) == Claim("in_progress") for key in keys)


@pytest.mark.slow
def test_eight_processes_create_the_file_together(tmp_path: Path) -> None:
    """8 processes opening a file that does not exist yet all start, and one wins each key."""
    path = tmp_path / "fresh.db"
    keys = [f"p-{n}" for n in range(20)]
    wins = process_race({"kind": "sqlite", "path": str(path)}, keys, processes=8)
    assert wins == dict.fromkeys(keys, 1)


@pytest.mark.slow
def test_killed_worker_claim_expires(store: SQLiteStore, path: Path) -> None:
    """A worker killed holding a claim blocks the key only for its lease; its token is stale."""
    stale = die_holding({"kind": "sqlite", "path": str(path)}, "k", 1.0)
    assert store.claim("k", 60.0) == Claim("in_progress")
    time.sleep(1.2)
    fresh = store.claim("k", 60.0)
    assert fresh.acquired
    assert fresh.token != stale
    assert store.complete("k", stale, 60.0) is False
    assert store.release("k", stale) is False
    assert fresh.token is not None
    assert store.complete("k", fresh.token, 60.0) is True


def test_worker_killed_inside_transaction(store: SQLiteStore, path: Path) -> None:
    """A process that dies holding the write lock leaves the file usable and unchanged."""
    token = store.claim("k", 60.0).token
    die_in_transaction({"kind": "sqlite", "path": str(path)})
    assert store.claim("k", 60.0) == Claim("in_progress")
    assert token is not None
    assert store.complete("k", token, 60.0) is True


def test_lock_held_by_a_stopped_process_answers_in_time(path: Path) -> None:
    """Another process stopped while holding the write lock: each operation fails within timeout."""
    timeout = 0.6
    # A sweep is due at every claim, and must not add a wait of its own.
    store = SQLiteStore(path, timeout=timeout, cleanup_interval=1e-6)
    held = store.claim("held", 60.0).token
    assert held is not None
    assert store.claim("expired", 0.001).acquired  # for purge_expired to delete
    time.sleep(0.01)
    operations = {
        "claim": lambda: store.claim("new", 60.0),
        "complete": lambda: store.complete("held", held, 60.0),
        "release": lambda: store.release("held", held),
        "renew": lambda: store.renew("held", held, 60.0),
        "purge": store.purge_expired,
        "claim_async": lambda: asyncio.run(store.claim_async("new", 60.0)),
    }
    with stopped_lock_holder({"kind": "sqlite", "path": str(path)}):
        for name, operation in operations.items():
            started = time.monotonic()
            with pytest.raises(StoreUnavailable):
                operation()
            elapsed = time.monotonic() - started
            # The slack is for a loaded two-core machine; a hang would be the holder's lifetime.
            assert timeout * 0.9 <= elapsed < timeout + 1.0, (name, elapsed)
    assert store.claim("new", 60.0).acquired
    assert store.complete("held", held, 60.0) is True
    store.close()


def test_async_callers_beyond_the_worker_threads_answer_in_time(path: Path) -> None:
    """More asyncio callers than worker threads on a locked file: all in time, none runs late."""
    timeout = 0.5
    store = SQLiteStore(path, timeout=timeout)
    keys = [f"k{n}" for n in range(40)]

    async def claim_all() -> list[float]:
        async def one(key: str) -> float:
            started = time.monotonic()
            with pytest.raises(StoreUnavailable):
                await store.claim_async(key, 60.0)
            return time.monotonic() - started

        return await asyncio.gather(*(one(key) for key in keys))

    with stopped_lock_holder({"kind": "sqlite", "path": str(path)}):
        elapsed = asyncio.run(claim_all())
    assert max(elapsed) < timeout + 0.5
    # The claims still queued at their deadline never ran: every key is free.
    time.sleep(timeout)
    assert all(store.claim(key, 60.0).acquired for key in keys)
    store.close()
