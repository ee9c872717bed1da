"""
`PostgresJournal`: the journal in a PostgreSQL table shared by every receiver (extra ``postgres``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .._backends.postgres import DDL_LOCK, SyncRunner, import_psycopg
from .._primitives.seconds import check_seconds
from ..errors import ConfigurationError
from ._entry import JournalEntry, Outcome
from .sqlite import COLUMNS, entry_row, row_entry

if TYPE_CHECKING:
    from psycopg import Connection
    from psycopg_pool import ConnectionPool

__all__ = ["PostgresJournal"]

# The claims table's advisory lock: hooksig's tables are created one at a time.
_LOCK = f"SELECT pg_advisory_xact_lock({DDL_LOCK})"
_CREATE = """
CREATE TABLE IF NOT EXISTS {table} (
    key text PRIMARY KEY,
    scheme text NOT NULL,
    delivery_id text,
    timestamp bigint,
    key_id text,
    body bytea NOT NULL,
    headers text NOT NULL,
    source text NOT NULL,
    outcome text NOT NULL,
    attempts integer NOT NULL,
    last_error text,
    received_at double precision NOT NULL,
    updated_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS {index} ON {table} (updated_at)
"""
# The column list is a constant and the table a composed identifier: no input reaches the text.
_WRITE = f"""
INSERT INTO {{table}} AS j ({COLUMNS})
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s)
    ON CONFLICT (key) DO UPDATE SET outcome = excluded.outcome, attempts = j.attempts + 1,
        last_error = excluded.last_error, updated_at = excluded.updated_at
    RETURNING {COLUMNS}
"""  # noqa: S608
_GET = f"SELECT {COLUMNS} FROM {{table}} WHERE key = %s"  # noqa: S608 - as _WRITE
_LIST = f"""
SELECT {COLUMNS} FROM {{table}}
    WHERE (%(outcome)s::text IS NULL OR outcome = %(outcome)s) AND updated_at >= %(since)s
    ORDER BY updated_at DESC LIMIT %(limit)s
"""  # noqa: S608
_PRUNE_COUNT = """
DELETE FROM {table} WHERE key IN (
    SELECT key FROM {table} ORDER BY updated_at DESC OFFSET %(keep)s)
"""


class _Queries:
    """
    The statements for one table, composed once; ``lock`` and ``create`` are what the
    shared runner runs before the first statement.
    """

    __slots__ = ("create", "get", "list", "lock", "prune_age", "prune_count", "table", "write")

    def __init__(self, sql: Any, table: str) -> None:
        parts = table.split(".")
        if len(parts) > 2 or not all(p.isidentifier() and p.isascii() for p in parts):
            raise ConfigurationError("table must be a plain SQL name, optionally schema.name")
        self.table = table
        ident = sql.Identifier(*parts)
        index = sql.Identifier(f"{parts[-1]}_updated")

        def compose(text: str) -> Any:
            return sql.SQL(text.strip()).format(table=ident, index=index)

        self.lock = sql.SQL(_LOCK)
        self.create = compose(_CREATE)
        self.write = compose(_WRITE)
        self.get = compose(_GET)
        self.list = compose(_LIST)
        self.prune_age = compose("DELETE FROM {table} WHERE updated_at < %(before)s")
        self.prune_count = compose(_PRUNE_COUNT)


class PostgresJournal:
    """
    A journal store in a PostgreSQL table, created on first use.

    Pass a DSN, and the journal keeps its own autocommit pool (up to
    *pool_size* connections); or a ``psycopg.Connection`` in autocommit mode
    or a ``psycopg_pool.ConnectionPool``, which stay yours to close.  It uses
    the connection handling of ``PostgresStore``:
    errors become :class:`~hooksig.StoreUnavailable`, a broken pooled
    connection is retried once.

    Args:
        dsn_or_pool: a libpq connection string or URL, a connection or a pool.
        table: the table name, optionally ``schema.table``.
        timeout: seconds one call may take, waiting for a connection and running its statements
            together; past it the call raises ``StoreUnavailable``.
        pool_size: the most connections in the pool made from a DSN.

    Raises:
        ExtraNotInstalled: ``psycopg`` or ``psycopg_pool`` is missing.
        ConfigurationError: an argument is unusable.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        dsn_or_pool: str | Connection[Any] | ConnectionPool[Any],
        *,
        table: str = "hooksig_journal",
        timeout: float = 5.0,
        pool_size: int = 4,
    ) -> None:
        psycopg, pool_lib = import_psycopg()
        self._queries = _Queries(psycopg.sql, table)
        seconds = check_seconds("timeout", timeout)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
            raise ConfigurationError("pool_size must be a positive integer")
        if getattr(dsn_or_pool, "autocommit", True) is False:
            raise ConfigurationError("pass a connection in autocommit mode (autocommit=True)")
        if isinstance(dsn_or_pool, str):
            options = {
                "min_size": 1,
                "max_size": pool_size,
                "timeout": seconds,
                "kwargs": {"autocommit": True, "connect_timeout": max(1, math.ceil(seconds))},
            }
            self._runner = SyncRunner(
                psycopg,
                pool_lib,
                self._queries,
                None,
                timeout=seconds,
                dsn=dsn_or_pool,
                pool_options=options,
            )
        elif isinstance(dsn_or_pool, psycopg.Connection | pool_lib.ConnectionPool):
            self._runner = SyncRunner(
                psycopg,
                pool_lib,
                self._queries,
                dsn_or_pool,
                timeout=seconds,
            )
        else:
            raise ConfigurationError("PostgresJournal takes a DSN, a psycopg connection or a pool")

    def __repr__(self) -> str:
        # The DSN may hold a password: never show it.
        return f"PostgresJournal(table={self._queries.table!r})"

    def close(self) -> None:
        """
        Close the pool made from a DSN.

        .. versionadded:: 0.1
        """
        self._runner.close()

    def write(self, entry: JournalEntry) -> JournalEntry:
        """
        See ``JournalStore.write``.

        .. versionadded:: 0.1
        """
        row = entry_row(entry)

        def op(conn: Any) -> JournalEntry:
            """
            Upsert the entry and read it back (RETURNING: one row).
            """
            stored: tuple[Any, ...] = conn.execute(self._queries.write, row).fetchone()
            return row_entry(stored)

        return self._runner.run(op)

    def get(self, key: str) -> JournalEntry | None:
        """
        See ``JournalStore.get``.

        .. versionadded:: 0.1
        """
        row = self._runner.run(lambda c: c.execute(self._queries.get, (key,)).fetchone())
        return None if row is None else row_entry(row)

    def list(
        self, *, outcome: Outcome | None = None, since: float | None = None, limit: int = 100
    ) -> list[JournalEntry]:
        """
        See ``JournalStore.list``.

        .. versionadded:: 0.1
        """
        params = {
            "outcome": outcome,
            "since": float("-inf") if since is None else since,
            "limit": limit,
        }
        rows = self._runner.run(lambda c: c.execute(self._queries.list, params).fetchall())
        return [row_entry(row) for row in rows]

    def prune(self, *, before: float, keep: int) -> int:
        """
        See ``JournalStore.prune``.

        .. versionadded:: 0.1
        """
        params = {"before": before, "keep": keep}

        def op(conn: Any) -> int:
            """
            Delete the old entries, then those beyond *keep*.
            """
            deleted = conn.execute(self._queries.prune_age, params).rowcount
            return int(deleted + conn.execute(self._queries.prune_count, params).rowcount)

        return self._runner.run(op)
