"""
The grammars of signature headers, timestamps and delivery ids.

Providers put signatures in three shapes of header value, one building
block each: :class:`Plain` (``sha256=<hex>``, GitHub), :class:`Pairs`
(``t=...,v1=...,v1=...``, Stripe) and :class:`Versioned`
(``v1,<b64> v1a,<b64>``, Standard Webhooks).  Each splits a value into
labelled candidate signatures, and nothing more: decoding belongs to
:mod:`hooksig._primitives.encoding`, choosing labels to the scheme.

Every parser is total and strict: an empty item, a repeated timestamp,
whitespace where none belongs or too many signatures is
:class:`~hooksig.MalformedSignature`, never a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..errors import ConfigurationError, MalformedSignature

#: More candidate signatures than this in one header is refused.
MAX_SIGNATURES = 32
#: Longest timestamp, in digits (12 digits of seconds reach year 33658).
MAX_TIMESTAMP_DIGITS = 15
#: Longest delivery id, in characters.
MAX_ID_LENGTH = 256

_LABEL = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: Labels already found well formed ("t", "v1", ...): a set lookup instead of the
#: regular expression for the few labels providers use; bounded against junk.
_LABELS_SEEN: set[str] = set()
_MAX_LABELS_SEEN = 64
_FIELDS = frozenset({"body", "timestamp", "id", "url", "method"})
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")

Candidate = tuple[str, str]
"""A signature still encoded: ``(label, text)``, the label being ``v1``, ``h1``, a prefix..."""


def _malformed(header: str, what: str, reason: str) -> MalformedSignature:
    return MalformedSignature(f"header {header}: {what}", reason=reason, header=header)


def is_label(text: str) -> bool:
    """
    Whether *text* is a label: ``[a-z0-9][a-z0-9_-]*``, ASCII only (``t``, ``v1``, ``h1``).

    .. versionadded:: 0.1
    """
    if text in _LABELS_SEEN:
        return True
    if _LABEL.fullmatch(text) is None:
        return False
    if len(_LABELS_SEEN) < _MAX_LABELS_SEEN:
        _LABELS_SEEN.add(text)
    return True


def _too_many(header: str) -> MalformedSignature:
    return _malformed(header, f"more than {MAX_SIGNATURES} signatures", "too_many_signatures")


@dataclass(frozen=True)
class Plain:
    """
    One signature per header, after an optional fixed prefix (``sha256=``).

    A value with another prefix (``sha1=`` where ``sha256=`` is configured)
    is refused: the request never chooses the algorithm.

    .. versionadded:: 0.1
    """

    prefix: str = ""
    #: Accept the signature with the prefix or without it, never with another
    #: label (Mollie's ``sha256=`` is optional): ``sha1=<hex>`` stays refused.
    optional: bool = False

    def split(self, value: str, header: str) -> tuple[str | None, list[Candidate]]:
        """Return ``(None, [(prefix, signature text)])``."""
        if value.startswith(self.prefix):
            return None, [(self.prefix, value[len(self.prefix) :])]
        if not self.optional or "=" in value.rstrip("="):
            raise _malformed(header, "does not start with the expected prefix", "wrong_prefix")
        return None, [(self.prefix, value)]


@dataclass(frozen=True)
class Pairs:
    """
    ``key=value`` items: one timestamp key, any number of signature keys.

    Stripe: ``Pairs(timestamp_key="t", separator=",")`` with label ``v1``;
    Paddle: ``Pairs(timestamp_key="ts", separator=";")`` with label ``h1``.
    Keys the scheme does not use (Stripe's ``v0``) are skipped, but must
    still be well formed.

    .. versionadded:: 0.1
    """

    timestamp_key: str | None = "t"
    separator: str = ","
    #: The usual value, ``<timestamp key>=<text><separator><label>=<text>``, as one
    #: pattern: group 1 the timestamp text, 2 the label, 3 the signature text.  A
    #: match whose label is not the timestamp key is exactly what :meth:`split`
    #: gives for those two items; :meth:`split` tries it first.
    usual: re.Pattern[str] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if not self.separator or "=" in self.separator:
            raise ConfigurationError("a Pairs separator is one or more characters, no '='")
        if self.timestamp_key and is_label(self.timestamp_key) and len(self.separator) == 1:
            sep, key = re.escape(self.separator), re.escape(self.timestamp_key)
            usual = re.compile(f"{key}=([^{sep}]*){sep}({_LABEL.pattern})=([^{sep}]*)")
            object.__setattr__(self, "usual", usual)

    def leads(self, label: str) -> tuple[str, str, str] | None:
        """
        The usual value, ``<timestamp key>=<text><separator><label>=<text>``, as leads.

        ``("t=", "v1=", ",")`` for Stripe: a value whose first item starts with
        the first lead and whose rest is one item starting with the second is
        what :meth:`split` gives for it, read without splitting.  ``None``
        where the usual value has no pattern (a longer separator, a key that is
        no label, or the label is the timestamp key).
        """
        key = self.timestamp_key
        if key and (self.usual is None or label == key):
            return None
        return (f"{key}=" if key else ""), f"{label}=", self.separator

    def split(self, value: str, header: str) -> tuple[str | None, list[Candidate]]:
        """Return ``(timestamp text or None, [(key, value), ...])``."""
        usual = None if self.usual is None else self.usual.fullmatch(value)
        if usual is not None and usual[2] != self.timestamp_key:
            return usual[1], [(usual[2], usual[3])]
        timestamp: str | None = None
        candidates: list[Candidate] = []
        timestamp_key, seen = self.timestamp_key, _LABELS_SEEN
        for item in value.split(self.separator):
            key, equals, text = item.partition("=")
            if not equals or (key not in seen and not is_label(key)):
                raise _malformed(header, "has an item that is not key=value", "bad_item")
            if key == timestamp_key:
                if timestamp is not None:
                    raise _malformed(header, "has more than one timestamp", "repeated_timestamp")
                timestamp = text
            else:
                candidates.append((key, text))
                if len(candidates) > MAX_SIGNATURES:
                    raise _too_many(header)
        return timestamp, candidates


@dataclass(frozen=True)
class Versioned:
    """
    ``version,signature`` items separated by spaces (Standard Webhooks, Svix).

    .. versionadded:: 0.1
    """

    separator: str = " "
    #: The usual value, one ``<version>,<text>`` item, as one pattern: group 1 is
    #: empty (no timestamp), 2 the version, 3 the signature text, exactly what
    #: :meth:`split` gives for it; :meth:`split` tries it first.
    usual: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.separator or self.separator == ",":
            # "," parts an item's version from its signature; ", " (Supabase) still separates.
            raise ConfigurationError("a Versioned separator is one or more characters, not ','")
        sep = re.escape(self.separator)
        object.__setattr__(self, "usual", re.compile(f"()({_LABEL.pattern}),([^{sep}]*)"))

    def leads(self, version: str) -> tuple[str, str, str] | None:
        """
        The usual value, one *version* item alone: ``("", "v1,", separator)``.

        A value that starts with the lead and holds no separator is that item,
        the rest of it the signature text: what :meth:`split` gives for it.
        """
        return "", f"{version},", self.separator

    def split(self, value: str, header: str) -> tuple[str | None, list[Candidate]]:
        """Return ``(None, [(version, signature text), ...])``."""
        usual = self.usual.fullmatch(value)
        if usual is not None:
            return None, [(usual[2], usual[3])]
        candidates: list[Candidate] = []
        seen = _LABELS_SEEN
        for item in value.split(self.separator):
            version, comma, text = item.partition(",")
            if not comma or (version not in seen and not is_label(version)):
                raise _malformed(header, "has an item that is not version,signature", "bad_item")
            candidates.append((version, text))
            if len(candidates) > MAX_SIGNATURES:
                raise _too_many(header)
        return None, candidates


@dataclass(frozen=True)
class Listed:
    """
    Unlabelled items, the first of them the timestamp (Recurly: ``<ms>,<hex>,<hex>``).

    Each item after the timestamp is a candidate signature: a provider
    rotating its secret sends one per active secret.  With
    ``timestamp_first=False`` every item is a signature.

    .. versionadded:: 0.1
    """

    separator: str = ","
    timestamp_first: bool = True

    def __post_init__(self) -> None:
        if not self.separator:
            raise ConfigurationError("a Listed separator is one or more characters")

    @property
    def timestamp_key(self) -> str | None:
        """Where the timestamp is (``"first"``), or ``None`` when no item is one."""
        return "first" if self.timestamp_first else None

    def split(self, value: str, header: str) -> tuple[str | None, list[Candidate]]:
        """Return ``(timestamp text or None, [("", signature text), ...])``."""
        items = value.split(self.separator)
        timestamp = items.pop(0) if self.timestamp_first else None
        if not items or not all(items):
            raise _malformed(header, "has an empty item", "bad_item")
        if len(items) > MAX_SIGNATURES:
            raise _too_many(header)
        return timestamp, [("", item) for item in items]


@dataclass(frozen=True)
class Groups:
    """
    Groups of :class:`~hooksig.Pairs`, one per active secret (Persona: ``t=..,v1=.. t=..,v1=..``).

    Every group must carry the same timestamp: one timestamp is signed and
    checked against the window, so groups that disagree are malformed.

    .. versionadded:: 0.1
    """

    pairs: Pairs = Pairs()
    separator: str = " "

    def __post_init__(self) -> None:
        if not self.separator or self.separator in self.pairs.separator:
            raise ConfigurationError("a Groups separator is one or more characters, not the pairs'")

    @property
    def timestamp_key(self) -> str | None:
        """The key of the timestamp inside each group."""
        return self.pairs.timestamp_key

    def split(self, value: str, header: str) -> tuple[str | None, list[Candidate]]:
        """Return ``(the groups' timestamp text, [(key, value), ...] of every group)``."""
        timestamps: set[str | None] = set()
        candidates: list[Candidate] = []
        for group in value.split(self.separator):
            timestamp, items = self.pairs.split(group, header)
            timestamps.add(timestamp)
            candidates.extend(items)
            if len(candidates) > MAX_SIGNATURES:
                raise _too_many(header)
        if len(timestamps) != 1:
            raise _malformed(header, "groups carry different timestamps", "repeated_timestamp")
        return timestamps.pop(), candidates


def numbered_headers(template: str, count: int) -> tuple[str, ...]:
    """
    The names of a numbered header family: ``numbered_headers("X-Sig-{n}", 3)`` is
    ``("X-Sig-1", "X-Sig-2", "X-Sig-3")``.

    Use it with ``all_signature_headers=True`` for a provider that sends one
    header per active key (DocuSign's ``X-DocuSign-Signature-1``, ``-2``, ...).

    .. versionadded:: 0.1
    """
    if "{n}" not in template or count < 1:
        raise ConfigurationError("a numbered header template has {n} and a count of at least 1")
    return tuple(template.replace("{n}", str(n)) for n in range(1, count + 1))


SignatureFormat = Plain | Pairs | Versioned | Listed | Groups

#: The timestamp grammar: ASCII digits (``[0-9]`` is ASCII-only), no leading zero, bounded.
#: Both routes through ``Verifier.verify`` read timestamps with this one pattern.
TIMESTAMP_TEXT = re.compile(f"0|[1-9][0-9]{{0,{MAX_TIMESTAMP_DIGITS - 1}}}")


def parse_timestamp(text: str, header: str) -> int:
    """
    Read a timestamp made of ASCII digits only, without a leading zero, at most 15 of them.

    No sign, space, underscore, fraction, exponent or non-ASCII digit:
    ``int()`` would accept several of those, so it is only called after
    the grammar (:data:`TIMESTAMP_TEXT`) holds.
    """
    if TIMESTAMP_TEXT.fullmatch(text) is None:
        raise _malformed(header, "timestamp is not a plain integer", "bad_timestamp")
    return int(text)


_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)


def parse_rfc3339(text: str, header: str) -> float:
    """
    Read an RFC 3339 date-time (Twitch, Box): ``2024-01-02T03:04:05.123456789Z`` or ``+01:00``.

    ASCII digits only, upper-case ``T`` and ``Z``, at most nine fraction
    digits, an explicit offset; returns Unix seconds.
    """
    from datetime import datetime, timedelta, timezone

    found = _RFC3339.fullmatch(text) if text.isascii() else None
    if found is None:
        raise _malformed(header, "timestamp is not an RFC 3339 date-time", "bad_timestamp")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = found.groups()
    try:
        offset = timedelta(0)
        if not zulu:
            if int(off_h) > 23 or int(off_m) > 59:
                raise ValueError
            offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=timezone(offset),
        )
    except ValueError:
        raise _malformed(header, "timestamp is not a valid date-time", "bad_timestamp") from None
    return moment.timestamp() + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def format_rfc3339(seconds: int) -> str:
    """Format Unix *seconds* as ``YYYY-MM-DDTHH:MM:SSZ``."""
    from datetime import datetime, timezone

    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Characters no delivery id holds, whatever the scheme: WSGI servers and
#: Django join a repeated header into ``a,b``, so an id with a comma is two ids.
ID_NEVER = ","


def check_id(text: str, header: str, forbidden: str) -> str:
    """
    Accept a delivery id of printable ASCII, bounded, free of *forbidden* characters.

    The grammar: 1 to :data:`MAX_ID_LENGTH` printable ASCII characters, no
    space, no ``,`` (:data:`ID_NEVER`: a repeated id header that a server
    joined), and none of *forbidden*, the separators of the signed content:
    an id that contained one could shift bytes between fields of the
    signed message.
    """
    if id_grammar(forbidden).fullmatch(text) is None:
        raise _malformed(header, "id is not printable ASCII without separators", "bad_id")
    return text


@functools.lru_cache(maxsize=64)
def id_grammar(forbidden: str) -> re.Pattern[str]:
    """check_id() as one pattern: printable ASCII, no space or comma, none of *forbidden*."""
    never = forbidden + ID_NEVER
    allowed = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in never)
    # A template whose literals use every printable character leaves no id possible.
    return re.compile(f"[{re.escape(allowed)}]{{1,{MAX_ID_LENGTH}}}" if allowed else "(?!)")


def compile_template(template: str, body_optional: bool = False) -> tuple[bytes | str, ...]:
    """
    Split a content template (``"{timestamp}.{body}"``) into literal bytes and field names.

    Raises:
        ConfigurationError: an unknown ``{field}``, or no ``{body}`` where one is required.
    """
    parts: list[bytes | str] = []
    position = 0
    for found in _PLACEHOLDER.finditer(template):
        if found.group(1) not in _FIELDS:
            raise ConfigurationError(f"unknown field {{{found.group(1)}}} in content template")
        if found.start() > position:
            parts.append(template[position : found.start()].encode("utf-8"))
        parts.append(found.group(1))
        position = found.end()
    if position < len(template):
        parts.append(template[position:].encode("utf-8"))
    if "body" not in parts and not body_optional:
        # Only a signature carried inside the body itself (Mailgun) may leave the body out.
        raise ConfigurationError("a content template must include {body}")
    return tuple(parts)


for _public in (
    Pairs,
    Plain,
    Versioned,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.Pairs
del _public
Listed.__module__ = Groups.__module__ = "hooksig.scheme"  # public through hooksig.scheme
