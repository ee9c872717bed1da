"""
Deliveries as each registered provider sends them: the first, the provider's retry, a tampered one.

Everything here is read from the scheme's declaration (`hooksig.SchemeInfo`),
so a new provider joins the adapter matrix with no entry of its own:

- the body carries the provider's own id where the scheme's id source reads
  it (a JSON field, every item of a batch, a form field); an id in a header
  is written by ``sign(id=...)``; a JSON scheme whose id source also reads a
  form field (Slack's slash commands) gets a second, form-encoded variant;
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
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import hooksig
from hooksig.scheme import (
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
from tests.integrations.fixed_keys import RSA_PEMS

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
FORM = "application/x-www-form-urlencoded"
#: A word in every body, changed in the tampered copy.
MARK = "matrix"
#: How much later the provider re-signs its retry, in seconds (at most half its tolerance).
RETRY_DELAY = 60


def matrix_path(name: str) -> str:
    """The route of registry name *name* in the provider matrix and the real-server sample."""
    return f"/hooks/p/{name}"


def signer(name: str, *, other: bool = False, clock: Callable[[], float] | None = None) -> Signer:
    """A signer for *name* with the fixed key (or the other fixed key), on *clock*."""
    scheme = hooksig.schemes.get(name)
    info = scheme.info
    index = 1 if other else 0
    if info.secret_format is None:  # a public-key scheme: a fixed key pair
        # Token and certificate schemes name the kind of key that signs for tests
        # (RSA for SNS, PayPal, Plaid...); with it the verifier checks that key's
        # public half instead of fetching the provider's keys.
        kind = getattr(scheme, "signing_key_type", None) or info.algorithm
        key: object = (
            RSA_PEMS[index]
            if kind.startswith("rsa")
            else P256_PEMS[index]
            if kind == "ecdsa-p256"
            else ED25519_SEEDS[index]
        )
        return Signer(name, signing_key=key, clock=clock)
    return Signer(name, secret=OTHER_SECRET if other else SECRET, clock=clock)


def _placed(source: IdSource | None, variant: str = "") -> list[IdSource]:
    """The sources a delivery fills in: the first of a FirstOf that reads the provider's id.

    The ``form`` variant takes the first form field instead.
    """
    if isinstance(source, FirstOf):
        for inner in source.sources:
            found = _placed(inner, variant)
            if found and (variant != "form" or isinstance(found[0], FormField)):
                return found
        return []
    if isinstance(source, Joined):
        return [part for inner in source.sources for part in _placed(inner)]
    if isinstance(source, (HeaderField, BodyField, FormField, EachItem)):
        return [source]
    return []  # a digest of the body, a random key, or a source of the scheme's own


def _set(document: dict[str, Any], path: str, value: object) -> None:
    """Set the dotted *path* of *document*, making parents as needed."""
    *parents, leaf = path.split(".")
    for part in parents:
        document = document.setdefault(part, {})
    document[leaf] = value


def variants(name: str) -> tuple[str, ...]:
    """``""``, and ``"form"`` for a JSON scheme whose id source also reads a form field."""
    info = hooksig.schemes.get(name).info
    placed = _placed(info.id_source, "form")
    if info.body_shape != "form" and any(isinstance(source, FormField) for source in placed):
        return ("", "form")
    return ("",)


def _document(name: str, ident: str, attempt: int, variant: str = "") -> Any:
    """The event as the provider sends it, with its id where the scheme reads it."""
    info = hooksig.schemes.get(name).info
    if info.body_shape == "form" or variant == "form":
        form: dict[str, Any] = {"Note": MARK, "Nonce": ident}
        for source in _placed(info.id_source, variant):
            if isinstance(source, FormField):
                form[source.name] = ident
        # A form for a scheme that signs the bytes (Slack) is encoded here, as sent.
        return form if variant != "form" else urllib.parse.urlencode(form)
    document: dict[str, Any] = {"type": "matrix.event", "note": MARK, "nonce": ident}
    for source in _placed(info.id_source):
        if isinstance(source, BodyField):
            _set(document, source.path, ident)
        elif isinstance(source, FormField):
            document[source.name] = ident
        elif isinstance(source, EachItem):
            item: dict[str, object] = {"note": MARK, "nonce": ident}
            item.update(dict.fromkeys(source.fields, ident))
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

    def first(self, ident: str, path: str, variant: str = "") -> SignedDelivery:
        """The first delivery of event *ident*, sent to *path*, signed a retry delay ago."""
        timestamp = self.signer.now() - self.retry_delay
        return self._signed(self.signer, ident, timestamp, path, attempt=1, variant=variant)

    def retry(self, first: SignedDelivery, path: str, variant: str = "") -> SignedDelivery:
        """The provider's redelivery of *first*: re-signed later where that changes anything."""
        if self.info.timestamp_unit is None and not _changes_on_retry(self.info.id_source):
            return first  # nothing the provider would change: the same bytes again
        timestamp = first.timestamp + self.retry_delay
        ident = first.id or ""
        return self._signed(self.signer, ident, timestamp, path, attempt=2, variant=variant)

    def tampered(self, first: SignedDelivery, path: str, variant: str = "") -> SignedDelivery:
        """*first* with its body changed; signed with another key where the body is unsigned."""
        body = first.body.replace(MARK.encode(), MARK.upper().encode(), 1)
        if not equivalent_bodies(self.name, first.body, body):
            return replace(first, body=body)
        ident = first.id or ""
        return self._signed(self.forger, ident, first.timestamp, path, attempt=1, variant=variant)

    def _signed(
        self, signer: Signer, ident: str, timestamp: int, path: str, attempt: int, variant: str
    ) -> SignedDelivery:
        document = _document(self.name, ident, attempt, variant)
        signed = signer.delivery(document, id=ident, timestamp=timestamp, path=path)
        # sign() writes the first id header; the provider sends the other parts too (Shopify).
        sent = {name.lower() for name in signed.headers}
        extra = {
            source.names[0]: ident
            for source in _placed(self.info.id_source, variant)
            if isinstance(source, HeaderField) and not sent & {n.lower() for n in source.names}
        }
        signed = replace(signed, headers={**signed.headers, **extra})
        return replace(signed, content_type=FORM) if variant == "form" else signed


@functools.cache
def provider(name: str, clock: Callable[[], float] | None = None) -> Provider:
    """The deliveries of scheme *name*, verified on *clock* (the real time when ``None``)."""
    return Provider(name, signer(name, clock=clock), signer(name, other=True, clock=clock))


def check(
    sender: Provider,
    path: str,
    post: Callable[[SignedDelivery], tuple[int, bytes]],
    runs: Callable[[], int],
    variant: str = "",
) -> None:
    """
    The matrix's assertions for one provider, whatever sends the requests.

    *post* sends a delivery to *path* and returns the answer's status and
    body; *runs* counts the handler's runs so far.  The genuine delivery is
    200 ``handled`` and runs once; the provider's retry is 200 ``already
    handled`` and does not run (a scheme with a random key per delivery runs
    it again, as declared); the tampered copy is a 4xx and does not run.
    """
    before = runs()
    first = sender.first(f"evt_{uuid.uuid4().hex[:16]}", path, variant)
    assert post(first) == (200, b"handled"), describe(first)
    assert runs() == before + 1
    retry = sender.retry(first, path, variant)
    if sender.deduplicated:
        assert post(retry) == (200, b"already handled"), describe(retry)
        assert runs() == before + 1
    else:
        assert post(retry) == (200, b"handled"), describe(retry)
        assert runs() == before + 2
    before = runs()
    tampered = sender.tampered(first, path, variant)
    status, _ = post(tampered)
    assert 400 <= status < 500, describe(tampered)
    assert runs() == before


def request_headers(delivery: SignedDelivery) -> dict[str, str]:
    """The headers to send: the signed ones, and the provider's Content-Type."""
    return {"Content-Type": delivery.content_type, **delivery.headers}


def describe(delivery: SignedDelivery) -> str:
    """The delivery in a line, for a failing assertion."""
    return json.dumps({"headers": delivery.headers, "body": delivery.body.decode("latin-1")})
