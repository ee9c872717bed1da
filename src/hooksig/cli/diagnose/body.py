"""
Body causes for ``hooksig diagnose``: the bytes re-encoded or cut on the way to the receiver.

Part of :mod:`hooksig.cli.diagnose`.  A provider signs the exact bytes it
sends; a proxy, framework or logger that re-encodes them breaks the
signature.  Each repair here rebuilds a plausible original (line ends,
byte order mark, trailing newline, then JSON re-serialised in the common
styles and key orders) for the caller to verify.  A cut body cannot be
repaired; it is recognised from ``Content-Length`` or from JSON that ends
mid-value.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..._primitives import strict_json
from . import causes as text
from .causes import Cause

BOM = b"\xef\xbb\xbf"
#: Bodies larger than this get only the byte-level repairs.
MAX_JSON_REPAIR = 1024 * 1024
#: Top-level objects with at most this many keys are tried in every key order.
MAX_PERMUTED_KEYS = 6
#: (indent, separators) of the common serialisers: JS/Ruby/Go compact, Python's default,
#: JSON.stringify(x, null, 2) and Python indent=2, PHP pretty print (4), tabs.
_STYLES: tuple[tuple[int | str | None, tuple[str, str]], ...] = (
    (None, (",", ":")),
    (None, (", ", ": ")),
    (2, (",", ": ")),
    (4, (",", ": ")),
    ("\t", (",", ": ")),
)

Repair = tuple[bytes, str, str]


def _byte_repairs(body: bytes) -> Iterator[Repair]:
    """``(candidate, code, how)`` for line-end, BOM and final-newline changes, alone or together."""
    steps: list[tuple[str, str, Callable[[bytes], bytes]]] = []
    if body.startswith(BOM):
        steps.append(("body_bom", "the byte order mark is removed", lambda b: b[len(BOM) :]))
    if b"\r\n" in body:
        steps.append(("body_crlf", "CRLF line ends are turned back into LF", _to_lf))
    elif b"\n" in body:
        steps.append(("body_crlf", "LF line ends are turned back into CRLF", _to_crlf))
    if body.endswith(b"\n"):
        steps.append(("body_trailing_newline", "the trailing newline is removed", _strip_newline))
    for size in range(1, len(steps) + 1):
        for chosen in itertools.combinations(steps, size):
            candidate = body
            for _, _, step in chosen:
                candidate = step(candidate)
            yield candidate, chosen[0][0], " and ".join(how for _, how, _ in chosen)
    if not body.endswith(b"\n"):
        yield body + b"\n", "body_trailing_newline", "a trailing newline is added back"
        yield body + b"\r\n", "body_trailing_newline", "a trailing CRLF is added back"
    if not body.startswith(BOM):
        yield BOM + body, "body_bom", "the byte order mark is added back"


def _to_lf(body: bytes) -> bytes:
    """CRLF line ends to LF."""
    return body.replace(b"\r\n", b"\n")


def _to_crlf(body: bytes) -> bytes:
    """Bare LF line ends to CRLF."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", body)


def _strip_newline(body: bytes) -> bytes:
    """Remove one trailing LF or CRLF."""
    return body[:-2] if body.endswith(b"\r\n") else body[:-1]


def _tokens(data: bytes) -> tuple[Counter[bytes], Counter[bytes]]:
    """The string literals and the whitespace runs outside them, as multisets."""
    strings: Counter[bytes] = Counter()
    spaces: Counter[bytes] = Counter()
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x22:
            j = i + 1
            while j < n and data[j] != 0x22:
                j += 2 if data[j] == 0x5C else 1
            strings[data[i : j + 1]] += 1
            i = j + 1
        elif c in b" \t\r\n":
            j = i
            while j < n and data[j] in b" \t\r\n":
                j += 1
            spaces[data[i:j]] += 1
            i = j
        else:
            i += 1
    return strings, spaces


def _key_order(document: Any) -> list[Any]:
    """Every object's keys in document order, depth first."""
    if isinstance(document, dict):
        return [list(document), *(k for v in document.values() for k in _key_order(v))]
    if isinstance(document, list):
        return [k for v in document for k in _key_order(v)]
    return []


def changes(received: bytes, original: bytes) -> list[str]:
    """What a re-serialisation changed between two encodings of one JSON document."""
    (strings_r, spaces_r), (strings_o, spaces_o) = _tokens(received), _tokens(original)
    changed = []
    if spaces_r != spaces_o:
        changed.append("whitespace")
    if _key_order(json.loads(received)) != _key_order(json.loads(original)):
        changed.append("key_order")
    if strings_r != strings_o:
        changed.append("unicode_escapes")
    return changed


def _orders(document: Any) -> Iterator[Any]:
    """The document as received, with sorted keys, then every top-level key order."""
    yield document
    if not isinstance(document, dict):
        return
    yield _sorted(document)
    if len(document) <= MAX_PERMUTED_KEYS:
        for keys in itertools.permutations(document):
            yield {key: document[key] for key in keys}


def _sorted(document: Any) -> Any:
    """The document with every object's keys sorted."""
    if isinstance(document, dict):
        return {key: _sorted(document[key]) for key in sorted(document)}
    if isinstance(document, list):
        return [_sorted(item) for item in document]
    return document


def _serialisations(document: Any) -> Iterator[bytes]:
    """The document in each common style, ASCII-escaped or not, slashes escaped or not."""
    for indent, separators in _STYLES:
        for ascii_only in (False, True):
            out = json.dumps(
                document, indent=indent, separators=separators, ensure_ascii=ascii_only
            ).encode("utf-8")
            yield out
            yield out.replace(b"/", b"\\/")  # PHP's json_encode escapes slashes


def _json_repairs(body: bytes) -> Iterator[bytes]:
    """Re-serialisations of a JSON body, each different from it."""
    if len(body) > MAX_JSON_REPAIR or body.lstrip()[:1] not in (b"{", b"["):
        return
    try:
        document = json.loads(body, object_pairs_hook=strict_json.reject_duplicate_keys)
    except (ValueError, RecursionError):
        return
    seen = {body}
    for ordered in _orders(document):
        for candidate in _serialisations(ordered):
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


_JSON_CODES: dict[tuple[str, ...], str] = {
    ("whitespace",): "body_whitespace",
    ("key_order",): "body_key_order",
    ("unicode_escapes",): "body_unicode_escapes",
}


def _announced(headers: Sequence[tuple[str, str]]) -> int | None:
    """The single Content-Length of the capture, or None."""
    lengths = [v.strip() for n, v in headers if n.lower() == "content-length"]
    if len(lengths) == 1 and lengths[0].isascii() and lengths[0].isdigit():
        return int(lengths[0])
    return None


def body_repairs(
    body: bytes, headers: Sequence[tuple[str, str]], ok: Callable[[bytes], bool]
) -> Iterator[tuple[bytes, Cause]]:
    """Yield ``(original body, cause)`` for the first repair that verifies."""
    announced = _announced(headers)
    if announced is not None and announced < len(body) and ok(body[:announced]):
        yield body[:announced], text.extra_bytes(len(body), announced)
        return
    for candidate, code, how in _byte_repairs(body):
        if ok(candidate):
            yield candidate, text.body(code, how)
            return
    for candidate in _json_repairs(body):
        if ok(candidate):
            changed = changes(body, candidate)
            code = _JSON_CODES.get(tuple(changed), "body_reencoded_json")
            how = "the JSON is serialised again as the provider did"
            yield candidate, text.body(code, how, changed)
            return


def truncation(body: bytes, headers: Sequence[tuple[str, str]]) -> Cause | None:
    """A body shorter than its ``Content-Length``, or JSON that ends mid-value."""
    announced = _announced(headers)
    if announced is not None and announced > len(body):
        return text.truncated(len(body), announced)
    stripped = body.removeprefix(BOM).rstrip()
    if stripped[:1] not in (b"{", b"[") or len(stripped) > MAX_JSON_REPAIR:
        return None
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return text.truncated(len(body), None) if _unclosed(stripped) else None
    return None


def _unclosed(data: bytes) -> bool:
    """True when *data* ends inside a string or with brackets still open."""
    depth, i, n = 0, 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x22:
            i += 1
            while i < n and data[i] != 0x22:
                i += 2 if data[i] == 0x5C else 1
            if i >= n:
                return True
        elif c in b"{[":
            depth += 1
        elif c in b"}]":
            depth -= 1
        i += 1
    return depth > 0
