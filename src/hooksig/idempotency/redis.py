"""
`RedisStore`: claims shared by every receiver that reaches one Redis server (extra ``redis``).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from hooksig._backends.redis import import_redis
from hooksig._primitives.seconds import check_seconds
from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency._store import Claim, Store, in_thread, new_token

if TYPE_CHECKING:
    from redis import Redis as SyncRedis
    from redis.asyncio import Redis as AsyncRedis

__all__ = ["RedisStore"]

# A key holds "p:<token>" while claimed and "d:<token>" once done; Redis
# expires it (PX, on the server's clock) when the lease or retention ends.
# Each script touches only the key it is given, so a cluster can route it.
# A claim that finds its own token is a retry after a lost reply: acquired.
_CLAIM = """
if redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
local v = redis.call('GET', KEYS[1])
if v == 'p:' .. ARGV[1] then return 1 end
if v and string.sub(v, 1, 2) == 'd:' then return 3 end
return 2
"""
_COMPLETE = """
local v = redis.call('GET', KEYS[1])
if v == 'p:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == 'd:' .. ARGV[1] then return 1 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == 'p:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == 'p:' .. ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
_STATES: dict[int, Claim] = {2: Claim("in_progress"), 3: Claim("done")}


def _ms(seconds: float) -> int:
    # PX takes whole milliseconds; round up so a lease is never shorter than asked.
    return max(1, math.ceil(seconds * 1000))


class _Scripts:
    """
    The four scripts registered on one client (sync or asyncio).
    """

    __slots__ = ("claim", "client", "complete", "release", "renew")

    def __init__(self, client: Any) -> None:
        self.client = client
        self.claim = client.register_script(_CLAIM)
        self.complete = client.register_script(_COMPLETE)
        self.release = client.register_script(_RELEASE)
        self.renew = client.register_script(_RENEW)


class RedisStore(Store):
    """
    A `Store` in Redis: one atomic Lua script per operation, on the server's clock.

    Pass a URL, and the store makes its own clients (a blocking one, and an
    asyncio one per event loop) with ``timeout`` on connecting and on every
    reply, so that each operation raises `hooksig.StoreUnavailable` within
    ``timeout`` when the server stalls; a connection that timed out is
    closed, never read again.  A connection found broken (the server
    restarted) is replaced and the operation tried once more, at once; a
    timeout is never retried.  `close` and, before each event loop ends,
    `aclose` close the clients.

    Or pass a client you built, which stays yours to close: a
    ``redis.Redis`` serves both the blocking and the async methods (the
    latter in a worker thread, waited for at most ``timeout``), while a
    ``redis.asyncio.Redis`` serves only the async ones.  The store uses such
    a client as you built it, so give it ``socket_timeout`` and
    ``socket_connect_timeout``: without them an operation on a stalled
    server waits forever.  Its retry policy multiplies the wait (redis-py
    retries three times by default, with a backoff); pass
    ``retry=Retry(NoBackoff(), 1, supported_errors=(ConnectionError,))`` to
    bound each operation as the store's own clients are.

    Leases and retention are Redis expiries: memory is reclaimed by Redis
    itself.  A claim is as durable as your Redis: without persistence, a
    restart forgets every completed delivery, and a failover to a replica
    that had not yet received a claim can let a second worker in.

    Args:
        url_or_client: ``redis://`` or ``rediss://`` URL, or a client.
        prefix: prepended to every key, to share a database with other data.
        timeout: seconds to wait for a connection or a reply (a client you
            pass keeps its own settings).

    Raises:
        hooksig.ExtraNotInstalled: the ``redis`` package is missing.
        hooksig.ConfigurationError: ``url_or_client`` is neither a URL nor a
            client, or an option is unusable.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        url_or_client: str | SyncRedis | AsyncRedis,
        *,
        prefix: str = "hooksig:",
        timeout: float = 5.0,
    ) -> None:
        redis = import_redis()
        if not isinstance(prefix, str):
            raise ConfigurationError("prefix must be a str")
        self._redis = redis
        self._prefix = prefix
        self._timeout = check_seconds("timeout", timeout)
        self._url: str | None = None
        self._sync: _Scripts | None = None
        self._async: _Scripts | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        if isinstance(url_or_client, str):
            self._url = url_or_client
            self._sync = _Scripts(redis.Redis.from_url(self._url, **self._options(redis)))
        elif isinstance(url_or_client, redis.asyncio.Redis | redis.asyncio.RedisCluster):
            self._async = _Scripts(url_or_client)
        elif isinstance(url_or_client, redis.Redis | redis.RedisCluster):
            self._sync = _Scripts(url_or_client)
        else:
            raise ConfigurationError("RedisStore takes a redis:// URL or a redis client")

    def __repr__(self) -> str:
        # The URL may hold a password: never show it.
        return f"RedisStore(prefix={self._prefix!r})"

    def _options(self, redis: Any, *, asyncio_client: bool = False) -> dict[str, Any]:
        package = redis.asyncio if asyncio_client else redis
        # Retry a broken connection once, at once; never a timeout, which
        # would double the wait on a stalled server.
        retry = package.retry.Retry(
            redis.backoff.NoBackoff(), 1, supported_errors=(redis.ConnectionError,)
        )
        return {
            "socket_timeout": self._timeout,
            "socket_connect_timeout": self._timeout,
            "retry": retry,
        }

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._redis.RedisError as error:
            raise StoreUnavailable(f"Redis could not be reached: {type(error).__name__}") from error

    def _scripts(self) -> _Scripts:
        if self._sync is None:
            raise ConfigurationError(
                "this RedisStore was given an asyncio client: use the async methods"
            )
        return self._sync

    def _async_scripts(self) -> _Scripts | None:
        # An asyncio client belongs to the loop it first ran on; a store built
        # from a URL makes one per loop so that asyncio.run() twice still works.
        if self._url is not None:
            loop = asyncio.get_running_loop()
            if self._async is None or self._async_loop is not loop:
                options = self._options(self._redis, asyncio_client=True)
                client = self._redis.asyncio.Redis.from_url(self._url, **options)
                self._async, self._async_loop = _Scripts(client), loop
        return self._async

    def _key(self, key: str) -> str:
        return self._prefix + key

    def close(self) -> None:
        """
        Close the blocking client, if this store made it from a URL.

        .. versionadded:: 0.1
        """
        if self._url is not None and self._sync is not None:
            self._sync.client.close()

    async def aclose(self) -> None:
        """
        Close this event loop's asyncio client, if this store made it from a URL.

        .. versionadded:: 0.1
        """
        if self._url is not None and self._async is not None:
            client, self._async, self._async_loop = self._async.client, None, None
            await client.aclose()

    def claim(self, key: str, lease: float) -> Claim:
        token = new_token()
        with self._errors():
            answer = self._scripts().claim(keys=[self._key(key)], args=[token, _ms(lease)])
        return Claim("acquired", token) if answer == 1 else _STATES[int(answer)]

    def complete(self, key: str, token: str, retention: float) -> bool:
        with self._errors():
            return bool(
                self._scripts().complete(keys=[self._key(key)], args=[token, _ms(retention)])
            )

    def release(self, key: str, token: str) -> bool:
        with self._errors():
            return bool(self._scripts().release(keys=[self._key(key)], args=[token]))

    def renew(self, key: str, token: str, lease: float) -> bool:
        with self._errors():
            return bool(self._scripts().renew(keys=[self._key(key)], args=[token, _ms(lease)]))

    async def claim_async(self, key: str, lease: float) -> Claim:
        scripts = self._async_scripts()
        if scripts is None:
            return await in_thread(self._timeout, self.claim, key, lease)
        token = new_token()
        with self._errors():
            answer = await scripts.claim(keys=[self._key(key)], args=[token, _ms(lease)])
        return Claim("acquired", token) if answer == 1 else _STATES[int(answer)]

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        scripts = self._async_scripts()
        if scripts is None:
            return await in_thread(self._timeout, self.complete, key, token, retention)
        with self._errors():
            return bool(await scripts.complete(keys=[self._key(key)], args=[token, _ms(retention)]))

    async def release_async(self, key: str, token: str) -> bool:
        scripts = self._async_scripts()
        if scripts is None:
            return await in_thread(self._timeout, self.release, key, token)
        with self._errors():
            return bool(await scripts.release(keys=[self._key(key)], args=[token]))

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        scripts = self._async_scripts()
        if scripts is None:
            return await in_thread(self._timeout, self.renew, key, token, lease)
        with self._errors():
            return bool(await scripts.renew(keys=[self._key(key)], args=[token, _ms(lease)]))
