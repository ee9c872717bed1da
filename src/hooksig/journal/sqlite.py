"""
`SQLiteJournal`: the journal in an SQLite file, the embedded default (standard library).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .._backends.sqlite import Connections, immediate
from .._primitives.seconds import check_seconds
from ..errors import ConfigurationError, StoreUnavailable
from ._entry import JournalEntry, Outcome, dump_headers, load_headers

__all__ = ["COLUMNS", "SQLiteJournal", "entry_row", "row_entry"]

COLUMNS = (
    "key, scheme, delivery_id, timestamp, key_id, body, headers, source,"
    " outcome, attempts, last_error, received_at, updated_at"
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hooksig_journal ("
    " key TEXT PRIMARY KEY, scheme TEXT NOT NULL, delivery_id TEXT, timestamp INTEGER,"
    " key_id TEXT, body BLOB NOT NULL, headers TEXT NOT NULL, source TEXT NOT NULL,"
    " outcome TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT,"
    " received_at REAL NOT NULL, updated_at REAL NOT NULL)"
)
_INDEX = "CREATE INDEX IF NOT EXISTS hooksig_journal_updated ON hooksig_journal (updated_at)"
_UPSERT = (
    f"INSERT INTO hooksig_journal ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"  # noqa: S608
    " ON CONFLICT (key) DO UPDATE SET outcome = excluded.outcome,"
    " attempts = hooksig_journal.attempts + 1, last_error = excluded.last_error,"
    " updated_at = excluded.updated_at"
)
# RETURNING (SQLite 3.35) reads the row back in the same statement.
_WRITE = f"{_UPSERT} RETURNING {COLUMNS}"
_GET = f"SELECT {COLUMNS} FROM hooksig_journal WHERE key = ?"  # noqa: S608 - constants
_LIST = (
    f"SELECT {COLUMNS} FROM hooksig_journal"  # noqa: S608 - constants
    " WHERE (? IS NULL OR outcome = ?) AND updated_at >= ?"
    " ORDER BY updated_at DESC LIMIT ?"
)
_PRUNE_AGE = "DELETE FROM hooksig_journal WHERE updated_at < ?"
_PRUNE_COUNT = (
    "DELETE FROM hooksig_journal WHERE key IN (SELECT key FROM hooksig_journal"
    " ORDER BY updated_at DESC LIMIT -1 OFFSET ?)"
)


def row_entry(row: tuple[Any, ...]) -> JournalEntry:
    """
    Build an entry from a row of the columns above, in order (SQLite and PostgreSQL alike).
    """
    (key, scheme, ident, stamp, key_id, body, headers, source) = row[:8]
    (outcome, attempts, error, received, updated) = row[8:]
    return JournalEntry(
        key=key,
        scheme=scheme,
        delivery_id=ident,
        timestamp=stamp,
        key_id=key_id,
        body=bytes(body),
        headers=load_headers(headers),
        source=source,
        outcome=outcome,
        attempts=int(attempts),
        last_error=error,
        received_at=float(received),
        updated_at=float(updated),
    )


def entry_row(entry: JournalEntry) -> tuple[Any, ...]:
    """
    Return the values of an insert, in the order of the columns (attempts left out).
    """
    return (
        entry.key,
        entry.scheme,
        entry.delivery_id,
        entry.timestamp,
        entry.key_id,
        entry.body,
        dump_headers(entry.headers),
        entry.source,
        entry.outcome,
        entry.last_error,
        entry.received_at,
        entry.updated_at,
    )


class SQLiteJournal:
    """
    A journal store in an SQLite file: standard library only, safe across processes.

    It may share the file of a ``SQLiteStore``
    (its own table, ``hooksig_journal``), with the same connections per
    thread, WAL mode and busy *timeout*.  The file must be on a local disk.

    Args:
        path: the database file; created if missing.
        timeout: seconds to wait for another writer.

    Raises:
        ConfigurationError: *path* is empty or ``":memory:"``, or SQLite is
            older than 3.35.
        StoreUnavailable: the file cannot be opened.

    .. versionadded:: 0.1
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        if self.path in ("", ":memory:"):
            raise ConfigurationError("SQLiteJournal needs a file path")
        if sqlite3.sqlite_version_info < (3, 35, 0):
            raise ConfigurationError("SQLiteJournal needs SQLite 3.35 or newer (RETURNING)")
        self._connections = Connections(self.path, check_seconds("timeout", timeout))
        try:
            with self._errors():
                conn = self._connections.get()
                with immediate(conn):
                    conn.execute(_SCHEMA)
                    conn.execute(_INDEX)
        except BaseException:
            self._connections.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteJournal({self.path!r})"

    @contextmanager
    def _errors(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._connections.get()
        except sqlite3.Error as error:
            raise StoreUnavailable(f"the SQLite journal could not be used: {error}") from error

    def close(self) -> None:
        """
        Close every connection.

        .. versionadded:: 0.1
        """
        self._connections.close()

    def write(self, entry: JournalEntry) -> JournalEntry:
        """
        See ``JournalStore.write``.

        .. versionadded:: 0.1
        """
        with self._errors() as conn:
            return row_entry(conn.execute(_WRITE, entry_row(entry)).fetchone())

    def get(self, key: str) -> JournalEntry | None:
        """
        See ``JournalStore.get``.

        .. versionadded:: 0.1
        """
        with self._errors() as conn:
            row = conn.execute(_GET, (key,)).fetchone()
        return None if row is None else row_entry(row)

    def list(
        self, *, outcome: Outcome | None = None, since: float | None = None, limit: int = 100
    ) -> list[JournalEntry]:
        """
        See ``JournalStore.list``.

        .. versionadded:: 0.1
        """
        floor = float("-inf") if since is None else since
        with self._errors() as conn:
            rows = conn.execute(_LIST, (outcome, outcome, floor, limit)).fetchall()
        return [row_entry(row) for row in rows]

    def prune(self, *, before: float, keep: int) -> int:
        """
        See ``JournalStore.prune``.

        .. versionadded:: 0.1
        """
        with self._errors() as conn, immediate(conn):
            deleted = conn.execute(_PRUNE_AGE, (before,)).rowcount
            deleted += conn.execute(_PRUNE_COUNT, (keep,)).rowcount
        return int(deleted)
