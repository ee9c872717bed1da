"""
Hypothesis strategies for webhook deliveries: genuine, tampered, stale, malformed and oversized.

Each strategy draws :class:`~hooksig.testing.SignedDelivery` objects from
one :class:`~hooksig.testing.Signer` (or a scheme name, for a signer built
with the defaults).  A delivery carries the verifier that judges it, the
time to judge it at (``now``), the ``verify()`` keyword arguments
(``request``), and the error it must raise (``error``, ``None`` when
genuine), so one test covers every kind::

    from hypothesis import given
    from hooksig.testing.strategies import deliveries, tampered_deliveries

    @given(deliveries("stripe", bodies=my_event_json))
    def test_handler_accepts(delivery):
        handle(delivery.verify())

    @given(tampered_deliveries("stripe"))
    def test_forgery_is_refused(delivery):
        with pytest.raises(delivery.error):
            delivery.verify()

Every draw is fresh on the clock of the signer's verifier: the signed time
lies inside its replay window around that clock, read when the delivery
is drawn (the real clock, unless you froze one with
:class:`~hooksig.testing.FrozenClock`), at least a minute clear of the
window's edges.  So a genuine draw is accepted by your application on the
real clock too, and a refused tampered draw proves something.  Only
:func:`stale_deliveries` draws times outside the window.

Bring your own payloads with ``bodies=``: a strategy of bytes (sent as
they are), text, or JSON-able values (serialised, or URL-encoded for
Twilio's forms).  The defaults are bodies each provider can really sign
(:func:`bodies`).

This module needs the ``hypothesis`` extra: ``pip install "hooksig[hypothesis]"``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import dataclasses
import time

from ..errors import (
    ConfigurationError,
    ExtraNotInstalled,
    PayloadTooLarge,
    TimestampOutOfTolerance,
)

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("hypothesis", "hypothesis") from None

from .. import schemes as _registry
from ._bodies import Payload, encode
from ._draws import genuine, payloads
from ._faults import malformed, padded, tampered
from ._signing import SignedDelivery, Signer

__all__ = [
    "bodies",
    "deliveries",
    "malformed_deliveries",
    "oversized_deliveries",
    "scheme_names",
    "stale_deliveries",
    "tampered_deliveries",
]

Timestamps = st.SearchStrategy[int] | int | None
Ids = st.SearchStrategy[str | None] | str | None

#: Stale draws lie at least this far beyond the future edge, so that they are
#: still stale when your application, on the real clock, checks them a moment later.
_FUTURE_MARGIN = 60


def _signer(signer: Signer | str) -> Signer:
    """*signer*, or a Signer built with the defaults for the scheme name *signer*."""
    return Signer(signer) if isinstance(signer, str) else signer


def scheme_names() -> st.SearchStrategy[str]:
    """
    Draw a registered scheme name (``"stripe"``, ``"github"``, ...), aliases included.

    .. versionadded:: 0.1
    """
    return st.sampled_from(_registry.names())


def bodies(name: str, *, timestamp: int | None = None) -> st.SearchStrategy[bytes]:
    """
    Draw bodies that provider *name* can sign.

    Any bytes for most providers; URL-encoded forms for Twilio (which signs
    the form fields), UTF-8 text for Trello (which signs characters), and
    JSON objects for Linear and Mailgun (which read fields of the body:
    Linear's ``webhookTimestamp`` is set to *timestamp*).

    Args:
        name: a registered scheme name.
        timestamp: the signed time, for schemes that read it from the body;
            the current time by default.

    .. versionadded:: 0.1
    """

    def encoded(value: Payload) -> bytes:
        """*value* as body bytes, stamped now unless a timestamp was given."""
        stamp = int(time.time()) if timestamp is None else timestamp
        return encode(name, value, timestamp=stamp)

    return payloads(name).map(encoded)


def deliveries(
    signer: Signer | str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: Timestamps = None,
    ids: Ids = None,
    path: str | None = None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw genuine deliveries: ``delivery.verify()`` returns a Delivery, and so does your app.

    Args:
        signer: the :class:`~hooksig.testing.Signer` that signs them (give
            it your application's verifier, a secret, a clock, any option),
            or a registered scheme name for ``Signer(name)``.
        bodies: your payload strategy: bytes, text or JSON-able values
            (see :meth:`hooksig.testing.Signer.delivery`); by default
            :func:`bodies`-like payloads.
        timestamps: signed times in Unix seconds (a strategy or one int).
            By default, times the verifier accepts on its clock at the time
            of the draw, which is then ``delivery.now``.  Given, they are
            used as they are and ``delivery.now`` is the signed time: such
            draws verify with ``delivery.verify()``, but an application on
            the real clock may refuse them as stale.
        ids: delivery ids (a strategy or one str); ``None`` lets the scheme
            make one up.  By default ``None`` or a short ASCII id, for
            schemes that send an id.
        path: the request path, for schemes that sign the URL.

    Raises:
        hooksig.ConfigurationError: an unknown scheme name (raised when called).

    .. versionadded:: 0.1
    """
    return genuine(_signer(signer), bodies, timestamps, ids, path)


def tampered_deliveries(
    signer: Signer | str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: Timestamps = None,
    ids: Ids = None,
    path: str | None = None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw deliveries altered after signing: ``delivery.verify()`` raises a VerificationError.

    Each draw is a genuine, fresh delivery with one change
    (``delivery.fault`` says which): a byte of the body replaced, a
    character of the signature replaced by another printable one, or the
    whole signature made with another key.  A body change the provider's
    signature does not cover (an equivalent Twilio form, the event data of
    Mailgun, any body under GitLab's token; see
    :func:`~hooksig.testing.equivalent_bodies`) is never drawn as tampering.

    Arguments are those of :func:`deliveries`.

    .. versionadded:: 0.1
    """
    chosen = _signer(signer)
    return tampered(chosen, genuine(chosen, bodies, timestamps, ids, path))


def stale_deliveries(
    signer: Signer | str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    ids: Ids = None,
    path: str | None = None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw authentic deliveries signed too long ago or too far ahead: ``verify()`` says stale.

    ``delivery.error`` is :class:`~hooksig.TimestampOutOfTolerance`: the
    signed time lies beyond the verifier's window around its clock, in the
    past (by a second or more) or in the future (a sender's clock running
    ahead, by a minute or more, so that the draw stays stale while your
    application checks it).

    Arguments are those of :func:`deliveries`, but for *timestamps*: the
    stale times are drawn here.

    Raises:
        hooksig.ConfigurationError: the scheme signs no timestamp, or the
            verifier has no replay window (``tolerance=math.inf``): such
            deliveries cannot be stale, and rely on the idempotency guard.

    .. versionadded:: 0.1
    """
    chosen = _signer(signer)
    window = chosen.verifier.replay_window
    if window is None:
        raise ConfigurationError(
            f"{chosen.scheme!r} deliveries cannot be stale: the scheme signs no timestamp "
            "or the verifier has no replay window"
        )
    sides = [
        (direction, bound, margin)
        for direction, bound, margin in (
            ("old", window.tolerance, 1),
            ("ahead", window.future, _FUTURE_MARGIN),
        )
        if bound is not None and bound != float("inf")
    ]

    return _stale(chosen, sides, bodies, ids, path)


# The composites are defined once, here: Hypothesis reads a composite's source when
# it is defined, which costs more than drawing from it.
@st.composite
def _stale(
    draw: st.DrawFn,
    chosen: Signer,
    sides: list[tuple[str, float, int]],
    bodies: st.SearchStrategy[Payload] | None,
    ids: Ids,
    path: str | None,
) -> SignedDelivery:
    """One authentic delivery signed beyond the window."""
    direction, bound, margin = draw(st.sampled_from(sides), label="direction")
    excess = draw(st.integers(margin, 10**6), label="seconds beyond the window")
    now = chosen.verifier.clock()
    offset = int(bound) + excess
    signed = int(now) - offset if direction == "old" else int(now) + 1 + offset
    delivery = draw(genuine(chosen, bodies, signed, ids, path))
    return dataclasses.replace(
        delivery,
        now=now,
        fault=f"signed {abs(signed - now):.0f}s {direction} of the clock",
        error=TimestampOutOfTolerance,
    )


def malformed_deliveries(
    signer: Signer | str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: Timestamps = None,
    ids: Ids = None,
    path: str | None = None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw deliveries with a broken signature or timestamp header: ``verify()`` refuses them.

    One header (or Mailgun body field) that carries the signature or the
    signed timestamp is removed, cut, upper-cased, prefixed with a stray
    ``=``, given a lookalike Unicode digit, or replaced by hostile text
    (empty, bare labels, signs and exponents, 9000 characters, any text).
    Values may hold characters an HTTP client refuses to send: verify these
    deliveries directly rather than through a test client.

    Arguments are those of :func:`deliveries`.

    .. versionadded:: 0.1
    """
    chosen = _signer(signer)
    return malformed(chosen, genuine(chosen, bodies, timestamps, ids, path))


def oversized_deliveries(
    signer: Signer | str,
    *,
    max_body_size: int = 1024,
    timestamps: Timestamps = None,
    ids: Ids = None,
    path: str | None = None,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw authentic deliveries whose body is over the limit: ``verify()`` raises PayloadTooLarge.

    The body is 1 to 256 bytes over the verifier's ``max_body_size`` and
    correctly signed, so the size alone is at fault.

    Args:
        signer: as for :func:`deliveries`; a :class:`~hooksig.testing.Signer`
            brings its verifier's own limit.
        max_body_size: the limit of the verifier built for a scheme name
            (small, so draws stay cheap); not used with a Signer.
        timestamps: as for :func:`deliveries`.
        ids: as for :func:`deliveries`.
        path: as for :func:`deliveries`.

    .. versionadded:: 0.1
    """
    chosen = Signer(signer, max_body_size=max_body_size) if isinstance(signer, str) else signer
    limit = chosen.verifier.max_body_size

    return _oversized(chosen, limit, timestamps, ids, path)


@st.composite
def _oversized(
    draw: st.DrawFn, chosen: Signer, limit: int, timestamps: Timestamps, ids: Ids, path: str | None
) -> SignedDelivery:
    """One authentic delivery whose body is over the limit."""
    over = draw(st.integers(1, 256), label="bytes over the limit")
    chunk = draw(st.binary(min_size=1, max_size=16), label="filler")
    body = padded(chosen.scheme, limit + over, chunk)
    delivery = draw(genuine(chosen, st.just(body), timestamps, ids, path))
    return dataclasses.replace(
        delivery,
        fault=f"body of {len(delivery.body)} bytes, over {limit}",
        error=PayloadTooLarge,
    )
