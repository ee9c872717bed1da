"""
An event fetched from a provider's API: authentic because the API call was, not by a signature.

A :class:`~hooksig.Delivery` exists only once a signature was checked.  An
event recovered by polling (:mod:`hooksig.reconcile`) was never signed for
you: it is authentic because hooksig fetched it over HTTPS from the
provider's API with your key.  It is a different type, so a handler can
always tell the two apart, and neither can be mistaken for the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from .errors import ConfigurationError, MalformedPayload

__all__ = ["FetchedEvent"]


def _frozen(headers: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(headers))


@dataclass(frozen=True, kw_only=True)
class FetchedEvent:
    """
    One event fetched from a provider's API; immutable.

    It carries the same ``scheme`` and ``id`` a signed delivery of the same
    event would, so the idempotency guard keys both alike: whichever arrives
    first runs the handler, the other is a duplicate.

    Attributes:
        scheme: the registry name of the scheme the receiver verifies this
            provider's deliveries with (``"stripe"``).
        id: the id a delivery of this event carries (Stripe's ``evt_...``,
            GitHub's ``X-GitHub-Delivery`` GUID, Svix's ``msg_...``).
        body: the event as JSON bytes, as the API returned it.
        source: which API it came from, such as ``"stripe-events-api"``.
        ref: the provider's handle for the fetch or a redelivery (GitHub's
            numeric delivery id), when it differs from ``id``.
        created: when the provider created the event, in Unix seconds, if known.
        headers: the headers the provider recorded for the delivery, when its
            API keeps them (GitHub); never a signature.
        authenticated_by: always ``"api"``: read it to tell a fetched event
            from a signed delivery without an ``isinstance``.

    Raises:
        ConfigurationError: ``scheme`` or ``id`` is empty, or ``body`` is not bytes.

    .. versionadded:: 0.1
    """

    authenticated_by: ClassVar[Literal["api"]] = "api"

    scheme: str
    id: str
    body: bytes
    source: str
    ref: str | None = None
    created: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not (isinstance(self.scheme, str) and self.scheme):
            raise ConfigurationError("a fetched event needs the scheme name")
        if not (isinstance(self.id, str) and self.id):
            raise ConfigurationError("a fetched event needs its id")
        if not isinstance(self.body, bytes):
            raise ConfigurationError("a fetched event's body must be bytes")
        object.__setattr__(self, "headers", _frozen(self.headers))

    def json(self) -> Any:
        """
        Parse the body as JSON.

        Raises:
            MalformedPayload: the body is not JSON.
        """
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            raise MalformedPayload("the body is not valid JSON") from None

    def __repr__(self) -> str:
        return (
            f"FetchedEvent(scheme={self.scheme!r}, id={self.id!r}, source={self.source!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


FetchedEvent.__module__ = "hooksig"  # its public name, hooksig.FetchedEvent
