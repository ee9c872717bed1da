"""
The `Idempotency` guard and its leases: handle each delivery once, as far as a store can tell.

One state machine, `_Flow`, decides what each store answer means; `Lease`
makes the store calls blocking and `AsyncLease` awaits them.
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


_NEW, _ENTERED, _HELD, _LEFT = range(4)  # a lease's life: built, claiming, held, left


class _Flow:
    """
    One claim's state machine: the shells call the store between its steps.
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

    def _entered(self, answer: Claim | StoreUnavailable) -> None:
        if isinstance(answer, StoreUnavailable):
            self._unreachable(answer, "claim")
        elif answer.state != "acquired":
            raise DuplicateDelivery(answer.state, self._key)
        else:
            self._token = answer.token
        self._phase = _HELD

    def _leaving(self) -> str | None:
        self._phase = _LEFT
        return self._token  # None when the handler ran unguarded

    def _left(self, failed: bool, answer: bool | StoreUnavailable) -> None:
        if answer is True:
            return  # completed, or released: the usual end
        if not failed:
            self._confirmed(answer, "complete")
        elif isinstance(answer, StoreUnavailable):
            # Never hide the handler's exception; the lease runs out on its own.
            _log.warning("idempotency store unreachable on release", exc_info=answer)

    def _renewing(self, lease: float | None) -> tuple[str, float] | None:
        if self._phase != _HELD:
            raise RuntimeError("renew() works only inside the claim's with block")
        seconds = self._guard.lease if lease is None else check_seconds("lease", lease)
        return None if self._token is None else (self._token, seconds)

    def _confirmed(self, answer: bool | StoreUnavailable, action: str) -> None:
        # From complete() or renew(), False means the lease ran out: another
        # worker may hold the key, and its handler owns the outcome.
        if isinstance(answer, StoreUnavailable):
            self._unreachable(answer, action)
        elif not answer:
            _log.warning("idempotency lease on %s ran out before its %s", self._key, action)
            raise DuplicateDelivery("in_progress", self._key)

    def _unreachable(self, error: StoreUnavailable, action: str) -> None:
        if not self._guard.fail_open:
            raise error
        _log.warning("idempotency store unreachable on %s; running unguarded", action)


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
        guard = self._guard
        try:
            answer: Claim | StoreUnavailable = guard.store.claim(self._key, guard.lease)
        except StoreUnavailable as error:
            answer = error
        self._entered(answer)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        token = self._leaving()
        if token is None:
            return
        guard, failed = self._guard, exc_type is not None
        try:
            if failed:
                answer: bool | StoreUnavailable = guard.store.release(self._key, token)
            else:
                answer = guard.store.complete(self._key, token, guard.retention)
        except StoreUnavailable as error:
            answer = error
        self._left(failed, answer)

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
        self._confirmed(answer, "renew")


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
        guard = self._guard
        try:
            answer: Claim | StoreUnavailable = await guard.store.claim_async(self._key, guard.lease)
        except StoreUnavailable as error:
            answer = error
        self._entered(answer)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        token = self._leaving()
        if token is None:
            return
        guard, failed = self._guard, exc_type is not None
        try:
            if failed:
                answer: bool | StoreUnavailable = await guard.store.release_async(self._key, token)
            else:
                answer = await guard.store.complete_async(self._key, token, guard.retention)
        except StoreUnavailable as error:
            answer = error
        self._left(failed, answer)

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
        self._confirmed(answer, "renew")
