"""
A form body's fields, decoded and sorted as they stream into the HMAC (Twilio).

Twilio signs every POST field as ``name || value``, decoded, sorted by name
and then by value, each pair once.  Parsing the body into strings and
joining them costs about three copies of a large body.  Here the body is
scanned once for the position of each field; short fields are decoded once
and kept, long ones are percent-decoded 8 KiB at a time whenever they are
compared or hashed.  What a verification holds above the body is then a
small constant, whatever the body's size.

The grammar is :func:`urllib.parse.parse_qsl`'s strict one, with
``keep_blank_values``: fields split on ``&``, each ``name=value`` (the first
``=`` splits), ``+`` is a space, ``%XX`` a byte, anything else as it is, and
each name and value strict UTF-8, both as sent and decoded.  Decoded text
is compared as UTF-8 bytes, which orders it by code point, as
twilio-python's ``sorted()`` does.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping, Sequence
from functools import cmp_to_key
from urllib.parse import unquote_to_bytes

from ..errors import MalformedSignature
from ._pieces import Pieces

#: More form fields than this is refused before sorting.
MAX_FORM_FIELDS = 1000
#: Fields of up to this many raw bytes are decoded once and kept; longer ones stream.
KEEP_FIELD = 1024
#: Raw bytes percent-decoded at a time.
CHUNK = 8 * 1024

#: A field's name or value: its decoded bytes, or its raw span (start, end) in the body.
Text = bytes | tuple[int, int]


def _malformed() -> MalformedSignature:
    return MalformedSignature("the form fields are malformed", reason="bad_form")


class FormFields:
    """The fields of one form body, located once and read on demand."""

    __slots__ = ("_body", "_fields")

    def __init__(self, body: bytes) -> None:
        self._body = body
        fields: list[tuple[Text, Text]] = []
        if body:
            if body.count(b"&") >= MAX_FORM_FIELDS:
                raise _malformed()
            start, size = 0, len(body)
            while start <= size:
                end = body.find(b"&", start)
                end = size if end == -1 else end
                equals = body.find(b"=", start, end)
                if equals == -1:  # "a&b", an empty field, a trailing "&"
                    raise _malformed()
                fields.append((self._text(start, equals), self._text(equals + 1, end)))
                start = end + 1
        self._fields = fields

    def _text(self, start: int, end: int) -> Text:
        if end - start > KEEP_FIELD:
            return (start, end)
        return b"".join(self._decoded(start, end))

    def _decoded(self, start: int, end: int) -> Iterator[bytes]:
        # Percent-decode body[start:end] a chunk at a time, never cutting an
        # escape, and check both the raw bytes and the result are UTF-8 (parse_qsl
        # decodes the body before the escapes): MalformedSignature if not.
        body = self._body
        check = codecs.getincrementaldecoder("utf-8")("strict").decode
        raw_decoder = codecs.getincrementaldecoder("utf-8")("strict")
        check_raw, pending = raw_decoder.decode, raw_decoder.getstate
        try:
            while start < end:
                stop = min(start + CHUNK, end)
                if stop < end:
                    cut = body.rfind(b"%", stop - 2, stop)
                    stop = stop if cut == -1 else cut
                raw = body[start:stop]
                # An ASCII chunk is UTF-8 by itself, but not after the first bytes of a
                # character cut at the chunk before ("\xc3" + "%A9%C3" + "\xa9").
                if not raw.isascii() or pending()[0]:
                    check_raw(raw)
                piece = unquote_to_bytes(raw.replace(b"+", b" "))
                check(piece)
                yield piece
                start = stop
            check_raw(b"", True)
            check(b"", True)
        except UnicodeDecodeError:
            raise _malformed() from None

    def _stream(self, text: Text) -> Iterator[bytes]:
        if isinstance(text, bytes):
            yield text
        else:
            yield from self._decoded(*text)

    def _compare_text(self, one: Text, two: Text) -> int:
        if isinstance(one, bytes) and isinstance(two, bytes):
            return (one > two) - (one < two)
        left, right = self._stream(one), self._stream(two)
        a = b = b""
        while True:
            a = a or next(left, b"")
            b = b or next(right, b"")
            if not a or not b:
                return bool(a) - bool(b)
            size = min(len(a), len(b))
            if a[:size] != b[:size]:
                return 1 if a[:size] > b[:size] else -1
            a, b = a[size:], b[size:]

    def _compare(self, one: tuple[Text, Text], two: tuple[Text, Text]) -> int:
        return self._compare_text(one[0], two[0]) or self._compare_text(one[1], two[1])

    def sorted_after(self, head: bytes) -> Pieces:
        """*head*, then each distinct ``name || value`` in order, as :class:`Pieces`."""
        ordered = sorted(self._fields, key=cmp_to_key(self._compare))
        fields: list[tuple[Text, Text]] = []
        for field in ordered:
            if not fields or self._compare(fields[-1], field):
                fields.append(field)

        def tail() -> Iterator[bytes]:
            for name, value in fields:
                yield from self._stream(name)
                yield from self._stream(value)

        return Pieces(head, tail)


def sorted_params(head: bytes, params: Mapping[str, Sequence[str] | str]) -> Pieces:
    """
    *head*, then each distinct ``name || value`` of fields a framework parsed, in order.

    The values are text already; each is encoded 8 KiB at a time as it is
    hashed, never joined with the others.
    """
    pairs: list[tuple[str, str]] = []
    for name in sorted(set(params)):
        values = params[name]
        pairs += [
            (name, value) for value in sorted({values} if isinstance(values, str) else set(values))
        ]

    def tail() -> Iterator[bytes]:
        try:
            for name, value in pairs:
                yield name.encode("utf-8")
                for start in range(0, len(value), CHUNK):
                    yield value[start : start + CHUNK].encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not text any client sent
            raise _malformed() from None

    return Pieces(head, tail)
