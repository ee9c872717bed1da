"""
The verifier's fast path for stock :class:`~hooksig.HmacScheme` and
:class:`~hooksig.AsymmetricScheme` declarations.

:meth:`hooksig.Verifier.verify` runs, for each delivery, the steps of
DESIGN.md through the scheme's public methods: that is a few hundred
Python operations, most of them re-deriving what the configuration already
fixes (lower-case header names, the labels, the template, the keyed HMAC
states).  A :class:`FastPath` derives all of it once, at construction, and
:meth:`FastPath.compile` returns one flat closure that walks a delivery in
a handful of C calls: where each header sits in a dict is remembered per
layout of header names, and the case-insensitive view of the headers is
only made if the handler reads ``Delivery.headers``.

It only ever *accepts*: whenever a delivery is anything but plainly well
formed (a header absent, repeated, too long or conflicting; an item that
is not ``key=value``; a signature that is not canonical or of the wrong
length; a bad timestamp or id) it answers :data:`DEFER`, and the general
path runs and raises the exact error it always raised.  The two paths are
held equal by ``tests/scheme/test_compiled.py``.  The match is constant time:
one ``hmac.compare_digest`` for one key and one signature, else
:func:`hooksig._primitives.compare.match_key` (every key against every candidate).
The refusals it leads to (no match, outside the replay window) are raised
here as the general path raises them.
"""

from __future__ import annotations

import re
import sys
from hmac import compare_digest
from typing import TYPE_CHECKING, Any, cast

from .._primitives import compare
from .._primitives.encoding import fast_decoder
from .._primitives.headers import MAX_HEADER_COUNT, MAX_HEADER_VALUE, Headers
from ..delivery import Delivery, _Fields
from ..errors import InvalidSignature
from .formats import (
    MAX_SIGNATURES,
    MAX_TIMESTAMP_DIGITS,
    TIMESTAMP_TEXT,
    Pairs,
    Plain,
    Versioned,
    id_grammar,
)

if TYPE_CHECKING:
    from ..keys import KeyRing
    from ._declared import _TemplateScheme

#: Returned by the compiled fast path when the general path must decide.
DEFER: Any = object()

_fromhex = bytes.fromhex
_LABEL = re.compile(r"[a-z0-9][a-z0-9_-]*")


#: Header layouts (name tuples) a fast path remembers; past that, each is worked out anew.
MAX_LAYOUTS = 64
_BODY, _TIMESTAMP, _ID = 0, 1, 2
_FIELDS = {"body": _BODY, "timestamp": _TIMESTAMP, "id": _ID}


def _names(value: str | tuple[str, ...] | None) -> tuple[tuple[str, str], ...]:
    names = () if value is None else (value,) if isinstance(value, str) else value
    return tuple((name.lower(), name) for name in names)


def plan(
    scheme: _TemplateScheme, keyed: tuple[tuple[str, Any], ...] | None, keys: KeyRing
) -> FastPath | None:
    """Return the fast path for *scheme*, or ``None`` where only the general path applies."""
    from .hmac import HmacScheme

    # Only the stock classes (a subclass may override any step).  AsymmetricScheme
    # is looked up where it is loaded: a scheme of that class has loaded it.
    asymmetric = sys.modules.get("hooksig.scheme.asymmetric")
    if type(scheme) is HmacScheme:
        if keyed is None or scheme.construction != "hmac":
            return None
    elif (
        asymmetric is None
        or type(scheme) is not asymmetric.AsymmetricScheme
        or not keys.verify_keys
    ):
        return None
    fmt = scheme.signature_format
    parts = scheme._parts
    if (
        not isinstance(scheme.content, str)
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
    return FastPath(scheme, keyed or (), keys)


class FastPath:
    """Everything about one scheme and key ring that no delivery changes."""

    __slots__ = (
        "_canonical", "_decoders", "_encoding", "_fmt", "_groups", "_id", "_id_field",
        "_id_signed", "_keyed", "_known", "_label", "_layouts", "_ms", "_name", "_parts",
        "_plain", "_prefix", "_public", "_sep", "_size", "_ts_key", "_verify_one", "_wanted",
    )  # fmt: skip

    def __init__(
        self, scheme: _TemplateScheme, keyed: tuple[tuple[str, Any], ...], keys: KeyRing
    ) -> None:
        self._name = scheme.name
        # HMAC: each key's keyed state.  Public keys: each key, and the scheme's check of one.
        self._keyed = tuple(
            (key_id, getattr(state, "_hmac", None) or state) for key_id, state in keyed
        )
        self._public = (
            () if keyed else tuple((key.key_id, key.material) for key in keys.verify_keys)
        )
        self._verify_one = getattr(scheme, "_verify_one", None)
        self._label = scheme._label
        # The headers read, as (lower-case, declared) names: signature, timestamp, id.
        self._groups = (
            _names(scheme.signature_header),
            _names(scheme.timestamp_header),
            _names(scheme.id_header),
        )
        self._wanted = frozenset(lower for group in self._groups for lower, _ in group)
        self._layouts: dict[tuple[str, ...], Any] = {}
        self._id_field = scheme.id_field
        self._id_signed = "id" in scheme._parts
        self._id = id_grammar(scheme._separators())
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
        size = self._size = scheme._signature_size(self._label)
        self._encoding = scheme.encoding
        self._canonical = None
        if self._ts_key and scheme.encoding == "hex" and size and self._label in self._known:
            # The usual Stripe-like value, "t=<digits><sep><label>=<lowercase hex>", in one
            # match: exactly what split() and decode() accept for it; anything else loops.
            self._canonical = re.compile(
                f"{re.escape(self._ts_key)}=([0-9]{{1,{MAX_TIMESTAMP_DIGITS}}})"
                f"{re.escape(self._sep)}{re.escape(self._label)}=([0-9a-f]{{{2 * size}}})"
            )
        # Plain: the one decoder of "<prefix><signature>" (None: no signature of ours).
        self._plain = self._decoders.get(self._prefix) if self._fmt == "plain" else None

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

    def _offered(self, value: str) -> Any:
        # The format's split() and the decoding: (timestamp text, [signatures]) or DEFER.
        if self._fmt == "plain":
            if self._plain is None or not value.startswith(self._prefix):
                return DEFER
            signature = self._plain(value[len(self._prefix) :])
            return DEFER if signature is None else (None, [signature])
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

    def _layout(self, names: tuple[Any, ...]) -> Any:
        # Where each header the scheme reads is among these names: for the
        # signature, the timestamp and the id, a tuple of (key as sent, declared
        # name).  DEFER unless the names are distinct str, case aside (else the
        # view's loop decides).  Learnt once per layout: a sender's names rarely vary.
        if len(names) > MAX_HEADER_COUNT or not all(type(name) is str for name in names):
            return DEFER
        sent = {name.lower(): name for name in names}
        if len(sent) != len(names):
            return DEFER
        layout = tuple(
            tuple((sent[lower], name) for lower, name in group if lower in sent)
            for group in self._groups
        )
        if len(self._layouts) < MAX_LAYOUTS:
            self._layouts[names] = layout
        return layout

    def _view_values(self, headers: Any) -> Any:
        # Step 1 for headers that are not a plain dict: (values, layout, view) or DEFER.
        headers = Headers.of(headers)  # raises the general path's MalformedSignature for junk
        if not headers._repeated.isdisjoint(self._wanted):
            return DEFER
        values = headers._values
        layout = self._layouts.get(tuple(values)) or self._layout(tuple(values))
        return DEFER if layout is DEFER else (values, layout, headers)

    def _match(
        self, body: bytes, ts_text: str | None, delivery_id: str | None, offered: list[bytes]
    ) -> str | None:
        # Step 3: the signed content through each key's HMAC state; the matching key id.
        texts = (body, (ts_text or "").encode("ascii"), (delivery_id or "").encode("ascii"))
        digests = []
        for key_id, state in self._keyed:
            mac = state.copy()
            for part in self._parts:
                mac.update(texts[part] if type(part) is int else part)
            digests.append((key_id, mac.digest()))
        return compare.match_key(digests, offered)

    def _match_public(
        self, body: bytes, ts_text: str | None, delivery_id: str | None, offered: list[bytes]
    ) -> str | None:
        # Step 3 for public keys: AsymmetricScheme.match() over the content, joined once.
        texts = (body, (ts_text or "").encode("ascii"), (delivery_id or "").encode("ascii"))
        parts: Any = self._parts
        content = b"".join([texts[part] if type(part) is int else part for part in parts])
        verify_one: Any = self._verify_one
        found = None
        for key_id, key in self._public:
            for signature in offered:
                if verify_one(key, signature, content) and found is None:
                    found = key_id
        return found

    def _content_format(self) -> Any:
        # The signed content around the body as str.format() templates of
        # (timestamp, id): (head, tail), or None when the body is not there once.
        if self._parts.count(_BODY) != 1:
            return None
        split = self._parts.index(_BODY)
        fields = {_TIMESTAMP: "{0}", _ID: "{1}"}

        def template(parts: tuple[Any, ...]) -> str:
            return "".join(
                fields[part]
                if type(part) is int
                else part.decode("utf-8").replace("{", "{{").replace("}", "}}")
                for part in parts
            )

        return template(self._parts[:split]), template(self._parts[split + 1 :])

    def compile(self) -> Any:  # noqa: PLR0915 - the closure below is flat on purpose
        """
        The hot path as one closure: ``verify(body, headers, now, clock, window)``.

        The steps of DESIGN.md for a well-formed delivery, written out flat
        (on a small body each Python call costs about as much as the HMAC
        itself), with the usual shapes inline: one signature header, one key,
        one offered signature.  Rotation and multi-signature headers go
        through :meth:`_match`; a header sent under two of its names, and
        anything not plainly well formed, is DEFERred to the general path.
        """
        view_values, offered_of = self._view_values, self._offered
        match = self._match_public if self._public else self._match
        name, id_field, id_signed, ms = self._name, self._id_field, self._id_signed, self._ms
        plain, prefix, skip = self._plain, self._prefix, len(self._prefix)
        layouts, learn = self._layouts, self._layout
        size = self._size if self._encoding == "hex" and plain is not None else None
        hex_size = 0 if not size else skip + 2 * size
        canonical = None if self._canonical is None else self._canonical.fullmatch
        # Versioned, or Pairs without a timestamp: one "<label><mark><signature>" item.
        lead = (
            f"{self._label}{'=' if self._fmt == 'pairs' else ','}"
            if self._fmt != "plain" and self._ts_key is None and self._label in self._known
            else None
        )
        lead_decoder: Any = self._decoders.get(self._label)
        sep = self._sep
        ts_group, ts_key, id_grammar = bool(self._groups[1]), self._ts_key, self._id.fullmatch
        ts_grammar = TIMESTAMP_TEXT.fullmatch
        content = self._content_format() if len(self._keyed) == 1 else None
        head, tail = content or ("", "")
        key_id, state = self._keyed[0] if content else ("", None)
        state = cast(Any, state)
        (fields_at_head, fields_at_tail) = ("{" in head, "{" in tail)
        head_bytes, tail_bytes = head.encode("utf-8"), tail.encode("utf-8")

        def verify(  # noqa: PLR0911, PLR0912, PLR0915 - flat on purpose, see compile()
            body: bytes, headers: Any, now: float | None, clock: Any, window: Any
        ) -> Any:
            if type(headers) is dict:  # the common case, inline: the view is made on first use
                try:
                    "".join(headers.values())
                except TypeError:
                    return DEFER
                values = headers
                layout = layouts.get(tuple(headers))
                if layout is None:
                    layout = learn(tuple(headers))
                    if layout is DEFER:
                        return DEFER
            else:
                found = view_values(headers)
                if found is DEFER:
                    return DEFER
                values, layout, headers = found
            signature_at, timestamp_at, id_at = layout
            if len(signature_at) != 1 or len(timestamp_at) > 1 or len(id_at) > 1:
                return DEFER  # a header sent under two of its names: Headers.first_of() decides
            ((key, header),) = signature_at
            value = values[key]
            if len(value) > MAX_HEADER_VALUE:
                return DEFER
            # The signature: the usual forms inline, any other through the format's split().
            ts_text = None
            if hex_size and len(value) == hex_size and value.startswith(prefix):
                # fast_decoder()'s hex, inline: lowercase hex of the digest's size only.
                text = value[skip:]
                try:
                    signature = _fromhex(text)
                except ValueError:
                    return DEFER
                if signature.hex() != text:
                    return DEFER
                offered = [signature]
            elif canonical is not None and (matched := canonical(value)) is not None:
                ts_text, offered = matched[1], [_fromhex(matched[2])]
            elif lead is not None and value.startswith(lead) and sep not in value:
                decoded = lead_decoder(value[len(lead) :])
                if decoded is None:
                    return DEFER
                offered = [decoded]
            else:
                parsed = offered_of(value)
                if parsed is DEFER:
                    return DEFER
                ts_text, offered = parsed  # several (rotation), or only another version's
            # The timestamp and the id, with the grammars of parse_timestamp() and check_id().
            if ts_group:
                if not timestamp_at:
                    return DEFER
                ts_text = values[timestamp_at[0][0]]
            elif ts_key is not None and ts_text is None:
                return DEFER
            timestamp: Any = None  # int seconds, or float where the header is in ms
            if ts_text is not None:
                if ts_grammar(ts_text) is None:
                    return DEFER
                timestamp = int(ts_text) / 1000 if ms else int(ts_text)
            delivery_id = None
            if id_at:
                delivery_id = values[id_at[0][0]]
                if id_grammar(delivery_id) is None:
                    return DEFER
            elif id_signed:
                return DEFER
            # The match: one key and one signature inline, else every pair in match_key().
            if content is None or len(offered) != 1:
                matched_key = match(body, ts_text, delivery_id, offered)
            else:
                mac = state.copy()
                if fields_at_head:
                    mac.update(head.format(ts_text or "", delivery_id or "").encode("utf-8"))
                elif head_bytes:
                    mac.update(head_bytes)
                mac.update(body)
                if fields_at_tail:
                    mac.update(tail.format(ts_text or "", delivery_id or "").encode("utf-8"))
                elif tail_bytes:
                    mac.update(tail_bytes)
                matched_key = key_id if compare_digest(mac.digest(), offered[0]) else None
            if matched_key is None:
                raise InvalidSignature(
                    f"no configured key matches the signature in {header}", header=header
                )
            if timestamp is not None:
                if window is not None:
                    current = clock() if now is None else now
                    age = current - timestamp
                    # Inside the window needs no call; anything else (NaN too) gets check()'s.
                    if not (age <= window.tolerance and -age <= window.future):
                        window.check(float(timestamp), now=current, header=header)
                if ms:
                    timestamp = int(timestamp)
            # A Delivery through its writable twin (see delivery._Fields): a third of the cost.
            delivery = _Fields(name, delivery_id, timestamp, matched_key, body, headers, id_field)
            delivery.__class__ = Delivery
            return delivery

        return verify
