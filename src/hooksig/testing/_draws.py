"""
The draws every strategy starts from: payloads, ids, fresh times, and the genuine delivery.

Part of :mod:`hooksig.testing.strategies`, which checks that Hypothesis is
installed before importing this module.
"""

from __future__ import annotations

import dataclasses
import math
import string
from typing import Any, TypeVar

from hypothesis import strategies as st

from .. import schemes
from ..scheme.ids import field_names
from ..verifier import Verifier
from ._bodies import BODY_PREFIX, Payload, body_fields, shape
from ._signing import SignedDelivery, Signer

__all__ = ["fresh_offsets", "genuine", "ids", "payloads"]

T = TypeVar("T")

#: Form schemes whose providers sign a field sent twice (the values sorted).
_REPEATED_FIELDS = frozenset({"twilio", "twilio-sha256", "plivo", "braintree"})
#: The characters of the delivery ids drawn by default.
_ID_CHARACTERS = string.ascii_letters + string.digits + "_-"
_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
#: The farthest a fresh draw strays from the clock, for windows wider than this (or none).
_FARTHEST = 24 * 3600
#: The most seconds kept clear of each edge of the window, so that a draw is still
#: fresh when your application, on the real clock, verifies it a moment later.
_MARGIN = 60


def as_strategy(value: st.SearchStrategy[T] | T | None, default: st.SearchStrategy[T]) -> Any:
    """*value* as a strategy: *default* for None, itself for a strategy, else ``just``."""
    if value is None:
        return default
    if isinstance(value, st.SearchStrategy):
        return value
    return st.just(value)


def ids(name: str) -> st.SearchStrategy[str | None]:
    """None (the scheme makes one up) or a plain ASCII id, for schemes that send an id."""
    info = schemes.get(name).info
    if not field_names(info.id_source):
        return st.none()  # the id comes from the body, or is derived: sign() writes none
    # An id may not hold the separators of the signed content ("." in "{id}.{timestamp}").
    separators = info.id_forbidden
    allowed = "".join(c for c in _ID_CHARACTERS if c not in separators)
    return st.none() | st.text(allowed, min_size=1, max_size=24)


def payloads(name: str) -> st.SearchStrategy[Payload]:
    """Payloads scheme *name* can sign, before encoding."""
    kind = shape(name)
    if kind == "form":
        pairs = st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=20))
        if schemes.get(name).name in _REPEATED_FIELDS:
            return st.lists(pairs, max_size=6)
        # Mandrill and Paddle Classic do not say how a repeated field is signed.
        return st.lists(pairs, max_size=6, unique_by=lambda pair: pair[0])
    if kind == "text":
        return st.text(max_size=200)
    if kind == "json":
        reserved = {field[len(BODY_PREFIX) :].split(".")[0] for field in body_fields(name)}
        keys = st.text(max_size=10).filter(lambda key: key not in reserved)
        return st.dictionaries(keys, _JSON_VALUES, max_size=5)
    return st.binary(max_size=256)


def _reach(bound: float | None) -> int:
    """How far from the clock a fresh draw may go on one side of a window of *bound* seconds."""
    if bound is None:
        return 0
    return max(0, math.floor(min(bound, _FARTHEST) - min(_MARGIN, bound / 2)))


def fresh_offsets(verifier: Verifier) -> st.SearchStrategy[int]:
    """Seconds from the verifier's clock that its replay window accepts, edges kept clear."""
    window = verifier.replay_window
    if window is None:
        return st.just(0)
    return st.integers(-_reach(window.tolerance), _reach(window.future))


def genuine(
    signer: Signer,
    bodies: st.SearchStrategy[Payload] | None,
    timestamps: st.SearchStrategy[int] | int | None,
    identifiers: st.SearchStrategy[str | None] | str | None,
    path: str | None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Genuine deliveries signed by *signer*, fresh on the clock of its verifier.

    The signed time is drawn inside the verifier's window around its clock,
    read when the delivery is drawn, and ``now`` is that reading.  With
    *timestamps* given, the signed time is drawn from them and ``now`` is
    the signed time.
    """
    chosen = None if timestamps is None else as_strategy(timestamps, st.integers())
    return _genuine(signer, bodies, chosen, identifiers, path)


# Each composite is defined once, here: Hypothesis reads a composite's source when
# it is defined, which costs more than drawing from it.
@st.composite
def _genuine(
    draw: st.DrawFn,
    signer: Signer,
    bodies: st.SearchStrategy[Payload] | None,
    chosen: st.SearchStrategy[int] | None,
    identifiers: st.SearchStrategy[str | None] | str | None,
    path: str | None,
) -> SignedDelivery:
    """One genuine delivery."""
    body = draw(as_strategy(bodies, payloads(signer.scheme)), label="body")
    id = draw(as_strategy(identifiers, ids(signer.scheme)), label="id")
    if chosen is not None:
        timestamp = draw(chosen, label="timestamp")
        return signer.delivery(body, timestamp=timestamp, id=id, path=path)
    offset = draw(fresh_offsets(signer.verifier), label="seconds from the clock")
    now = signer.verifier.clock()
    delivery = signer.delivery(body, timestamp=math.floor(now) + offset, id=id, path=path)
    return dataclasses.replace(delivery, now=now)
