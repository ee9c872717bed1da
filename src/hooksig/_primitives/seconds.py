"""
The one check of a duration option: a positive number of seconds.

The replay window's bounds, the idempotency lease and retention, and the
adapters' read timeout are all "some seconds"; one function checks them
all, so ``True`` (an ``int``, but a bug), ``0``, a negative number and NaN
are refused the same way everywhere.
"""

from __future__ import annotations

import math

from ..errors import ConfigurationError

__all__ = ["check_seconds"]


def check_seconds(name: str, value: object, *, infinite: bool = False) -> float:
    """
    Return *value* as a float if it is a positive number of seconds.

    Args:
        name: the option's name, for the message.
        value: what was passed.
        infinite: accept ``math.inf`` (a bound that is disabled).

    Raises:
        ConfigurationError: a ``bool``, a non-number, zero, a negative number,
            NaN, or infinity where *infinite* is false.
    """
    # bool is an int; a lease of True seconds is a bug, not one second.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{name} must be a number of seconds")
    seconds = float(value)
    if math.isnan(seconds) or seconds <= 0 or (seconds == math.inf and not infinite):
        # Zero once meant "no check" in some SDKs; here it would refuse everything
        # or, worse, be read as "disabled".  Disabling, where allowed, is math.inf.
        hint = " (math.inf disables)" if infinite else ", finite"
        raise ConfigurationError(f"{name} must be a positive{hint} number of seconds")
    return seconds
