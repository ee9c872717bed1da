"""
Where a delivery's idempotency key comes from: the id sources a scheme declares.

Providers put a retry-stable id in different places: a header (GitHub's
``X-GitHub-Delivery``), a JSON body field (Stripe's ``id``, Coinbase's
``event.id``), a form field, every item of a batched body (SendGrid's
``sg_event_id``), or nowhere.  Each source below reads one place; they
compose (:class:`FirstOf`, :class:`Joined`), and a scheme declares one as
``id_source=``.  Every source reads the *verified* :class:`~hooksig.Delivery`,
on first access of :attr:`~hooksig.Delivery.id`, so nothing in the body is
parsed before its signature is checked; a source that finds nothing gives
``None`` and never raises.

Where a provider sends no id, :class:`BodyDigest` derives one from the
authenticated bytes.  Its caveat, stated on each provider page that uses
it: two deliveries with byte-identical bodies share a key (they are
duplicates in practice), and a retry whose body the provider re-serialised
or re-stamped is not recognised (it is handled again; nothing is lost).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .._primitives import strict_json
from ..errors import MalformedSignature
from .formats import id_grammar

if TYPE_CHECKING:
    from ..delivery import Delivery

__all__ = [
    "BodyDigest",
    "BodyField",
    "EachItem",
    "FirstOf",
    "FormField",
    "HeaderField",
    "IdSource",
    "Joined",
    "RandomId",
]

#: Ids are printable ASCII without spaces, as a header id must be.
_ID_TEXT = id_grammar("")


@runtime_checkable
class IdSource(Protocol):
    """
    Reads a delivery's id from the verified delivery; ``None`` where it finds none.

    .. versionadded:: 0.1
    """

    def __call__(self, delivery: Delivery) -> str | None:
        """The id, or ``None``; never raises."""
        ...

    def describe(self) -> str:
        """Where the id comes from, in a few words (for docs and ``hooksig schemes``)."""
        ...


def _checked(value: object) -> str | None:
    """*value* if it is an id: printable ASCII, no space, at most 256 characters."""
    if isinstance(value, str) and _ID_TEXT.fullmatch(value) is not None:
        return value
    return None


def _path(text: str) -> tuple[str, ...]:
    """A dotted path, every part non-empty."""
    parts = tuple(text.split("."))
    if not all(parts):
        from ..errors import ConfigurationError

        raise ConfigurationError(f"{text!r} is not a dotted field path")
    return parts


@dataclass(frozen=True, init=False)
class HeaderField:
    """
    The id in a header; several names are spellings of one header (``svix-id``, ``webhook-id``).

    A header sent twice, two spellings that disagree, or a value that is
    not an id (printable ASCII without spaces, at most 256 characters) give
    ``None``.

    .. versionadded:: 0.1
    """

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", names)

    def __call__(self, delivery: Delivery) -> str | None:
        """The header's value, if it is an id."""
        try:
            found = delivery.headers.first_of(self.names)
        except MalformedSignature:
            return None
        return None if found is None else _checked(found[1])

    def describe(self) -> str:
        """``header `X-GitHub-Delivery```."""
        return "header " + " or ".join(f"`{name}`" for name in self.names)


@dataclass(frozen=True)
class BodyField:
    """
    The id at a dotted path of the JSON body: ``BodyField("event.id")``.

    The body is parsed strictly (see :meth:`hooksig.Delivery.json`).  An
    integer is its decimal text (Telegram's ``update_id``); a body that is
    not JSON, a path that stops early, or a value that is neither an id
    string nor an integer gives ``None``.

    .. versionadded:: 0.1
    """

    path: str
    _parts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parts", _path(self.path))

    def __call__(self, delivery: Delivery) -> str | None:
        """The string (or integer) at the path, if it is an id."""
        return _checked(strict_json.string_at(delivery.body, self._parts))

    def describe(self) -> str:
        """``body field `event.id```."""
        return f"body field `{self.path}`"


@dataclass(frozen=True)
class FormField:
    """
    The id in a field of a form body (``application/x-www-form-urlencoded``).

    A field sent twice, a body that is not a UTF-8 form, or a value that is
    not an id gives ``None``.

    .. versionadded:: 0.1
    """

    name: str

    def __call__(self, delivery: Delivery) -> str | None:
        """The field's one value, if it is an id."""
        from urllib.parse import parse_qs

        try:
            text = delivery.body.decode("utf-8")
            fields = parse_qs(text, keep_blank_values=True, strict_parsing=True, errors="strict")
        except (ValueError, UnicodeDecodeError):
            return None
        values = fields.get(self.name, [])
        return _checked(values[0]) if len(values) == 1 else None

    def describe(self) -> str:
        """``form field `trigger_id```."""
        return f"form field `{self.name}`"


@dataclass(frozen=True, init=False)
class FirstOf:
    """
    The first id any of *sources* finds, in order: fallbacks.

    .. versionadded:: 0.1
    """

    sources: tuple[IdSource, ...]

    def __init__(self, *sources: IdSource) -> None:
        object.__setattr__(self, "sources", sources)

    def __call__(self, delivery: Delivery) -> str | None:
        """The first id found."""
        for source in self.sources:
            found = source(delivery)
            if found is not None:
                return found
        return None

    def describe(self) -> str:
        """The sources, joined by "else"."""
        return ", else ".join(source.describe() for source in self.sources)


@dataclass(frozen=True, init=False)
class Joined:
    """
    One id made of several parts, joined by *separator*; ``None`` unless every part is found.

    Trello's ``action.id:model.id`` tells apart two webhooks on different
    models that receive the same action.

    .. versionadded:: 0.1
    """

    sources: tuple[IdSource, ...]
    separator: str

    def __init__(self, *sources: IdSource, separator: str = ":") -> None:
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "separator", separator)

    def __call__(self, delivery: Delivery) -> str | None:
        """The parts joined, if all are found."""
        parts = []
        for source in self.sources:
            part = source(delivery)
            if part is None:
                return None
            parts.append(part)
        return _checked(self.separator.join(parts))

    def describe(self) -> str:
        """The parts, joined."""
        return f" + `{self.separator}` + ".join(source.describe() for source in self.sources)


def _canonical(value: object) -> str:
    """One text per JSON value: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass(frozen=True)
class EachItem:
    """
    A key derived from every item of a batch: SHA-256 of the items, sorted.

    The batch is the JSON array body, or the array at the dotted *path*
    of a JSON object body (LINE's ``events``).  With *fields*, each item
    contributes those fields, all of which it must have (SendGrid's
    ``sg_event_id``); without, the whole item less the *exclude* fields
    (HubSpot, less its ``attemptNumber``, which changes on every retry).
    Items are sorted, so their order does not matter.  A batch that is not
    a non-empty array of objects, or an item that lacks a field, gives
    ``None``.  Deduplicate per item in your handler too: a provider may
    regroup a retried batch.

    .. versionadded:: 0.1
    """

    fields: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    path: str = ""
    _parts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parts", _path(self.path) if self.path else ())

    def __call__(self, delivery: Delivery) -> str | None:
        """``items:`` and the hex SHA-256 of the sorted item keys."""
        try:
            document = strict_json.field(strict_json.loads(delivery.body), self._parts)
        except (ValueError, RecursionError):
            return None
        if not isinstance(document, list) or not document:
            return None
        keys = []
        for item in document:
            if not isinstance(item, dict):
                return None
            if self.fields:
                if not all(name in item for name in self.fields):
                    return None
                item = {name: item[name] for name in self.fields}  # noqa: PLW2901
            else:
                item = {k: v for k, v in item.items() if k not in self.exclude}  # noqa: PLW2901
            keys.append(_canonical(item))
        digest = hashlib.sha256("\n".join(sorted(keys)).encode("ascii")).hexdigest()
        return f"items:{digest}"

    def describe(self) -> str:
        """What each item contributes."""
        where = f"the array `{self.path}`" if self.path else "JSON array body"
        if self.fields:
            named = ", ".join(f"`{name}`" for name in self.fields)
            return f"SHA-256 of each item's {named}, sorted ({where})"
        left = ", ".join(f"`{name}`" for name in self.exclude)
        return f"SHA-256 of each item less {left}, sorted ({where})"


@dataclass(frozen=True)
class BodyDigest:
    """
    A key derived from the authenticated bytes: SHA-256 of the body (and of *headers*' values).

    For providers that send no id.  Never covers a signed timestamp, which
    changes on a retry.  *headers* name unsigned headers that tell apart
    deliveries with the same body (WooCommerce's webhook id).  See the
    module docstring for its caveat.

    .. versionadded:: 0.1
    """

    headers: tuple[str, ...] = ()

    def __call__(self, delivery: Delivery) -> str | None:
        """``sha256:``-free hex digest, prefixed ``body:``."""
        digest = hashlib.sha256()
        for name in self.headers:
            value = delivery.headers.get(name, "").encode("utf-8", "surrogatepass")
            # Length-prefixed, so a header's bytes cannot shift into the body's.
            digest.update(len(value).to_bytes(8, "big") + value)
        digest.update(delivery.body)
        return f"body:{digest.hexdigest()}"

    def describe(self) -> str:
        """``SHA-256 of the body``."""
        extra = "".join(f" and header `{name}`" for name in self.headers)
        return f"SHA-256 of the body{extra}"


@dataclass(frozen=True)
class RandomId:
    """
    A new random key for each delivery: the guard never takes two deliveries for one.

    For providers whose deliveries are "something changed" pings with
    identical bodies (Dropbox): handling one twice is harmless, dropping one
    is not.

    .. versionadded:: 0.1
    """

    def __call__(self, delivery: Delivery) -> str | None:
        """``random:`` and 128 random bits."""
        return f"random:{secrets.token_hex(16)}"

    def describe(self) -> str:
        """``a random key per delivery``."""
        return "a random key per delivery (no dedup)"


def check_source(value: object) -> IdSource:
    """*value* if it is an :class:`IdSource`, else a ``ConfigurationError``."""
    if not isinstance(value, IdSource):
        from ..errors import ConfigurationError

        raise ConfigurationError("id_source must be an id source (hooksig.scheme.ids)")
    return value


def field_names(source: IdSource | None) -> Sequence[str]:
    """The header names a source reads first, for :meth:`Scheme.sign` to write an id into."""
    if isinstance(source, HeaderField):
        return source.names
    if isinstance(source, (FirstOf, Joined)):
        for inner in source.sources:
            names = field_names(inner)
            if names:
                return names
    return ()
