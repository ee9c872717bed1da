"""
`FrozenClock`: a clock that stands still until the test moves it.
"""

from __future__ import annotations

import time

__all__ = ["FrozenClock"]


class FrozenClock:
    """
    A clock that returns the same time until you move it.

    Pass it wherever hooksig takes a clock: ``Verifier(clock=...)``,
    ``MemoryStore(clock=...)`` or :class:`~hooksig.testing.Signer`.  It is a
    plain callable returning Unix seconds, so it needs no patching of
    ``time.time()`` and no ``freezegun``::

        >>> from hooksig.testing import FrozenClock
        >>> clock = FrozenClock(1_700_000_000)
        >>> clock()
        1700000000.0
        >>> clock.advance(301)
        1700000301.0
        >>> clock.now
        1700000301.0

    Args:
        now: the starting time in Unix seconds; defaults to the current time
            (rounded down to a whole second), so that deliveries it stamps are
            fresh for a receiver on the real clock too.

    Attributes:
        now: the current time; assign to it to jump anywhere.

    .. versionadded:: 0.1
    """

    __slots__ = ("now",)

    def __init__(self, now: float | None = None) -> None:
        """Start the clock at *now* (default: the current whole second)."""
        self.now = float(int(time.time()) if now is None else now)

    def __call__(self) -> float:
        """
        Return ``now``.

        .. versionadded:: 0.1
        """
        return self.now

    def advance(self, seconds: float) -> float:
        """
        Move the clock by *seconds* (backwards when negative) and return the new time.

        Args:
            seconds: how far to move.

        Returns:
            The new ``now``.

        .. versionadded:: 0.1
        """
        self.now += seconds
        return self.now

    def __repr__(self) -> str:
        """Show the time, as ``FrozenClock(1700000000.0)``."""
        return f"FrozenClock({self.now!r})"
