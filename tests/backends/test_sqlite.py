"""A SQLite file's connections: WAL mode, even when processes open a new file at once."""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hooksig._backends.sqlite import Connections
from hooksig.errors import StoreUnavailable
from hooksig.idempotency import SQLiteStore
from hooksig.journal import SQLiteJournal

#: Rounds of processes opening a new file together.  Before the switch to WAL was
#: waited for, a quarter of such rounds failed outside the suite, and this test
#: failed 5 runs in 5.
ROUNDS = 100
PROCESSES = 4


def open_each_file_at_once(paths: list[str], start: Any, errors: Any) -> None:
    """In a process of its own: open a store and a journal on each file with the others."""
    for path in paths:
        start.wait(timeout=60)
        try:
            SQLiteStore(path).close()
            SQLiteJournal(path).close()
        except Exception as error:  # reported to the test, which fails on it
            errors.put(f"{path}: {error!r}")


def test_processes_opening_a_new_file_at_once_all_connect(tmp_path: Path) -> None:
    """A server's workers start together on one new file: none is refused 'locked'."""
    context = multiprocessing.get_context("spawn")  # fork() beside xdist's threads warns
    start, errors = context.Barrier(PROCESSES), context.Queue()
    paths = [str(tmp_path / f"new-{n}.db") for n in range(ROUNDS)]
    workers = [
        context.Process(target=open_each_file_at_once, args=(paths, start, errors))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    for path in paths:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.fixture
def read_in_rollback_mode(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A file not yet in WAL mode, and a connection holding a read on it: no switch meanwhile."""
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path)) as setup:
        setup.execute("CREATE TABLE t (a)")
        setup.commit()
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()
    yield path, reader
    reader.close()


def test_the_switch_to_wal_waits_for_a_reader(
    read_in_rollback_mode: tuple[Path, sqlite3.Connection],
) -> None:
    """SQLite refuses the switch at once while another connection reads; it is retried."""
    path, reader = read_in_rollback_mode
    threading.Timer(0.3, lambda: reader.execute("COMMIT")).start()
    connections = Connections(str(path), 10.0)
    started = time.monotonic()
    conn = connections.get()
    assert time.monotonic() - started >= 0.25
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connections.close()


def test_the_switch_to_wal_gives_up_at_the_timeout(
    read_in_rollback_mode: tuple[Path, sqlite3.Connection],
) -> None:
    """Still refused at the timeout: StoreUnavailable, in time."""
    path, _ = read_in_rollback_mode
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="locked"):
        SQLiteStore(path, timeout=0.3)
    elapsed = time.monotonic() - started
    # The slack is for a loaded two-core machine; a hang would be the reader's lifetime.
    assert 0.3 * 0.9 <= elapsed < 0.3 + 1.0


def test_a_file_that_is_no_database_is_not_waited_for(tmp_path: Path) -> None:
    """Only 'locked' is waited out: any other error is at once."""
    path = tmp_path / "junk.db"
    path.write_bytes(b"not a database at all" * 100)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        SQLiteJournal(path, timeout=30.0)
    assert time.monotonic() - started < 5
