"""
How many requests an endpoint takes: a rate (token bucket) and a number in flight.

Over either limit a request is answered 429 with ``Retry-After`` before its
body is read; providers retry on 429, so nothing is lost, only delayed.
:class:`RateLimit` counts in this process, in constant memory;
:class:`~hooksig.gate.RedisRateLimit` shares one count across every
receiver that reaches the same Redis.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, runtime_checkable

from ..errors import ConfigurationError, RateLimited

__all__ = ["Limiter", "Permit", "RateLimit", "check_limits"]


def check_limits(
    per_second: float | None, burst: int | None, in_flight: int | None
) -> tuple[float | None, int, int | None]:
    """
    Return the limits checked: a positive rate and burst, and a positive in-flight count.

    Raises:
        ConfigurationError: a limit is unusable, or none is set.
    """
    if per_second is None and in_flight is None:
        raise ConfigurationError("a rate limit needs per_second, in_flight, or both")
    if per_second is not None and (
        isinstance(per_second, bool)
        or not isinstance(per_second, int | float)
        or not (math.isfinite(per_second) and per_second > 0)
    ):
        raise ConfigurationError("per_second must be a positive number")
    if burst is None:
        burst = max(1, math.ceil(per_second)) if per_second is not None else 1
    if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
        raise ConfigurationError("burst must be a positive whole number")
    if in_flight is not None and (
        isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1
    ):
        raise ConfigurationError("in_flight must be a positive whole number")
    return (None if per_second is None else float(per_second)), burst, in_flight


class Permit:
    """
    One admitted request's place in flight; give it back when the answer is sent.

    Use it as a context manager, or call :meth:`release` (twice is harmless).

    .. versionadded:: 0.1
    """

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], None] | None = None) -> None:
        self._release = release

    def release(self) -> None:
        """
        Give the place back.

        .. versionadded:: 0.1
        """
        release, self._release = self._release, None
        if release is not None:
            release()

    def __enter__(self) -> Permit:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


#: The permit of a request no limit counts.
UNCOUNTED = Permit()


@runtime_checkable
class Limiter(Protocol):
    """
    What an endpoint needs from a rate limiter; :class:`RateLimit` and ``RedisRateLimit`` are two.

    .. versionadded:: 0.1
    """

    def acquire(self) -> Permit:
        """Admit one request or raise :class:`~hooksig.RateLimited`."""
        ...

    async def acquire_async(self) -> Permit:
        """Asyncio form of :meth:`acquire`."""
        ...


class RateLimit:
    """
    Requests per second and in flight for one endpoint, counted in this process.

    ::

        RateLimit(per_second=20, burst=40, in_flight=10)

    The rate is a token bucket: *burst* tokens, refilled at *per_second*;
    each request takes one.  A request that finds no token, or *in_flight*
    requests already running, raises :class:`~hooksig.RateLimited` with the
    seconds until a token is due (at least 1; 1 for a full house).  A refused
    request takes nothing.  Memory is constant: one bucket per endpoint.

    With several worker processes each counts its own share: divide the
    limits by the number of workers, or use ``RedisRateLimit``.

    Args:
        per_second: the sustained rate; ``None`` for no rate limit.
        burst: how many requests may arrive at once after a quiet spell
            (default: *per_second*, rounded up).
        in_flight: how many requests may be handled at once; ``None`` for no limit.
        clock: monotonic seconds (injectable for tests).

    Raises:
        ConfigurationError: a limit is unusable, or none is set.

    .. versionadded:: 0.1
    """

    __slots__ = (
        "_burst",
        "_clock",
        "_in_flight",
        "_lock",
        "_rate",
        "_running",
        "_stamp",
        "_tokens",
    )

    def __init__(
        self,
        *,
        per_second: float | None = None,
        burst: int | None = None,
        in_flight: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate, self._burst, self._in_flight = check_limits(per_second, burst, in_flight)
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = float(self._burst)
        self._stamp = clock()
        self._running = 0

    def __repr__(self) -> str:
        return (
            f"RateLimit(per_second={self._rate!r}, burst={self._burst!r}, "
            f"in_flight={self._in_flight!r})"
        )

    def acquire(self) -> Permit:
        """
        Admit one request, or raise :class:`~hooksig.RateLimited`.

        .. versionadded:: 0.1
        """
        with self._lock:
            if self._in_flight is not None and self._running >= self._in_flight:
                raise RateLimited("too many requests in flight", retry_after=1, reason="in_flight")
            if self._rate is not None:
                now = self._clock()
                tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if tokens < 1:
                    self._tokens = tokens
                    wait = max(1, math.ceil((1 - tokens) / self._rate))
                    raise RateLimited("request rate over the limit", retry_after=wait)
                self._tokens = tokens - 1
            if self._in_flight is None:
                return UNCOUNTED
            self._running += 1
        return Permit(self._done)

    async def acquire_async(self) -> Permit:
        """
        Same as :meth:`acquire`, which never waits.

        .. versionadded:: 0.1
        """
        return self.acquire()

    def _done(self) -> None:
        with self._lock:
            self._running -= 1
