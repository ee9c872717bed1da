"""
`PostgresStore`: claims in a PostgreSQL table shared by every receiver (extra ``postgres``).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

from hooksig.errors import ConfigurationError
from hooksig.idempotency._postgres_pool import AsyncRunner, SyncRunner
from hooksig.idempotency._postgres_sql import Queries, claim_result, import_psycopg
from hooksig.idempotency._store import Claim, check_seconds, new_token

if TYPE_CHECKING:
    from psycopg import AsyncConnection, Connection
    from psycopg_pool import AsyncConnectionPool, ConnectionPool

__all__ = ["PostgresStore"]

_R = TypeVar("_R", SyncRunner, AsyncRunner)
_PURGE_BATCH = 1000


class PostgresStore:
    """
    A `Store` in a PostgreSQL table: one statement, one round trip, per operation.

    Pass a DSN, and the store keeps its own autocommit pools (psycopg_pool; a
    blocking one, and an asyncio one per event loop) of up to ``pool_size``
    connections, waiting ``timeout`` seconds for one; `close` and, before
    each event loop ends, `aclose` close them.  Or pass what you have, which
    stays yours to close:
    a ``psycopg.Connection`` or ``psycopg.AsyncConnection`` in autocommit
    mode, or a ``psycopg_pool.ConnectionPool`` or ``AsyncConnectionPool``
    (its connections may be in either mode; outside autocommit each
    statement is wrapped in its own transaction, three round trips).  A
    blocking connection or pool also serves the async methods, in a worker
    thread; an asyncio one serves only the async methods.

    The table is created on first use, under an advisory lock so that many
    workers starting together do not collide.  Rows whose lease or retention
    ran out are taken over by the next claim of their key, and swept out in
    batches every ``cleanup_interval`` seconds or when you call `purge_expired`.

    When a pooled connection turns out to be broken (the server restarted),
    the pool is checked and the operation tried once more.  A single
    connection you pass is never replaced: prefer a pool or a DSN.

    Args:
        dsn_or_pool: a libpq connection string or URL, a connection or a pool.
        table: the table name, optionally ``schema.table``.
        timeout: seconds to wait for a pooled connection, and to connect.
        pool_size: the most connections in each pool the store makes.
        cleanup_interval: seconds between sweeps of expired rows.

    Raises:
        hooksig.ExtraNotInstalled: ``psycopg`` or ``psycopg_pool`` is missing.
        hooksig.ConfigurationError: an argument is unusable, or a connection
            you pass is not in autocommit mode.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        dsn_or_pool: str
        | Connection[Any]
        | AsyncConnection[Any]
        | ConnectionPool[Any]
        | AsyncConnectionPool[Any],
        *,
        table: str = "hooksig_claims",
        timeout: float = 5.0,
        pool_size: int = 10,
        cleanup_interval: float = 300.0,
    ) -> None:
        psycopg, pool_lib = import_psycopg()
        self._psycopg, self._pool_lib = psycopg, pool_lib
        self._queries = Queries(psycopg.sql, table)
        self._timeout = check_seconds("timeout", timeout)
        self._cleanup_interval = check_seconds("cleanup_interval", cleanup_interval)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
            raise ConfigurationError("pool_size must be a positive integer")
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._next_cleanup = 0.0
        self._dsn: str | None = None
        self._sync: SyncRunner | None = None
        self._async: AsyncRunner | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        source = dsn_or_pool
        # A connection outside autocommit would keep claims in an open
        # transaction, invisible to other workers; pools have no such flag.
        if getattr(source, "autocommit", True) is False:
            raise ConfigurationError("pass a connection in autocommit mode (autocommit=True)")
        if isinstance(source, str):
            self._dsn = source
            self._sync = self._runner(SyncRunner, source)
        elif isinstance(source, psycopg.Connection | pool_lib.ConnectionPool):
            self._sync = SyncRunner(psycopg, pool_lib, self._queries, source)
        elif isinstance(source, psycopg.AsyncConnection | pool_lib.AsyncConnectionPool):
            self._async = AsyncRunner(psycopg, pool_lib, self._queries, source)
        else:
            raise ConfigurationError("PostgresStore takes a DSN, a psycopg connection or a pool")

    def __repr__(self) -> str:
        # The DSN may hold a password: never show it.
        return f"PostgresStore(table={self._queries.table!r})"

    def _runner(self, kind: type[_R], dsn: str) -> _R:
        options = {
            "min_size": 1,
            "max_size": self._pool_size,
            "timeout": self._timeout,
            "kwargs": {"autocommit": True, "connect_timeout": max(1, math.ceil(self._timeout))},
        }
        return kind(
            self._psycopg, self._pool_lib, self._queries, None, dsn=dsn, pool_options=options
        )

    def _blocking(self) -> SyncRunner:
        if self._sync is None:
            raise ConfigurationError(
                "this PostgresStore was given an asyncio connection: use the async methods"
            )
        return self._sync

    def _asyncio(self) -> AsyncRunner | None:
        # An asyncio pool belongs to the loop it opened on; a store built from
        # a DSN makes one per loop so that asyncio.run() twice still works.
        if self._dsn is not None:
            loop = asyncio.get_running_loop()
            if self._async is None or self._async_loop is not loop:
                self._async, self._async_loop = self._runner(AsyncRunner, self._dsn), loop
        return self._async

    def _due_for_purge(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next_cleanup:
                return False
            self._next_cleanup = now + self._cleanup_interval
            return True

    def close(self) -> None:
        """
        Close the blocking pool, if this store made it from a DSN.

        .. versionadded:: 0.1
        """
        if self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        """
        Close this event loop's asyncio pool, if this store made it from a DSN.

        .. versionadded:: 0.1
        """
        if self._dsn is not None and self._async is not None:
            runner, self._async, self._async_loop = self._async, None, None
            await runner.aclose()

    def purge_expired(self) -> int:
        """
        Delete expired rows now, a thousand per statement.

        Returns:
            How many rows were deleted.

        Raises:
            hooksig.StoreUnavailable: the server could not be reached.

        .. versionadded:: 0.1
        """
        deleted = 0
        params = {"limit": _PURGE_BATCH}
        for _ in range(100):
            batch = self._blocking().run(lambda c: c.execute(self._queries.purge, params).rowcount)
            deleted += batch
            if batch < _PURGE_BATCH:
                break
        return deleted

    def claim(self, key: str, lease: float) -> Claim:
        """
        See `Store.claim`.

        .. versionadded:: 0.1
        """
        runner = self._blocking()
        if self._due_for_purge():
            self.purge_expired()
        token = new_token()
        params = {"key": key, "token": token, "seconds": lease}
        row = runner.run(lambda c: c.execute(self._queries.claim, params).fetchone())
        return claim_result(row, token)

    def complete(self, key: str, token: str, retention: float) -> bool:
        """
        See `Store.complete`.

        .. versionadded:: 0.1
        """
        params = {"key": key, "token": token, "seconds": retention}
        return self._blocking().run(
            lambda c: c.execute(self._queries.complete, params).rowcount == 1
        )

    def release(self, key: str, token: str) -> bool:
        """
        See `Store.release`.

        .. versionadded:: 0.1
        """
        params = {"key": key, "token": token}
        return self._blocking().run(
            lambda c: c.execute(self._queries.release, params).rowcount == 1
        )

    def renew(self, key: str, token: str, lease: float) -> bool:
        """
        See `Store.renew`.

        .. versionadded:: 0.1
        """
        params = {"key": key, "token": token, "seconds": lease}
        return self._blocking().run(lambda c: c.execute(self._queries.renew, params).rowcount == 1)

    async def _rowcount(self, runner: AsyncRunner, query: Any, params: dict[str, Any]) -> int:
        async def op(conn: AsyncConnection[Any]) -> int:
            """
            Run the statement and return how many rows it changed.
            """
            return (await conn.execute(query, params)).rowcount

        return await runner.run(op)

    async def claim_async(self, key: str, lease: float) -> Claim:
        """
        See `Store.claim_async`.

        .. versionadded:: 0.1
        """
        runner = self._asyncio()
        if runner is None:
            return await asyncio.to_thread(self.claim, key, lease)
        if self._due_for_purge():
            await self._rowcount(runner, self._queries.purge, {"limit": _PURGE_BATCH})
        token = new_token()
        params = {"key": key, "token": token, "seconds": lease}

        async def op(conn: AsyncConnection[Any]) -> tuple[Any, ...] | None:
            """
            Run the claim statement and return its row.
            """
            return await (await conn.execute(self._queries.claim, params)).fetchone()

        return claim_result(await runner.run(op), token)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        """
        See `Store.complete_async`.

        .. versionadded:: 0.1
        """
        runner = self._asyncio()
        if runner is None:
            return await asyncio.to_thread(self.complete, key, token, retention)
        params = {"key": key, "token": token, "seconds": retention}
        return await self._rowcount(runner, self._queries.complete, params) == 1

    async def release_async(self, key: str, token: str) -> bool:
        """
        See `Store.release_async`.

        .. versionadded:: 0.1
        """
        runner = self._asyncio()
        if runner is None:
            return await asyncio.to_thread(self.release, key, token)
        params = {"key": key, "token": token}
        return await self._rowcount(runner, self._queries.release, params) == 1

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        """
        See `Store.renew_async`.

        .. versionadded:: 0.1
        """
        runner = self._asyncio()
        if runner is None:
            return await asyncio.to_thread(self.renew, key, token, lease)
        params = {"key": key, "token": token, "seconds": lease}
        return await self._rowcount(runner, self._queries.renew, params) == 1
