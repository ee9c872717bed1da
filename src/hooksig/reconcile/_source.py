"""
What a reconciler needs from a provider: the :class:`Source` protocol, and the :class:`EventRef`
a listing yields.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import ProviderApiError
from ..fetched import FetchedEvent

__all__ = ["EventRef", "Source", "as_body", "iso_time", "parse_time"]


@dataclass(frozen=True)
class EventRef:
    """
    One event as a provider's listing names it.

    Attributes:
        id: the id a signed delivery of the event carries: the guard's key.
        ref: the provider's handle to fetch or redeliver it (the same as *id*
            for Stripe and Svix; GitHub's numeric delivery id).
        created: when the provider created (GitHub: last delivered) it, in Unix seconds.
        event: the whole event, when the listing already carries it.
        failed: whether the provider's own last delivery of it failed, if it says.

    .. versionadded:: 0.1
    """

    id: str
    ref: str
    created: float | None = None
    event: FetchedEvent | None = None
    failed: bool | None = None


@runtime_checkable
class Source(Protocol):
    """
    A provider's API, as the reconciler reads it; implement it to add a provider.

    ::

        class AcmeSource:
            scheme = "acme"                       # the scheme your receiver verifies with
            def events(self, since, until=None):  # EventRefs created in [since, until]
                ...
            def fetch(self, ref):                 # the whole event, a FetchedEvent
                ...
            def redeliver(self, ref):             # ask the provider to send it again
                return False                      # if it cannot

    Every method raises :class:`~hooksig.ProviderApiError` when the API
    fails; listings are read page by page and must end.

    .. versionadded:: 0.1
    """

    @property
    def scheme(self) -> str:
        """The scheme name a signed delivery of these events carries."""
        ...

    def events(self, since: float, until: float | None = None) -> Iterator[EventRef]:
        """Yield the events created from *since* to *until* (Unix seconds; ``None``: now)."""
        ...

    def fetch(self, ref: EventRef) -> FetchedEvent:
        """Return the whole event."""
        ...

    def redeliver(self, ref: EventRef) -> bool:
        """Ask the provider to deliver the event again; ``False`` if it cannot."""
        ...


def as_body(document: Any) -> bytes:
    """
    Return an API's JSON object as the body bytes a handler reads.
    """
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_time(text: object, what: str) -> float:
    """
    Return an ISO 8601 time from an API as Unix seconds.

    Raises:
        ProviderApiError: it is not one.
    """
    if not isinstance(text, str):
        raise ProviderApiError(f"{what} is not a time")
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ProviderApiError(f"{what} is not a time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def iso_time(seconds: float) -> str:
    """
    Return Unix *seconds* as an ISO 8601 UTC time (``2026-12-06T10:00:00Z``).
    """
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
