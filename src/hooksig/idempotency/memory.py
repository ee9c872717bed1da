"""
`MemoryStore`: claims in two ordered dicts, for tests and single-process receivers.
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

#: An entry: (token, expires_at), a plain tuple (a NamedTuple costs as much
#: again to build, twice a delivery).
_Entry = tuple[str, float]
_TOKEN: Final = 0
_EXPIRES: Final = 1


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
    Both take amortised constant time, and stay exact whatever the leases,
    retentions and clock: entries are kept in the order written, which for
    one guard is the order they expire in, and a write out of that order
    also goes to a heap.

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
        # Claims and completed keys, each in the order written.  One guard writes
        # each with one duration, so that is also the order they expire in, and
        # the completed entry written longest ago is the first: a sweep and an
        # eviction take the front.  A write that expires before one written
        # earlier (another lease, a renewal, a clock that moved back) is also
        # kept in _strays, a heap, so that its expiry is not missed.
        self._claims: OrderedDict[str, _Entry] = OrderedDict()
        self._done: OrderedDict[str, _Entry] = OrderedDict()
        self._strays: list[tuple[float, str]] = []
        # The latest expiry written to each dict: a write before it is a stray.
        self._claims_until = self._done_until = float("-inf")
        # Fencing tokens of 32 characters: 64 random bits for this store in hex, then a
        # 16-digit counter, made in C.  A token never leaves the process, so unique is
        # enough: a system call per claim for random bits (other stores' new_token())
        # cost more than the claim, and a printf-style format more than str() in a running app.
        self._tokens = map(os.urandom(8).hex().__add__, map(str, itertools.count(10**15)))

    def __len__(self) -> int:
        """
        Return the number of entries held, including expired ones not yet swept.

        .. versionadded:: 0.1
        """
        return len(self._claims) + len(self._done)

    def __repr__(self) -> str:
        return f"MemoryStore(max_keys={self._max_keys!r})"

    def claim(self, key: str, lease: float) -> Claim:
        with self._lock:
            now = self._clock()
            claims, done = self._claims, self._done
            entry = done.get(key)
            if entry is not None:
                if entry[_EXPIRES] > now:
                    return _DONE
                del done[key]  # expired: claimed again below
            else:
                entry = claims.get(key)
                if entry is not None:
                    if entry[_EXPIRES] > now:
                        return _IN_PROGRESS
                    del claims[key]  # expired: claimed again below, at the back
                elif len(claims) + len(done) >= self._max_keys:
                    self._make_room(now)
            token = next(self._tokens)
            expires = now + lease
            if expires >= self._claims_until:
                self._claims_until = expires
            else:
                self._stray(expires, key)
            claims[key] = (token, expires)
            return acquired(token)

    def complete(self, key: str, token: str, retention: float) -> bool:
        with self._lock:
            now = self._clock()
            entry = self._claims.get(key)
            if entry is None:  # completed already, under this token?
                entry = self._done.get(key)
                return entry is not None and entry[_TOKEN] == token and entry[_EXPIRES] > now
            if entry[_TOKEN] != token or entry[_EXPIRES] <= now:
                return False
            del self._claims[key]
            expires = now + retention
            if expires >= self._done_until:
                self._done_until = expires
            else:
                self._stray(expires, key)
            self._done[key] = (token, expires)
            return True

    def release(self, key: str, token: str) -> bool:
        with self._lock:
            if not self._held(key, token, self._clock()):
                return False
            del self._claims[key]
            return True

    def renew(self, key: str, token: str, lease: float) -> bool:
        with self._lock:
            now = self._clock()
            if not self._held(key, token, now):
                return False
            del self._claims[key]  # written again below, at the back
            expires = now + lease
            if expires >= self._claims_until:
                self._claims_until = expires
            else:
                self._stray(expires, key)
            self._claims[key] = (token, expires)
            return True

    def _held(self, key: str, token: str, now: float) -> bool:
        entry = self._claims.get(key)
        return entry is not None and entry[_TOKEN] == token and entry[_EXPIRES] > now

    def _stray(self, expires: float, key: str) -> None:
        strays = self._strays
        heapq.heappush(strays, (expires, key))
        if len(strays) > 2 * len(self) + 64:
            # Mostly items whose entry was written again or removed: keep the rest.
            strays[:] = [item for item in strays if self._expiry(item[1]) == item[0]]
            heapq.heapify(strays)

    def _expiry(self, key: str) -> float | None:
        entry = self._claims.get(key) or self._done.get(key)
        return None if entry is None else entry[_EXPIRES]

    def _make_room(self, now: float) -> None:
        claims, done = self._claims, self._done
        for entries in (claims, done):
            # Written in expiry order: the front expires first (the strays aside).
            while entries and next(iter(entries.values()))[_EXPIRES] <= now:
                entries.popitem(last=False)
        strays = self._strays
        while strays and strays[0][0] <= now:
            expires, key = heapq.heappop(strays)
            if self._expiry(key) == expires:  # not written again since
                claims.pop(key, None) or done.pop(key)
        if len(claims) + len(done) < self._max_keys:
            return
        if not done:
            raise StoreUnavailable("the memory store is full of live claims")
        done.popitem(last=False)
