"""
`RedisJournal`: the journal in Redis, shared by every receiver that reaches it (extra ``redis``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._backends.redis import import_redis
from .._primitives.seconds import check_seconds
from ..errors import ConfigurationError, StoreUnavailable
from ._entry import JournalEntry, Outcome, dump_headers, load_headers

if TYPE_CHECKING:
    from redis import Redis

__all__ = ["RedisJournal"]

# One hash per entry and one sorted set indexing them by update time (ms),
# all under one hash tag so a cluster keeps them together.  The write is one
# atomic script: the first write sets the fields that never change, every
# write bumps attempts and replaces outcome, error and time; the entry
# expires *ttl* ms after its last write, and the index is trimmed by prune().
# KEYS[1] entry, KEYS[2] index; ARGV: key, scheme, id, timestamp, key_id,
# body, headers, source, outcome, error ('' for none), now (s), ttl ms.
_WRITE = """
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts == 1 then
  redis.call('HSET', KEYS[1], 'key', ARGV[1], 'scheme', ARGV[2], 'delivery_id', ARGV[3],
    'timestamp', ARGV[4], 'key_id', ARGV[5], 'body', ARGV[6], 'headers', ARGV[7],
    'source', ARGV[8], 'received_at', ARGV[11])
end
redis.call('HSET', KEYS[1], 'outcome', ARGV[9], 'last_error', ARGV[10], 'updated_at', ARGV[11])
redis.call('PEXPIRE', KEYS[1], ARGV[12])
redis.call('ZADD', KEYS[2], math.floor(tonumber(ARGV[11]) * 1000), ARGV[1])
return redis.call('HGETALL', KEYS[1])
"""
# How many index entries a listing reads at a time while filtering by outcome.
_PAGE = 200


def _entry(fields: dict[bytes, bytes]) -> JournalEntry:
    def text(name: str) -> str:
        return fields[name.encode()].decode("utf-8")

    def optional(name: str) -> str | None:
        value = fields.get(name.encode(), b"")
        return value.decode("utf-8") if value else None

    stamp = optional("timestamp")
    return JournalEntry(
        key=text("key"),
        scheme=text("scheme"),
        delivery_id=optional("delivery_id"),
        timestamp=None if stamp is None else int(stamp),
        key_id=optional("key_id"),
        body=fields[b"body"],
        headers=load_headers(fields.get(b"headers")),
        source=text("source"),
        outcome=text("outcome"),  # type: ignore[arg-type]  # written by _WRITE only
        attempts=int(text("attempts")),
        last_error=optional("last_error"),
        received_at=float(text("received_at")),
        updated_at=float(text("updated_at")),
    )


class RedisJournal:
    """
    A journal store in Redis: one hash per entry, one sorted set ordering them.

    Entries expire *ttl* seconds after their last write, so memory is
    reclaimed by Redis even if nothing prunes; :meth:`prune` also trims the
    index to the newest entries.  As durable as your Redis: without
    persistence, a restart forgets the journal.

    Args:
        url_or_client: a ``redis://`` or ``rediss://`` URL, or a ``redis.Redis`` client.
        prefix: prepended to every key.
        ttl: seconds an entry lives after its last write (set it to the
            journal's ``max_age``).
        timeout: seconds to wait for Redis (URL only).

    Raises:
        ExtraNotInstalled: the ``redis`` package is missing.
        ConfigurationError: an argument is unusable.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        url_or_client: str | Redis,
        *,
        prefix: str = "hooksig:journal:",
        ttl: float = 30 * 24 * 3600.0,
        timeout: float = 5.0,
    ) -> None:
        redis = import_redis()
        if not isinstance(prefix, str) or "{" in prefix or "}" in prefix:
            raise ConfigurationError("prefix must be a str without braces")
        self._ttl_ms = math.ceil(check_seconds("ttl", ttl) * 1000)
        self._redis = redis
        self._owned = isinstance(url_or_client, str)
        if isinstance(url_or_client, str):
            seconds = check_seconds("timeout", timeout)
            client = redis.Redis.from_url(
                url_or_client, socket_timeout=seconds, socket_connect_timeout=seconds
            )
        elif isinstance(url_or_client, redis.Redis):
            client = url_or_client
        else:
            raise ConfigurationError("RedisJournal takes a redis:// URL or a redis.Redis client")
        if client.connection_pool.connection_kwargs.get("decode_responses"):
            raise ConfigurationError("RedisJournal needs a client that returns bytes (bodies)")
        self._client: Any = client
        self._write = client.register_script(_WRITE)
        self._tag = f"{{{prefix}}}"
        self._index = f"{self._tag}index"

    def __repr__(self) -> str:
        # The URL may hold a password: never show it.
        return f"RedisJournal(prefix={self._tag!r})"

    def _key(self, key: str) -> str:
        return f"{self._tag}entry:{key}"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._redis.RedisError as error:
            raise StoreUnavailable(f"Redis could not be reached: {type(error).__name__}") from error

    def close(self) -> None:
        """
        Close the client, if this journal made it from a URL.

        .. versionadded:: 0.1
        """
        if self._owned:
            self._client.close()

    def write(self, entry: JournalEntry) -> JournalEntry:
        """
        See ``JournalStore.write``.

        .. versionadded:: 0.1
        """
        args = [
            entry.key,
            entry.scheme,
            entry.delivery_id or "",
            "" if entry.timestamp is None else str(entry.timestamp),
            entry.key_id or "",
            entry.body,
            dump_headers(entry.headers),
            entry.source,
            entry.outcome,
            entry.last_error or "",
            repr(entry.updated_at),
            self._ttl_ms,
        ]
        with self._errors():
            flat = self._write(keys=[self._key(entry.key), self._index], args=args)
        return _entry(dict(zip(flat[::2], flat[1::2], strict=True)))

    def get(self, key: str) -> JournalEntry | None:
        """
        See ``JournalStore.get``.

        .. versionadded:: 0.1
        """
        with self._errors():
            fields = self._client.hgetall(self._key(key))
        return _entry(fields) if fields.get(b"outcome") else None

    def list(
        self, *, outcome: Outcome | None = None, since: float | None = None, limit: int = 100
    ) -> list[JournalEntry]:
        """
        See ``JournalStore.list``.

        .. versionadded:: 0.1
        """
        floor = "-inf" if since is None else str(math.floor(since * 1000))
        found: list[JournalEntry] = []
        offset = 0
        with self._errors():
            while len(found) < limit:
                keys = self._client.zrevrangebyscore(
                    self._index, "+inf", floor, start=offset, num=_PAGE
                )
                if not keys:
                    break
                offset += len(keys)
                with self._client.pipeline(transaction=False) as pipe:
                    for key in keys:
                        pipe.hgetall(self._key(key.decode("utf-8")))
                    rows = pipe.execute()
                for fields in rows:
                    # An entry that expired is still indexed until prune(): skip it.
                    state = fields.get(b"outcome", b"").decode()
                    if state and outcome in (None, state):
                        found.append(_entry(fields))
        return found[:limit]

    def prune(self, *, before: float, keep: int) -> int:
        """
        See ``JournalStore.prune``.

        .. versionadded:: 0.1
        """
        deleted = 0
        with self._errors():
            old = self._client.zrangebyscore(self._index, "-inf", f"({math.floor(before * 1000)}")
            excess = self._client.zcard(self._index) - len(old) - keep
            if excess > 0:
                old += self._client.zrange(self._index, len(old), len(old) + excess - 1)
            for start in range(0, len(old), _PAGE):
                batch = [key.decode("utf-8") for key in old[start : start + _PAGE]]
                deleted += int(self._client.delete(*(self._key(key) for key in batch)))
                self._client.zrem(self._index, *batch)
        return deleted
