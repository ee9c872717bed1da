"""
Hypothesis strategies for webhook deliveries: genuine, tampered, stale, malformed and oversized.

Each strategy draws :class:`~hooksig.testing.SignedDelivery` objects for one
registered scheme.  A delivery carries the verifier that judges it, the
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

Bring your own payloads with ``bodies=``: a strategy of bytes (sent as
they are), text, or JSON-able values (serialised, or URL-encoded for
Twilio's forms).  The defaults are bodies each provider can really sign
(:func:`bodies`).

The verifier is built once per strategy (with a fresh key pair for
public-key schemes); pass ``verifier=`` to use your own, or ``secret=``,
``signing_key=`` and any :class:`~hooksig.Verifier` option.

This module needs the ``hypothesis`` extra: ``pip install "hooksig[hypothesis]"``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import dataclasses
import json
import math
import string
import urllib.parse
from typing import Any, TypeVar

from .. import schemes as _registry
from ..errors import (
    ConfigurationError,
    ExtraNotInstalled,
    PayloadTooLarge,
    TimestampOutOfTolerance,
    VerificationError,
    WebhookError,
)
from ..keys import SecretLike
from ..verifier import Verifier
from ._bodies import (
    BODY_PREFIX,
    Payload,
    _names,
    _set_field,
    body_fields,
    encode,
    equivalent_bodies,
    place_fields,
    shape,
)
from ._signing import (
    OTHER_SECRET,
    TEST_NOW,
    TEST_SECRET,
    TEST_URL,
    SignedDelivery,
    Signer,
    _key_options,
    _place_query,
)

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised by the no-extras run
    raise ExtraNotInstalled("hypothesis", "hypothesis") from None

__all__ = [
    "bodies",
    "deliveries",
    "malformed_deliveries",
    "oversized_deliveries",
    "scheme_names",
    "stale_deliveries",
    "tampered_deliveries",
]

T = TypeVar("T")

#: Form schemes whose providers sign a field sent twice (the values sorted).
_REPEATED_FIELDS = frozenset({"twilio", "twilio-sha256", "plivo", "braintree"})
#: Signed times drawn by default: 2001-09-09 to 2033-05-18, in Unix seconds.
_TIMESTAMPS = st.integers(min_value=1_000_000_000, max_value=2_000_000_000)
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


def _strategy(value: st.SearchStrategy[T] | T | None, default: st.SearchStrategy[T]) -> Any:
    """*value* as a strategy: *default* for None, itself for a strategy, else ``just``."""
    if value is None:
        return default
    if isinstance(value, st.SearchStrategy):
        return value
    return st.just(value)


def _ids(name: str) -> st.SearchStrategy[str | None]:
    """None (the scheme makes one up) or a plain ASCII id, for schemes that send an id."""
    scheme = _registry.get(name)
    if getattr(scheme, "id_header", None) is None:
        return st.none()
    # An id may not hold the separators of the signed content ("." in "{id}.{timestamp}").
    separators = scheme.info.id_forbidden
    allowed = "".join(c for c in _ID_CHARACTERS if c not in separators)
    return st.none() | st.text(allowed, min_size=1, max_size=24)


def scheme_names() -> st.SearchStrategy[str]:
    """
    Draw a registered scheme name (``"stripe"``, ``"github"``, ...), aliases included.

    .. versionadded:: 0.1
    """
    return st.sampled_from(_registry.names())


def _payloads(name: str) -> st.SearchStrategy[Payload]:
    """Payloads scheme *name* can sign, before encoding (see :func:`bodies`)."""
    kind = shape(name)
    if kind == "form":
        pairs = st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=20))
        if _registry.get(name).name in _REPEATED_FIELDS:
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


def bodies(name: str, *, timestamp: int = TEST_NOW) -> st.SearchStrategy[bytes]:
    """
    Draw bodies that provider *name* can sign.

    Any bytes for most providers; URL-encoded forms for Twilio (which signs
    the form fields), UTF-8 text for Trello (which signs characters), and
    JSON objects for Linear and Mailgun (which read fields of the body:
    Linear's ``webhookTimestamp`` is set to *timestamp*).

    Args:
        name: a registered scheme name.
        timestamp: the signed time, for schemes that read it from the body.

    .. versionadded:: 0.1
    """
    return _payloads(name).map(lambda value: encode(name, value, timestamp=timestamp))


def _signer(
    name: str,
    secret: SecretLike | None,
    signing_key: object | None,
    verifier: Verifier | None,
    options: dict[str, Any],
) -> Signer:
    """The Signer for a strategy: around *verifier*, or built from the key options."""
    if verifier is not None:
        if secret is not None or signing_key is not None or options:
            raise ConfigurationError("pass verifier= or key and verifier options, not both")
        return Signer(name, verifier=verifier)
    return Signer(name, secret=secret, signing_key=signing_key, **options)


def _genuine(
    signer: Signer,
    payloads: st.SearchStrategy[Payload] | None,
    timestamps: st.SearchStrategy[int] | int | None,
    ids: st.SearchStrategy[str | None] | str | None,
    path: str | None,
) -> st.SearchStrategy[SignedDelivery]:
    """Genuine deliveries signed by *signer* from the drawn payload, timestamp and id."""

    def sign(drawn: tuple[Payload, int, str | None]) -> SignedDelivery:
        """Sign one drawn (payload, timestamp, id)."""
        body, timestamp, id = drawn
        return signer.delivery(body, timestamp=timestamp, id=id, path=path)

    return st.tuples(
        _strategy(payloads, _payloads(signer.scheme)),
        _strategy(timestamps, _TIMESTAMPS),
        _strategy(ids, _ids(signer.scheme)),
    ).map(sign)


def deliveries(
    name: str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: st.SearchStrategy[int] | int | None = None,
    ids: st.SearchStrategy[str | None] | str | None = None,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    verifier: Verifier | None = None,
    path: str | None = None,
    **options: Any,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw genuine deliveries of provider *name*: ``delivery.verify()`` returns a Delivery.

    Args:
        name: a registered scheme name.
        bodies: your payload strategy: bytes, text or JSON-able values
            (see :meth:`hooksig.testing.Signer.delivery`); by default
            :func:`bodies`-like payloads.
        timestamps: signed times in Unix seconds (a strategy or one int);
            by default any time from 2001 to 2033.  ``delivery.now`` is the
            signed time, so every draw is fresh.
        ids: delivery ids (a strategy or one str); ``None`` lets the scheme
            make one up.  By default ``None`` or a short ASCII id, for
            schemes that send an id.
        secret: the shared secret (default :data:`~hooksig.testing.TEST_SECRET`).
        signing_key: the private key of a public-key scheme (default: fresh).
        verifier: sign and verify with this verifier instead.
        path: the request path, for schemes that sign the URL.
        options: more :class:`~hooksig.Verifier` options.

    Raises:
        hooksig.ConfigurationError: unknown scheme, unusable key, or
            *verifier* together with key options (raised when called).

    .. versionadded:: 0.1
    """
    signer = _signer(name, secret, signing_key, verifier, options)
    return _genuine(signer, bodies, timestamps, ids, path)


def _pairs(text: str) -> list[tuple[str, str]]:
    """The fields of a form or query string, in order."""
    return urllib.parse.parse_qsl(text, keep_blank_values=True)


def _field(delivery: SignedDelivery, name: str) -> str | None:
    """The value of header, ``body.*``, ``form.*`` or ``query.*`` field *name*, or None."""
    query = urllib.parse.urlsplit(delivery.url).query
    for prefix, text in (("form.", delivery.body.decode("latin-1")), ("query.", query)):
        if name.startswith(prefix):
            return dict(_pairs(text)).get(name[len(prefix) :])
    if not name.startswith(BODY_PREFIX):
        return delivery.headers.get(name)
    node: object = json.loads(delivery.body)
    for part in name[len(BODY_PREFIX) :].split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else json.dumps(node)


def _with_field(
    delivery: SignedDelivery,
    name: str,
    value: str | None,
    fault: str,
    error: type[WebhookError],
) -> SignedDelivery:
    """*delivery* with header or ``body.*`` field *name* set to *value* (None: removed)."""
    body, headers = delivery.body, dict(delivery.headers)
    if name.startswith(("form.", "query.")):
        prefix, key = name.split(".", 1)
        url = urllib.parse.urlsplit(delivery.url)
        text = body.decode("latin-1") if prefix == "form" else url.query
        pairs = [pair for pair in _pairs(text) if pair[0] != key]
        pairs += [] if value is None else [(key, value)]
        encoded = urllib.parse.urlencode(pairs)
        if prefix == "form":
            body = encoded.encode("ascii")
        else:
            new_url = urllib.parse.urlunsplit(url._replace(query=encoded))
            path = urllib.parse.urlsplit(new_url)
            return dataclasses.replace(
                delivery,
                url=new_url,
                path=path.path + (f"?{path.query}" if path.query else ""),
                fault=fault,
                error=error,
            )
    elif not name.startswith(BODY_PREFIX):
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    else:
        document = json.loads(body)
        if value is None:
            *parents, leaf = name[len(BODY_PREFIX) :].split(".")
            node = document
            for parent in parents:
                node = node[parent]
            del node[leaf]
        else:
            _set_field(document, name, value)
        body = json.dumps(document).encode("utf-8")
    return dataclasses.replace(delivery, body=body, headers=headers, fault=fault, error=error)


def _signature_fields(delivery: SignedDelivery) -> list[str]:
    """The headers (or body fields) of *delivery* that carry its signature."""
    declared = _names(getattr(_registry.get(delivery.scheme), "signature_header", None))
    found = [name for name in declared if _field(delivery, name) is not None]
    if not found:
        # A scheme that does not declare its header: the ones that change with the body.
        other = delivery.verifier.sign(delivery.body + b"\x00", timestamp=delivery.timestamp)
        found = sorted(name for name, value in delivery.headers.items() if other.get(name) != value)
    return found


def _signed_timestamp_fields(signer: Signer) -> list[str]:
    """The timestamp headers (or body fields) whose value the signature covers."""
    names = _names(getattr(_registry.get(signer.scheme), "timestamp_header", None))
    if not names:
        return []
    one = signer.delivery(timestamp=TEST_NOW, id="msg_probe")
    two = signer.delivery(timestamp=TEST_NOW + 1, id="msg_probe")
    if shape(signer.scheme) != "json" and one.body == two.body:
        signatures = _signature_fields(one)
        if all(_field(one, name) == _field(two, name) for name in signatures):
            return []
    return [name for name in names if _field(one, name) is not None]


_PRINTABLE = [chr(code) for code in range(0x21, 0x7F)]


def tampered_deliveries(
    name: str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: st.SearchStrategy[int] | int | None = None,
    ids: st.SearchStrategy[str | None] | str | None = None,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    verifier: Verifier | None = None,
    path: str | None = None,
    **options: Any,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw deliveries altered after signing: ``delivery.verify()`` raises a VerificationError.

    Each draw is a genuine delivery with one change (``delivery.fault``
    says which): a byte of the body replaced, a character of the
    signature replaced by another printable one, or the whole signature
    made with another key.  A body change the provider's signature does
    not cover (an equivalent Twilio form, the event data of Mailgun, any
    body under GitLab's token; see :func:`~hooksig.testing.equivalent_bodies`)
    is never drawn as tampering.

    Arguments are those of :func:`deliveries`.

    .. versionadded:: 0.1
    """
    signer = _signer(name, secret, signing_key, verifier, options)
    forger_secret = OTHER_SECRET if secret != OTHER_SECRET else TEST_SECRET
    forger = Verifier(
        name,
        public_url=signer.verifier.url_policy or TEST_URL,
        **_key_options(name, forger_secret, None, forger=True),
    )

    @st.composite
    def tamper(draw: st.DrawFn) -> SignedDelivery:
        """One genuine delivery with one change the signature covers."""
        delivery = draw(_genuine(signer, bodies, timestamps, ids, path))
        kind = draw(st.sampled_from(["body", "signature", "key"]), label="tampering")
        body = delivery.body
        if kind == "body" and body:
            index = draw(st.integers(0, len(body) - 1), label="body index")
            byte = draw(st.integers(0, 255).filter(lambda b: b != body[index]), label="byte")
            changed = body[:index] + bytes([byte]) + body[index + 1 :]
            if not equivalent_bodies(name, body, changed):
                return dataclasses.replace(
                    delivery,
                    body=changed,
                    fault=f"body byte {index} changed",
                    error=VerificationError,
                )
        if kind == "key":
            headers = forger.sign(
                body, timestamp=delivery.timestamp, id=delivery.id, url=delivery.url
            )
            forged, rest = place_fields(body, headers)
            url, rest = _place_query(delivery.url, rest)
            if rest != delivery.headers or forged != body or url != delivery.url:
                return dataclasses.replace(
                    delivery,
                    body=forged,
                    headers=rest,
                    url=url,
                    fault="signed with another key",
                    error=VerificationError,
                )
        target = draw(st.sampled_from(_signature_fields(delivery)), label="signature field")
        value = _field(delivery, target) or ""
        index = draw(st.integers(0, max(len(value) - 1, 0)), label="signature index")
        old = value[index : index + 1]
        new = draw(st.sampled_from(_PRINTABLE).filter(lambda c: c != old), label="character")
        return _with_field(
            delivery,
            target,
            value[:index] + new + value[index + 1 :],
            f"{target} character {index} changed",
            VerificationError,
        )

    return tamper()


def stale_deliveries(
    name: str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: st.SearchStrategy[int] | int | None = None,
    ids: st.SearchStrategy[str | None] | str | None = None,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    verifier: Verifier | None = None,
    path: str | None = None,
    **options: Any,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw authentic deliveries, judged too late or too early: ``verify()`` says stale.

    ``delivery.error`` is :class:`~hooksig.TimestampOutOfTolerance`:
    ``delivery.now`` lies beyond the verifier's tolerance, in the past or
    (a clock running ahead) in the future, by one second or more.

    Arguments are those of :func:`deliveries`.

    Raises:
        hooksig.ConfigurationError: the scheme signs no timestamp, or the
            verifier has no replay window (``tolerance=math.inf``): such
            deliveries cannot be stale, and rely on the idempotency guard.

    .. versionadded:: 0.1
    """
    signer = _signer(name, secret, signing_key, verifier, options)
    window = signer.verifier.replay_window
    if window is None:
        raise ConfigurationError(
            f"{name!r} deliveries cannot be stale: the scheme signs no timestamp "
            "or the verifier has no replay window"
        )
    bounds = [
        (direction, bound)
        for direction, bound in (("after", window.tolerance), ("before", window.future))
        if bound is not None and math.isfinite(bound)
    ]

    @st.composite
    def stale(draw: st.DrawFn) -> SignedDelivery:
        """One authentic delivery with ``now`` beyond the window."""
        delivery = draw(_genuine(signer, bodies, timestamps, ids, path))
        direction, bound = draw(st.sampled_from(bounds), label="direction")
        excess = draw(st.integers(1, 10**6), label="seconds beyond the window")
        offset = bound + excess
        now = delivery.timestamp + offset if direction == "after" else delivery.timestamp - offset
        return dataclasses.replace(
            delivery,
            now=float(now),
            fault=f"verified {offset:g}s {direction} the signed time",
            error=TimestampOutOfTolerance,
        )

    return stale()


def malformed_deliveries(
    name: str,
    *,
    bodies: st.SearchStrategy[Payload] | None = None,
    timestamps: st.SearchStrategy[int] | int | None = None,
    ids: st.SearchStrategy[str | None] | str | None = None,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    verifier: Verifier | None = None,
    path: str | None = None,
    **options: Any,
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
    signer = _signer(name, secret, signing_key, verifier, options)
    timestamp_fields = _signed_timestamp_fields(signer)

    @st.composite
    def malformed(draw: st.DrawFn) -> SignedDelivery:
        """One delivery with a broken signature or timestamp field."""
        delivery = draw(_genuine(signer, bodies, timestamps, ids, path))
        targets = _signature_fields(delivery) + timestamp_fields
        target = draw(st.sampled_from(targets), label="field")
        original = _field(delivery, target) or ""
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
        return _with_field(delivery, target, value, f"{target}: {how}", VerificationError)

    return malformed()


def _padded(name: str, size: int, chunk: bytes) -> Payload:
    """A payload of *size* bytes, of the shape scheme *name* signs."""
    kind = shape(name)
    if kind == "form":
        return [("Body", "x" * size)]
    if kind == "json":
        return {"padding": "x" * size}
    if kind == "text":
        return "x" * size
    return (chunk * (size // len(chunk) + 1))[:size]


def oversized_deliveries(
    name: str,
    *,
    max_body_size: int = 1024,
    timestamps: st.SearchStrategy[int] | int | None = None,
    ids: st.SearchStrategy[str | None] | str | None = None,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    verifier: Verifier | None = None,
    path: str | None = None,
    **options: Any,
) -> st.SearchStrategy[SignedDelivery]:
    """
    Draw authentic deliveries whose body is over the limit: ``verify()`` raises PayloadTooLarge.

    The body is 1 to 256 bytes over the verifier's ``max_body_size`` and
    correctly signed, so the size alone is at fault.

    Args:
        name: a registered scheme name.
        max_body_size: the limit of the verifier built here (ignored with
            *verifier*, whose own limit counts); small, so draws stay cheap.
        timestamps: as for :func:`deliveries`.
        ids: as for :func:`deliveries`.
        secret: as for :func:`deliveries`.
        signing_key: as for :func:`deliveries`.
        verifier: as for :func:`deliveries`.
        path: as for :func:`deliveries`.
        options: as for :func:`deliveries`.

    .. versionadded:: 0.1
    """
    if verifier is None:
        options["max_body_size"] = max_body_size
    signer = _signer(name, secret, signing_key, verifier, options)
    limit = signer.verifier.max_body_size

    @st.composite
    def oversized(draw: st.DrawFn) -> SignedDelivery:
        """One authentic delivery whose body is over the limit."""
        over = draw(st.integers(1, 256), label="bytes over the limit")
        chunk = draw(st.binary(min_size=1, max_size=16), label="filler")
        body = _padded(name, limit + over, chunk)
        delivery = draw(_genuine(signer, st.just(body), timestamps, ids, path))
        return dataclasses.replace(
            delivery,
            fault=f"body of {len(delivery.body)} bytes, over {limit}",
            error=PayloadTooLarge,
        )

    return oversized()
