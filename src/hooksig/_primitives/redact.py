"""
An error as one bounded line of text, with the texts it must not show redacted.

The journal keeps it as an entry's ``last_error`` and the reconciler reports
it: a driver's or a handler's message may quote a secret or a DSN.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["MAX_ERROR", "describe"]

#: The longest error text kept, in characters.
MAX_ERROR = 1000


def describe(error: BaseException, redact: Iterable[str] = ()) -> str:
    """
    Return ``"Type: message"`` for *error*, each text of *redact* replaced, at most 1000 characters.
    """
    text = f"{type(error).__name__}: {error}"
    secrets = {s for s in redact if isinstance(s, str) and len(s) >= 4}
    for secret in sorted(secrets, key=len, reverse=True):  # longest first: no partial leftovers
        text = text.replace(secret, "[redacted]")
    return text[:MAX_ERROR]
