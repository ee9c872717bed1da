"""
The `Idempotency` guard and its leases: handle each delivery once, as far as a store can tell.

The guard turns the store's lease protocol into a context manager.  Entering
claims the key; leaving normally completes it; leaving with an exception
releases it, so the provider's next redelivery runs the handler again.  When
the store cannot be reached, the guard's ``fail_open`` decides between
raising and running unguarded.
"""

from __future__ import annotations

import logging
from types import TracebackType

from hooksig.errors import ConfigurationError, DuplicateDelivery, StoreUnavailable
from hooksig.idempotency._keys import DeliveryLike, storage_key
from hooksig.idempotency._store import Claim, Store, check_seconds

__all__ = ["AsyncLease", "Idempotency", "Lease"]

_WEEK = 7 * 24 * 3600.0
_log = logging.getLogger("hooksig.idempotency")


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
                cannot be reached and ``fail_open`` is false.

        .. versionadded:: 0.1
        """
        return Lease(self, storage_key(key))

    def claim_async(self, key: str | DeliveryLike) -> AsyncLease:
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


class _State:
    """
    What one claim knows, and the decisions shared by the blocking and asyncio forms.
    """

    __slots__ = ("entered", "guard", "key", "live", "token")

    def __init__(self, guard: Idempotency, key: str) -> None:
        self.guard = guard
        self.key = key
        self.token: str | None = None
        self.entered = False
        self.live = False

    def begin(self) -> None:
        if self.entered:
            raise RuntimeError("a claim can be entered only once")
        self.entered = True

    def claimed(self, result: Claim) -> None:
        if result.token is None:
            raise DuplicateDelivery(result.state, self.key)
        self.token = result.token
        self.live = True

    def unreachable(self, error: StoreUnavailable, action: str) -> None:
        if not self.guard.fail_open:
            raise error
        _log.warning("idempotency store unreachable on %s; running unguarded", action)

    def leaving(self) -> str | None:
        # The token to complete or release with; None when running unguarded.
        self.live = False
        return self.token

    def renewal(self, lease: float | None) -> tuple[str, float] | None:
        if not self.live:
            raise RuntimeError("renew() works only inside the claim's with block")
        seconds = self.guard.lease if lease is None else check_seconds("lease", lease)
        return None if self.token is None else (self.token, seconds)

    def lost(self, action: str) -> DuplicateDelivery:
        # The lease ran out and another worker may now hold the key: its
        # handler, not ours, owns the outcome, so answer "in progress".
        _log.warning("idempotency lease on %s ran out before %s", self.key, action)
        return DuplicateDelivery("in_progress", self.key)


def _release_failed() -> None:
    # Never hide the handler's exception; the lease runs out on its own.
    _log.warning("idempotency store unreachable on release", exc_info=True)


class Lease:
    """
    A claim on one key, held for the duration of a ``with`` block.

    Leaving the block normally completes the key; leaving it with any
    exception releases the key and lets the exception through.  If the lease
    ran out before the block ended, completing is refused (another worker may
    hold the key) and `hooksig.DuplicateDelivery` with state ``"in_progress"``
    is raised.  A `Lease` can be entered once.

    .. versionadded:: 0.1
    """

    __slots__ = ("_state",)

    def __init__(self, guard: Idempotency, key: str) -> None:
        self._state = _State(guard, key)

    @property
    def key(self) -> str:
        """
        The storage key that was claimed.

        .. versionadded:: 0.1
        """
        return self._state.key

    @property
    def token(self) -> str | None:
        """
        This claim's fencing token; ``None`` when ``fail_open`` let the handler
        run without the store.

        .. versionadded:: 0.1
        """
        return self._state.token

    def __enter__(self) -> Lease:
        state = self._state
        state.begin()
        try:
            result = state.guard.store.claim(state.key, state.guard.lease)
        except StoreUnavailable as error:
            state.unreachable(error, "claim")
            state.live = True
            return self
        state.claimed(result)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        state = self._state
        token = state.leaving()
        if token is None:
            return
        store = state.guard.store
        if exc_type is not None:
            try:
                store.release(state.key, token)
            except StoreUnavailable:
                _release_failed()
            return
        try:
            completed = store.complete(state.key, token, state.guard.retention)
        except StoreUnavailable as error:
            state.unreachable(error, "complete")
            return
        if not completed:
            raise state.lost("completing")

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
        state = self._state
        target = state.renewal(lease)
        if target is None:
            return
        try:
            renewed = state.guard.store.renew(state.key, *target)
        except StoreUnavailable as error:
            state.unreachable(error, "renew")
            return
        if not renewed:
            raise state.lost("renewing")


class AsyncLease:
    """
    Asyncio form of `Lease`, for ``async with``.

    Cancelling the task inside the block counts as an exception: the key is
    released.

    .. versionadded:: 0.1
    """

    __slots__ = ("_state",)

    def __init__(self, guard: Idempotency, key: str) -> None:
        self._state = _State(guard, key)

    @property
    def key(self) -> str:
        """
        The storage key that was claimed.

        .. versionadded:: 0.1
        """
        return self._state.key

    @property
    def token(self) -> str | None:
        """
        This claim's fencing token; ``None`` when ``fail_open`` let the handler
        run without the store.

        .. versionadded:: 0.1
        """
        return self._state.token

    async def __aenter__(self) -> AsyncLease:
        state = self._state
        state.begin()
        try:
            result = await state.guard.store.claim_async(state.key, state.guard.lease)
        except StoreUnavailable as error:
            state.unreachable(error, "claim")
            state.live = True
            return self
        state.claimed(result)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        state = self._state
        token = state.leaving()
        if token is None:
            return
        store = state.guard.store
        if exc_type is not None:
            try:
                await store.release_async(state.key, token)
            except StoreUnavailable:
                _release_failed()
            return
        try:
            completed = await store.complete_async(state.key, token, state.guard.retention)
        except StoreUnavailable as error:
            state.unreachable(error, "complete")
            return
        if not completed:
            raise state.lost("completing")

    async def renew(self, lease: float | None = None) -> None:
        """
        Asyncio form of `Lease.renew`.

        .. versionadded:: 0.1
        """
        state = self._state
        target = state.renewal(lease)
        if target is None:
            return
        try:
            renewed = await state.guard.store.renew_async(state.key, *target)
        except StoreUnavailable as error:
            state.unreachable(error, "renew")
            return
        if not renewed:
            raise state.lost("renewing")
