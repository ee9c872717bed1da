"""
What the fault strategies do to a genuine delivery: tamper with it, break a field, pad it.

Part of :mod:`hooksig.testing.strategies`, which checks that Hypothesis is
installed before importing this module.
"""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from ..errors import VerificationError
from ._bodies import Payload, equivalent_bodies, shape
from ._fields import field, signature_fields, timestamp_fields, with_field
from ._keys import OTHER_SECRET, TEST_SECRET
from ._signing import SignedDelivery, Signer, _path_of, _place_query

__all__ = ["malformed", "padded", "tampered"]

#: Header values that break some grammar: empty, bare labels, lookalike digits, overlong.
_HOSTILE = (
    "",
    "=",
    "v1,",
    "v1=",
    "t=1,v1=",
    "t=1,t=2,v1=00",
    "sha256=",
    "v0=",
    "ts=;h1=",
    "+1700000000",
    "-1",
    "1_700_000_000",
    "1.7e9",
    "\u0661\u0667\u0660\u0660",
    "\uff11\uff17",
    "0" * 64,
    "A" * 44,
    "x" * 9000,
)
_PRINTABLE = [chr(code) for code in range(0x21, 0x7F)]


def tampered(
    signer: Signer, genuine: st.SearchStrategy[SignedDelivery]
) -> st.SearchStrategy[SignedDelivery]:
    """Draws of *genuine* with one change the signature covers."""
    # Another key: the second one serves a signer that happens to hold the first.
    forgers = [Signer(signer.scheme, secret=key) for key in (OTHER_SECRET, TEST_SECRET)]
    return _tamper(signer, genuine, forgers)


@st.composite
def _tamper(
    draw: st.DrawFn,
    signer: Signer,
    genuine: st.SearchStrategy[SignedDelivery],
    forgers: list[Signer],
) -> SignedDelivery:
    """One genuine delivery with one change the signature covers."""
    delivery = draw(genuine)
    kind = draw(st.sampled_from(["body", "signature", "key"]), label="tampering")
    body = delivery.body
    if kind == "body" and body:
        index = draw(st.integers(0, len(body) - 1), label="body index")
        byte = draw(st.integers(0, 255).filter(lambda b: b != body[index]), label="byte")
        changed = body[:index] + bytes([byte]) + body[index + 1 :]
        if not equivalent_bodies(signer.scheme, body, changed):
            return dataclasses.replace(
                delivery,
                body=changed,
                fault=f"body byte {index} changed",
                error=VerificationError,
            )
    if kind == "key":
        for other in forgers:
            forged, rest = other.verifier.signed_request(
                body, timestamp=delivery.timestamp, id=delivery.id, url=delivery.url
            )
            # A secret in the URL's query (Event Grid) is placed there, as sent.
            url, rest = _place_query(delivery.url, rest)
            if rest != delivery.headers or forged != body or url != delivery.url:
                return dataclasses.replace(
                    delivery,
                    body=forged,
                    headers=rest,
                    url=url,
                    path=delivery.path if url == delivery.url else _path_of(url),
                    fault="signed with another key",
                    error=VerificationError,
                )
    target = draw(st.sampled_from(signature_fields(delivery)), label="signature field")
    value = field(delivery, target) or ""
    index = draw(st.integers(0, max(len(value) - 1, 0)), label="signature index")
    old = value[index : index + 1]
    new = draw(st.sampled_from(_PRINTABLE).filter(lambda c: c != old), label="character")
    return with_field(
        delivery,
        target,
        value[:index] + new + value[index + 1 :],
        f"{target} character {index} changed",
        VerificationError,
    )


def malformed(
    signer: Signer, genuine: st.SearchStrategy[SignedDelivery]
) -> st.SearchStrategy[SignedDelivery]:
    """Draws of *genuine* with a broken signature or timestamp field."""
    timestamp_names = timestamp_fields(signer)
    return _malform(genuine, timestamp_names)


@st.composite
def _malform(
    draw: st.DrawFn,
    genuine: st.SearchStrategy[SignedDelivery],
    timestamp_names: list[str],
) -> SignedDelivery:
    """One delivery with a broken signature or timestamp field."""
    delivery = draw(genuine)
    targets = signature_fields(delivery) + timestamp_names
    target = draw(st.sampled_from(targets), label="field")
    original = field(delivery, target) or ""
    digit = next((i for i, c in enumerate(original) if c.isdigit()), 0)
    variants: list[tuple[str, str | None]] = [
        ("removed", None),
        ("first character cut", original[1:]),
        ("upper-cased", original.upper()),
        ("stray '=' in front", "=" + original),
        ("lookalike digit", original[:digit] + "\u0661" + original[digit + 1 :]),
    ]
    choice = draw(
        st.sampled_from(variants)
        | st.sampled_from(_HOSTILE).map(lambda v: ("hostile value", v))
        | st.text(max_size=40).map(lambda v: ("any text", v)),
        label="change",
    )
    how, value = choice
    if value is not None and value.strip(" \t") == original:
        value, how = None, "removed"
    return with_field(delivery, target, value, f"{target}: {how}", VerificationError)


def padded(name: str, size: int, chunk: bytes) -> Payload:
    """A payload of *size* bytes, of the shape scheme *name* signs."""
    kind = shape(name)
    if kind == "form":
        return [("Body", "x" * size)]
    if kind == "json":
        return {"padding": "x" * size}
    if kind == "text":
        return "x" * size
    return (chunk * (size // len(chunk) + 1))[:size]
