"""
The compiled route of a declared scheme: its steps fused for one key ring.

:meth:`hooksig.Verifier.verify` runs, for each delivery, the steps of
DESIGN.md through the scheme's public methods: a few hundred Python
operations, most of them re-deriving what the declaration already fixes
(lower-case header names, the labels, the template, the keyed HMAC states).
A declared scheme's ``compile()`` hands this module a :class:`RoutePlan`,
everything about the scheme and the key ring that no delivery changes, and
:func:`compile_route` returns one closure that walks a delivery with the
same grammar functions as the general route (the format's ``split``,
the codecs of :mod:`hooksig._primitives.encoding`, the timestamp and id grammars)
and the key ring's keyed states, without building a headers view, a
:class:`~hooksig.Request` or a :class:`~hooksig.ParsedSignature`.

It reads the header shapes adapters already have: a plain ``dict`` of
``str``, ASGI's list of ``(bytes, bytes)`` pairs, a WSGI environ or Django
``META`` viewed by :meth:`~hooksig.Headers.from_environ`, or any other
:class:`~hooksig.Headers` view (through ``first_of``), and only the names
the scheme reads.  Where a header sits is remembered per layout of names.

It only ever *accepts*: whenever a delivery is anything but plainly well
formed (a header absent, repeated, too long or conflicting; an item that
does not parse; a signature that is not canonical; a bad timestamp or id)
it answers ``None``, and the general route runs and raises the exact error
it always raises.  ``tests/scheme/test_compiled.py`` holds the two routes
equal.  The refusals it leads to (no key matches, outside the replay
window) are raised here as the general route raises them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from hmac import compare_digest
from itertools import zip_longest
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .._primitives.compare import match_key
from .._primitives.encoding import Encoding, decoder, encoder
from .._primitives.headers import (
    MAX_HEADER_COUNT,
    MAX_HEADER_VALUE,
    EnvironHeaders,
    Headers,
    environ_key,
)
from ..delivery import Delivery, IdReader
from ..errors import InvalidSignature, MalformedSignature
from .formats import TIMESTAMP_TEXT, id_grammar
from .ids import FirstOf, HeaderField

if TYPE_CHECKING:
    from ..keys import KeyedMac
    from .protocol import CompiledRoute

__all__ = ["MAX_LAYOUTS", "RoutePlan", "compile_route"]

#: Header layouts (name tuples) a route remembers; past that, each is worked out anew.
MAX_LAYOUTS = 64

Split = Callable[[str, str], "tuple[str | None, list[tuple[str, str]]]"]


@dataclass(frozen=True, kw_only=True)
class RoutePlan:
    """
    Everything about one declared scheme and key ring that no delivery changes.

    Built by the scheme from its own declaration (``_TemplateScheme._plan``);
    this module reads nothing else of the scheme.
    """

    name: str
    signature_names: tuple[str, ...]
    timestamp_names: tuple[str, ...]
    id_names: tuple[str, ...]
    id_signed: bool
    id_reader: IdReader | None
    split: Split
    #: The format's usual value, read without splitting: the timestamp's lead ("" if
    #: none), our item's lead and the separator (``Pairs.leads()``: ``("t=", "v1=",
    #: ",")``; ``Versioned.leads()``: ``("", "v1,", " ")``); ``None`` to split always.
    lone: tuple[str, str, str] | None
    #: The format is Plain: one signature after a prefix, which is our label.
    one_item: bool
    needs_timestamp: bool
    #: Accepted label -> decoded signature size (None: any).
    sizes: Mapping[str, int | None]
    #: The label this key ring's signatures carry.
    label: str
    encoding: Encoding
    milliseconds: bool
    #: The content template: literal bytes, or "body", "timestamp", "id".
    parts: tuple[bytes | str, ...]
    separators: str
    macs: tuple[tuple[str, KeyedMac], ...] = ()
    public_keys: tuple[tuple[str, object], ...] = ()
    verify_one: Callable[[object, bytes, bytes], bool] | None = None


#: A layout not learnt yet.
_UNKNOWN: Any = object()


def _layout_of(
    groups: tuple[tuple[tuple[str, str], ...], ...], sent: tuple[Any, ...], *, by_position: bool
) -> tuple[Any, str, Any, Any, Any] | None:
    """
    Where the headers the scheme reads sit among the names *sent*.

    ``(signature key, its declared name, timestamp key, id key, id source
    key)``, a key being the name as sent, or its position *by_position*
    (``None``: absent); ``None`` unless the names are
    distinct ``str`` (or distinct ``bytes``) case aside, and each header is
    sent under one of its names at most, the signature's present.  Anything
    else is the headers view's to decide.  The id source's header sent
    under two of its names is left to the source itself (``None``).
    """
    if len(sent) > MAX_HEADER_COUNT:
        return None
    kind = type(sent[0]) if sent else str
    if kind is not str and kind is not bytes:
        return None
    lowered: dict[str, Any] = {}
    for position, key in enumerate(sent):
        if type(key) is not kind:
            return None
        text = key.decode("latin-1") if isinstance(key, bytes) else key
        lowered[text.lower()] = position if by_position else key
    if len(lowered) != len(sent):
        return None
    present = [
        [(lowered[lower], name) for lower, name in group if lower in lowered] for group in groups
    ]
    signature_at, timestamp_at, id_at, source_at = present
    if len(signature_at) != 1 or len(timestamp_at) > 1 or len(id_at) > 1:
        return None  # absent, or sent under two of its names: first_of() decides
    return (
        signature_at[0][0],
        signature_at[0][1],
        timestamp_at[0][0] if timestamp_at else None,
        id_at[0][0] if id_at else None,
        source_at[0][0] if len(source_at) == 1 else None,
    )


def _source_names(reader: IdReader | None) -> tuple[str, ...]:
    """
    The header names the id source reads first, if it is a plain `HeaderField`
    (alone, or leading a `FirstOf`): that id is read with the signature.
    """
    lead = reader.sources[0] if type(reader) is FirstOf and reader.sources else reader
    return lead.names if type(lead) is HeaderField else ()


def _picker(
    parts: tuple[bytes | str, ...],
) -> tuple[Callable[[tuple[bytes, ...]], Any] | None, Callable[[tuple[bytes, ...]], Any] | None]:
    """
    How the signed content's pieces are picked from ``(body, timestamp, id) + literals``.

    ``(pick, head)``: *pick* gives every piece in one call (``None`` where the
    content is the body alone); *head*, where a final body follows two or more
    pieces, gives those pieces, which the route joins into one: an update of the
    MAC costs more than joining a few short pieces.
    """
    fields = {"body": 0, "timestamp": 1, "id": 2}
    literal = iter(range(3, 3 + len(parts)))
    index = [next(literal) if isinstance(part, bytes) else fields[part] for part in parts]
    if len(index) == 1:  # the body alone: a template without it signs body fields,
        return None, None  # and such a scheme never compiles
    before = index[:-1]
    head = itemgetter(*before) if index[-1] == 0 and 0 not in before and len(before) > 1 else None
    return itemgetter(*index), head


def compile_route(plan: RoutePlan) -> CompiledRoute:  # noqa: PLR0915 - one flat closure
    """
    The route as one closure: ``route(body, headers, now, clock, window) -> Delivery | None``.

    On a small body each Python call costs about as much as the HMAC itself,
    so the steps are written out flat; each calls the general route's
    grammar function for its rule.
    """
    groups = tuple(
        tuple((name.lower(), name) for name in group)
        for group in (
            plan.signature_names,
            plan.timestamp_names,
            plan.id_names,
            _source_names(plan.id_reader),
        )
    )
    # The same names as a WSGI environ has them: HTTP_X_NAME, CONTENT_TYPE.
    environ_groups = tuple(
        tuple((environ_key(lower).lower(), name) for lower, name in group) for group in groups
    )
    # Learnt layouts: of a dict's keys, of the names in a list of pairs, of an environ's keys.
    layouts: dict[tuple[Any, ...], tuple[Any, str, Any, Any, Any] | None] = {}
    positions: dict[tuple[Any, ...], tuple[Any, str, Any, Any, Any] | None] = {}
    environs: dict[tuple[Any, ...], tuple[Any, str, Any, Any, Any] | None] = {}
    split, label = plan.split, plan.label
    decoders = {kind: decoder(plan.encoding, size) for kind, size in plan.sizes.items()}
    decode_ours, one_item, skip = decoders[label], plan.one_item, len(label)
    # "\0" starts no header value: without leads, every value goes to split().
    ts_lead, lead, lone_sep = plan.lone or ("", "\0", "")
    ts_skip, after_lead = len(ts_lead), len(lead)
    ts_group, needs_timestamp, ms = (
        bool(plan.timestamp_names),
        plan.needs_timestamp,
        plan.milliseconds,
    )
    id_text, timestamp_text = id_grammar(plan.separators).fullmatch, TIMESTAMP_TEXT.fullmatch
    source_text = id_grammar("").fullmatch  # HeaderField's rule for an id
    id_signed, reader, name = plan.id_signed, plan.id_reader, plan.name
    macs, public_keys, verify_one = plan.macs, plan.public_keys, plan.verify_one
    # One key (no rotation): its keyed states, copied here for each delivery.  This
    # is KeyedMac.digest() inline, a call less on the hottest line (~3% at 256 B).
    single_id, single = macs[0] if len(macs) == 1 else ("", None)
    inner = None if single is None else single.inner
    outer = None if single is None else single.outer
    # With one key, our lone signature is compared as sent with the digest's canonical
    # text, which the decoder accepts for the digest and for nothing else; it is
    # decoded only when they differ, to tell a malformed signature from a wrong one.
    # (A keyed state's label has the digest's size: HmacScheme._signature_size.)
    by_text = inner is not None
    encode_ours = encoder(plan.encoding)
    pick, head = _picker(plan.parts)
    literals = tuple(part for part in plan.parts if isinstance(part, bytes))

    def from_view(view: Headers) -> tuple[Any, ...] | None:
        # A view (any Headers, such as a framework's adapted headers): its own lookups.
        try:
            found = view.first_of(plan.signature_names)
            ts_found = view.first_of(plan.timestamp_names) if ts_group else None
            id_found = view.first_of(plan.id_names) if plan.id_names else None
        except MalformedSignature:
            return None
        if found is None:
            return None
        return (
            found[1],
            found[0],
            None if ts_found is None else ts_found[1],
            None if id_found is None else id_found[1],
        )

    def _offered(items: list[tuple[str, str]]) -> tuple[list[bytes], bool]:
        # Our signatures among the items, each accepted one decoded (v1a beside v1 too).
        offered, accepted = [], False
        for kind, text in items:
            decode = decoders.get(kind)
            if decode is not None:
                signature = decode(text)
                accepted = True
                if kind == label:
                    offered.append(signature)
        return offered, accepted

    def route(  # noqa: PLR0911, PLR0912, PLR0915 - flat on purpose, see compile_route()
        body: bytes, headers: Any, now: float | None, clock: Any, window: Any
    ) -> Delivery | None:
        # The headers: only the values the scheme reads, from the shape given.
        values: Any
        if type(headers) is dict:
            values, learnt = headers, layouts
            try:
                "".join(values.values())  # every value a str, as the view requires
            except TypeError:
                return None
        elif type(headers) is list:  # ASGI's raw (bytes, bytes) pairs
            if len(headers) > MAX_HEADER_COUNT:
                return None
            try:
                # Unpacked as the view unpacks each pair: a pair of another length fails
                # here (a third list, or a None fill that is no bytes value).
                names, texts = zip_longest(*headers)
                b"".join(texts)  # every value bytes
            except (TypeError, ValueError):
                return None
            values, learnt = texts, positions
        elif type(headers) is EnvironHeaders:  # a WSGI environ or Django's META, copied
            values, learnt = headers.environ, environs
        elif isinstance(headers, Headers):
            read = from_view(headers)
            if read is None:
                return None
            value, header, ts_value, delivery_id = read
            values, source_id = None, None
        else:
            return None
        if values is not None:
            sent = names if learnt is positions else tuple(values)
            layout = learnt.get(sent, _UNKNOWN)
            if layout is _UNKNOWN:
                layout = _layout_of(
                    environ_groups if learnt is environs else groups,
                    sent,
                    by_position=learnt is positions,
                )
                if len(learnt) < MAX_LAYOUTS:
                    learnt[sent] = layout
            if layout is None:
                return None
            key, header, ts_key, id_key, source_key = layout
            value = values[key]
            ts_value = None if ts_key is None else values[ts_key]
            delivery_id = None if id_key is None else values[id_key]
            source_id = None if source_key is None else values[source_key]
            if learnt is environs and not (
                type(value) is str
                and (ts_value is None or type(ts_value) is str)
                and (delivery_id is None or type(delivery_id) is str)
                and (source_id is None or type(source_id) is str)
            ):
                return None  # PEP 3333 makes a header a str: the view refuses anything else
            if type(value) is bytes:  # the latin-1 text of the bytes, as the view reads them
                value = value.decode("latin-1")
                ts_value = None if ts_value is None else ts_value.decode("latin-1")
                delivery_id = None if delivery_id is None else delivery_id.decode("latin-1")
                source_id = None if source_id is None else source_id.decode("latin-1")
        if len(value) > MAX_HEADER_VALUE or (
            ts_value is not None and len(ts_value) > MAX_HEADER_VALUE
        ):
            return None
        # The signature header, split and decoded as parse() does.
        try:
            if one_item:  # Plain: the value is the prefix (our label), then the signature
                if not value.startswith(label):
                    return None
                ts_text, ours = None, value[skip:]
            else:
                # The usual value, as split() reads it: our one item, after the timestamp's
                # where the format has one ("t=<ts>,v1=<sig>", "v1,<sig>").
                ts_text, rest, ours = None, value, None
                if ts_lead:
                    first, cut, rest = value.partition(lone_sep)
                    if cut and first.startswith(ts_lead):
                        ts_text = first[ts_skip:] or None
                    else:
                        rest = ""
                if rest.startswith(lead) and lone_sep not in rest:
                    ours = rest[after_lead:]
                else:
                    ts_text, items = split(value, header)
                    if len(items) == 1 and items[0][0] == label:  # ours alone, all the same
                        ours, accepted = items[0][1], True
                    else:
                        offered, accepted = _offered(items)
                    if not accepted:
                        return None
            if ours is not None and not by_text:
                offered, ours = [decode_ours(ours)], None
        except MalformedSignature:
            return None
        # The timestamp and the id, with parse()'s grammars.
        if ts_group:
            if ts_value is None:
                return None
            ts_text = ts_value
        elif needs_timestamp and ts_text is None:
            return None
        timestamp: Any = None  # int seconds, or float where the header is in ms
        if ts_text is not None:
            if timestamp_text(ts_text) is None:  # parse_timestamp()'s grammar
                return None
            timestamp = int(ts_text) / 1000 if ms else int(ts_text)
        if delivery_id is not None:
            if id_text(delivery_id) is None:
                return None
        elif id_signed:
            return None
        # The signed content, in pieces (the body one of them), through each key.
        if pick is None:
            pieces: Any = (body,)
        else:
            stamp = b"" if ts_text is None else ts_text.encode("ascii")
            ident = b"" if delivery_id is None else delivery_id.encode("ascii")
            source = (body, stamp, ident) + literals  # noqa: RUF005 - one C call
            pieces = (b"".join(head(source)), body) if head is not None else pick(source)
        if inner is not None and (ours is not None or len(offered) == 1):
            # match_key() for one key and one candidate is one compare: of bytes (a
            # digest, a decoded signature: bytes_eq()'s type check skipped), or of our
            # signature as sent with the digest's canonical text (see by_text).
            state = inner.copy()
            for piece in pieces:
                state.update(piece)
            digest = state.digest()
            if outer is not None:
                state = outer.copy()
                state.update(digest)
                digest = state.digest()
            if ours is None:
                key_id = single_id if compare_digest(digest, offered[0]) else None
            else:
                try:
                    matched = compare_digest(encode_ours(digest), ours)
                except TypeError:  # text that is not ASCII, so not canonical
                    matched = False
                if matched:
                    key_id = single_id
                else:  # decoded, to tell a malformed signature from a wrong one
                    try:
                        decode_ours(ours)
                    except MalformedSignature:
                        return None
                    key_id = None
        elif macs:
            key_id = match_key([(key, mac.digest(pieces)) for key, mac in macs], offered)
        else:
            key_id = _match_public(pieces, offered)
        if key_id is None:
            raise InvalidSignature(
                f"no configured key matches the signature in {header}", header=header
            )
        if timestamp is not None:
            if window is not None:
                current = clock() if now is None else now
                age = current - timestamp
                # Inside the window needs no call; anything else (NaN too) gets check()'s error.
                if not (age <= window.tolerance and -age <= window.future):
                    window.check(float(timestamp), now=current, header=header)
            if ms:
                timestamp = int(timestamp)
        if source_id is not None and source_text(source_id) is None:
            source_id = None  # not an id: the source itself reads on (FirstOf's next)
        return Delivery(
            name,
            delivery_id if reader is None else source_id,
            timestamp,
            key_id,
            body,
            headers,
            reader,
        )

    def _match_public(pieces: list[bytes], offered: list[bytes]) -> str | None:
        # AsymmetricScheme.match() over the content, joined once.
        content = b"".join(pieces)
        found = None
        assert verify_one is not None  # noqa: S101 - set with public_keys
        for key_id, key in public_keys:
            for signature in offered:
                if verify_one(key, signature, content) and found is None:
                    found = key_id
        return found

    return route
