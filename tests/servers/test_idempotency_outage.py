"""Redis or PostgreSQL stopped in the middle of a run: fail closed, lose nothing, resume."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from hooksig.errors import StoreUnavailable
from hooksig.idempotency import Claim, Idempotency, PostgresStore, RedisStore, Store
from tests.servers.support import (
    PostgresCluster,
    RedisServer,
    claimed_when_warm,
    claimed_when_warm_async,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_T = TypeVar("_T")


@dataclass
class Run:
    """What a stream of guarded deliveries saw while the server went away and came back."""

    completed: set[str] = field(default_factory=set)
    refused_claims: set[str] = field(default_factory=set)
    unknown_completes: set[str] = field(default_factory=set)
    errors: list[BaseException] = field(default_factory=list)
    restarted: threading.Event = field(default_factory=threading.Event)
    resumed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def deliver(self, guard: Idempotency) -> None:
        """Handle fresh keys one after another, bounded in count and time."""
        deadline = time.monotonic() + 120
        for n in range(20_000):
            if self.stop.is_set() or time.monotonic() > deadline:
                return
            key, ran = f"k{n}", False
            try:
                with guard.claim(key):
                    ran = True
            except StoreUnavailable:
                (self.unknown_completes if ran else self.refused_claims).add(key)
                continue
            except BaseException as error:  # pragma: no cover - reported by the test
                self.errors.append(error)
                return
            finally:
                time.sleep(0.002)
            self.completed.add(key)
            if self.restarted.is_set():
                self.resumed.set()


def _outage(store: Store, stop: Callable[[], None], start: Callable[[], None]) -> None:
    guard = Idempotency(store, lease=30.0, retention=600.0)
    held = claimed_when_warm(store, "held")
    run = Run()
    worker = threading.Thread(target=run.deliver, args=(guard,))
    worker.start()
    try:
        wait_until(lambda: len(run.completed) >= 20, 30, "deliveries before the outage")
        stop()
        wait_until(lambda: len(run.refused_claims) >= 2, 60, "claims refused during the outage")

        # Down: every operation raises StoreUnavailable; nothing runs unguarded
        # unless the guard was told to fail open.
        with pytest.raises(StoreUnavailable):
            store.claim("while-down", 30.0)
        with pytest.raises(StoreUnavailable):
            store.complete("held", held, 600.0)
        with pytest.raises(StoreUnavailable):
            asyncio.run(_claim_async(store, "while-down-async"))
        with Idempotency(store, fail_open=True).claim("fail-open") as lease:
            assert lease.token is None

        start()
        run.restarted.set()
        wait_until(run.resumed.is_set, 60, "a delivery to complete after the restart")
    finally:
        run.stop.set()
        worker.join(timeout=60)
    assert not worker.is_alive()
    assert not run.errors, run.errors

    # Everything acknowledged survived; nothing became done that was not completed.
    for key in run.completed:
        assert store.claim(key, 30.0) == Claim("done"), key
    for key in run.refused_claims:
        assert store.claim(key, 30.0).state != "done", key
    for key in run.unknown_completes:
        assert store.claim(key, 30.0).state in ("done", "in_progress"), key
    assert store.claim("held", 30.0) == Claim("in_progress")
    assert store.complete("held", held, 600.0) is True
    assert asyncio.run(_closing(store, claimed_when_warm_async(store, "after")))


async def _claim_async(store: Any, key: str) -> Claim:
    return await _closing(store, store.claim_async(key, 30.0))


async def _closing(store: Any, call: Awaitable[_T]) -> _T:
    """Await *call*, then close the store's asyncio side (its loop ends with this run)."""
    try:
        return await call
    finally:
        await store.aclose()


@pytest.fixture
def redis_outage_store(throwaway_redis: RedisServer) -> Iterator[RedisStore]:
    """A RedisStore on the throwaway server, with short timeouts."""
    store = RedisStore(throwaway_redis.url, timeout=0.5)
    yield store
    store.close()


def test_redis_killed_mid_run(throwaway_redis: RedisServer, redis_outage_store: RedisStore) -> None:
    """Redis killed mid-run: StoreUnavailable, acknowledged state kept, service resumes."""
    _outage(redis_outage_store, throwaway_redis.kill, throwaway_redis.start)


@pytest.fixture
def postgres_outage_store(throwaway_postgres: PostgresCluster) -> Iterator[PostgresStore]:
    """A PostgresStore on the throwaway cluster, with short timeouts."""
    store = PostgresStore(throwaway_postgres.dsn, timeout=0.5, pool_size=2)
    yield store
    store.close()


def test_postgres_crashed_mid_run(
    throwaway_postgres: PostgresCluster, postgres_outage_store: PostgresStore
) -> None:
    """PostgreSQL stopped (immediate) mid-run: StoreUnavailable, commits kept, service resumes."""
    _outage(postgres_outage_store, throwaway_postgres.stop, throwaway_postgres.start)


def test_redis_restart_between_calls_is_invisible(
    throwaway_redis: RedisServer, redis_outage_store: RedisStore
) -> None:
    """A pooled connection broken by a restart is replaced: the next call just works."""
    token = claimed_when_warm(redis_outage_store, "k")
    throwaway_redis.kill()
    throwaway_redis.start()
    assert redis_outage_store.claim("k", 30.0) == Claim("in_progress")
    assert redis_outage_store.complete("k", token, 600.0) is True


def test_postgres_restart_between_calls_is_invisible(
    throwaway_postgres: PostgresCluster, postgres_outage_store: PostgresStore
) -> None:
    """A pooled connection broken by a restart is dropped and the call retried once."""
    token = claimed_when_warm(postgres_outage_store, "k")
    throwaway_postgres.stop("fast")
    throwaway_postgres.start()
    assert postgres_outage_store.claim("k", 30.0) == Claim("in_progress")
    assert postgres_outage_store.complete("k", token, 600.0) is True
