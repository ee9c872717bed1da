"""
Servers that stop answering: every store operation raises StoreUnavailable within its timeout.

A SIGSTOP'd server keeps its connections open and its kernel keeps
acknowledging, so nothing but the store's own deadline ends the wait.  Each
test stalls a private PostgreSQL or Redis (or holds an SQLite lock from a
stopped process), checks that each operation fails in time, resumes the
server, and checks that the same store object answers correctly again.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest

from hooksig.errors import DuplicateDelivery, StoreUnavailable
from hooksig.idempotency import Claim, Idempotency, PostgresStore, RedisStore, Store
from tests.servers.support import (
    PostgresCluster,
    RedisServer,
    claimed_when_warm,
    claimed_when_warm_async,
    claims,
    private_postgres,
    wait_until,
    warm,
    warm_async,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TIMEOUT = 0.3
#: Scheduling on a loaded two-core machine; far below what a hang would take.
SLACK = 0.5


@contextmanager
def unavailable_in_time(what: str) -> Iterator[None]:
    """The block raises StoreUnavailable after waiting out the timeout, and not much longer."""
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        yield
    elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + SLACK, f"{what}: {elapsed:.2f} s"


async def unavailable_in_time_async(what: str, call: Callable[[], Awaitable[Any]]) -> None:
    """Await ``call()``: StoreUnavailable after the timeout, and not much longer."""
    with unavailable_in_time(what):
        await call()


def works_again(store: Store, prefix: str) -> None:
    """A fresh key goes through its whole life with the right answer at each step."""
    key = f"{prefix}-{uuid.uuid4().hex[:8]}"
    token = store.claim(key, 30.0).token
    assert token is not None
    assert store.claim(key, 30.0) == Claim("in_progress")
    assert store.complete(key, "0" * 32, 30.0) is False
    assert store.renew(key, token, 30.0) is True
    assert store.complete(key, token, 30.0) is True
    assert store.claim(key, 30.0) == Claim("done")


async def works_again_async(store: Store, prefix: str) -> None:
    """`works_again` through the asyncio methods."""
    key = f"{prefix}-{uuid.uuid4().hex[:8]}"
    token = (await store.claim_async(key, 30.0)).token
    assert token is not None
    assert await store.claim_async(key, 30.0) == Claim("in_progress")
    assert await store.complete_async(key, "0" * 32, 30.0) is False
    other = (await store.claim_async(key + "-released", 30.0)).token
    assert other is not None
    assert await store.release_async(key + "-released", other) is True
    assert await store.complete_async(key, token, 30.0) is True
    assert await store.claim_async(key, 30.0) == Claim("done")


def each_operation_fails_in_time(store: Store, held: str, spare: str) -> None:
    """claim, complete, release and renew each raise StoreUnavailable in time."""
    with unavailable_in_time("claim"):
        store.claim("new", 30.0)
    with unavailable_in_time("complete"):
        store.complete("held", held, 30.0)
    with unavailable_in_time("release"):
        store.release("spare", spare)
    with unavailable_in_time("renew"):
        store.renew("held", held, 30.0)


async def each_operation_fails_in_time_async(store: Store, held: str, spare: str) -> None:
    """The asyncio claim, complete, release and renew each raise StoreUnavailable in time."""
    await unavailable_in_time_async("claim", lambda: store.claim_async("new", 30.0))
    await unavailable_in_time_async("complete", lambda: store.complete_async("held", held, 30.0))
    await unavailable_in_time_async("release", lambda: store.release_async("spare", spare))
    await unavailable_in_time_async("renew", lambda: store.renew_async("held", held, 30.0))


def held_and_spare(store: Store) -> tuple[str, str]:
    """Two keys claimed before the stall: one to complete, one to release."""
    held = claimed_when_warm(store, "held")  # the store is warm after it
    spare = store.claim("spare", 30.0).token
    assert spare is not None
    return held, spare


async def held_and_spare_async(store: Store) -> tuple[str, str]:
    """Two keys claimed before the stall: one to complete, one to release."""
    held = await claimed_when_warm_async(store, "held")  # the store is warm after it
    spare = (await store.claim_async("spare", 30.0)).token
    assert spare is not None
    return held, spare


# -- PostgreSQL ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    """A private PostgreSQL for this module, paused and resumed by its tests."""
    with private_postgres() as cluster:
        yield cluster


@contextmanager
def stalled(server: PostgresCluster | RedisServer) -> Iterator[None]:
    """SIGSTOP the server for the block; SIGCONT it whatever happens, then wait until it
    answers: on a loaded machine a resumed server takes longer than the store's timeout to
    work off the commands sent during the stall."""
    server.pause()
    try:
        yield
    finally:
        server.resume()
    server.wait_answering()


@pytest.fixture
def table() -> str:
    """A table name of this test's own (the cluster is private and short-lived)."""
    return f"stall_{uuid.uuid4().hex[:12]}"


SYNC_SOURCES = ["dsn", "pool", "transactional-pool", "connection"]


def sync_store(kind: str, dsn: str, table: str, stack: ExitStack, pool_size: int = 2) -> Any:
    """A blocking PostgresStore on ``kind`` of source; the stack closes what it opened."""
    return sync_store_and_source(kind, dsn, table, stack, pool_size)[0]


def sync_store_and_source(
    kind: str, dsn: str, table: str, stack: ExitStack, pool_size: int = 2
) -> tuple[PostgresStore, Any]:
    """A blocking PostgresStore and the connection or pool it was given (None for a DSN)."""
    import psycopg
    from psycopg_pool import ConnectionPool

    if kind == "dsn":
        store = PostgresStore(dsn, table=table, timeout=TIMEOUT, pool_size=pool_size)
        stack.callback(store.close)
        return store, None
    if kind == "connection":
        source: Any = stack.enter_context(psycopg.connect(dsn, autocommit=True))
    else:
        kwargs = {"autocommit": True} if kind == "pool" else {}
        source = stack.enter_context(
            ConnectionPool(dsn, min_size=1, max_size=pool_size, kwargs=kwargs, open=True)
        )
        source.wait()
    return PostgresStore(source, table=table, timeout=TIMEOUT), source


async def async_store(kind: str, dsn: str, table: str, stack: Any, timeout: float = TIMEOUT) -> Any:
    """An asyncio PostgresStore on ``kind`` of source; the AsyncExitStack closes it."""
    import psycopg
    from psycopg_pool import AsyncConnectionPool

    if kind == "dsn":
        store = PostgresStore(dsn, table=table, timeout=timeout, pool_size=2)
        stack.push_async_callback(store.aclose)
        return store
    if kind == "connection":
        source: Any = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
        stack.push_async_callback(source.close)
    else:
        kwargs = {"autocommit": True} if kind == "pool" else {}
        source = AsyncConnectionPool(dsn, min_size=1, max_size=2, kwargs=kwargs, open=False)
        await source.open(wait=True)
        stack.push_async_callback(source.close)
    return PostgresStore(source, table=table, timeout=timeout)


@pytest.mark.parametrize("kind", SYNC_SOURCES)
def test_postgres_stalled_sync(cluster: PostgresCluster, table: str, kind: str) -> None:
    """Every blocking operation, on every kind of source, fails in time, then the store recovers."""
    with ExitStack() as stack:
        store, source = sync_store_and_source(kind, cluster.dsn, table, stack)
        held, spare = held_and_spare(store)
        with stalled(cluster):
            each_operation_fails_in_time(store, held, spare)
            with unavailable_in_time("purge"):
                store.purge_expired()
        # A statement that timed out may have run once the server woke:
        # "held" is completed either way, and fresh keys behave exactly.
        assert store.complete("held", held, 30.0) is True
        assert store.claim("held", 30.0) == Claim("done")
        works_again(store, kind)
        if kind.endswith("pool"):
            # The connection shut down at the deadline went back broken and was dropped.
            assert source.get_stats().get("returns_bad", 0) >= 1


@pytest.mark.parametrize("kind", SYNC_SOURCES)
def test_postgres_stalled_async(cluster: PostgresCluster, table: str, kind: str) -> None:
    """Every asyncio operation, on every kind of asyncio source, fails in time, then recovers."""
    from contextlib import AsyncExitStack

    async def scenario() -> None:
        async with AsyncExitStack() as stack:
            store = await async_store(kind, cluster.dsn, table, stack)
            held, spare = await held_and_spare_async(store)
            with stalled(cluster):
                await each_operation_fails_in_time_async(store, held, spare)
            assert await store.complete_async("held", held, 30.0) is True
            await works_again_async(store, kind)

    asyncio.run(scenario())


@pytest.mark.parametrize("kind", ["dsn", "connection"])
def test_postgres_caller_cancelled_during_a_stall(
    cluster: PostgresCluster, table: str, kind: str
) -> None:
    """A caller cancelled mid-statement on a stopped server goes at once; the store recovers."""
    from contextlib import AsyncExitStack

    # A timeout long enough that "at once" cannot be mistaken for "at the deadline",
    # whatever the load on the machine.
    timeout = 2.0

    async def scenario() -> None:
        async with AsyncExitStack() as stack:
            store = await async_store(kind, cluster.dsn, table, stack, timeout)
            await warm_async(store)
            await works_again_async(store, "before")
            with stalled(cluster):
                call = asyncio.ensure_future(store.claim_async("k", 30.0))
                await asyncio.sleep(0.1)
                started = time.monotonic()
                call.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await call
                assert time.monotonic() - started < timeout / 2
                # The work it left behind ends by the deadline and holds nothing up.
                await asyncio.sleep(timeout)
            await works_again_async(store, "after")

    asyncio.run(scenario())


def _locked_row(dsn: str, table: str, key: str) -> Any:
    """Another session that holds ``key``'s row lock until it rolls back."""
    import psycopg
    from psycopg import sql

    locker = psycopg.connect(dsn)
    query = sql.SQL("SELECT 1 FROM {} WHERE key = %s FOR UPDATE").format(sql.Identifier(table))
    assert locker.execute(query, (key,)).fetchone() == (1,)
    return locker


def _lock_waits(cluster: PostgresCluster, table: str) -> Callable[[], bool]:
    """A condition: some statement on ``table`` is waiting for a lock."""
    return lambda: _waiting_on_a_lock(cluster.dsn, table)


def _waiting_on_a_lock(dsn: str, table: str) -> bool:
    # A connection of its own, in autocommit: inside a transaction the
    # statistics views keep showing the snapshot they first showed.
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as monitor:
        row = monitor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE %s",
            (f"%{table}%",),
        ).fetchone()
    return bool(row and row[0])


@pytest.mark.parametrize("kind", ["dsn", "transactional-pool", "connection"])
def test_postgres_stalled_mid_statement(cluster: PostgresCluster, table: str, kind: str) -> None:
    """A statement already running on the server (waiting on a row lock) when it stops: in time."""
    with ExitStack() as stack:
        store = sync_store(kind, cluster.dsn, table, stack)
        token = claimed_when_warm(store, "k")
        locker = _locked_row(cluster.dsn, table, "k")
        outcome: list[BaseException | float] = []

        def complete() -> None:
            started = time.monotonic()
            try:
                store.complete("k", token, 30.0)
            except StoreUnavailable:
                outcome.append(time.monotonic() - started)
            except BaseException as error:  # pragma: no cover - reported below
                outcome.append(error)

        worker = threading.Thread(target=complete)
        worker.start()
        wait_until(_lock_waits(cluster, table), 5, "complete() to wait on the lock")
        with stalled(cluster):
            worker.join(timeout=10)
        locker.rollback()
        locker.close()
        assert not worker.is_alive()
        assert len(outcome) == 1
        assert isinstance(outcome[0], float)
        assert outcome[0] < TIMEOUT + SLACK
        assert store.complete("k", token, 30.0) is True
        works_again(store, kind)


def test_postgres_lock_wait_is_ended_by_the_server(cluster: PostgresCluster, table: str) -> None:
    """On a live server, a statement stuck behind a lock fails in time and its backend stops."""
    with ExitStack() as stack:
        store = sync_store("dsn", cluster.dsn, table, stack)
        token = claimed_when_warm(store, "k")
        locker = _locked_row(cluster.dsn, table, "k")
        try:
            with unavailable_in_time("complete behind a lock"):
                store.complete("k", token, 30.0)
            # lock_timeout ended the backend's wait: nothing is left queued on the lock.
            wait_until(lambda: not _lock_waits(cluster, table)(), 3, "the lock wait to end")
        finally:
            locker.rollback()
            locker.close()
        assert store.complete("k", token, 30.0) is True


def test_postgres_stalled_in_the_first_use_transaction(
    cluster: PostgresCluster, table: str
) -> None:
    """First use creates the table inside a transaction; stuck there, a call still fails in time."""
    import psycopg

    from hooksig._backends.postgres import DDL_LOCK

    with ExitStack() as stack, psycopg.connect(cluster.dsn, autocommit=True) as blocker:
        store = sync_store("dsn", cluster.dsn, table, stack)
        blocker.execute("SELECT pg_advisory_lock(%s)", (DDL_LOCK,))
        with unavailable_in_time("claim during table creation"):
            store.claim("k", 30.0)
        blocker.execute("SELECT pg_advisory_unlock(%s)", (DDL_LOCK,))
        warm(store)  # the table is created now, by a call that may take a while
        works_again(store, "first-use")


def test_postgres_waiting_for_a_pool_slot(cluster: PostgresCluster, table: str) -> None:
    """With every pooled connection taken, a call waits for a slot only until its deadline."""
    with ExitStack() as stack:
        store, pool = sync_store_and_source("pool", cluster.dsn, table, stack, pool_size=1)
        warm(store)
        works_again(store, "before")
        taken = pool.getconn()
        try:
            with unavailable_in_time("claim without a free connection"):
                store.claim("other", 30.0)
        finally:
            pool.putconn(taken)
        works_again(store, "after")


def test_guard_on_a_stalled_postgres_is_at_least_once(cluster: PostgresCluster, table: str) -> None:
    """complete() stalls after the handler ran: StoreUnavailable in time, and nothing is lost."""
    with ExitStack() as stack:
        store = sync_store("dsn", cluster.dsn, table, stack)
        warm(store)
        guard = Idempotency(store, lease=1.5, retention=60.0)
        runs = []

        def handler() -> None:
            with guard.claim("job"):
                runs.append("first")
                cluster.pause()  # the handler's work is done; the store stops answering

        with unavailable_in_time("leaving the claim"):
            handler()
        cluster.resume()
        # Within the lease, a retry is refused; it is never run beside the first.
        with pytest.raises(DuplicateDelivery), guard.claim("job"):
            runs.append("retry within the lease")  # pragma: no cover - must not run
        # After it, the retry runs the handler again, unless the complete that
        # timed out reached the server before it stopped and was applied when it
        # woke: then the retry is answered "already handled".  Nothing is lost.
        time.sleep(1.6)
        refused: list[str] = []
        try:
            with guard.claim("job"):
                runs.append("retry")
        except DuplicateDelivery as duplicate:
            refused.append(duplicate.state)
        assert (runs, refused) in ((["first", "retry"], []), (["first"], ["done"]))
        assert store.claim("job", 30.0) == Claim("done")


# -- Redis -----------------------------------------------------------------------------


def redis_client(url: str, *, asyncio_client: bool = False) -> Any:
    """A client built as RedisStore's docstring asks of a client you pass."""
    import redis
    import redis.asyncio
    import redis.asyncio.retry
    import redis.backoff
    import redis.retry

    package = redis.asyncio if asyncio_client else redis
    retry = package.retry.Retry(
        redis.backoff.NoBackoff(), 1, supported_errors=(redis.ConnectionError,)
    )
    return package.Redis.from_url(
        url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT, retry=retry
    )


@pytest.mark.parametrize("kind", ["url", "client"])
def test_redis_stalled_sync(throwaway_redis: RedisServer, kind: str) -> None:
    """Every blocking operation on a stopped Redis fails in time; no late reply is read after."""
    client = redis_client(throwaway_redis.url) if kind == "client" else None
    store = RedisStore(client or throwaway_redis.url, timeout=TIMEOUT)
    try:
        held, spare = held_and_spare(store)
        with stalled(throwaway_redis):
            each_operation_fails_in_time(store, held, spare)
        assert store.complete("held", held, 30.0) is True
        works_again(store, kind)
    finally:
        store.close()
        if client is not None:
            client.close()


@pytest.mark.parametrize("kind", ["url", "client"])
def test_redis_stalled_async(throwaway_redis: RedisServer, kind: str) -> None:
    """Every asyncio operation on a stopped Redis fails in time, then the store recovers."""

    async def scenario() -> None:
        client = None
        if kind == "client":
            client = redis_client(throwaway_redis.url, asyncio_client=True)
        store = RedisStore(client or throwaway_redis.url, timeout=TIMEOUT)
        try:
            held, spare = await held_and_spare_async(store)
            with stalled(throwaway_redis):
                await each_operation_fails_in_time_async(store, held, spare)
            assert await store.complete_async("held", held, 30.0) is True
            await works_again_async(store, kind)
        finally:
            await store.aclose()
            if client is not None:
                await client.aclose()

    asyncio.run(scenario())


@pytest.mark.parametrize("server", ["postgres", "redis"])
def test_stalled_while_connecting(request: pytest.FixtureRequest, server: str) -> None:
    """A store that has not connected yet, on a stopped server: blocking and asyncio, in time."""
    if server == "postgres":
        stopped: PostgresCluster | RedisServer = request.getfixturevalue("cluster")
        store: PostgresStore | RedisStore = PostgresStore(
            stopped.dsn, table=request.getfixturevalue("table"), timeout=TIMEOUT
        )
    else:
        stopped = request.getfixturevalue("throwaway_redis")
        store = RedisStore(stopped.url, timeout=TIMEOUT)

    async def claim_async() -> None:
        try:
            await unavailable_in_time_async("claim_async", lambda: store.claim_async("k", 30.0))
        finally:
            # Closing waits for a pool's connection attempts: resume first.
            stopped.resume()
            await store.aclose()

    try:
        with stalled(stopped):
            with unavailable_in_time("claim"):
                store.claim("k", 30.0)
            asyncio.run(claim_async())
        wait_until(lambda: claims(store, "after"), 10, "the store to connect again")
    finally:
        store.close()
