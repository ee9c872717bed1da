"""
What a scheme is: the :class:`Scheme` Protocol, hooksig's extension point.

A scheme works on two records: the :class:`Request` as received and the
:class:`ParsedSignature` read from it, before any key is tried.  Third
parties may implement :class:`Scheme` directly; they need not inherit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .._primitives.headers import Headers
from ..keys import KeyRing, SecretLike


@dataclass(frozen=True)
class Request:
    """
    A delivery as received: raw body and headers, plus URL and method for schemes that sign them.

    ``now`` is the time the verifier judges the delivery at (Unix seconds):
    schemes that check a certificate's dates or a token's lifetime read it
    instead of a clock of their own.

    .. versionadded:: 0.1
    """

    body: bytes
    headers: Headers
    url: str | None = None
    method: str = "POST"
    params: Mapping[str, Sequence[str]] | None = None
    now: float | None = None


@dataclass(frozen=True)
class ParsedSignature:
    """
    What a scheme read from the headers, before any key was tried.

    Attributes:
        candidates: ``(label, decoded signature)`` for each signature offered
            in a version the scheme accepts.
        timestamp: the signed time in seconds, if the scheme has one.
        timestamp_text: the timestamp exactly as it was signed.
        id: the provider's delivery id, if the scheme has one.
        header: the signature header that was read.
        id_field: for providers that put the delivery id in the JSON body
            (Stripe), the top-level field that holds it.

    .. versionadded:: 0.1
    """

    candidates: tuple[tuple[str, bytes], ...]
    timestamp: float | None = None
    timestamp_text: str | None = None
    id: str | None = None
    header: str = ""
    id_field: str | None = None


@runtime_checkable
class Scheme(Protocol):
    """
    One provider's signing recipe: the extension point of hooksig.

    A :class:`~hooksig.Verifier` calls, in order, :meth:`load_keys` once,
    then :meth:`parse`, :meth:`signed_content` and :meth:`match` for each
    delivery; it applies the replay window itself.  Every method raises
    only :class:`~hooksig.WebhookError` subclasses.

    Optional members, read when present:

    ``resolve_keys(parsed, request, keys) -> KeyRing`` (with
    ``resolve_keys_async``, its coroutine form): for providers whose key
    depends on the delivery (a certificate URL, a key id).  The verifier
    calls it after :meth:`parse` and after the replay window, so a stale or
    malformed delivery never causes a fetch, and passes its result to
    :meth:`match`.  :meth:`hooksig.Verifier.verify_async` awaits the
    coroutine form, so a fetch never blocks an event loop.

    ``handshake(delivery, keys)`` (with ``handshake_async``): the answer
    to a signed handshake delivery (:meth:`hooksig.Verifier.handshake`);
    the coroutine form awaits any request the answer needs (SNS's
    subscription confirmation).

    ``challenge``: ``None``, or a callable ``(request, keys) ->
    HandshakeResponse | None`` answering an endpoint check the provider
    sends *unsigned*, before any delivery (Meta's ``hub.challenge``, Graph's
    ``validationToken``).  :meth:`hooksig.Verifier.challenge` calls it, and
    the adapters call that before verifying; it answers only under the
    provider's own rule, and a scheme has none until you configure one
    (see :mod:`hooksig.scheme.challenge`).

    .. versionadded:: 0.1
    """

    # Read-only members, so that frozen dataclasses (HmacScheme) satisfy the Protocol.
    @property
    def name(self) -> str:
        """Registry name, lowercase and hyphenated (``"stripe"``)."""
        ...

    @property
    def default_tolerance(self) -> float | None:
        """Default replay window in seconds, or ``None`` when nothing is timestamped."""
        ...

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Check and load keys once, at construction; raise ``ConfigurationError``."""
        ...

    def parse(self, request: Request) -> ParsedSignature:
        """Read signatures, timestamp and id; raise ``MissingSignature``/``MalformedSignature``."""
        ...

    def signed_content(self, parsed: ParsedSignature, request: Request) -> bytes:
        """Return the exact bytes the provider signed."""
        ...

    def match(self, keys: KeyRing, content: bytes, parsed: ParsedSignature) -> str | None:
        """Try every key against every candidate; return the matching key id or ``None``."""
        ...

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Return the headers the provider would send with ``request.body``."""
        ...


for _public in (
    ParsedSignature,
    Request,
    Scheme,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.ParsedSignature
del _public
