"""
Public-API usage examples, checked by ``mypy --strict`` (and pyright); not collected by pytest.

If a change to hooksig's public types breaks one of these lines, users'
type-checked code breaks the same way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import hooksig
from hooksig import (
    ConfigurationError,
    Delivery,
    HmacScheme,
    InvalidSignature,
    KeyRing,
    Pairs,
    ParsedSignature,
    Request,
    Scheme,
    Secret,
    TimestampOutOfTolerance,
    VerificationError,
    Verifier,
    Versioned,
    WebhookError,
)


def github(body: bytes, headers: Mapping[str, str]) -> str | None:
    """Verify a GitHub delivery and return its id."""
    verifier = Verifier("github", secret="It's a Secret to Everybody")
    delivery: Delivery = verifier.verify(body, headers)
    return delivery.id


def rotation(body: bytes, pairs: Sequence[tuple[str, str]]) -> str | None:
    """Rotate Stripe secrets; report which one matched."""
    verifier = Verifier(
        "stripe",
        secrets=[Secret("whsec_new", key_id="2025"), "whsec_old"],
        tolerance=300,
        future_tolerance=60.0,
        clock=time.time,
        max_body_size=1024 * 1024,
    )
    try:
        delivery = verifier.verify(body, pairs, now=time.time())
    except TimestampOutOfTolerance as exc:
        stale: float = exc.timestamp
        raise ValueError(stale) from exc
    except VerificationError as exc:
        reason: str = exc.reason
        header: str | None = exc.header
        raise ValueError(reason, header) from exc
    timestamp: int | None = delivery.timestamp
    assert timestamp is None or timestamp > 0
    return delivery.key_id


def asgi_headers(body: bytes, raw: list[tuple[bytes, bytes]]) -> object:
    """ASGI headers are pairs of bytes; json() returns Any."""
    verifier = Verifier("svix", secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", tolerance=math.inf)
    document: object = verifier.verify(body, raw).json()
    return document


def public_key(body: bytes, headers: Mapping[str, str]) -> bytes:
    """Public-key schemes take public_key= and signing_key=."""
    verifier = Verifier("standard-webhooks", public_key="whpk_...", signing_key=b"\x00" * 32)
    signed: dict[str, str] = verifier.sign(body, timestamp=1_700_000_000, id="msg_1")
    return verifier.verify(body, signed | dict(headers)).body


ACME = HmacScheme(
    name="acme",
    signature_header="X-Acme-Signature",
    algorithm="sha256",
    encoding="hex",
    prefix="sha256=",
    timestamp_header="X-Acme-Timestamp",
    content="{timestamp}.{body}",
    id_header="X-Acme-Delivery",
)
PADDLE_LIKE = HmacScheme(
    name="paddle-like",
    signature_header="Paddle-Signature",
    signature_format=Pairs(timestamp_key="ts", separator=";"),
    version="h1",
)
VERSIONED = HmacScheme(
    name="versioned",
    signature_header=("webhook-signature", "svix-signature"),
    signature_format=Versioned(),
    encoding="base64",
    secret_format="whsec",
)


def custom_scheme(body: bytes) -> dict[str, str]:
    """A user-defined scheme is registered and used by name or object."""
    scheme: Scheme = hooksig.schemes.register(ACME)
    names: list[str] = hooksig.schemes.names()
    assert "acme" in names
    assert hooksig.schemes.get("acme") is scheme
    return Verifier(ACME, secret=b"raw key bytes, 32 bytes long...").sign(body, timestamp=1)


def build_content(parsed: ParsedSignature, request: Request) -> bytes:
    """A content builder receives the parsed headers and the request."""
    return (parsed.timestamp_text or "").encode() + request.body


CALLABLE = HmacScheme(name="callable", signature_header="X-Sig", content=build_content)


def errors() -> None:
    """The error tree: catch one base, or a leaf."""
    try:
        Verifier("nope", secret="x")
    except ConfigurationError as exc:
        as_value_error: ValueError = exc
        base: WebhookError = exc
        assert str(as_value_error) == str(base)
    error: VerificationError = InvalidSignature("no match", header="X-Sig")
    scheme: str | None = error.scheme
    assert scheme is None


def keys(scheme: Scheme) -> KeyRing:
    """load_keys belongs to the Protocol."""
    return scheme.load_keys(["secret"], public_key=None, signing_key=None)


def declared_ids_and_info(body: bytes, headers: Mapping[str, str]) -> str:
    """Declare where a provider's id is, read what a scheme is, hand a delivery to a queue."""
    from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HeaderField, SchemeInfo

    acme = HmacScheme(
        name="acme",
        signature_header="X-Acme-Signature",
        id_source=FirstOf(HeaderField("X-Acme-Delivery"), BodyField("event.id"), BodyDigest()),
        evidence=Evidence(kind="none", against="our own tests"),
    )
    info: SchemeInfo = acme.info
    described: str = "" if info.id_source is None else info.id_source.describe()
    delivery = Verifier(acme, secret="a secret of thirty-two bytes.....").verify(body, headers)
    plain: dict[str, object] = delivery.to_dict()
    again: Delivery = Delivery.from_dict(plain)
    return described + (again.id or "")


def adapter_options(verifier: hooksig.Verifier) -> None:
    """Every adapter option takes UNSET, None or a value; on_outcome gets an Event."""
    from hooksig.idempotency import Idempotency, MemoryStore
    from hooksig.integrations import UNSET, Endpoint, Event, Outcomes

    def count(event: Event) -> None:
        label: str = event.endpoint
        took: float = event.duration
        del label, took

    endpoint = Endpoint(
        verifier,
        Idempotency(MemoryStore()),
        outcomes=Outcomes(duplicate=204),
        key=lambda delivery: f"{delivery.scheme}:{delivery.id}",
        read_timeout=None,
        on_outcome=count,
    )
    unguarded: Endpoint = endpoint.replace(idempotency=None)
    inherited: Endpoint = Endpoint(verifier, read_timeout=UNSET).inherit({"read_timeout": 5.0})
    del unguarded, inherited


def around_the_receiver(verifier: hooksig.Verifier, path: str) -> None:
    """The gate, journal and reconciler options type-check as the docs show them."""
    import time

    from hooksig.gate import Allowlist, Gate, Permit, ProxyChain, RateLimit
    from hooksig.idempotency import Idempotency, MemoryStore
    from hooksig.integrations import Endpoint
    from hooksig.journal import Journal, ReplayResult
    from hooksig.reconcile import Reconciler, Report, StripeSource

    endpoint = Endpoint(
        verifier,
        allowlist=Allowlist("github", ranges=["203.0.113.0/24"]),
        https_only=True,
        proxies=ProxyChain(["10.0.0.0/8"], header="forwarded"),
        rate_limit=RateLimit(per_second=10, in_flight=5),
        journal=Journal(path, headers=["X-GitHub-Event"]),
    )
    gate: Gate | None = endpoint.gate
    permit: Permit = Gate(https_only=True).admit("127.0.0.1", "https", {})
    permit.release()
    guard = Idempotency(MemoryStore())
    replayed: ReplayResult = Journal(path).replay("github:x", print, guard)
    fetched: hooksig.FetchedEvent | None = None
    report: Report = Reconciler(StripeSource("rk_test"), print, guard).run(time.time() - 60)
    del gate, replayed, fetched, report
