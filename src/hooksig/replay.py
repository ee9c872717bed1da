"""
The replay window, bounding a signed timestamp in the past and the future.

A captured delivery stays authentic forever; only its timestamp makes it
stale.  The window refuses one signed too long ago (a replay) and one
signed too far ahead (a clock that is wrong, or a timestamp chosen to stay
fresh), each with its own bound.  Schemes without a signed timestamp
cannot be protected here: they rely on the idempotency guard.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ._primitives.seconds import check_seconds
from .errors import TimestampOutOfTolerance

#: The default bound, in seconds, on both sides: the common provider default.
DEFAULT_TOLERANCE = 300.0

Clock = Callable[[], float]


@dataclass(frozen=True)
class ReplayWindow:
    """
    Accept timestamps in ``[now - tolerance, now + future]``.

    Args:
        tolerance: seconds into the past; ``math.inf`` disables the past bound.
        future: seconds into the future; defaults to *tolerance*.
        clock: returns the current Unix time; injected for tests.

    .. versionadded:: 0.1
    """

    tolerance: float = DEFAULT_TOLERANCE
    future: float | None = None
    clock: Clock = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "tolerance", check_seconds("tolerance", self.tolerance, infinite=True)
        )
        future = self.tolerance if self.future is None else self.future
        object.__setattr__(self, "future", check_seconds("future tolerance", future, infinite=True))

    def check(
        self, timestamp: float, *, now: float | None = None, header: str | None = None
    ) -> None:
        """
        Raise unless *timestamp* is inside the window around *now* (default: the clock).

        Raises:
            TimestampOutOfTolerance: ``reason`` is ``"too_old"`` or ``"too_new"``.
        """
        current = self.clock() if now is None else now
        age = current - timestamp
        # Written as "not inside" so that a NaN clock or timestamp fails closed.
        if not age <= self.tolerance:
            raise TimestampOutOfTolerance(
                f"timestamp is {age:.0f}s old; the window is {self.tolerance:g}s",
                timestamp=timestamp,
                now=current,
                reason="too_old",
                header=header,
            )
        assert self.future is not None  # noqa: S101 - set in __post_init__
        if not -age <= self.future:
            raise TimestampOutOfTolerance(
                f"timestamp is {-age:.0f}s in the future; the window is {self.future:g}s",
                timestamp=timestamp,
                now=current,
                reason="too_new",
                header=header,
            )


for _public in (ReplayWindow,):
    _public.__module__ = "hooksig"  # its public name, hooksig.ReplayWindow
del _public
