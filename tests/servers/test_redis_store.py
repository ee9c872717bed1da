"""hooksig.idempotency.RedisStore against a real Redis server: the contract, clients, processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Claim, RedisStore
from tests.idempotency.store_contract import Advance, StoreContract
from tests.idempotency.workers import die_holding, process_race
from tests.servers.support import redis_keys

pytestmark = pytest.mark.integration


@pytest.fixture
def store(redis_url: str, redis_prefix: str) -> Iterator[RedisStore]:
    """A RedisStore from the URL, under this test's own prefix."""
    store = RedisStore(redis_url, prefix=redis_prefix)
    yield store
    store.close()


class TestRedisStoreContract(StoreContract):
    """RedisStore keeps the Store contract, on the server's clock."""

    short: ClassVar[float] = 0.4
    fake_clock: ClassVar[bool] = False
    model_examples: ClassVar[int] = 25

    @pytest.fixture
    def store(self, redis_url: str, redis_prefix: str) -> Iterator[RedisStore]:
        """A RedisStore from the URL, under this test's own prefix."""
        self.where = (redis_url, redis_prefix)
        store = RedisStore(redis_url, prefix=redis_prefix)
        yield store
        store.close()

    @pytest.fixture
    def advance(self) -> Advance:
        """Sleep: leases run on the Redis server's clock."""
        return lambda seconds: time.sleep(seconds + 0.15)

    def stored_keys(self, store: Any) -> list[str]:
        """The keys under the store's prefix."""
        return redis_keys(*self.where)


def test_lease_is_a_server_expiry(store: RedisStore, redis_url: str, redis_prefix: str) -> None:
    """The lease is the key's PX expiry on the server, rounded up to whole milliseconds."""
    import redis

    store.claim("k", 2.5)
    client = redis.Redis.from_url(redis_url)
    try:
        ttl = client.pttl(redis_prefix + "k")
        value = client.get(redis_prefix + "k")
    finally:
        client.close()
    assert 2000 < ttl <= 2500
    assert value is not None
    assert value.startswith(b"p:")


def test_prefix_isolates_stores(redis_url: str, redis_prefix: str) -> None:
    """Two prefixes on one database never see each other's keys."""
    first = RedisStore(redis_url, prefix=redis_prefix + "one:")
    second = RedisStore(redis_url, prefix=redis_prefix + "two:")
    assert first.claim("k", 60.0).acquired
    assert second.claim("k", 60.0).acquired
    first.close()
    second.close()


def test_accepts_a_sync_client(redis_url: str, redis_prefix: str) -> None:
    """A redis.Redis client serves the blocking methods and, in a thread, the async ones."""
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    store = RedisStore(client, prefix=redis_prefix)
    token = store.claim("k", 60.0).token
    assert token is not None

    async def scenario() -> Claim:
        return await store.claim_async("k", 60.0)

    assert asyncio.run(scenario()) == Claim("in_progress")
    assert store.complete("k", token, 60.0)
    store.close()  # a client you passed stays yours: still usable
    assert client.ping()
    client.close()


def test_accepts_an_asyncio_client(redis_url: str, redis_prefix: str) -> None:
    """A redis.asyncio client serves the async methods; the blocking ones say so."""
    import redis.asyncio

    async def scenario() -> list[Any]:
        client = redis.asyncio.Redis.from_url(redis_url)
        store = RedisStore(client, prefix=redis_prefix)
        try:
            first = await store.claim_async("k", 60.0)
            assert first.token is not None
            return [
                first.acquired,
                await store.claim_async("k", 60.0),
                await store.renew_async("k", first.token, 60.0),
                await store.release_async("k", first.token),
                store,
            ]
        finally:
            await client.aclose()

    acquired, second, renewed, released, store = asyncio.run(scenario())
    assert (acquired, second, renewed, released) == (True, Claim("in_progress"), True, True)
    with pytest.raises(ConfigurationError, match="async"):
        store.claim("k", 60.0)


def test_async_from_url_on_two_loops(store: RedisStore) -> None:
    """A URL store works from one event loop after another (one client per loop)."""

    async def claim(key: str) -> Claim:
        try:
            return await store.claim_async(key, 60.0)
        finally:
            await store.aclose()

    assert asyncio.run(claim("a")).acquired
    assert asyncio.run(claim("a")) == Claim("in_progress")


def test_refuses_other_arguments() -> None:
    """Neither a URL nor a client is a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        RedisStore(42)  # type: ignore[arg-type]


def test_repr_hides_the_url() -> None:
    """The repr never shows the URL, which may hold a password."""
    store = RedisStore("redis://:hunter2-password@127.0.0.1:1/0", prefix="p:")
    assert "hunter2" not in repr(store)
    assert repr(store) == "RedisStore(prefix='p:')"
    store.close()


@pytest.mark.slow
def test_eight_processes_one_winner_per_key(
    store: RedisStore, redis_url: str, redis_prefix: str
) -> None:
    """8 processes claiming the same 200 keys: exactly one winner per key."""
    keys = [f"p-{n}" for n in range(200)]
    spec = {"kind": "redis", "url": redis_url, "prefix": redis_prefix}
    wins = process_race(spec, keys, processes=8)
    assert wins == dict.fromkeys(keys, 1)
    assert store.claim("p-0", 60.0) == Claim("in_progress")


@pytest.mark.slow
def test_killed_worker_claim_expires(store: RedisStore, redis_url: str, redis_prefix: str) -> None:
    """A worker killed holding a claim blocks the key only for its lease; its token is stale."""
    spec = {"kind": "redis", "url": redis_url, "prefix": redis_prefix}
    stale = die_holding(spec, "k", 1.0)
    assert store.claim("k", 60.0) == Claim("in_progress")
    time.sleep(1.2)
    fresh = store.claim("k", 60.0)
    assert fresh.acquired
    assert fresh.token is not None
    assert store.complete("k", stale, 60.0) is False
    assert store.release("k", stale) is False
    assert store.complete("k", fresh.token, 60.0) is True
