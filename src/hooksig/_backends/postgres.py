"""
How a PostgreSQL store gets a connection and runs statements on it, blocking or asyncio, in time.

`PostgresStore` and `PostgresJournal` run their own SQL through these runners.

A runner owns one source: a connection, a pool you passed, or a pool it
made from a DSN.  It creates the table on first use, wraps the statements in
a transaction when the connection is not in autocommit mode, and turns every
driver error into `hooksig.StoreUnavailable`.

Every call has a deadline, ``timeout`` seconds after it starts, that covers
waiting for a pool slot, the statements and the commit.  A pooled
connection still busy at the deadline has its socket shut down
(`deadline.WATCHDOG`, or a timer on the event loop), so the call fails
at once and the pool discards the connection; a connection found broken
before the deadline (the server restarted) is dropped and the call tried
on another.  A single connection cannot be replaced: its calls run one at a
time (`deadline.Serial`, or a task behind a lock on the event loop), a
caller stops waiting at its deadline, and the next call waits for the
connection to be free, so a late answer never reaches the wrong caller.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hooksig._backends.deadline import WATCHDOG, Alarm, DeadlinePassed, Serial
from hooksig.errors import ExtraNotInstalled, StoreUnavailable

if TYPE_CHECKING:
    from psycopg import AsyncConnection, Connection

__all__ = ["DDL_LOCK", "AsyncRunner", "Schema", "SyncRunner", "import_psycopg"]

# Any constant works; it only has to be the same in every process.
DDL_LOCK = 0x686F6F6B736967


class Schema(Protocol):
    """
    The two statements a runner runs once, before a source's first call.
    """

    #: Takes the advisory lock on :data:`DDL_LOCK`, so that two processes never race to create.
    lock: Any
    #: Creates the table (``IF NOT EXISTS``).
    create: Any


def import_psycopg() -> tuple[Any, Any]:
    """
    Return the ``psycopg`` and ``psycopg_pool`` modules, or say how to install them.
    """
    try:
        import psycopg
        import psycopg.conninfo
        import psycopg.sql
        import psycopg_pool
    except ImportError as error:
        raise ExtraNotInstalled("postgres", "psycopg") from error
    return psycopg, psycopg_pool


_T = TypeVar("_T")


def _unavailable(error: BaseException, timeout: float) -> StoreUnavailable:
    # The driver's message may quote the DSN's host or user; the class name is enough.
    if isinstance(error, DeadlinePassed):
        return StoreUnavailable(f"PostgreSQL gave no answer within {timeout:g} s")
    return StoreUnavailable(f"PostgreSQL could not be reached: {type(error).__name__}")


class _Runner:
    def __init__(
        self,
        psycopg: Any,
        pool_lib: Any,
        queries: Schema,
        source: Any,
        *,
        timeout: float,
        dsn: str | None = None,
        pool_options: dict[str, Any] | None = None,
    ) -> None:
        self._psycopg = psycopg
        self._pool_lib = pool_lib
        self._queries = queries
        # A connection or pool; None until a pool is made from the DSN.
        self._source: Any = source
        self._timeout = timeout
        self._dsn = dsn
        self._pool_options = pool_options or {}
        self._ready = False
        self._lock = threading.Lock()

    def _attempts(self, pool: Any) -> int:
        # One more than the pool holds: after a server restart every idle
        # connection in it is dead, and each fails fast.
        size = getattr(pool, "max_size", 1)
        return size + 1 if isinstance(size, int) else 2

    def _retryable(self, conn: Any, remaining: float) -> bool:
        # Only a connection that broke, not a statement that failed, and only
        # while time remains (a connection shut down at the deadline broke too).
        return conn is not None and conn.broken and remaining > 0


class SyncRunner(_Runner):
    """
    Runs statements with a blocking connection or pool.
    """

    _serial: Serial | None = None

    def _opened(self) -> Any:
        if self._source is None and self._dsn is not None:
            with self._lock:
                if self._source is None:
                    pool_class = self._pool_lib.ConnectionPool
                    self._source = pool_class(self._dsn, open=True, **self._pool_options)
        return self._source

    def run(self, op: Callable[[Connection[Any]], _T]) -> _T:
        """
        Run ``op`` on a connection, in one transaction, within the timeout.
        """
        deadline = time.monotonic() + self._timeout
        source = self._opened()
        try:
            if isinstance(source, self._psycopg.Connection):
                with self._lock:
                    self._serial = self._serial or Serial("hooksig-postgres-connection")
                return self._serial.call(lambda: self._statements(source, op), deadline)
            return self._pooled(source, op, deadline)
        except (self._psycopg.Error, DeadlinePassed) as error:
            raise _unavailable(error, self._timeout) from error

    def _pooled(self, pool: Any, op: Callable[[Connection[Any]], _T], deadline: float) -> _T:
        for _ in range(self._attempts(pool)):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            conn: Connection[Any] | None = None
            fired = False
            try:
                with pool.connection(timeout=remaining) as conn:
                    alarm = WATCHDOG.arm(deadline, conn.fileno())
                    try:
                        return self._statements(conn, op)
                    finally:
                        fired = WATCHDOG.disarm(alarm)
                        if fired:
                            # Shut down, perhaps just after an answer: never reuse it.
                            conn.close()
            except self._psycopg.Error as error:
                if fired:
                    raise DeadlinePassed from error
                if not self._retryable(conn, deadline - time.monotonic()):
                    raise
        raise DeadlinePassed

    def _statements(self, conn: Connection[Any], op: Callable[[Connection[Any]], _T]) -> _T:
        if not self._ready:
            with conn.transaction():
                conn.execute(self._queries.lock)
                conn.execute(self._queries.create)
            self._ready = True
        if conn.autocommit:
            return op(conn)
        with conn.transaction():
            return op(conn)

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
    _serial: asyncio.Lock | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Work running in tasks of its own, held until it ends.
        self._running: set[asyncio.Task[Any]] = set()

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

    async def run(self, op: Callable[[AsyncConnection[Any]], Awaitable[_T]]) -> _T:
        """
        Run ``op`` on a connection, in one transaction, within the timeout.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        source = await self._opened()
        try:
            if isinstance(source, self._psycopg.AsyncConnection):
                return await self._single(source, op, deadline)
            # Shielded: a caller cancelled mid-statement must not hand the
            # cancellation to psycopg, whose attempt to cancel the statement
            # on a stalled server can block for as long as the stall.  The
            # work ends by the deadline on its own (`_pooled`).
            task = loop.create_task(self._pooled(source, op, deadline))
            self._keep(task)
            return await asyncio.shield(task)
        except (self._psycopg.Error, DeadlinePassed) as error:
            raise _unavailable(error, self._timeout) from error

    def _keep(self, task: asyncio.Task[Any]) -> None:
        # Hold the task until it ends, even when nobody waits for it any more.
        self._running.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # read, for when its caller has gone

    async def _single(
        self,
        conn: AsyncConnection[Any],
        op: Callable[[AsyncConnection[Any]], Awaitable[_T]],
        deadline: float,
    ) -> _T:
        # The work runs in a task of its own, which the caller stops waiting
        # for at the deadline; the connection serves nothing else until it ends.
        loop = asyncio.get_running_loop()
        task = loop.create_task(self._in_turn(conn, op, deadline))
        self._keep(task)
        await asyncio.wait({task}, timeout=max(0.0, deadline - loop.time()))
        if not task.done():
            raise DeadlinePassed
        return task.result()

    async def _in_turn(
        self,
        conn: AsyncConnection[Any],
        op: Callable[[AsyncConnection[Any]], Awaitable[_T]],
        deadline: float,
    ) -> _T:
        self._serial = self._serial or asyncio.Lock()
        async with self._serial:
            # Queued behind a call that outlived its caller: too late to start.
            if asyncio.get_running_loop().time() >= deadline:
                raise DeadlinePassed
            return await self._statements(conn, op)

    async def _pooled(
        self, pool: Any, op: Callable[[AsyncConnection[Any]], Awaitable[_T]], deadline: float
    ) -> _T:
        loop = asyncio.get_running_loop()
        for _ in range(self._attempts(pool)):
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            conn: AsyncConnection[Any] | None = None
            alarm: Alarm | None = None
            try:
                async with pool.connection(timeout=remaining) as conn:
                    alarm = Alarm(deadline, conn.fileno())
                    timer = loop.call_at(deadline, alarm.ring)
                    try:
                        return await self._statements(conn, op)
                    finally:
                        timer.cancel()
            except self._psycopg.Error as error:
                if alarm is not None and alarm.fired:
                    raise DeadlinePassed from error
                if not self._retryable(conn, deadline - loop.time()):
                    raise
        raise DeadlinePassed

    async def _statements(
        self, conn: AsyncConnection[Any], op: Callable[[AsyncConnection[Any]], Awaitable[_T]]
    ) -> _T:
        if not self._ready:
            async with conn.transaction():
                await conn.execute(self._queries.lock)
                await conn.execute(self._queries.create)
            self._ready = True
        if conn.autocommit:
            return await op(conn)
        async with conn.transaction():
            return await op(conn)

    async def aclose(self) -> None:
        """
        Close the pool this runner made from a DSN; leave anything passed in alone.
        """
        if self._dsn is not None and self._source is not None:
            pool, self._source = self._source, None
            await pool.close()
