"""The shared rate limit on a real Redis: one bucket and one in-flight count for every receiver."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid

import pytest

from hooksig.errors import ConfigurationError, RateLimited, StoreUnavailable
from hooksig.gate import Limiter, RedisRateLimit
from tests.servers.support import RedisServer, redis_keys

pytestmark = pytest.mark.integration


def limiter(url: str, prefix: str, **options: object) -> RedisRateLimit:
    """A limiter under this test's prefix."""
    return RedisRateLimit(url, name="acme", prefix=prefix, **options)  # type: ignore[arg-type]


def test_two_receivers_share_one_bucket(redis_url: str, redis_prefix: str) -> None:
    """Two limiters (two receivers) on one name admit the burst once between them."""
    first = limiter(redis_url, redis_prefix, per_second=1, burst=4)
    second = limiter(redis_url, redis_prefix, per_second=1, burst=4)
    refused: list[RateLimited] = []
    for n in range(8):
        try:
            (first if n % 2 else second).acquire()
        except RateLimited as error:
            refused.append(error)
    assert len(refused) == 4
    assert {(e.retry_after, e.reason) for e in refused} == {(1, "rate_limited")}
    assert isinstance(first, Limiter)
    first.close()
    second.close()


def test_tokens_refill_on_the_server_clock(redis_url: str, redis_prefix: str) -> None:
    """At 20 per second an empty bucket admits again after 50 ms."""
    limit = limiter(redis_url, redis_prefix, per_second=20, burst=1)
    limit.acquire()
    with pytest.raises(RateLimited):
        limit.acquire()
    time.sleep(0.12)
    limit.acquire()


def test_retry_after_rounds_up(redis_url: str, redis_prefix: str) -> None:
    """At 0.2 per second an empty bucket asks for 5 seconds."""
    limit = limiter(redis_url, redis_prefix, per_second=0.2, burst=1)
    limit.acquire()
    with pytest.raises(RateLimited) as caught:
        limit.acquire()
    assert caught.value.retry_after == 5


def test_in_flight_across_receivers_and_release(redis_url: str, redis_prefix: str) -> None:
    """The in-flight count is shared; releasing a permit frees its place."""
    first = limiter(redis_url, redis_prefix, in_flight=2)
    second = limiter(redis_url, redis_prefix, in_flight=2)
    held = [first.acquire(), second.acquire()]
    with pytest.raises(RateLimited) as caught:
        first.acquire()
    assert caught.value.reason == "in_flight"
    held[0].release()
    with second.acquire():
        pass
    held[1].release()


def test_a_dead_receivers_permits_expire(redis_url: str, redis_prefix: str) -> None:
    """Permits never released are dropped when their lease ends."""
    limit = limiter(redis_url, redis_prefix, in_flight=1, lease=0.2)
    limit.acquire()  # never released: the receiver "died"
    with pytest.raises(RateLimited):
        limit.acquire()
    time.sleep(0.3)
    limit.acquire().release()


def test_concurrent_admissions_never_exceed_the_limits(redis_url: str, redis_prefix: str) -> None:
    """Eight threads on four limiters: exactly the burst is admitted, in flight never over 3."""
    limits = [limiter(redis_url, redis_prefix, per_second=0.01, burst=40, in_flight=3)
              for _ in range(4)]  # fmt: skip
    admitted, running, peak = [0], [0], [0]
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for _ in range(30):
            try:
                permit = limits[n % 4].acquire()
            except RateLimited:
                continue
            with lock:
                admitted[0] += 1
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.002)
            with lock:
                running[0] -= 1
            permit.release()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted[0] <= 40
    assert admitted[0] >= 20  # the in-flight refusals left some tokens unused, none taken twice
    assert peak[0] <= 3


def test_memory_is_two_expiring_keys(redis_url: str, redis_prefix: str) -> None:
    """Whatever the traffic, one endpoint holds two keys in Redis, both with a ttl."""
    import redis

    limit = limiter(redis_url, redis_prefix, per_second=100, burst=100, in_flight=50)
    for _ in range(200):
        with contextlib.suppress(RateLimited):
            limit.acquire().release()
    keys = redis_keys(redis_url, redis_prefix)
    assert sorted(keys) == ["{acme}:tokens"]  # no permit in flight: the set is gone
    client = redis.Redis.from_url(redis_url)
    assert 0 < client.pttl(f"{redis_prefix}{{acme}}:tokens") <= 2000
    client.close()


def test_async_acquire(redis_url: str, redis_prefix: str) -> None:
    """acquire_async admits through a worker thread."""
    limit = limiter(redis_url, redis_prefix, in_flight=1)
    permit = asyncio.run(limit.acquire_async())
    with pytest.raises(RateLimited):
        asyncio.run(limit.acquire_async())
    permit.release()


def test_redis_down(throwaway_redis: RedisServer) -> None:
    """Redis gone: StoreUnavailable, or admitted with fail_open; a release never raises."""
    strict = RedisRateLimit(throwaway_redis.url, name="x", in_flight=1, timeout=2.0)
    lenient = RedisRateLimit(throwaway_redis.url, name="y", in_flight=1, timeout=2.0,
                             fail_open=True)  # fmt: skip
    held = strict.acquire()
    throwaway_redis.kill()
    with pytest.raises(StoreUnavailable):
        strict.acquire()
    lenient.acquire().release()
    held.release()  # logged, not raised: the lease frees it


def test_options(redis_url: str) -> None:
    """A client you built serves and stays open; bad names and types are refused."""
    import redis

    client = redis.Redis.from_url(redis_url)
    limit = RedisRateLimit(client, name=f"t{uuid.uuid4().hex}", per_second=5)
    assert "per_second=5.0" in repr(limit)
    assert redis_url not in repr(limit)
    limit.close()
    assert client.ping()
    for bad in ({"name": ""}, {"name": "a{b"}, {"prefix": 5}, {"lease": 0}):
        with pytest.raises(ConfigurationError):
            RedisRateLimit(redis_url, **{"name": "x", "per_second": 1, **bad})  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        RedisRateLimit(object(), name="x", per_second=1)  # type: ignore[arg-type]
    client.close()
