"""
The `Store` Protocol every idempotency backend implements, and its `Claim` result.

A key moves through ``absent -> in_progress(token, lease) -> done(retention)
-> absent``.  The token is a fencing token: only the holder of the current,
live lease can complete, release or renew it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar, runtime_checkable

from hooksig.errors import StoreUnavailable

__all__ = [
    "Claim",
    "ClaimState",
    "DirectAsync",
    "Store",
    "ThreadedAsync",
    "acquired",
    "in_thread",
    "new_token",
]

_T = TypeVar("_T")

ClaimState = Literal["acquired", "in_progress", "done"]
"""
What `Store.claim` found: ``"acquired"`` (the caller holds a new lease),
``"in_progress"`` (another live lease holds the key) or ``"done"``.

.. versionadded:: 0.1
"""


@dataclass(frozen=True, slots=True)
class Claim:
    """
    The answer of `Store.claim`.

    Attributes:
        state: ``"acquired"``, ``"in_progress"`` or ``"done"``.
        token: the fencing token of the new lease when ``state`` is
            ``"acquired"``; ``None`` otherwise, so a caller can never hold
            another worker's token.

    .. versionadded:: 0.1
    """

    state: ClaimState
    token: str | None = None

    def __post_init__(self) -> None:
        if (self.state == "acquired") != (self.token is not None):
            raise ValueError("a Claim carries a token exactly when it was acquired")

    @property
    def acquired(self) -> bool:
        """
        Whether the caller now holds the lease.

        .. versionadded:: 0.1
        """
        return self.state == "acquired"


_new_claim = object.__new__
_set_state = Claim.__dict__["state"].__set__
_set_token = Claim.__dict__["token"].__set__


def acquired(token: str) -> Claim:
    """
    Return the acquired `Claim` of a new lease with *token*, as ``Claim("acquired", token)``.

    For a store whose claim costs no I/O (`MemoryStore`), where building the
    answer was an eighth of the claim: the slots are set directly, and the
    check that an acquired claim has a token is the caller's ``str``.
    """
    claim = _new_claim(Claim)
    _set_state(claim, "acquired")
    _set_token(claim, token)
    return claim


@runtime_checkable
class Store(Protocol):
    """
    What the `Idempotency` guard needs from a backend.

    Every method is atomic on the backend: many threads, processes and
    machines may call them on the same key at once.  Durations are seconds,
    and are measured on the store's own clock where it has one (Redis,
    PostgreSQL), so that workers whose clocks disagree still agree on leases.

    A lease or a retention period that has run out counts as absent.  Each
    method raises `hooksig.StoreUnavailable` when the backend cannot be
    reached or does not answer within the store's timeout; it never waits
    longer.  An operation that timed out may or may not have taken effect on
    the backend (the request may have reached it); every other answer is
    exact.

    The ``*_async`` methods do the same from a coroutine.  A backend with no
    asyncio driver may run the blocking method in a thread.

    You do not need to inherit from this class: any object with these methods
    is a store.

    .. versionadded:: 0.1
    """

    def claim(self, key: str, lease: float) -> Claim:
        """
        Take the key for ``lease`` seconds if it is absent or its lease ran out.

        Args:
            key: the bounded storage key (see `Idempotency`).
            lease: how long the new lease lasts, in seconds.

        Returns:
            An acquired `Claim` with a fresh token, or the state that stopped it.

        Raises:
            hooksig.StoreUnavailable: the backend could not be reached.

        .. versionadded:: 0.1
        """
        ...

    def complete(self, key: str, token: str, retention: float) -> bool:
        """
        Mark a claim done and keep it for ``retention`` seconds.

        Completing again with the token that completed the key is accepted,
        so a retried call after a lost reply is harmless.

        Returns:
            ``True`` if ``token`` holds the live lease (or already completed
            the key); ``False`` if the token is stale or the lease ran out.

        Raises:
            hooksig.StoreUnavailable: the backend could not be reached.

        .. versionadded:: 0.1
        """
        ...

    def release(self, key: str, token: str) -> bool:
        """
        Give the key back so that the next delivery runs the handler.

        Returns:
            ``True`` if ``token`` held the live lease and the key is now absent.

        Raises:
            hooksig.StoreUnavailable: the backend could not be reached.

        .. versionadded:: 0.1
        """
        ...

    def renew(self, key: str, token: str, lease: float) -> bool:
        """
        Extend a live lease to ``lease`` seconds from now.

        Returns:
            ``True`` if ``token`` held the live lease; a lease that already
            ran out cannot be renewed.

        Raises:
            hooksig.StoreUnavailable: the backend could not be reached.

        .. versionadded:: 0.1
        """
        ...

    async def claim_async(self, key: str, lease: float) -> Claim:
        """
        Asyncio form of `claim`.

        .. versionadded:: 0.1
        """
        ...

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        """
        Asyncio form of `complete`.

        .. versionadded:: 0.1
        """
        ...

    async def release_async(self, key: str, token: str) -> bool:
        """
        Asyncio form of `release`.

        .. versionadded:: 0.1
        """
        ...

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        """
        Asyncio form of `renew`.

        .. versionadded:: 0.1
        """
        ...


def new_token() -> str:
    """
    Return a fresh fencing token: 128 random bits, hex-encoded.
    """
    return os.urandom(16).hex()  # what secrets.token_hex(16) does, two calls less


class DirectAsync(Store):
    """
    Asyncio methods for a store that never waits on I/O: they call the blocking ones.
    """

    async def claim_async(self, key: str, lease: float) -> Claim:
        return self.claim(key, lease)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        return self.complete(key, token, retention)

    async def release_async(self, key: str, token: str) -> bool:
        return self.release(key, token)

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        return self.renew(key, token, lease)


class ThreadedAsync(Store):
    """
    Asyncio methods that run the blocking ones in a worker thread, waiting at most ``_timeout``.
    """

    _timeout: float

    async def claim_async(self, key: str, lease: float) -> Claim:
        return await in_thread(self._timeout, self.claim, key, lease)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        return await in_thread(self._timeout, self.complete, key, token, retention)

    async def release_async(self, key: str, token: str) -> bool:
        return await in_thread(self._timeout, self.release, key, token)

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        return await in_thread(self._timeout, self.renew, key, token, lease)


async def in_thread(timeout: float, call: Callable[..., _T], *args: object) -> _T:
    """
    Run a blocking store call in the default executor, for at most ``timeout`` seconds.

    The blocking call bounds itself; this bounds the wait for a free worker
    thread too.  A call still queued at the deadline never runs.

    Raises:
        hooksig.StoreUnavailable: the call failed, or gave no answer in time.
    """
    future = asyncio.get_running_loop().run_in_executor(None, call, *args)
    try:
        return await asyncio.wait_for(future, timeout)
    except asyncio.TimeoutError:
        raise StoreUnavailable(f"the store gave no answer within {timeout:g} s") from None
