"""
The delivery journal: each verified delivery kept with its handler's outcome, so a failure
leaves a dead letter to inspect and replay instead of only a log line.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from .. import schemes
from .._primitives.redact import describe
from .._primitives.seconds import check_seconds
from ..delivery import Delivery
from ..errors import ConfigurationError, DuplicateDelivery, WebhookError
from ..fetched import FetchedEvent
from ..idempotency import Idempotency
from ..scheme import Scheme
from ._entry import (
    WEBHOOK,
    JournalEntry,
    JournalStore,
    Outcome,
    ReplayResult,
    entry_key,
    kept_headers,
    pick_headers,
)

__all__ = ["Handler", "Journal"]

_DAY = 24 * 3600.0
#: What a handler is given and may return; a coroutine function is awaited.
Handler = Callable[[Any], Any]


class Journal:
    """
    Keep each verified delivery with its handler's outcome; list, inspect and replay them.

    ::

        journal = Journal(SQLiteJournal("journal.db"), max_age=30 * 24 * 3600)
        journal.record(delivery, outcome="failed", error=exc)     # the adapters do this
        for entry in journal.list(outcome="failed"):              # the dead letters
            journal.replay(entry.key, handle, guard)              # at most once, through the guard

    What is kept: the body as received, the scheme's timestamp and id
    headers (and any you name in *headers*), the outcome, the number of
    handler runs, the last error scrubbed of the texts you pass as
    ``redact``, and the times.  What never is: a signature header, a
    secret, ``Authorization`` or a cookie.  Schemes that carry their
    signature inside the body (Mailgun) keep it there, as received.

    Retention is bounded twice: entries not updated for *max_age* seconds
    go, and beyond *max_entries* the oldest go; :meth:`prune` runs every
    *prune_interval* seconds on write, or when you call it.

    Args:
        store: a ``JournalStore``, or the path of an SQLite file.
        max_age: seconds an entry is kept after its last update.
        max_entries: the most entries kept.
        headers: more header names to keep (``X-GitHub-Event``, for a handler
            that dispatches on it).
        prune_interval: seconds between automatic prunes.
        clock: seconds since the epoch.

    Raises:
        ConfigurationError: an option is unusable, or *headers* names a
            signature or credential header.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        store: JournalStore | str | os.PathLike[str],
        *,
        max_age: float = 30 * _DAY,
        max_entries: int = 100_000,
        headers: Iterable[str] = (),
        prune_interval: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # Every option is checked before a path is opened: a refused journal leaves no file open.
        if not isinstance(store, (str, os.PathLike, JournalStore)):
            raise ConfigurationError("store must be a JournalStore or an SQLite path")
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigurationError("max_entries must be a positive whole number")
        if isinstance(headers, str):
            raise ConfigurationError("headers must be a list of header names, not a str")
        self.max_age = check_seconds("max_age", max_age)
        self.max_entries = max_entries
        self._extra = tuple(headers)
        kept_headers(None, self._extra)  # refuse a signature or credential name now
        self._interval = check_seconds("prune_interval", prune_interval)
        if isinstance(store, str | os.PathLike):
            from .sqlite import SQLiteJournal

            store = SQLiteJournal(store)
        self.store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._next_prune = 0.0
        self._kept: dict[str | int, tuple[object, frozenset[str]]] = {}

    def __repr__(self) -> str:
        return (
            f"Journal({self.store!r}, max_age={self.max_age!r}, max_entries={self.max_entries!r})"
        )

    def close(self) -> None:
        """
        Close the store's connections.

        .. versionadded:: 0.1
        """
        self.store.close()

    def _headers_of(self, scheme_name: str, scheme: Scheme | None) -> frozenset[str]:
        # Cached per scheme object, or per registered name when none is given.
        cache_key = scheme_name if scheme is None else id(scheme)
        cached = self._kept.get(cache_key)
        if cached is not None and cached[0] is scheme:
            return cached[1]
        declaration: Scheme | None = scheme
        if declaration is None:
            try:
                declaration = schemes.get(scheme_name)
            except ConfigurationError:
                declaration = None  # a scheme of your own, unregistered: its names are unknown
        kept = kept_headers(declaration, self._extra)
        self._kept[cache_key] = (scheme, kept)
        return kept

    def entry(
        self,
        delivery: Delivery | FetchedEvent,
        *,
        outcome: Outcome,
        key: str | None = None,
        error: BaseException | None = None,
        scheme: Scheme | None = None,
        redact: Iterable[str] = (),
    ) -> JournalEntry:
        """
        Return the entry :meth:`record` would write, without writing it.

        .. versionadded:: 0.1
        """
        if outcome not in ("handled", "failed"):
            raise ConfigurationError('outcome must be "handled" or "failed"')
        if isinstance(delivery, Delivery):
            source, timestamp, key_id = WEBHOOK, delivery.timestamp, delivery.key_id
        elif isinstance(delivery, FetchedEvent):
            source, timestamp, key_id = delivery.source, delivery.created, None
        else:
            raise ConfigurationError("the journal keeps a hooksig.Delivery or a FetchedEvent")
        now = self._clock()
        names = self._headers_of(delivery.scheme, scheme)
        return JournalEntry(
            key=key or entry_key(delivery),
            scheme=delivery.scheme,
            delivery_id=delivery.id,
            timestamp=timestamp,
            key_id=key_id,
            body=delivery.body,
            headers=pick_headers(delivery.headers, names),
            source=source,
            outcome=outcome,
            attempts=1,
            last_error=None if error is None else describe(error, redact),
            received_at=now,
            updated_at=now,
        )

    def record(
        self,
        delivery: Delivery | FetchedEvent,
        *,
        outcome: Outcome,
        key: str | None = None,
        error: BaseException | None = None,
        scheme: Scheme | None = None,
        redact: Iterable[str] = (),
    ) -> JournalEntry:
        """
        Keep one handler run of *delivery*: ``"handled"``, or ``"failed"`` with its *error*.

        Args:
            delivery: the verified delivery (or fetched event) the handler got.
            outcome: how the handler run ended.
            key: the idempotency key it ran under; by default the guard's
                (``"{scheme}:{id}"``).  Replays claim this key.
            error: what the handler raised, for a failure.
            scheme: the scheme object, for its header names; by default the
                registered scheme of ``delivery.scheme``.
            redact: texts scrubbed from the error message (secrets, signatures).

        Returns:
            The entry as stored, its ``attempts`` counting this run.

        Raises:
            StoreUnavailable: the store cannot be reached.

        .. versionadded:: 0.1
        """
        entry = self.entry(
            delivery, outcome=outcome, key=key, error=error, scheme=scheme, redact=redact
        )
        stored = self.store.write(entry)
        self._maybe_prune(entry.updated_at)
        return stored

    async def record_async(
        self,
        delivery: Delivery | FetchedEvent,
        *,
        outcome: Outcome,
        key: str | None = None,
        error: BaseException | None = None,
        scheme: Scheme | None = None,
        redact: Iterable[str] = (),
    ) -> JournalEntry:
        """
        Asyncio form of :meth:`record`, run in a worker thread.

        .. versionadded:: 0.1
        """
        return await asyncio.to_thread(
            self.record,
            delivery,
            outcome=outcome,
            key=key,
            error=error,
            scheme=scheme,
            redact=redact,
        )

    def _maybe_prune(self, now: float) -> None:
        with self._lock:
            if now < self._next_prune:
                return
            self._next_prune = now + self._interval
        self.prune()

    def prune(self) -> int:
        """
        Delete entries past *max_age*, then the oldest beyond *max_entries*.

        Returns:
            How many entries were deleted.

        .. versionadded:: 0.1
        """
        return self.store.prune(before=self._clock() - self.max_age, keep=self.max_entries)

    def get(self, key: str) -> JournalEntry | None:
        """
        Return the entry of *key*, or ``None``.

        .. versionadded:: 0.1
        """
        return self.store.get(key)

    def list(
        self, *, outcome: Outcome | None = None, since: float | None = None, limit: int = 100
    ) -> list[JournalEntry]:
        """
        Return up to *limit* entries, most recently updated first.

        Args:
            outcome: only ``"failed"`` entries (the dead letters), or only ``"handled"``.
            since: only entries updated at or after this Unix time.
            limit: the most entries returned (1 to 10,000).

        .. versionadded:: 0.1
        """
        if outcome not in (None, "handled", "failed"):
            raise ConfigurationError('outcome must be "handled", "failed" or None')
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10_000:
            raise ConfigurationError("limit must be a whole number from 1 to 10000")
        return self.store.list(outcome=outcome, since=since, limit=limit)

    def replay(
        self, key: str, handler: Handler, idempotency: Idempotency | None = None
    ) -> ReplayResult:
        """
        Run *handler* again on the entry of *key*, under a claim on the same key.

        The guard makes a replay run at most once, like any delivery: if the
        provider's retry (or another replay) handled it meanwhile, the
        handler does not run and the result says ``"duplicate"``.  The run is
        journaled like a receipt: attempts + 1, the new outcome.

        Args:
            key: the entry's key.
            handler: called with the rebuilt :class:`~hooksig.Delivery` (or
                :class:`~hooksig.FetchedEvent`); raising marks it failed again.
            idempotency: the guard the receiver uses; ``None`` runs unguarded.

        Raises:
            StoreUnavailable: the journal's or the guard's store cannot be reached.

        .. versionadded:: 0.1
        """
        entry = self.store.get(key)
        if entry is None:
            return ReplayResult(key, "missing")
        delivery = entry.delivery()
        try:
            if idempotency is None:
                _settled(handler(delivery))
            else:
                with idempotency.claim(entry.key):
                    _settled(handler(delivery))
        except DuplicateDelivery as duplicate:
            return ReplayResult(key, "duplicate" if duplicate.state == "done" else "in_progress")
        except WebhookError:
            raise
        except Exception as error:
            self.record(delivery, outcome="failed", key=entry.key, error=error)
            return ReplayResult(key, "failed", describe(error))
        self.record(delivery, outcome="handled", key=entry.key)
        return ReplayResult(key, "handled")

    async def replay_async(
        self, key: str, handler: Handler, idempotency: Idempotency | None = None
    ) -> ReplayResult:
        """
        Asyncio form of :meth:`replay`; *handler* may be a coroutine function.

        .. versionadded:: 0.1
        """
        entry = await asyncio.to_thread(self.store.get, key)
        if entry is None:
            return ReplayResult(key, "missing")
        delivery = entry.delivery()
        try:
            if idempotency is None:
                await _awaited(handler(delivery))
            else:
                async with idempotency.claim_async(entry.key):
                    await _awaited(handler(delivery))
        except DuplicateDelivery as duplicate:
            return ReplayResult(key, "duplicate" if duplicate.state == "done" else "in_progress")
        except WebhookError:
            raise
        except Exception as error:
            await self.record_async(delivery, outcome="failed", key=entry.key, error=error)
            return ReplayResult(key, "failed", describe(error))
        await self.record_async(delivery, outcome="handled", key=entry.key)
        return ReplayResult(key, "handled")


def _settled(result: object) -> None:
    if inspect.isawaitable(result):
        close = getattr(result, "close", None)
        if close is not None:
            close()  # never leave a coroutine unawaited
        raise ConfigurationError("an async handler needs replay_async()")


async def _awaited(result: object) -> None:
    if inspect.isawaitable(result):
        await result
