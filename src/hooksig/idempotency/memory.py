"""
`MemoryStore`: claims in a dict, for tests and single-process receivers.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency._store import Claim, DirectAsync, acquired

__all__ = ["MemoryStore"]

# The answers that carry no token are the same every time.
_DONE = Claim("done")
_IN_PROGRESS = Claim("in_progress")


#: An entry: (done, token, expires_at), a plain tuple (a NamedTuple costs
#: as much again to build, twice a delivery).
_Entry = tuple[bool, str, float]
_IS_DONE: Final = 0
_TOKEN: Final = 1
_EXPIRES: Final = 2


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
    Both take amortised constant time: expiries wait in a heap, completed
    keys in the order they were completed.

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
        self._entries: dict[str, _Entry] = {}
        # Completed keys, the one completed longest ago first: the eviction order.
        self._done: OrderedDict[str, None] = OrderedDict()
        # (expires_at, key) of every write; an item whose entry was written
        # again since (or removed) is stale and skipped when it comes up.
        self._expiries: list[tuple[float, str]] = []
        # Fencing tokens of 128 bits: 64 random ones for this store, then a 64-bit counter,
        # all in C.  A token never leaves the process, so unique is enough; a system call
        # per claim for random bits (other stores' new_token()) cost more than the claim.
        self._tokens = map(f"{os.urandom(8).hex()}%016x".__mod__, itertools.count())

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
        if entry is None or entry[_TOKEN] != token or entry[_EXPIRES] <= now:
            return None
        return entry

    def _put(self, key: str, entry: _Entry) -> None:
        self._entries[key] = entry
        expiries = self._expiries
        heapq.heappush(expiries, (entry[_EXPIRES], key))
        if len(expiries) > 2 * len(self._entries) + 64:
            # Mostly stale items: rebuild from the entries (after as many writes).
            expiries[:] = [(held[_EXPIRES], name) for name, held in self._entries.items()]
            heapq.heapify(expiries)

    def _remove(self, key: str) -> None:
        del self._entries[key]
        self._done.pop(key, None)

    def _make_room(self, now: float) -> None:
        entries, expiries = self._entries, self._expiries
        while expiries and expiries[0][0] <= now:
            expires_at, key = heapq.heappop(expiries)
            entry = entries.get(key)
            if entry is not None and entry[_EXPIRES] == expires_at:
                self._remove(key)
        if len(entries) < self._max_keys:
            return
        if not self._done:
            raise StoreUnavailable("the memory store is full of live claims")
        oldest_done, _ = self._done.popitem(last=False)
        del entries[oldest_done]

    def claim(self, key: str, lease: float) -> Claim:
        with self._lock:
            now = self._clock()
            entry = self._entries.get(key)
            if entry is not None:
                if entry[_EXPIRES] > now:
                    return _DONE if entry[_IS_DONE] else _IN_PROGRESS
                self._done.pop(key, None)  # expired: written over below
            elif len(self._entries) >= self._max_keys:
                self._make_room(now)
            token = next(self._tokens)
            self._put(key, (False, token, now + lease))
            return acquired(token)

    def complete(self, key: str, token: str, retention: float) -> bool:
        with self._lock:
            now = self._clock()
            entry = self._live(key, token, now)
            if entry is None:
                return False
            if not entry[_IS_DONE]:
                self._put(key, (True, token, now + retention))
                self._done[key] = None
            return True

    def release(self, key: str, token: str) -> bool:
        with self._lock:
            entry = self._live(key, token, self._clock())
            if entry is None or entry[_IS_DONE]:
                return False
            del self._entries[key]
            return True

    def renew(self, key: str, token: str, lease: float) -> bool:
        with self._lock:
            now = self._clock()
            entry = self._live(key, token, now)
            if entry is None or entry[_IS_DONE]:
                return False
            self._put(key, (False, token, now + lease))
            return True
