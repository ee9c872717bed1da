"""
What the journal keeps of a delivery, and what it never keeps.

An entry holds the body as received, the headers the scheme reads (its
timestamp and id headers, never its signature headers), the outcome of the
last handler run, the number of runs, and the last error's type and
message, scrubbed of any secret or signature the caller names.  That is
enough to run the handler again, and nothing that could forge a delivery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol, runtime_checkable

from ..delivery import Delivery
from ..errors import ConfigurationError
from ..fetched import FetchedEvent
from ..idempotency import storage_key
from ..scheme import Scheme
from ..scheme.ids import BodyDigest, FirstOf, HeaderField, Joined

__all__ = [
    "WEBHOOK",
    "JournalEntry",
    "JournalStore",
    "Outcome",
    "ReplayResult",
    "entry_key",
    "kept_headers",
]

Outcome = Literal["handled", "failed"]
"""
How the last handler run of an entry ended: ``"handled"`` or ``"failed"`` (a dead letter).

.. versionadded:: 0.1
"""

#: The ``source`` of an entry that came in as a signed delivery.
WEBHOOK = "webhook"
#: Headers no journal stores, whatever it is asked: credentials and cookies.
NEVER_KEPT = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


@dataclass(frozen=True)
class JournalEntry:
    """
    One delivery as the journal keeps it; immutable.

    Attributes:
        key: the idempotency key its handler ran under (``"{scheme}:{id}"`` by default).
        scheme: the scheme that verified it.
        delivery_id: the provider's delivery or event id, if it has one.
        timestamp: the signed Unix time, if the scheme has one.
        key_id: the id of the secret that verified it (never the secret).
        body: the body exactly as received.
        headers: the headers the scheme reads, and those you asked to keep;
            never a signature header.
        source: ``"webhook"`` for a signed delivery, else the API it was
            fetched from (``"stripe-events-api"``).
        outcome: ``"handled"`` or ``"failed"``: how the last handler run ended.
        attempts: how many times a handler ran it (receipts and replays).
        last_error: the last failure's type and message, scrubbed; ``None``
            once handled.
        received_at: when it was first journaled, in Unix seconds.
        updated_at: when it was last journaled.

    .. versionadded:: 0.1
    """

    key: str
    scheme: str
    delivery_id: str | None
    timestamp: int | None
    key_id: str | None
    body: bytes
    headers: Mapping[str, str] = field(hash=False)
    source: str
    outcome: Outcome
    attempts: int
    last_error: str | None
    received_at: float
    updated_at: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))

    def __repr__(self) -> str:
        return (
            f"JournalEntry(key={self.key!r}, outcome={self.outcome!r}, "
            f"attempts={self.attempts!r}, body=<{len(self.body)} bytes>)"
        )

    def delivery(self) -> Delivery | FetchedEvent:
        """
        Rebuild what the handler got: a :class:`~hooksig.Delivery` (verified when it
        arrived) or a :class:`~hooksig.FetchedEvent`.

        .. versionadded:: 0.1
        """
        if self.source == WEBHOOK:
            return Delivery(
                self.scheme, self.delivery_id, self.timestamp, self.key_id, self.body, self.headers
            )
        return FetchedEvent(
            scheme=self.scheme,
            id=self.delivery_id or self.key,
            body=self.body,
            source=self.source,
            created=self.timestamp,
            headers=self.headers,
        )

    def as_json(self, *, body: bool = False) -> dict[str, Any]:
        """
        Return this entry as a JSON-ready dict; the body only when asked (as UTF-8 text
        if it is, else base64).

        .. versionadded:: 0.1
        """
        data: dict[str, Any] = {
            "key": self.key,
            "scheme": self.scheme,
            "delivery_id": self.delivery_id,
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "headers": dict(self.headers),
            "source": self.source,
            "outcome": self.outcome,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "received_at": self.received_at,
            "updated_at": self.updated_at,
            "body_bytes": len(self.body),
        }
        if body:
            try:
                data["body"] = self.body.decode("utf-8")
            except UnicodeDecodeError:
                import base64

                data["body_base64"] = base64.b64encode(self.body).decode("ascii")
        return data


@dataclass(frozen=True)
class ReplayResult:
    """
    What a replay did.

    Attributes:
        key: the entry replayed.
        outcome: ``"handled"``, ``"failed"`` (the handler raised again),
            ``"duplicate"`` (the guard says it was handled meanwhile, by a
            provider retry or another replay: the handler did not run),
            ``"in_progress"`` (it is running elsewhere right now) or
            ``"missing"`` (no such entry).
        error: the failure's type and message, scrubbed, when it failed.

    .. versionadded:: 0.1
    """

    key: str
    outcome: Literal["handled", "failed", "duplicate", "in_progress", "missing"]
    error: str | None = None


@runtime_checkable
class JournalStore(Protocol):
    """
    Where a :class:`~hooksig.journal.Journal` keeps its entries.

    ``SQLiteJournal``, ``PostgresJournal`` and ``RedisJournal`` are three; any
    object with these methods is one.  Each raises
    :class:`~hooksig.StoreUnavailable` when its backend cannot be reached.

    .. versionadded:: 0.1
    """

    def write(self, entry: JournalEntry) -> JournalEntry:
        """
        Add *entry*, or update the entry of its key: outcome, error and time
        replaced, attempts increased by one, the first receipt time kept.
        Return the entry as stored.
        """
        ...

    def get(self, key: str) -> JournalEntry | None:
        """Return the entry of *key*, or ``None``."""
        ...

    def list(
        self, *, outcome: Outcome | None = None, since: float | None = None, limit: int = 100
    ) -> list[JournalEntry]:
        """Return up to *limit* entries, most recently updated first, filtered."""
        ...

    def prune(self, *, before: float, keep: int) -> int:
        """Delete entries updated before *before*, then all but the newest *keep*."""
        ...

    def close(self) -> None:
        """Release the backend's connections."""
        ...


def _id_headers(source: object) -> tuple[str, ...]:
    """Every header an id source reads: a journal entry must let the id be read again."""
    if isinstance(source, HeaderField):
        return tuple(source.names)
    if isinstance(source, BodyDigest):
        return source.headers
    if isinstance(source, FirstOf | Joined):
        return tuple(name for inner in source.sources for name in _id_headers(inner))
    return ()


def kept_headers(scheme: Scheme | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """
    Return the lowercase names of the headers to keep for *scheme*: its timestamp
    and id headers, plus *extra*; never a signature header or a credential.

    *scheme* is a :class:`~hooksig.Scheme` (its :class:`~hooksig.scheme.SchemeInfo`
    names its headers) or ``None``.

    Raises:
        ConfigurationError: *extra* names a signature header or a credential.
    """
    info = scheme.info if scheme is not None else None
    signatures = {name.lower() for name in info.signature_headers} if info else set()
    read = (
        {name.lower() for name in (*info.timestamp_headers, *_id_headers(info.id_source))}
        if info
        else set()
    )
    asked = {name.lower() for name in extra}
    refused = asked & (signatures | NEVER_KEPT)
    if refused:
        raise ConfigurationError(f"the journal never stores {sorted(refused)[0]!r}")
    return frozenset((read | asked) - signatures - NEVER_KEPT)


def pick_headers(headers: Mapping[str, str], names: frozenset[str]) -> dict[str, str]:
    """
    Return the headers of *headers* whose lowercase names are in *names*.
    """
    return {name: value for name, value in headers.items() if name.lower() in names}


def entry_key(delivery: Delivery | FetchedEvent) -> str:
    """
    Return the default key of a delivery: its idempotency key, or for a scheme
    with no id, ``"{scheme}:body-sha256:<hex>"``.
    """
    if delivery.id is None:
        digest = hashlib.sha256(delivery.body).hexdigest()
        return f"{delivery.scheme}:body-sha256:{digest}"
    return storage_key(delivery)


def dump_headers(headers: Mapping[str, str]) -> str:
    """
    Return *headers* as the JSON text the SQL backends store.
    """
    return json.dumps(dict(headers), sort_keys=True)


def load_headers(text: str | bytes | None) -> dict[str, str]:
    """
    Read headers stored by :func:`dump_headers`.
    """
    data = json.loads(text) if text else {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
