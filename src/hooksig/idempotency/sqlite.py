"""
`SQLiteStore`: the embedded default, one file shared by every process on a machine.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hooksig._backends.sqlite import Connections, immediate, not_waiting
from hooksig._primitives.seconds import check_seconds
from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency import _sqlite_sql
from hooksig.idempotency._store import Claim, ThreadedAsync, new_token

__all__ = ["SQLiteStore"]


class SQLiteStore(ThreadedAsync):
    """
    A `Store` in an SQLite file: standard library only, safe across processes.

    Every process and thread that opens the same ``path`` shares its claims.
    The file runs in WAL mode, so readers never wait for the writer; each
    write is one statement that takes the write lock up front, like
    ``BEGIN IMMEDIATE``; and a busy writer (another process holding the
    lock, even one that is stopped) is waited for up to ``timeout`` seconds
    before `hooksig.StoreUnavailable` is raised.  Each operation waits for
    the lock once, so it answers within ``timeout``; the asyncio methods run
    the blocking ones in a worker thread and also stop waiting after
    ``timeout``.  Expired rows are taken over by the next claim of their key
    and swept out every ``cleanup_interval`` seconds, by a claim that finds
    the lock free, or when you call `purge_expired`.

    The file must be on a local disk: SQLite's locks are not reliable over a
    network file system.  For several machines, use `RedisStore` or
    `PostgresStore`.  Writes are synced with ``synchronous=NORMAL``: a
    crashed process loses nothing, a power cut may lose the last claims.

    Leases are measured on ``clock``, the wall clock by default, since every
    process must read the same one; a large clock step shortens or extends them.

    Args:
        path: the database file; created if missing, with the table in it.
        timeout: how long an operation waits for another writer, in seconds.
        clock: seconds since the epoch.
        cleanup_interval: seconds between sweeps of expired rows.

    Raises:
        hooksig.ConfigurationError: ``path`` is ``":memory:"`` or empty (each
            connection would get its own database: use `MemoryStore`), or an
            option is out of range, or SQLite is older than 3.24.
        hooksig.StoreUnavailable: the file cannot be opened or initialised.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
        cleanup_interval: float = 300.0,
    ) -> None:
        self._path = os.fspath(path)
        if self._path in ("", ":memory:"):
            raise ConfigurationError("SQLiteStore needs a file path; use MemoryStore in memory")
        if sqlite3.sqlite_version_info < (3, 24, 0):
            raise ConfigurationError("SQLiteStore needs SQLite 3.24 or newer (for upserts)")
        self._timeout = check_seconds("timeout", timeout)
        self._cleanup_interval = check_seconds("cleanup_interval", cleanup_interval)
        self._clock = clock
        self._lock = threading.Lock()
        self._connections = Connections(self._path, self._timeout)
        self._next_cleanup = 0.0
        try:
            with self._errors():
                conn = self._connections.get()
                with immediate(conn):
                    conn.execute(_sqlite_sql.SCHEMA)
        except BaseException:
            self._connections.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"

    @property
    def path(self) -> str:
        """
        The database file.

        .. versionadded:: 0.1
        """
        return self._path

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreUnavailable(f"the SQLite store could not be used: {error}") from error

    def close(self) -> None:
        """
        Close every connection this store opened; the next call opens new ones.

        .. versionadded:: 0.1
        """
        self._connections.close()

    def purge_expired(self) -> int:
        """
        Delete expired rows now, a few hundred per write so that writers interleave.

        Returns:
            How many rows were deleted.

        Raises:
            hooksig.StoreUnavailable: the file cannot be used.

        .. versionadded:: 0.1
        """
        with self._errors():
            return self._purge(self._connections.get(), max_batches=10_000)

    def _purge(self, conn: sqlite3.Connection, max_batches: int) -> int:
        deleted = 0
        for _ in range(max_batches):
            now = self._clock()
            # The scan is a read, which WAL lets run beside the writer; only
            # the short delete below takes the write lock.
            keys = [row[0] for row in conn.execute(_sqlite_sql.EXPIRED, (now, _sqlite_sql.BATCH))]
            if keys:
                with immediate(conn):
                    pairs = [(key, now) for key in keys]
                    deleted += conn.executemany(_sqlite_sql.PURGE, pairs).rowcount
            if len(keys) < _sqlite_sql.BATCH:
                break
        return deleted

    def _maybe_purge(self, conn: sqlite3.Connection, now: float) -> None:
        with self._lock:
            if now < self._next_cleanup:
                return
            self._next_cleanup = now + self._cleanup_interval
        # The sweep rides on a claim and must not make it wait: it takes the
        # write lock only if it is free, and otherwise leaves the rows to the
        # next interval.  A fault it meets is the claim's to report.
        with contextlib.suppress(sqlite3.OperationalError), not_waiting(conn):
            self._purge(conn, max_batches=10)

    def claim(self, key: str, lease: float) -> Claim:
        now = self._clock()
        token = new_token()
        with self._errors():
            conn = self._connections.get()
            self._maybe_purge(conn, now)
            # One statement: inserts, or takes over an expired row, or changes
            # nothing when a live row holds the key.
            if conn.execute(_sqlite_sql.CLAIM, (key, token, now + lease, now)).rowcount == 1:
                return Claim("acquired", token)
            row = conn.execute(_sqlite_sql.STATE, (key, now)).fetchone()
        # No live row any more: the holder released or expired in between.
        # Answering "in progress" is the safe side: the provider retries.
        return Claim("done" if row is not None and row[0] else "in_progress")

    def complete(self, key: str, token: str, retention: float) -> bool:
        now = self._clock()
        with self._errors():
            cursor = self._connections.get().execute(
                _sqlite_sql.COMPLETE, (now + retention, key, token, now)
            )
            return cursor.rowcount == 1

    def release(self, key: str, token: str) -> bool:
        with self._errors():
            cursor = self._connections.get().execute(
                _sqlite_sql.RELEASE, (key, token, self._clock())
            )
            return cursor.rowcount == 1

    def renew(self, key: str, token: str, lease: float) -> bool:
        now = self._clock()
        with self._errors():
            cursor = self._connections.get().execute(
                _sqlite_sql.RENEW, (now + lease, key, token, now)
            )
            return cursor.rowcount == 1
