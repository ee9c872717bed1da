"""
The `Idempotency` guard and its leases: handle each delivery once, as far as a store can tell.

`Idempotency.acquire` and `Idempotency.finish` (and their asyncio forms) make
the store's two calls and decide what each answer means; the adapters call
them directly.  `Lease` and `AsyncLease` hold one claim for a ``with`` block,
their phases kept by `_Flow`.
"""

from __future__ import annotations

import logging
from dataclasses import KW_ONLY, dataclass

from hooksig._primitives.seconds import check_seconds
from hooksig.errors import ConfigurationError, DuplicateDelivery, StoreUnavailable
from hooksig.idempotency._keys import DeliveryLike, storage_key
from hooksig.idempotency._store import Claim, Store

__all__ = ["AsyncLease", "Idempotency", "Lease"]

_WEEK = 7 * 24 * 3600.0
_log = logging.getLogger("hooksig.idempotency")


@dataclass(frozen=True, slots=True, eq=False)
class Idempotency:
    """
    Guard a webhook handler so that each delivery id is handled once.

    ::

        guard = Idempotency(SQLiteStore("hooksig.db"), lease=60.0, retention=7 * 24 * 3600)
        with guard.claim(delivery):
            handle(delivery)

    Keys: a `hooksig.Delivery` (anything with ``scheme`` and ``id``) is stored
    as ``"{scheme}:{id}"``, a ``str`` as you give it; an id that is long or
    unprintable is stored as its SHA-256 digest, never raw (:doc:`/idempotency`).

    Args:
        store: where claims live; any `Store`.
        lease: how long a claim protects a running handler, in seconds.  Size
            it above your slowest handler plus the store's timeout, or call
            `Lease.renew`.  A worker that dies holding a claim blocks
            redeliveries for at most this long.
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

    #: The store this guard claims in.
    store: Store
    _: KW_ONLY
    #: The lease of each claim, in seconds.
    lease: float = 60.0
    #: How long a completed key is remembered, in seconds.
    retention: float = _WEEK
    #: Whether an unreachable store lets handlers run unguarded.
    fail_open: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.store, Store):
            raise ConfigurationError("store must implement hooksig.idempotency.Store")
        object.__setattr__(self, "lease", check_seconds("lease", self.lease))
        object.__setattr__(self, "retention", check_seconds("retention", self.retention))
        object.__setattr__(self, "fail_open", bool(self.fail_open))

    def claim(self, key: str | DeliveryLike) -> Lease:
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
                cannot be reached or gives no answer within its own timeout
                (entering and leaving make one store call each), and
                ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        return Lease(self, storage_key(key))

    def claim_async(self, key: str | DeliveryLike) -> AsyncLease:
        """
        Asyncio form of `claim`: use it with ``async with``.

        .. versionadded:: 0.1
        """
        return AsyncLease(self, storage_key(key))

    def acquire(self, key: str) -> str | None:
        """
        Claim *key* and return the claim's fencing token, for `finish`.

        What entering a `Lease` does, for an adapter that cannot hold a
        ``with`` block open (a claim taken in one callback and settled in
        another).  *key* is a storage key, as `storage_key` returns it: it is
        stored as given.

        Returns:
            The token; ``None`` when ``fail_open`` let an unreachable store be
            skipped (the handler runs unguarded).

        Raises:
            hooksig.DuplicateDelivery: the key is ``"done"``, or
                ``"in_progress"`` under another live lease.
            hooksig.StoreUnavailable: the store cannot be reached and
                ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        try:
            answer: Claim | StoreUnavailable = self.store.claim(key, self.lease)
        except StoreUnavailable as error:
            answer = error
        return self._acquired(key, answer)

    async def acquire_async(self, key: str) -> str | None:
        """
        Asyncio form of `acquire`.

        .. versionadded:: 0.1
        """
        try:
            answer: Claim | StoreUnavailable = await self.store.claim_async(key, self.lease)
        except StoreUnavailable as error:
            answer = error
        return self._acquired(key, answer)

    def finish(self, key: str, token: str | None, *, failed: bool = False) -> None:
        """
        Complete the claim `acquire` took on *key*, or release it if the handler *failed*.

        What leaving a `Lease` does.  A release never raises for the store:
        the handler's own failure is the one to report, and an unreleased
        lease runs out on its own.

        Raises:
            hooksig.DuplicateDelivery: the lease ran out before completing
                (state ``"in_progress"``): another worker may hold the key.
            hooksig.StoreUnavailable: completing could not reach the store
                and ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        if token is None:  # the handler ran unguarded
            return
        try:
            if failed:
                answer: bool | StoreUnavailable = self.store.release(key, token)
            else:
                answer = self.store.complete(key, token, self.retention)
        except StoreUnavailable as error:
            answer = error
        if answer is not True:
            self._finished(key, failed, answer)

    async def finish_async(self, key: str, token: str | None, *, failed: bool = False) -> None:
        """
        Asyncio form of `finish`.

        .. versionadded:: 0.1
        """
        if token is None:
            return
        store = self.store
        try:
            if failed:
                answer: bool | StoreUnavailable = await store.release_async(key, token)
            else:
                answer = await store.complete_async(key, token, self.retention)
        except StoreUnavailable as error:
            answer = error
        if answer is not True:
            self._finished(key, failed, answer)

    # The rules for the store's answers, one place for both forms and the leases.

    def _acquired(self, key: str, answer: Claim | StoreUnavailable) -> str | None:
        if isinstance(answer, StoreUnavailable):
            self._unreachable(answer, "claim")
            return None  # fail_open: the handler runs unguarded
        if answer.state != "acquired":
            raise DuplicateDelivery(answer.state, key)
        return answer.token

    def _finished(self, key: str, failed: bool, answer: bool | StoreUnavailable) -> None:
        # Anything but True: the lease ran out (False) or the store is unreachable.
        if not failed:
            self._confirmed(key, answer, "complete")
        elif isinstance(answer, StoreUnavailable):
            # Never hide the handler's exception; the lease runs out on its own.
            _log.warning("idempotency store unreachable on release", exc_info=answer)

    def _confirmed(self, key: str, answer: bool | StoreUnavailable, action: str) -> None:
        # From complete() or renew(), False means the lease ran out: another
        # worker may hold the key, and its handler owns the outcome.
        if isinstance(answer, StoreUnavailable):
            self._unreachable(answer, action)
        elif not answer:
            _log.warning("idempotency lease on %s ran out before its %s", key, action)
            raise DuplicateDelivery("in_progress", key)

    def _unreachable(self, error: StoreUnavailable, action: str) -> None:
        if not self.fail_open:
            raise error
        _log.warning("idempotency store unreachable on %s; running unguarded", action)


_NEW, _ENTERED, _HELD, _LEFT = range(4)  # a lease's life: built, claiming, held, left


class _Flow:
    """
    One claim's phases (built, entering, held, left): what a ``with`` block may do when.
    """

    __slots__ = ("_guard", "_key", "_phase", "_token")

    def __init__(self, guard: Idempotency, key: str) -> None:
        self._guard = guard
        self._key = key
        self._token: str | None = None
        self._phase = _NEW

    @property
    def key(self) -> str:
        """
        The storage key that was claimed.

        .. versionadded:: 0.1
        """
        return self._key

    @property
    def token(self) -> str | None:
        """
        This claim's fencing token; ``None`` when ``fail_open`` let the handler
        run without the store.

        .. versionadded:: 0.1
        """
        return self._token

    def _entering(self) -> None:
        if self._phase != _NEW:
            raise RuntimeError("a claim can be entered only once")
        self._phase = _ENTERED

    def _leaving(self) -> str | None:
        self._phase = _LEFT
        return self._token  # None when the handler ran unguarded

    def _renewing(self, lease: float | None) -> tuple[str, float] | None:
        if self._phase != _HELD:
            raise RuntimeError("renew() works only inside the claim's with block")
        seconds = self._guard.lease if lease is None else check_seconds("lease", lease)
        return None if self._token is None else (self._token, seconds)


class Lease(_Flow):
    """
    A claim on one key, held for the duration of a ``with`` block.

    Leaving the block normally completes the key; leaving it with any
    exception releases it and lets the exception through.  A lease that ran
    out before the block ended cannot complete (another worker may hold the
    key): `hooksig.DuplicateDelivery` (``"in_progress"``).  Enter it once.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    def __enter__(self) -> Lease:
        self._entering()
        self._token = self._guard.acquire(self._key)
        self._phase = _HELD
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._guard.finish(self._key, self._leaving(), failed=exc_type is not None)

    def renew(self, lease: float | None = None) -> None:
        """
        Extend the lease to ``lease`` seconds from now (default: the guard's lease).

        Call it from a long handler before the lease runs out.  Calling it
        outside the ``with`` block is a ``RuntimeError``.

        Raises:
            hooksig.DuplicateDelivery: the lease already ran out (state
                ``"in_progress"``): stop, another worker may hold the key.
            hooksig.StoreUnavailable: the store cannot be reached.

        .. versionadded:: 0.1
        """
        renewal = self._renewing(lease)
        if renewal is None:
            return
        try:
            answer: bool | StoreUnavailable = self._guard.store.renew(self._key, *renewal)
        except StoreUnavailable as error:
            answer = error
        self._guard._confirmed(self._key, answer, "renew")


class AsyncLease(_Flow):
    """
    Asyncio form of `Lease`, for ``async with``.

    Cancelling the task inside the block counts as an exception: the key is
    released.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    async def __aenter__(self) -> AsyncLease:
        self._entering()
        self._token = await self._guard.acquire_async(self._key)
        self._phase = _HELD
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        await self._guard.finish_async(self._key, self._leaving(), failed=exc_type is not None)

    async def renew(self, lease: float | None = None) -> None:
        """
        Asyncio form of `Lease.renew`.

        .. versionadded:: 0.1
        """
        renewal = self._renewing(lease)
        if renewal is None:
            return
        store = self._guard.store
        try:
            answer: bool | StoreUnavailable = await store.renew_async(self._key, *renewal)
        except StoreUnavailable as error:
            answer = error
        self._guard._confirmed(self._key, answer, "renew")
