"""
The `Idempotency` guard and its leases: handle each delivery once, as far as a store can tell.

The guard turns the store's lease protocol into a context manager.  Entering
claims the key; leaving normally completes it; leaving with an exception
releases it, so the provider's next redelivery runs the handler again.  When
the store cannot be reached, the guard's ``fail_open`` decides between
raising and running unguarded.

One state machine decides every step: `_Flow` yields the store calls to make
and reacts to their answers.  `Lease` runs those calls on the blocking store
methods and `AsyncLease` awaits the ``*_async`` ones; neither decides anything.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from types import TracebackType
from typing import Any

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

    Every store call the guard makes answers within the store's own timeout,
    so entering a claim and leaving it each take at most that long before
    `hooksig.StoreUnavailable` (see :doc:`/idempotency`).

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


# A step of the flow: the store operation to call (blocking name, asyncio
# name) and its arguments.  The shell sends back the answer, or throws the
# operation's StoreUnavailable into the flow.
_Op = tuple[str, str]
_Steps = Generator[tuple[_Op, tuple[Any, ...]], Any, None]
_CLAIM: _Op = ("claim", "claim_async")
_COMPLETE: _Op = ("complete", "complete_async")
_RELEASE: _Op = ("release", "release_async")
_RENEW: _Op = ("renew", "renew_async")

# Where a lease is in its life: built, entered (claiming), held, left.
_NEW, _ENTERED, _HELD, _LEFT = range(4)


class _Flow:
    """
    One claim's state machine, shared by `Lease` and `AsyncLease`.
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

    def _entering(self) -> _Steps:
        if self._phase != _NEW:
            raise RuntimeError("a claim can be entered only once")
        self._phase = _ENTERED
        try:
            claim: Claim = yield _CLAIM, (self._key, self._guard.lease)
        except StoreUnavailable as error:
            self._unreachable(error, "claim")
        else:
            if claim.state != "acquired":
                raise DuplicateDelivery(claim.state, self._key)
            self._token = claim.token
        self._phase = _HELD

    def _leaving(self, failed: bool) -> _Steps:
        self._phase = _LEFT
        token = self._token
        if token is None:  # running unguarded
            return
        if failed:
            try:
                yield _RELEASE, (self._key, token)
            except StoreUnavailable:
                # Never hide the handler's exception; the lease runs out on its own.
                _log.warning("idempotency store unreachable on release", exc_info=True)
            return
        try:
            completed = yield _COMPLETE, (self._key, token, self._guard.retention)
        except StoreUnavailable as error:
            self._unreachable(error, "complete")
            return
        if not completed:
            raise self._lost("completing")

    def _renewing(self, lease: float | None) -> _Steps:
        if self._phase != _HELD:
            raise RuntimeError("renew() works only inside the claim's with block")
        seconds = self._guard.lease if lease is None else check_seconds("lease", lease)
        if self._token is None:
            return
        try:
            renewed = yield _RENEW, (self._key, self._token, seconds)
        except StoreUnavailable as error:
            self._unreachable(error, "renew")
            return
        if not renewed:
            raise self._lost("renewing")

    def _unreachable(self, error: StoreUnavailable, action: str) -> None:
        if not self._guard.fail_open:
            raise error
        _log.warning("idempotency store unreachable on %s; running unguarded", action)

    def _lost(self, action: str) -> DuplicateDelivery:
        # The lease ran out and another worker may now hold the key: its
        # handler, not ours, owns the outcome, so answer "in progress".
        _log.warning("idempotency lease on %s ran out before %s", self._key, action)
        return DuplicateDelivery("in_progress", self._key)


def _run(steps: _Steps, store: Store) -> None:
    # Drive the flow with the blocking store methods.
    answer: Any = None
    error: StoreUnavailable | None = None
    while True:
        try:
            (name, _), args = steps.send(answer) if error is None else steps.throw(error)
        except StopIteration:
            return
        try:
            answer, error = getattr(store, name)(*args), None
        except StoreUnavailable as caught:
            answer, error = None, caught


async def _run_async(steps: _Steps, store: Store) -> None:
    # Drive the flow with the asyncio store methods.
    answer: Any = None
    error: StoreUnavailable | None = None
    while True:
        try:
            (_, name), args = steps.send(answer) if error is None else steps.throw(error)
        except StopIteration:
            return
        try:
            answer, error = await getattr(store, name)(*args), None
        except StoreUnavailable as caught:
            answer, error = None, caught


class Lease(_Flow):
    """
    A claim on one key, held for the duration of a ``with`` block.

    Leaving the block normally completes the key; leaving it with any
    exception releases the key and lets the exception through.  If the lease
    ran out before the block ended, completing is refused (another worker may
    hold the key) and `hooksig.DuplicateDelivery` with state ``"in_progress"``
    is raised.  A `Lease` can be entered once.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    def __enter__(self) -> Lease:
        _run(self._entering(), self._guard.store)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _run(self._leaving(exc_type is not None), self._guard.store)

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
        _run(self._renewing(lease), self._guard.store)


class AsyncLease(_Flow):
    """
    Asyncio form of `Lease`, for ``async with``.

    Cancelling the task inside the block counts as an exception: the key is
    released.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    async def __aenter__(self) -> AsyncLease:
        await _run_async(self._entering(), self._guard.store)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await _run_async(self._leaving(exc_type is not None), self._guard.store)

    async def renew(self, lease: float | None = None) -> None:
        """
        Asyncio form of `Lease.renew`.

        .. versionadded:: 0.1
        """
        await _run_async(self._renewing(lease), self._guard.store)
