"""
The `Idempotency` guard: handle each delivery once, as far as a store can tell.

The guard turns the store's lease protocol into a context manager.  Entering
claims the key; leaving normally completes it; leaving with an exception
releases it, so the provider's next redelivery runs the handler again.
"""

from __future__ import annotations

from hooksig.errors import ConfigurationError
from hooksig.idempotency._keys import Keyed, storage_key
from hooksig.idempotency._lease import AsyncLease, Lease
from hooksig.idempotency._store import Store, check_seconds

__all__ = ["Idempotency"]

_WEEK = 7 * 24 * 3600.0


class Idempotency:
    """
    Guard a webhook handler so that each delivery id is handled once.

    ::

        guard = Idempotency(SQLiteStore("hooksig.db"), lease=60.0, retention=7 * 24 * 3600)
        with guard.claim(delivery):
            handle(delivery)

    Keys: a `hooksig.Delivery` (or anything with ``scheme`` and ``id``) is
    stored as ``"{scheme}:{id}"``, so two providers never share a key; a
    ``str`` is used as you give it.  An id longer than 200 UTF-8 bytes, or
    holding control, surrogate or bidirectional-override characters, or one
    that starts with ``sha256:``, is stored as ``sha256:`` plus its SHA-256
    digest, never raw.

    Args:
        store: where claims live; any `Store`.
        lease: how long a claim protects a running handler, in seconds.  Size
            it above your slowest handler, or call `Lease.renew`.  A worker
            that dies holding a claim blocks redeliveries for at most this long.
        retention: how long a completed delivery is remembered, in seconds.
            Size it above your provider's retry horizon.
        fail_open: when the store cannot be reached, run the handler anyway,
            unguarded, instead of raising `hooksig.StoreUnavailable`.  Only
            choose this when a duplicate is cheaper than a delay.

    Raises:
        hooksig.ConfigurationError: ``store`` is not a `Store`, or ``lease`` or
            ``retention`` is not a positive, finite number of seconds.

    .. versionadded:: 0.1
    """

    __slots__ = ("_fail_open", "_lease", "_retention", "_store")

    def __init__(
        self,
        store: Store,
        *,
        lease: float = 60.0,
        retention: float = _WEEK,
        fail_open: bool = False,
    ) -> None:
        if not isinstance(store, Store):
            raise ConfigurationError("store must implement hooksig.idempotency.Store")
        self._store = store
        self._lease = check_seconds("lease", lease)
        self._retention = check_seconds("retention", retention)
        self._fail_open = bool(fail_open)

    @property
    def store(self) -> Store:
        """
        The store this guard claims in.

        .. versionadded:: 0.1
        """
        return self._store

    @property
    def lease(self) -> float:
        """
        The lease of each claim, in seconds.

        .. versionadded:: 0.1
        """
        return self._lease

    @property
    def retention(self) -> float:
        """
        How long a completed key is remembered, in seconds.

        .. versionadded:: 0.1
        """
        return self._retention

    @property
    def fail_open(self) -> bool:
        """
        Whether an unreachable store lets handlers run unguarded.

        .. versionadded:: 0.1
        """
        return self._fail_open

    def claim(self, key: str | Keyed) -> Lease:
        """
        Return a context manager that holds ``key`` while your handler runs.

        Args:
            key: a delivery, or a ``str`` key of your own.

        Returns:
            A `Lease`; entering it claims the key.

        Raises:
            hooksig.ConfigurationError: the key is empty, or the delivery has
                no id (its scheme sends none; pass a key of your own).
            hooksig.DuplicateDelivery: on entering, when the key is ``"done"``
                or ``"in_progress"`` under another live lease.
            hooksig.StoreUnavailable: on entering or leaving, when the store
                cannot be reached and ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        return Lease(self, storage_key(key))

    def claim_async(self, key: str | Keyed) -> AsyncLease:
        """
        Asyncio form of `claim`: use it with ``async with``.

        .. versionadded:: 0.1
        """
        return AsyncLease(self, storage_key(key))

    def __repr__(self) -> str:
        return (
            f"Idempotency({self._store!r}, lease={self._lease!r}, "
            f"retention={self._retention!r}, fail_open={self._fail_open!r})"
        )
