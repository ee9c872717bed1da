"""
`PostgresStore`: claims in a PostgreSQL table shared by every receiver (extra ``postgres``).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

from hooksig._backends.postgres import AsyncRunner, SyncRunner, import_psycopg
from hooksig._primitives.seconds import check_seconds
from hooksig.errors import ConfigurationError
from hooksig.idempotency._postgres_sql import Queries, claim_result
from hooksig.idempotency._store import Claim, Store, in_thread, new_token

if TYPE_CHECKING:
    from psycopg import AsyncConnection, Connection
    from psycopg_pool import AsyncConnectionPool, ConnectionPool

__all__ = ["PostgresStore"]

_R = TypeVar("_R", SyncRunner, AsyncRunner)
_PURGE_BATCH = 1000
_PURGE_PARAMS = {"limit": _PURGE_BATCH}


class PostgresStore(Store):
    """
    A `Store` in a PostgreSQL table: one statement, one round trip, per operation.

    Pass a DSN, and the store keeps its own autocommit pools (psycopg_pool; a
    blocking one, and an asyncio one per event loop) of up to ``pool_size``
    connections; `close` and, before each event loop ends, `aclose` close
    them.  Or pass what you have, which stays yours to close: a
    ``psycopg.Connection`` or ``psycopg.AsyncConnection`` in autocommit
    mode, or a ``psycopg_pool.ConnectionPool`` or ``AsyncConnectionPool``
    (its connections may be in either mode; outside autocommit each
    statement is wrapped in its own transaction, three round trips).  A
    blocking connection or pool also serves the async methods, in a worker
    thread; an asyncio one serves only the async methods.

    Every operation answers within ``timeout`` seconds, whatever the
    source: waiting for a pool slot, connecting, the statement and its
    transaction all count, and a server that stops answering (a stopped
    process, a lost network) gets `hooksig.StoreUnavailable` at the
    deadline.  A pooled connection that was still waiting then is shut down
    and discarded, never returned to the pool.  A single connection you
    pass cannot be replaced, so it is kept out of use until the server
    answers the statement it was waiting for; calls made meanwhile wait for
    it, each up to its own deadline.  Connections the store makes also tell
    the server to end a statement, a lock wait or an idle transaction after
    ``timeout`` (``statement_timeout``, ``lock_timeout``,
    ``idle_in_transaction_session_timeout``, before any ``options`` of your
    DSN, which win); set them on connections you pass if you want the same.
    A pool you pass with a ``check`` callback runs it outside this bound.

    The table is created on first use, under an advisory lock so that many
    workers starting together do not collide.  Rows whose lease or retention
    ran out are taken over by the next claim of their key, and swept out in
    batches every ``cleanup_interval`` seconds or when you call `purge_expired`.

    When a pooled connection turns out to be broken (the server restarted),
    the operation is tried on another while time remains.

    Args:
        dsn_or_pool: a libpq connection string or URL, a connection or a pool.
        table: the table name, optionally ``schema.table``.
        timeout: seconds each operation may take in all.
        pool_size: the most connections in each pool the store makes.
        cleanup_interval: seconds between sweeps of expired rows.

    Raises:
        hooksig.ExtraNotInstalled: ``psycopg`` or ``psycopg_pool`` is missing.
        hooksig.ConfigurationError: an argument is unusable (a DSN that is
            not a connection string), or a connection you pass is not in
            autocommit mode.

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
            self._options = self._pool_options(source)
            self._sync = self._runner(SyncRunner, source)
        elif isinstance(source, psycopg.Connection | pool_lib.ConnectionPool):
            self._sync = SyncRunner(psycopg, pool_lib, self._queries, source, timeout=self._timeout)
        elif isinstance(source, psycopg.AsyncConnection | pool_lib.AsyncConnectionPool):
            self._async = AsyncRunner(
                psycopg, pool_lib, self._queries, source, timeout=self._timeout
            )
        else:
            raise ConfigurationError("PostgresStore takes a DSN, a psycopg connection or a pool")

    def __repr__(self) -> str:
        # The DSN may hold a password: never show it.
        return f"PostgresStore(table={self._queries.table!r})"

    def _pool_options(self, dsn: str) -> dict[str, Any]:
        try:
            given = self._psycopg.conninfo.conninfo_to_dict(dsn).get("options") or ""
        except self._psycopg.Error:
            # The driver's message would quote the DSN, password and all.
            raise ConfigurationError("the PostgreSQL DSN is not a connection string") from None
        ms = math.ceil(self._timeout * 1000)
        # The server's own bounds, so that a statement the store stopped
        # waiting for does not run on; the DSN's options come last and win.
        server = " ".join(
            f"-c {name}={ms}"
            for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")
        )
        return {
            "min_size": 1,
            "max_size": self._pool_size,
            "timeout": self._timeout,
            "kwargs": {
                "autocommit": True,
                "connect_timeout": max(2, math.ceil(self._timeout)),
                "options": f"{server} {given}".strip(),
            },
        }

    def _runner(self, kind: type[_R], dsn: str) -> _R:
        return kind(
            self._psycopg,
            self._pool_lib,
            self._queries,
            None,
            timeout=self._timeout,
            dsn=dsn,
            pool_options=self._options,
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
        for _ in range(100):
            batch = self._blocking().run(
                lambda c: c.execute(self._queries.purge, _PURGE_PARAMS).rowcount
            )
            deleted += batch
            if batch < _PURGE_BATCH:
                break
        return deleted

    def claim(self, key: str, lease: float) -> Claim:
        runner = self._blocking()
        purge = self._due_for_purge()
        token = new_token()
        params = {"key": key, "token": token, "seconds": lease}

        def op(conn: Connection[Any]) -> tuple[Any, ...] | None:
            # The periodic sweep rides on the claim: same connection, same deadline.
            if purge:
                conn.execute(self._queries.purge, _PURGE_PARAMS)
            return conn.execute(self._queries.claim, params).fetchone()

        return claim_result(runner.run(op), token)

    def complete(self, key: str, token: str, retention: float) -> bool:
        params = {"key": key, "token": token, "seconds": retention}
        return self._blocking().run(
            lambda c: c.execute(self._queries.complete, params).rowcount == 1
        )

    def release(self, key: str, token: str) -> bool:
        params = {"key": key, "token": token}
        return self._blocking().run(
            lambda c: c.execute(self._queries.release, params).rowcount == 1
        )

    def renew(self, key: str, token: str, lease: float) -> bool:
        params = {"key": key, "token": token, "seconds": lease}
        return self._blocking().run(lambda c: c.execute(self._queries.renew, params).rowcount == 1)

    async def _rowcount(self, runner: AsyncRunner, query: Any, params: dict[str, Any]) -> int:
        async def op(conn: AsyncConnection[Any]) -> int:
            return (await conn.execute(query, params)).rowcount

        return await runner.run(op)

    async def claim_async(self, key: str, lease: float) -> Claim:
        runner = self._asyncio()
        if runner is None:
            return await in_thread(self._timeout, self.claim, key, lease)
        purge = self._due_for_purge()
        token = new_token()
        params = {"key": key, "token": token, "seconds": lease}

        async def op(conn: AsyncConnection[Any]) -> tuple[Any, ...] | None:
            if purge:
                await conn.execute(self._queries.purge, _PURGE_PARAMS)
            return await (await conn.execute(self._queries.claim, params)).fetchone()

        return claim_result(await runner.run(op), token)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        runner = self._asyncio()
        if runner is None:
            return await in_thread(self._timeout, self.complete, key, token, retention)
        params = {"key": key, "token": token, "seconds": retention}
        return await self._rowcount(runner, self._queries.complete, params) == 1

    async def release_async(self, key: str, token: str) -> bool:
        runner = self._asyncio()
        if runner is None:
            return await in_thread(self._timeout, self.release, key, token)
        params = {"key": key, "token": token}
        return await self._rowcount(runner, self._queries.release, params) == 1

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        runner = self._asyncio()
        if runner is None:
            return await in_thread(self._timeout, self.renew, key, token, lease)
        params = {"key": key, "token": token, "seconds": lease}
        return await self._rowcount(runner, self._queries.renew, params) == 1
