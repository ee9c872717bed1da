"""
How `PostgresStore` gets a connection and runs one statement on it, blocking or asyncio.

A runner owns one source: a connection, a pool you passed, or a pool it
made from a DSN.  It creates the table on first use, wraps the statement in
a transaction when the connection is not in autocommit mode, retries once
on a connection that a server restart broke, and turns every driver error
into `hooksig.StoreUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from hooksig.errors import StoreUnavailable
from hooksig.idempotency._postgres_sql import Queries

if TYPE_CHECKING:
    from psycopg import AsyncConnection, Connection

__all__ = ["AsyncRunner", "SyncRunner"]

_T = TypeVar("_T")


def _unavailable(error: BaseException) -> StoreUnavailable:
    # The driver's message may quote the DSN's host or user; the class name is enough.
    return StoreUnavailable(f"PostgreSQL could not be reached: {type(error).__name__}")


class _Runner:
    def __init__(
        self,
        psycopg: Any,
        pool_lib: Any,
        queries: Queries,
        source: Any,
        *,
        dsn: str | None = None,
        pool_options: dict[str, Any] | None = None,
    ) -> None:
        self._psycopg = psycopg
        self._pool_lib = pool_lib
        self._queries = queries
        # A connection or pool; None until a pool is made from the DSN.
        self._source: Any = source
        self._dsn = dsn
        self._pool_options = pool_options or {}
        self._ready = False
        self._lock = threading.Lock()

    def _retryable(self, attempt: int, conn: Any) -> bool:
        # Only a connection that broke, not a statement that failed, and only
        # from a pool, which can hand out a fresh one.
        return attempt == 1 and conn is not None and conn.broken and hasattr(self._source, "check")


class SyncRunner(_Runner):
    """
    Runs statements with a blocking connection or pool.
    """

    def _opened(self) -> Any:
        if self._source is None and self._dsn is not None:
            with self._lock:
                if self._source is None:
                    pool_class = self._pool_lib.ConnectionPool
                    self._source = pool_class(self._dsn, open=True, **self._pool_options)
        return self._source

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection[Any]]:
        source = self._opened()
        if isinstance(source, self._psycopg.Connection):
            yield source
        else:
            with source.connection() as conn:
                yield conn

    def run(self, op: Callable[[Connection[Any]], _T]) -> _T:
        """
        Run ``op`` on a connection, in one transaction, and return its result.
        """
        for attempt in (1, 2):
            conn: Connection[Any] | None = None
            try:
                with self._connection() as conn:
                    if not self._ready:
                        with conn.transaction():
                            conn.execute(self._queries.lock)
                            conn.execute(self._queries.create)
                        self._ready = True
                    if conn.autocommit:
                        return op(conn)
                    with conn.transaction():
                        return op(conn)
            except self._psycopg.Error as error:
                if self._retryable(attempt, conn):
                    # Drop the pool's other dead connections before the retry.
                    with contextlib.suppress(self._psycopg.Error):
                        self._source.check()
                    continue
                raise _unavailable(error) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """
        Close the pool this runner made from a DSN; leave anything passed in alone.
        """
        if self._dsn is not None and self._source is not None:
            pool, self._source = self._source, None
            pool.close()


class AsyncRunner(_Runner):
    """
    Runs statements with an asyncio connection or pool, on one event loop.
    """

    _opening: asyncio.Lock | None = None

    async def _opened(self) -> Any:
        if self._source is None and self._dsn is not None:
            self._opening = self._opening or asyncio.Lock()
            async with self._opening:
                if self._source is None:
                    # Opening in the constructor is deprecated for asyncio pools.
                    pool_class = self._pool_lib.AsyncConnectionPool
                    pool = pool_class(self._dsn, open=False, **self._pool_options)
                    await pool.open()
                    self._source = pool
        return self._source

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection[Any]]:
        source = await self._opened()
        if isinstance(source, self._psycopg.AsyncConnection):
            yield source
        else:
            async with source.connection() as conn:
                yield conn

    async def run(self, op: Callable[[AsyncConnection[Any]], Awaitable[_T]]) -> _T:
        """
        Run ``op`` on a connection, in one transaction, and return its result.
        """
        for attempt in (1, 2):
            conn: AsyncConnection[Any] | None = None
            try:
                async with self._connection() as conn:
                    if not self._ready:
                        async with conn.transaction():
                            await conn.execute(self._queries.lock)
                            await conn.execute(self._queries.create)
                        self._ready = True
                    if conn.autocommit:
                        return await op(conn)
                    async with conn.transaction():
                        return await op(conn)
            except self._psycopg.Error as error:
                if self._retryable(attempt, conn):
                    with contextlib.suppress(self._psycopg.Error):
                        await self._source.check()
                    continue
                raise _unavailable(error) from error
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        """
        Close the pool this runner made from a DSN; leave anything passed in alone.
        """
        if self._dsn is not None and self._source is not None:
            pool, self._source = self._source, None
            await pool.close()
