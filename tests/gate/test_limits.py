"""The in-process rate limit: a token bucket and an in-flight count; refusals take nothing."""

from __future__ import annotations

import asyncio
import threading

import pytest

from hooksig.errors import ConfigurationError, RateLimited
from hooksig.gate import Limiter, RateLimit


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill() -> None:
    """Burst requests pass at once, the next waits; tokens come back at the rate."""
    clock = Clock()
    limit = RateLimit(per_second=2, burst=3, clock=clock)
    for _ in range(3):
        limit.acquire().release()
    with pytest.raises(RateLimited) as caught:
        limit.acquire()
    assert (caught.value.retry_after, caught.value.reason) == (1, "rate_limited")
    clock.now += 0.5  # one token back
    limit.acquire()
    with pytest.raises(RateLimited):
        limit.acquire()
    clock.now += 100  # never more than the burst
    for _ in range(3):
        limit.acquire()
    with pytest.raises(RateLimited):
        limit.acquire()


def test_retry_after_is_when_a_token_is_due() -> None:
    """At 0.1 per second an empty bucket asks for 10 seconds."""
    limit = RateLimit(per_second=0.1, burst=1, clock=Clock())
    limit.acquire()
    with pytest.raises(RateLimited) as caught:
        limit.acquire()
    assert caught.value.retry_after == 10


def test_in_flight_limit_and_release() -> None:
    """At the in-flight limit the next request is refused until a permit is released."""
    limit = RateLimit(in_flight=2)
    first, second = limit.acquire(), limit.acquire()
    with pytest.raises(RateLimited) as caught:
        limit.acquire()
    assert (caught.value.retry_after, caught.value.reason) == (1, "in_flight")
    first.release()
    first.release()  # twice is harmless
    with limit.acquire(), pytest.raises(RateLimited):
        limit.acquire()
    second.release()
    limit.acquire()


def test_a_refused_request_takes_no_token() -> None:
    """Refused for being in flight, a request leaves the bucket as it was."""
    clock = Clock()
    limit = RateLimit(per_second=1, burst=2, in_flight=1, clock=clock)
    held = limit.acquire()
    for _ in range(5):
        with pytest.raises(RateLimited):
            limit.acquire()
    held.release()
    limit.acquire().release()  # the second token is still there


def test_threads_never_exceed_the_limits() -> None:
    """Under 8 threads, admitted requests never exceed the burst or the in-flight count."""
    clock = Clock()
    limit = RateLimit(per_second=1, burst=50, in_flight=5, clock=clock)
    admitted, peak, running = [0], [0], [0]
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        for _ in range(200):
            try:
                permit = limit.acquire()
            except RateLimited:
                continue
            with lock:
                admitted[0] += 1
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            with lock:
                running[0] -= 1
            permit.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted[0] == 50
    assert peak[0] <= 5


def test_async_form_is_the_same() -> None:
    """acquire_async admits and refuses as acquire does."""
    limit = RateLimit(in_flight=1)
    permit = asyncio.run(limit.acquire_async())
    with pytest.raises(RateLimited):
        asyncio.run(limit.acquire_async())
    permit.release()


@pytest.mark.parametrize(
    "options",
    [{}, {"per_second": 0}, {"per_second": -1}, {"per_second": float("inf")},
     {"per_second": True}, {"per_second": "5"}, {"per_second": 1, "burst": 0},
     {"per_second": 1, "burst": 1.5}, {"in_flight": 0}, {"in_flight": True}],
)  # fmt: skip
def test_limits_are_checked(options: dict[str, object]) -> None:
    """No limit at all, or an unusable one, fails at construction."""
    with pytest.raises(ConfigurationError):
        RateLimit(**options)  # type: ignore[arg-type]


def test_defaults_and_protocol() -> None:
    """The burst defaults to the rate rounded up; RateLimit is a Limiter."""
    limit = RateLimit(per_second=2.5)
    assert "burst=3" in repr(limit)
    assert isinstance(limit, Limiter)
