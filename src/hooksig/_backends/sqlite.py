"""
A SQLite file's connections, one per thread and process, and its transactions.

Each thread of each process gets its own connection: sqlite3 connections must
not cross threads mid-statement, and one inherited through ``fork()`` must
never be used by the child.  `SQLiteStore` and `SQLiteJournal` connect
through `Connections`, each with its own SQL.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Connections", "immediate", "not_waiting"]


class _Handle:
    """
    One thread's connection; closed when that thread ends and drops it.
    """

    __slots__ = ("__weakref__", "conn", "pid")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pid = os.getpid()

    def close(self) -> None:
        # A connection inherited through fork() belongs to the parent: closing
        # it in the child could touch the parent's locks, so leave it be.
        if self.pid == os.getpid():
            self.conn.close()

    def __del__(self) -> None:
        self.close()


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """
    Run the block in a ``BEGIN IMMEDIATE`` transaction: the write lock up front.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def not_waiting(conn: sqlite3.Connection) -> Iterator[None]:
    """
    Run the block with a zero busy timeout: a busy lock fails at once.
    """
    waits = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waits)}")


def _busy(error: sqlite3.OperationalError) -> bool:
    # sqlite_errorcode is Python 3.11+; SQLite's own text for SQLITE_BUSY is stable.
    return "database is locked" in str(error)


def _wal(conn: sqlite3.Connection, timeout: float) -> None:
    """
    Put the file in WAL mode, waiting up to *timeout* for another connection.

    Processes that open a new file at once (a server's workers starting) all ask
    for the switch, and SQLite answers all but one "database is locked" at once,
    without its busy handler: their shared locks could deadlock waiting for each
    other.  So this wait is ours, polled with the handler off, as SQLite's is.
    """
    deadline = time.monotonic() + timeout
    pause = 0.001
    with not_waiting(conn):
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                remaining = deadline - time.monotonic()
                if not _busy(error) or remaining <= 0:
                    raise
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, 0.05)


class Connections:
    """
    One connection per thread and process to one database file.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self._path = path
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._handles: weakref.WeakSet[_Handle] = weakref.WeakSet()

    def get(self) -> sqlite3.Connection:
        """
        Return this thread's connection, opening it in WAL mode if needed.
        """
        handle: _Handle | None = getattr(self._local, "handle", None)
        if handle is not None and handle.pid == os.getpid():
            return handle.conn
        conn = sqlite3.connect(
            self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        try:
            _wal(conn, self._timeout)
            conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            conn.close()
            raise
        handle = _Handle(conn)
        self._local.handle = handle
        with self._lock:
            self._handles.add(handle)
        return conn

    def close(self) -> None:
        """
        Close every connection opened so far; the next `get` opens a new one.
        """
        with self._lock:
            handles = list(self._handles)
            self._handles = weakref.WeakSet()
            self._local = threading.local()
        for handle in handles:
            handle.close()
