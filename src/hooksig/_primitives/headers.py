"""
The first step of a delivery: a case-insensitive, read-only view of the request headers.

Adapters hand headers over in many shapes: a ``dict``, a list of pairs, or
ASGI's list of ``(bytes, bytes)``.  This module turns any of them into one
view, bounded in size, that remembers when a name was sent more than once,
so a scheme can refuse a repeated signature header instead of silently
picking one copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Union

from ..errors import MalformedSignature, MissingSignature

#: Headers a request may carry before the view refuses it.
MAX_HEADER_COUNT = 256
#: Largest value, in characters, a header the scheme reads may have.
MAX_HEADER_VALUE = 8192

HeaderName = Union[str, bytes]  # noqa: UP007 - a runtime alias, evaluated on Python 3.10
HeadersInput = Union[Mapping[str, str], Iterable[tuple[HeaderName, HeaderName]], "Headers"]


_NONE: frozenset[str] = frozenset()


def _plain(headers: object) -> dict[str, str] | None:
    # The common case, a plain dict of str names and values, no two names
    # differing only in case: built in C, the same view as Headers' loop.
    if type(headers) is not dict or len(headers) > MAX_HEADER_COUNT:
        return None
    try:
        values = dict(zip(map(str.lower, headers), headers.values()))  # noqa: B905 - one dict
        "".join(headers.values())  # every value is a str, or the loop decides
    except TypeError:
        return None
    return values if len(values) == len(headers) else None


def _text(value: HeaderName) -> str:
    # ASGI and WSGI carry header bytes as latin-1, which maps every byte.
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if not isinstance(value, str):
        raise TypeError("a header name or value must be str or bytes")
    return value


class Headers(Mapping[str, str]):
    """
    Read-only, case-insensitive headers with the duplicate and size policy.

    Looking a name up with ``[]`` or ``get()`` returns its first value;
    a scheme reads the headers it signs with :meth:`require` or
    :meth:`optional`, which refuse a repeated name and an oversized value.

    .. versionadded:: 0.1
    """

    __slots__ = ("_repeated", "_values")

    _values: dict[str, str]
    _repeated: frozenset[str]

    def __init__(self, headers: HeadersInput = ()) -> None:
        values = _plain(headers)
        if values is not None:
            self._values, self._repeated = values, _NONE
            return
        if isinstance(headers, Headers):
            self._values = headers._values
            self._repeated = headers._repeated
            return
        items: Iterable[tuple[HeaderName, HeaderName]] = (
            headers.items() if isinstance(headers, Mapping) else headers
        )
        values = {}
        repeated: set[str] = set()
        try:
            for count, (name, value) in enumerate(items, 1):
                if count > MAX_HEADER_COUNT:
                    raise MalformedSignature(
                        f"more than {MAX_HEADER_COUNT} headers", reason="too_many_headers"
                    )
                # type() is str: the common case skips a call; _text() handles the rest.
                key = str.lower(name if type(name) is str else _text(name))
                if key in values:
                    repeated.add(key)
                else:
                    values[key] = value if type(value) is str else _text(value)
        except (TypeError, ValueError, AttributeError):
            raise MalformedSignature(
                "headers must be a mapping or pairs of str or bytes", reason="bad_headers"
            ) from None
        self._values = values
        self._repeated = frozenset(repeated)

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Headers({sorted(self._values)!r})"

    def optional(self, name: str) -> str | None:
        """
        Return the single value of *name*, or ``None`` when it is absent.

        Raises:
            MalformedSignature: the name was sent twice, or its value is too long.
        """
        key = name.lower()
        value = self._values.get(key)
        if value is None:
            return None
        if key in self._repeated:
            raise MalformedSignature(
                f"header {name} was sent more than once", reason="repeated_header", header=name
            )
        if len(value) > MAX_HEADER_VALUE:
            raise MalformedSignature(
                f"header {name} is longer than {MAX_HEADER_VALUE} characters",
                reason="header_too_long",
                header=name,
            )
        return value

    def require(self, name: str) -> str:
        """
        Return the single value of *name*.

        Raises:
            MissingSignature: the header is absent.
            MalformedSignature: the name was sent twice, or its value is too long.
        """
        value = self.optional(name)
        if value is None:
            raise MissingSignature(f"header {name} is missing", header=name)
        return value

    def first_of(self, names: tuple[str, ...]) -> tuple[str, str] | None:
        """
        Return ``(name, value)`` for the first of *names* present, or ``None``.

        Used where a provider sends one header under several names (Svix's
        ``svix-*`` and Standard Webhooks' ``webhook-*``).  Two of the names
        present with different values are refused as ambiguous.
        """
        found: tuple[str, str] | None = None
        for name in names:
            value = self.optional(name)
            if value is None:
                continue
            if found is None:
                found = (name, value)
            elif found[1] != value:
                raise MalformedSignature(
                    f"headers {found[0]} and {name} disagree",
                    reason="conflicting_headers",
                    header=name,
                )
        return found


for _public in (Headers,):
    _public.__module__ = "hooksig"  # its public name, hooksig.Headers
del _public
