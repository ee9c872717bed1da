"""
`MemoryStore`: claims in a dict, for tests and single-process receivers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency._store import Claim, DirectAsync, new_token

__all__ = ["MemoryStore"]


class _Entry(NamedTuple):
    done: bool
    token: str
    expires_at: float


class MemoryStore(DirectAsync):
    """
    An in-process `Store`: thread-safe, bounded and expiring.

    Claims live in this process only, so use it for tests, or for one
    receiver process whose restarts may repeat a handler.  Each operation
    holds a lock for microseconds and never waits on I/O, so the asyncio
    methods call the blocking ones directly.  For several
    processes, use `SQLiteStore` (one machine) or `RedisStore` /
    `PostgresStore` (many).

    When ``max_keys`` entries are held, a new key first sweeps out expired
    entries, then evicts the completed entry written longest ago (which
    forgets that delivery early).  Live claims are never evicted: if every
    entry is a live claim, `claim` raises `hooksig.StoreUnavailable`.

    Args:
        max_keys: the most entries held at once.
        clock: seconds from any fixed origin; the default is
            `time.monotonic`, which a wall-clock change cannot disturb.

    Raises:
        hooksig.ConfigurationError: ``max_keys`` is not a positive integer.

    .. versionadded:: 0.1
    """

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if isinstance(max_keys, bool) or not isinstance(max_keys, int) or max_keys < 1:
            raise ConfigurationError("max_keys must be a positive integer")
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # Kept in write order, so the front holds the stalest entries.
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        """
        Return the number of entries held, including expired ones not yet swept.

        .. versionadded:: 0.1
        """
        return len(self._entries)

    def __repr__(self) -> str:
        return f"MemoryStore(max_keys={self._max_keys!r})"

    def _live(self, key: str, token: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.token != token or entry.expires_at <= now:
            return None
        return entry

    def _put(self, key: str, entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)

    def _make_room(self, now: float) -> None:
        if len(self._entries) < self._max_keys:
            return
        for key in [k for k, e in self._entries.items() if e.expires_at <= now]:
            del self._entries[key]
        if len(self._entries) < self._max_keys:
            return
        oldest_done = next((k for k, e in self._entries.items() if e.done), None)
        if oldest_done is None:
            raise StoreUnavailable("the memory store is full of live claims")
        del self._entries[oldest_done]

    def claim(self, key: str, lease: float) -> Claim:
        with self._lock:
            now = self._clock()
            entry = self._entries.get(key)
            if entry is not None and entry.expires_at > now:
                return Claim("done" if entry.done else "in_progress")
            if entry is None:
                self._make_room(now)
            token = new_token()
            self._put(key, _Entry(False, token, now + lease))
            return Claim("acquired", token)

    def complete(self, key: str, token: str, retention: float) -> bool:
        with self._lock:
            now = self._clock()
            entry = self._live(key, token, now)
            if entry is None:
                return False
            if not entry.done:
                self._put(key, _Entry(True, token, now + retention))
            return True

    def release(self, key: str, token: str) -> bool:
        with self._lock:
            entry = self._live(key, token, self._clock())
            if entry is None or entry.done:
                return False
            del self._entries[key]
            return True

    def renew(self, key: str, token: str, lease: float) -> bool:
        with self._lock:
            now = self._clock()
            entry = self._live(key, token, now)
            if entry is None or entry.done:
                return False
            self._put(key, _Entry(False, token, now + lease))
            return True
