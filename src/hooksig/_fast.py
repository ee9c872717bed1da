"""
The verifier's fast path for stock :class:`~hooksig.HmacScheme` declarations.

:meth:`hooksig.Verifier.verify` runs, for each delivery, the steps of
DESIGN.md through the scheme's public methods: that is a few hundred
Python operations, most of them re-deriving what the configuration already
fixes (lower-case header names, the labels, the template, the keyed HMAC
states).  A :class:`FastPath` derives all of it once, at construction, and
then walks one delivery with a handful of calls.

It only ever *accepts*: whenever a delivery is anything but plainly well
formed (a header absent, repeated, too long or conflicting; an item that
is not ``key=value``; a signature that is not canonical or of the wrong
length; a bad timestamp or id) it answers :data:`DEFER`, and the general
path runs and raises the exact error it always raised.  The two paths are
held equal by ``tests/test_fast_path.py``.  The match is the general one
(:func:`hooksig._compare.match_key`: every key against every candidate, in
constant time); the refusals it leads to (no match, outside the replay
window) are raised here as the general path raises them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import _compare
from ._encoding import fast_decoder
from ._formats import MAX_ID_LENGTH, MAX_SIGNATURES, MAX_TIMESTAMP_DIGITS, Pairs, Plain, Versioned
from ._headers import MAX_HEADER_VALUE, view
from .delivery import _delivery
from .errors import InvalidSignature

if TYPE_CHECKING:
    from .replay import ReplayWindow
    from .scheme import HmacScheme

#: Returned by :meth:`FastPath.verify` when the general path must decide.
DEFER: Any = object()

_LABEL = re.compile(r"[a-z0-9][a-z0-9_-]*")
_BODY, _TIMESTAMP, _ID = 0, 1, 2
_FIELDS = {"body": _BODY, "timestamp": _TIMESTAMP, "id": _ID}


def _names(value: str | tuple[str, ...] | None) -> tuple[tuple[str, str], ...]:
    names = () if value is None else (value,) if isinstance(value, str) else value
    return tuple((name.lower(), name) for name in names)


def _read(values: dict[str, str], repeated: frozenset[str], names: Any) -> Any:
    """Headers.first_of() for well-formed headers: ``(name, value)``, None, or DEFER."""
    found = None
    for lower, name in names:
        value = values.get(lower)
        if value is None:
            continue
        if len(value) > MAX_HEADER_VALUE or lower in repeated:
            return DEFER
        if found is None:
            found = (name, value)
        elif found[1] != value:
            return DEFER
    return found


def plan(scheme: HmacScheme, keyed: tuple[tuple[str, Any], ...] | None) -> FastPath | None:
    """Return the fast path for *scheme*, or ``None`` where only the general path applies."""
    from .scheme import HmacScheme

    fmt = scheme.signature_format
    parts = scheme._parts
    if (
        keyed is None
        or type(scheme) is not HmacScheme  # a subclass may override any step
        or scheme.construction != "hmac"
        or not isinstance(scheme.content, str)
        or scheme.url_variants is not None
        or scheme.all_signature_headers
        or scheme.timestamp_unit not in ("s", "ms")
        or type(fmt) not in (Plain, Pairs, Versioned)
        or "body" not in parts
        or any(part in ("url", "method") for part in parts)
    ):
        return None
    for names in (scheme.signature_header, scheme.timestamp_header, scheme.id_header):
        if any(name.startswith("body.") for _, name in _names(names)):
            return None
    return FastPath(scheme, keyed)


class FastPath:
    """Everything about one scheme and key ring that no delivery changes."""

    __slots__ = (
        "_canonical", "_decoders", "_fmt", "_forbidden", "_id_field", "_id_names", "_id_signed",
        "_keyed", "_known", "_label", "_ms", "_name", "_parts", "_prefix", "_sep", "_sig_names",
        "_sig_one", "_ts_key", "_ts_names",
    )  # fmt: skip

    def __init__(self, scheme: HmacScheme, keyed: tuple[tuple[str, Any], ...]) -> None:
        self._name = scheme.name
        self._keyed = tuple(
            (key_id, getattr(state, "_hmac", None) or state) for key_id, state in keyed
        )
        self._label = scheme._label
        self._sig_names = _names(scheme.signature_header)
        self._sig_one = self._sig_names[0] if len(self._sig_names) == 1 else None
        ts_header = scheme.timestamp_header
        self._ts_names = _names(ts_header) if ts_header is not None else None
        self._id_names = _names(scheme.id_header) if scheme.id_header is not None else None
        self._id_field = scheme.id_field
        self._id_signed = "id" in scheme._parts
        self._forbidden = frozenset(scheme._separators())
        self._ms = scheme.timestamp_unit == "ms"
        self._parts = tuple(
            part if isinstance(part, bytes) else _FIELDS[part] for part in scheme._parts
        )
        self._decoders = {
            label: fast_decoder(scheme.encoding, scheme._signature_size(label))
            for label in scheme._candidate_labels()
        }
        fmt = scheme.signature_format
        self._fmt = (
            "plain"
            if isinstance(fmt, Plain)
            else "pairs"
            if isinstance(fmt, Pairs)
            else "versioned"
        )
        self._prefix = fmt.prefix if isinstance(fmt, Plain) else ""
        self._sep = fmt.separator if isinstance(fmt, (Pairs, Versioned)) else ""
        self._ts_key = fmt.timestamp_key if isinstance(fmt, Pairs) else None
        labels = {*self._decoders, self._ts_key}
        self._known = frozenset(x for x in labels if x and _LABEL.fullmatch(x))
        size = scheme._signature_size(self._label)
        self._canonical = None
        if self._ts_key and scheme.encoding == "hex" and size and self._label in self._known:
            # The usual Stripe-like value, "t=<digits><sep><label>=<lowercase hex>", in one
            # match: exactly what split() and decode() accept for it; anything else loops.
            self._canonical = re.compile(
                f"{re.escape(self._ts_key)}=([0-9]{{1,{MAX_TIMESTAMP_DIGITS}}})"
                f"{re.escape(self._sep)}{re.escape(self._label)}=([0-9a-f]{{{2 * size}}})"
            )

    def _split(self, value: str) -> Any:
        # Pairs and Versioned .split() for well-formed values: (timestamp, items) or DEFER.
        timestamp = None
        items = []
        known, ts_key = self._known, self._ts_key
        mark = "=" if self._fmt == "pairs" else ","
        for item in value.split(self._sep):
            key, found, text = item.partition(mark)
            if not found or (key not in known and not _LABEL.fullmatch(key)):
                return DEFER
            if key == ts_key:
                if timestamp is not None:
                    return DEFER
                timestamp = text
            else:
                items.append((key, text))
        if len(items) > MAX_SIGNATURES:
            return DEFER
        return timestamp, items

    def _signatures(self, values: dict[str, str], repeated: frozenset[str]) -> Any:
        # parse(), signature half: (header, timestamp text, [candidates of our label]) or DEFER.
        one = self._sig_one
        if one is not None:  # one name: _read() inline
            value = values.get(one[0])
            if value is None or len(value) > MAX_HEADER_VALUE or one[0] in repeated:
                return DEFER
            header = one[1]
        else:
            found = _read(values, repeated, self._sig_names)
            if found is None or found is DEFER:
                return DEFER
            header, value = found
        offered = self._offered(value)
        return DEFER if offered is DEFER else (header, *offered)

    def _offered(self, value: str) -> Any:
        # The format's split() and the decoding: (timestamp text, [signatures]) or DEFER.
        if self._canonical is not None:
            found = self._canonical.fullmatch(value)
            if found is not None:
                return found[1], [bytes.fromhex(found[2])]
        if self._fmt == "plain":
            if not value.startswith(self._prefix):
                return DEFER
            ts_text, items = None, [(self._prefix, value[len(self._prefix) :])]
        else:
            split = self._split(value)
            if split is DEFER:
                return DEFER
            ts_text, items = split
        decoders, label = self._decoders, self._label
        offered = []
        accepted = 0
        for kind, text in items:
            decoder = decoders.get(kind)
            if decoder is not None:
                signature = decoder(text)
                if signature is None:
                    return DEFER
                accepted += 1  # another accepted version (Standard Webhooks v1a) is parsed too
                if kind == label:
                    offered.append(signature)
        return (ts_text, offered) if accepted else DEFER

    def _fields(self, values: dict[str, str], repeated: frozenset[str], ts_text: Any) -> Any:
        # parse(), the rest: (timestamp text, timestamp, delivery id) or DEFER.
        if self._ts_names is not None:
            found = _read(values, repeated, self._ts_names)
            if found is None or found is DEFER:
                return DEFER
            ts_text = found[1]
        elif self._ts_key is not None and ts_text is None:
            return DEFER
        timestamp = None
        if ts_text is not None:
            if not (
                ts_text.isascii()
                and ts_text.isdigit()
                and len(ts_text) <= MAX_TIMESTAMP_DIGITS
                and (ts_text == "0" or ts_text[0] != "0")
            ):
                return DEFER
            timestamp = int(ts_text) / 1000 if self._ms else float(int(ts_text))
        if self._id_names is None:
            return ts_text, timestamp, None
        delivery_id = self._delivery_id(values, repeated)
        return DEFER if delivery_id is DEFER else (ts_text, timestamp, delivery_id)

    def _delivery_id(self, values: dict[str, str], repeated: frozenset[str]) -> Any:
        # The id, None, or DEFER (absent where signed, or not an id check_id() accepts).
        found = _read(values, repeated, self._id_names)
        if found is None or found is DEFER:
            return DEFER if found is DEFER or self._id_signed else None
        text = found[1]
        ok = (
            0 < len(text) <= MAX_ID_LENGTH
            and text.isascii()
            and text.isprintable()
            and " " not in text
            and self._forbidden.isdisjoint(text)
        )
        return text if ok else DEFER

    def verify(
        self, body: bytes, headers: Any, now: float | None, clock: Any, window: ReplayWindow | None
    ) -> Any:
        """Return the Delivery, DEFER, or raise the general path's refusal of a match."""
        headers = view(headers)
        values, repeated = headers._values, headers._repeated
        signatures = self._signatures(values, repeated)
        if signatures is DEFER:
            return DEFER
        header, ts_text, offered = signatures
        fields = self._fields(values, repeated, ts_text)
        if fields is DEFER:
            return DEFER
        ts_text, timestamp, delivery_id = fields
        texts = (body, (ts_text or "").encode("ascii"), (delivery_id or "").encode("ascii"))
        digests = []
        for key_id, state in self._keyed:
            mac = state.copy()
            for part in self._parts:
                mac.update(texts[part] if type(part) is int else part)
            digests.append((key_id, mac.digest()))
        matched = _compare.match_key(digests, offered)
        if matched is None:
            raise InvalidSignature(
                f"no configured key matches the signature in {header}", header=header
            )
        if timestamp is not None and window is not None:
            current = clock() if now is None else now
            age = current - timestamp
            # Inside the window needs no call; anything else (NaN too) gets check()'s refusal.
            if not (age <= window.tolerance and -age <= window.future):
                window.check(timestamp, now=current, header=header)
        return _delivery(
            self._name,
            delivery_id,
            None if timestamp is None else int(timestamp),
            matched,
            body,
            headers,
            self._id_field,
        )
