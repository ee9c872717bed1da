"""
Deliveries as each registered provider sends them: the first, the provider's retry, a tampered one.

Everything here is read from the scheme's declaration (`hooksig.SchemeInfo`),
so a new provider joins the adapter matrix with no entry of its own:

- the body carries the provider's own id where the scheme's id source reads
  it (a JSON field, every item of a batch, a form field); an id in a header
  is written by ``sign(id=...)``;
- the retry is the same event with the same id, re-signed at a later time
  where the scheme signs a timestamp, and with the fields the id source
  leaves out because they change on every retry (HubSpot's
  ``attemptNumber``) changed; a scheme with neither gets the same bytes again;
- the tampered copy changes the body where the signature covers it, and is
  signed with another key where it does not (tokens, Basic credentials,
  Mailgun's signed fields).

Keys are fixed, so that a server process builds the same verifiers
(`signer`) as the test that posts to it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import hooksig
from hooksig.scheme import (
    BodyDigest,
    BodyField,
    EachItem,
    FirstOf,
    FormField,
    HeaderField,
    IdSource,
    Joined,
    RandomId,
)
from hooksig.testing import SignedDelivery, Signer, equivalent_bodies

SECRET = "hooksig-matrix-secret-0123456789ab"
OTHER_SECRET = "hooksig-matrix-other-0123456789abc"
ED25519_SEEDS = (bytes(range(1, 33)), bytes(range(33, 65)))
P256_PEMS = tuple(
    ec.derive_private_key(number, ec.SECP256R1())
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
    for number in (0x5EED_0001_0203_0405_0607, 0x5EED_0809_0A0B_0C0D_0E0F)
)
#: A word in every body, changed in the tampered copy.
MARK = "matrix"
#: How much later the provider re-signs its retry, in seconds (at most half its tolerance).
RETRY_DELAY = 60


def signer(name: str, *, other: bool = False, clock: Callable[[], float] | None = None) -> Signer:
    """A signer for *name* with the fixed key (or the other fixed key), on *clock*."""
    info = hooksig.schemes.get(name).info
    index = 1 if other else 0
    if info.secret_format is None:  # a public-key scheme: a fixed key pair
        key: object = P256_PEMS[index] if info.algorithm == "ecdsa-p256" else ED25519_SEEDS[index]
        return Signer(name, signing_key=key, clock=clock)
    return Signer(name, secret=OTHER_SECRET if other else SECRET, clock=clock)


def _placed(source: IdSource | None) -> list[IdSource]:
    """The sources the delivery fills in: the first of a FirstOf that reads the provider's id."""
    if isinstance(source, FirstOf):
        for inner in source.sources:
            if _placed(inner):
                return _placed(inner)
        return []
    if isinstance(source, Joined):
        return [part for inner in source.sources for part in _placed(inner)]
    if isinstance(source, (HeaderField, BodyField, FormField, EachItem)):
        return [source]
    return []  # BodyDigest, RandomId, or a source of the scheme's own


def _set(document: dict[str, Any], path: str, value: object) -> None:
    """Set the dotted *path* of *document*, making parents as needed."""
    *parents, leaf = path.split(".")
    for part in parents:
        document = document.setdefault(part, {})
    document[leaf] = value


def _document(name: str, ident: str, attempt: int) -> Any:
    """The event as the provider sends it, with its id where the scheme reads it."""
    info = hooksig.schemes.get(name).info
    if info.body_shape == "form":
        form: dict[str, Any] = {"Note": MARK, "Nonce": ident}
        for source in _placed(info.id_source):
            if isinstance(source, FormField):
                form[source.name] = ident
        return form
    document: dict[str, Any] = {"type": "matrix.event", "note": MARK, "nonce": ident}
    for source in _placed(info.id_source):
        if isinstance(source, BodyField):
            _set(document, source.path, ident)
        elif isinstance(source, FormField):
            document[source.name] = ident
        elif isinstance(source, EachItem):
            item = {"note": MARK, "nonce": ident, **dict.fromkeys(source.fields, ident)}
            item.update(dict.fromkeys(source.exclude, attempt))  # they change on each retry
            if not source.path:
                return [item]
            _set(document, source.path, [item])
    return document


def _changes_on_retry(source: IdSource | None) -> bool:
    """Whether the id source leaves out fields because the provider changes them on retry."""
    return any(isinstance(s, EachItem) and s.exclude for s in _placed(source))


@dataclass(frozen=True)
class Provider:
    """One registered scheme's deliveries, signed with the fixed keys."""

    name: str
    signer: Signer
    forger: Signer

    @property
    def verifier(self) -> hooksig.Verifier:
        """The verifier that accepts this provider's genuine deliveries."""
        return self.signer.verifier

    @property
    def info(self) -> hooksig.SchemeInfo:
        """The scheme's declaration."""
        return self.verifier.scheme.info

    @property
    def deduplicated(self) -> bool:
        """False only for a scheme that declares a random key per delivery (Dropbox)."""
        return not isinstance(self.info.id_source, RandomId)

    @property
    def reads_provider_id(self) -> bool:
        """Whether the id comes from the provider's own id, not a digest of the body."""
        return bool(_placed(self.info.id_source))

    @property
    def retry_delay(self) -> int:
        """Seconds between the first delivery and the retry: within the replay window."""
        tolerance = self.info.tolerance
        return RETRY_DELAY if tolerance is None else min(RETRY_DELAY, int(tolerance // 2))

    def first(self, ident: str, path: str) -> SignedDelivery:
        """The first delivery of event *ident*, sent to *path*, signed a retry delay ago."""
        timestamp = self.signer.now() - self.retry_delay
        return self._signed(self.signer, ident, timestamp, path, attempt=1)

    def retry(self, first: SignedDelivery, path: str) -> SignedDelivery:
        """The provider's redelivery of *first*: re-signed later where that changes anything."""
        if self.info.timestamp_unit is None and not _changes_on_retry(self.info.id_source):
            return first  # nothing the provider would change: the same bytes again
        timestamp = first.timestamp + self.retry_delay
        return self._signed(self.signer, first.id or "", timestamp, path, attempt=2)

    def tampered(self, first: SignedDelivery, path: str) -> SignedDelivery:
        """*first* with its body changed; signed with another key where the body is unsigned."""
        body = first.body.replace(MARK.encode(), MARK.upper().encode(), 1)
        if not equivalent_bodies(self.name, first.body, body):
            return _with_body(first, body)
        ident = first.id or ""
        return self._signed(self.forger, ident, first.timestamp, path, attempt=1)

    def _signed(
        self, signer: Signer, ident: str, timestamp: int, path: str, attempt: int
    ) -> SignedDelivery:
        document = _document(self.name, ident, attempt)
        return signer.delivery(document, id=ident, timestamp=timestamp, path=path)


def _with_body(delivery: SignedDelivery, body: bytes) -> SignedDelivery:
    from dataclasses import replace

    return replace(delivery, body=body)


@functools.cache
def provider(name: str, clock: Callable[[], float] | None = None) -> Provider:
    """The deliveries of scheme *name*, verified on *clock* (the real time when ``None``)."""
    return Provider(name, signer(name, clock=clock), signer(name, other=True, clock=clock))


def request_headers(delivery: SignedDelivery) -> dict[str, str]:
    """The headers to send: the signed ones, and the provider's Content-Type."""
    return {"Content-Type": delivery.content_type, **delivery.headers}


def describe(delivery: SignedDelivery) -> str:
    """The delivery in a line, for a failing assertion."""
    return json.dumps({"headers": delivery.headers, "body": delivery.body.decode("latin-1")})


__all__ = ["BodyDigest", "Provider", "provider", "request_headers", "signer"]
