"""
`RedisRateLimit`: one endpoint's rate and in-flight limits, shared by every receiver (``redis``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from typing import TYPE_CHECKING, Any

from .._backends.redis import import_redis
from .._primitives.seconds import check_seconds
from ..errors import ConfigurationError, RateLimited, StoreUnavailable
from .limits import UNCOUNTED, Permit, check_limits

if TYPE_CHECKING:
    from redis import Redis

__all__ = ["RedisRateLimit"]

_log = logging.getLogger("hooksig.gate")

# One atomic script per request, timed by the Redis server's own clock (TIME),
# so receivers whose clocks disagree share one bucket fairly.  KEYS[1] is the
# bucket (a hash: tokens, stamp in ms), KEYS[2] the requests in flight (a
# sorted set of permit ids scored by the ms their lease ends, so a receiver
# that dies holding permits frees them when the lease runs out).  Both keys
# share a hash tag, so a cluster routes them together, and both expire.
# ARGV: rate per ms (0: none), burst, in-flight limit (0: none), lease ms, permit id.
# Returns {1, 0, 0} when admitted, {0, ms to wait, 1 if in flight else 0} when not.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local limit, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= limit then return {0, 1000, 1} end
end
if rate > 0 then
  local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
  local tokens, stamp = tonumber(state[1]), tonumber(state[2])
  if tokens == nil or stamp == nil then tokens, stamp = burst, now end
  tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
  if tokens < 1 then
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', now)
    redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
    return {0, math.ceil((1 - tokens) / rate), 0}
  end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'stamp', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
end
if limit > 0 then
  redis.call('ZADD', KEYS[2], now + lease, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], lease)
end
return {1, 0, 0}
"""


class RedisRateLimit:
    """
    Requests per second and in flight for one endpoint, shared through Redis.

    ::

        RedisRateLimit("redis://cache:6379/0", name="github", per_second=50, in_flight=20)

    The same token bucket and in-flight count as :class:`RateLimit`, kept in
    Redis and updated by one atomic Lua script per request on the Redis
    server's clock (``TIME``; Redis 5 or newer), so every receiver that
    reaches the same Redis shares them.  Memory is two keys per endpoint,
    both expiring; the in-flight set holds at most *in_flight* permit ids.
    A receiver that dies holding permits frees them when their *lease* ends.

    Args:
        url_or_client: a ``redis://`` or ``rediss://`` URL, or a ``redis.Redis``
            client (which stays yours to close).
        name: this endpoint's name in Redis; receivers sharing limits share it.
        per_second: the sustained rate; ``None`` for none.
        burst: requests that may arrive at once (default: *per_second*, rounded up).
        in_flight: requests handled at once across all receivers; ``None`` for none.
        lease: seconds after which a permit never given back is dropped.
        prefix: prepended to every key.
        timeout: seconds to wait for Redis (URL only).
        fail_open: when Redis cannot be reached, admit the request (and log
            it) instead of raising :class:`~hooksig.StoreUnavailable`.

    Raises:
        ExtraNotInstalled: the ``redis`` package is missing.
        ConfigurationError: an argument is unusable.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        url_or_client: str | Redis,
        *,
        name: str,
        per_second: float | None = None,
        burst: int | None = None,
        in_flight: int | None = None,
        lease: float = 60.0,
        prefix: str = "hooksig:limit:",
        timeout: float = 2.0,
        fail_open: bool = False,
    ) -> None:
        redis = import_redis()
        self._rate, self._burst, self._in_flight = check_limits(per_second, burst, in_flight)
        if not (isinstance(name, str) and name and "}" not in name and "{" not in name):
            raise ConfigurationError("name must be a non-empty str without braces")
        if not isinstance(prefix, str):
            raise ConfigurationError("prefix must be a str")
        self._lease_ms = math.ceil(check_seconds("lease", lease) * 1000)
        self._redis = redis
        self._fail_open = bool(fail_open)
        self._owned = isinstance(url_or_client, str)
        if isinstance(url_or_client, str):
            seconds = check_seconds("timeout", timeout)
            client = redis.Redis.from_url(
                url_or_client, socket_timeout=seconds, socket_connect_timeout=seconds
            )
        elif isinstance(url_or_client, redis.Redis):
            client = url_or_client
        else:
            raise ConfigurationError("RedisRateLimit takes a redis:// URL or a redis.Redis client")
        self._client: Any = client
        self._script = client.register_script(_ACQUIRE)
        tag = f"{prefix}{{{name}}}"
        self._keys = [f"{tag}:tokens", f"{tag}:flight"]
        self.name = name

    def __repr__(self) -> str:
        # The URL may hold a password: never show it.
        return (
            f"RedisRateLimit(name={self.name!r}, per_second={self._rate!r}, "
            f"burst={self._burst!r}, in_flight={self._in_flight!r})"
        )

    def close(self) -> None:
        """
        Close the client, if this limiter made it from a URL.

        .. versionadded:: 0.1
        """
        if self._owned:
            self._client.close()

    def acquire(self) -> Permit:
        """
        Admit one request, or raise :class:`~hooksig.RateLimited`.

        Raises:
            RateLimited: over the rate or in-flight limit.
            StoreUnavailable: Redis cannot be reached and ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        permit_id = secrets.token_hex(8)
        rate_per_ms = 0 if self._rate is None else self._rate / 1000
        args = [repr(rate_per_ms), self._burst, self._in_flight or 0, self._lease_ms, permit_id]
        try:
            admitted, wait_ms, full = self._script(keys=self._keys, args=args)
        except self._redis.RedisError as error:
            if not self._fail_open:
                message = f"Redis could not be reached: {type(error).__name__}"
                raise StoreUnavailable(message) from error
            _log.warning("rate limit store unreachable; request admitted")
            return UNCOUNTED
        if not admitted:
            reason = "in_flight" if full else "rate_limited"
            raise RateLimited(
                "request rate over the limit", retry_after=max(1, math.ceil(int(wait_ms) / 1000)),
                reason=reason,
            )  # fmt: skip
        if self._in_flight is None:
            return UNCOUNTED
        return Permit(lambda: self._release(permit_id))

    async def acquire_async(self) -> Permit:
        """
        Asyncio form of :meth:`acquire`, run in a worker thread.

        .. versionadded:: 0.1
        """
        return await asyncio.to_thread(self.acquire)

    def _release(self, permit_id: str) -> None:
        try:
            self._client.zrem(self._keys[1], permit_id)
        except self._redis.RedisError:
            # Never fail the answer for it: the permit's lease frees it.
            _log.warning("rate limit store unreachable on release", exc_info=True)
