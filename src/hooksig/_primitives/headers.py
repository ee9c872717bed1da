"""
The first step of a delivery: a case-insensitive, read-only view of the request headers.

Adapters hand headers over in many shapes: a ``dict``, a list of pairs,
ASGI's ``(bytes, bytes)`` pairs, a WSGI environ or Django ``META``, or the
framework's own header object.  :meth:`Headers.of` reads each shape where it
lies, without converting it: :meth:`Headers.one` looks one name up, and the
full mapping is built only if someone asks for it (``Delivery.headers``).

Every view remembers when a name was sent more than once, so a scheme can
refuse a repeated signature header instead of silently picking one copy.
Multi-value mappings (Werkzeug ``MultiDict``, ``http.client.HTTPMessage``)
give up every copy, not the first.  WSGI servers and Django join repeated
headers into one value (``a,b``) before anyone sees them; the grammars of
the fields a scheme reads refuse such a value (a delivery id never holds a
``,``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, Union

from ..errors import MalformedSignature, MissingSignature

if TYPE_CHECKING:
    from email.message import Message

#: Headers a request may carry before the view refuses it.
MAX_HEADER_COUNT = 256
#: Largest value, in characters, a header the scheme reads may have.
MAX_HEADER_VALUE = 8192

HeaderName = Union[str, bytes]  # noqa: UP007 - a runtime alias, evaluated on Python 3.10
HeadersInput = Union[
    Mapping[str, str], Iterable[tuple[HeaderName, HeaderName]], "Headers", "Message"
]


_NONE: frozenset[str] = frozenset()
# The environ keys of the two headers CGI does not prefix with HTTP_.
_CGI_KEYS = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}
_CGI_NAMES = {key: name for name, key in _CGI_KEYS.items()}


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


def _every_pair(headers: Any) -> Iterable[tuple[Any, Any]]:
    # Every (name, value) a header container holds, each copy of a repeated
    # name included: a multi-value mapping's items() or [] gives only one.
    for many in ("getlist", "get_all"):  # Werkzeug, Django; email.message / http.client
        values_of = getattr(headers, many, None)
        if callable(values_of):
            names: Iterable[Any] = dict.fromkeys(headers.keys())
            return [(name, value) for name in names for value in values_of(name) or ()]
    return headers.items() if isinstance(headers, Mapping) else headers


def _repeated(name: str) -> MalformedSignature:
    return MalformedSignature(
        f"header {name} was sent more than once", reason="repeated_header", header=name
    )


def _checked(value: str, name: str) -> str:
    if len(value) > MAX_HEADER_VALUE:
        raise MalformedSignature(
            f"header {name} is longer than {MAX_HEADER_VALUE} characters",
            reason="header_too_long",
            header=name,
        )
    return value


def _too_many() -> MalformedSignature:
    return MalformedSignature(f"more than {MAX_HEADER_COUNT} headers", reason="too_many_headers")


def _bad_headers() -> MalformedSignature:
    return MalformedSignature(
        "headers must be a mapping or pairs of str or bytes", reason="bad_headers"
    )


class Headers(Mapping[str, str]):
    """
    Read-only, case-insensitive headers with the duplicate and size policy.

    ``Headers(headers)`` copies any mapping or iterable of ``(name, value)``
    pairs; :meth:`of` views the shape a framework already has instead.
    Looking a name up with ``[]`` or ``get()`` returns its first value; a
    scheme reads the headers it signs with :meth:`one`, :meth:`require` or
    :meth:`optional`, which refuse a repeated name and an oversized value,
    and treat an empty value as absent.

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
        values = {}
        repeated: set[str] = set()
        try:
            for count, (name, value) in enumerate(_every_pair(headers), 1):
                if count > MAX_HEADER_COUNT:
                    raise _too_many()
                # type() is str: the common case skips a call; _text() handles the rest.
                key = str.lower(name if type(name) is str else _text(name))
                if key in values:
                    repeated.add(key)
                else:
                    values[key] = value if type(value) is str else _text(value)
        except (TypeError, ValueError, AttributeError):
            raise _bad_headers() from None
        self._values = values
        self._repeated = frozenset(repeated)

    @classmethod
    def of(cls, headers: HeadersInput) -> Headers:
        """
        Return a view of *headers* in the shape they came in, converting nothing yet.

        ASGI ``(bytes, bytes)`` pairs and Starlette's ``Headers`` are read
        through :meth:`from_asgi`, Werkzeug's ``EnvironHeaders`` (Flask's
        ``request.headers``) through :meth:`from_environ`, a ``Headers`` is
        returned as it is, and anything else is copied by ``Headers(headers)``.

        Raises:
            MalformedSignature: *headers* is not a header shape, or has too many headers.

        .. versionadded:: 0.1
        """
        if isinstance(headers, Headers):
            return headers
        if type(headers) is list and headers:
            first = headers[0]
            if type(first) is tuple and len(first) == 2 and type(first[0]) is bytes:
                return _AsgiHeaders(headers)
        elif type(headers) is not dict:
            raw = getattr(headers, "raw", None)  # starlette.datastructures.Headers
            if type(raw) is list:
                return _AsgiHeaders(raw)
            environ = getattr(headers, "environ", None)  # werkzeug EnvironHeaders
            if type(environ) is dict:
                return EnvironHeaders(environ)
        return Headers(headers)

    @classmethod
    def from_asgi(cls, raw: Iterable[tuple[bytes, bytes]]) -> Headers:
        """
        View ASGI header pairs (``scope["headers"]``, Starlette's ``headers.raw``).

        Names should be lower case, as ASGI servers send them; other names
        are lowered once.  A name sent twice is refused when read.

        Raises:
            MalformedSignature: not pairs of bytes, or more than 256 headers.

        .. versionadded:: 0.1
        """
        return _AsgiHeaders(raw)

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any]) -> Headers:
        """
        View the headers of a WSGI environ or of Django's ``request.META``.

        The server has already joined a repeated header into one value
        (``a,b``); the grammar of each field a scheme reads refuses it.

        Raises:
            MalformedSignature: not a mapping, or more than 256 headers.

        .. versionadded:: 0.1
        """
        return EnvironHeaders(environ)

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

    def _one(self, key: str, name: str) -> str | None:
        # one(): *key* is the lower-case name, *name* the one errors report.
        value = self._values.get(key)
        if not value:
            return None
        if key in self._repeated:
            raise _repeated(name)
        return _checked(value, name)

    def one(self, name: str) -> str | None:
        """
        Return the single value of the lower-case *name*, or ``None`` if absent or empty.

        The cheap lookup a scheme's fast route reads through: *name* must
        already be lower case.

        Raises:
            MalformedSignature: the name was sent twice, or its value is too long.

        .. versionadded:: 0.1
        """
        return self._one(name, name)

    def optional(self, name: str) -> str | None:
        """
        Return the single value of *name*, or ``None`` when it is absent or empty.

        An empty value counts as absent, as stripe-python and standardwebhooks
        treat it: a header a proxy or client emptied carries nothing to check.

        Raises:
            MalformedSignature: the name was sent twice, or its value is too long.
        """
        return self._one(name.lower(), name)

    def require(self, name: str) -> str:
        """
        Return the single value of *name*.

        Raises:
            MissingSignature: the header is absent or empty.
            MalformedSignature: the name was sent twice, or its value is too long.
        """
        value = self._one(name.lower(), name)
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
            value = self._one(name.lower(), name)
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


class _LazyHeaders(Headers):
    # A view whose full mapping (_values, _repeated) is built on first use
    # from _pairs(); one() reads the source directly.
    __slots__ = ()

    def __getattr__(self, attribute: str) -> Any:
        # Only called while a slot is unset: the mapping is wanted, build it.
        if attribute not in ("_values", "_repeated"):
            raise AttributeError(attribute)
        Headers.__init__(self, self._pairs())
        return object.__getattribute__(self, attribute)

    def _pairs(self) -> Iterable[tuple[HeaderName, HeaderName]]:
        raise NotImplementedError


class _AsgiHeaders(_LazyHeaders):
    # ASGI pairs, indexed in C: name -> value, plus the lowered pairs when a
    # name came twice (so one() can tell which names are repeated).
    __slots__ = ("_index", "_pairs_kept")

    _index: dict[bytes, bytes]
    _pairs_kept: tuple[tuple[bytes, bytes], ...] | None

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        try:
            pairs = raw if type(raw) is list else list(islice(raw, MAX_HEADER_COUNT + 1))
            if len(pairs) > MAX_HEADER_COUNT:
                raise _too_many()
            index = dict(pairs)
            names = b"".join(index)  # every name is bytes ...
            b"".join(index.values())  # ... and every value
        except (TypeError, ValueError):
            raise _bad_headers() from None
        if names.lower() != names:
            # Not as an ASGI server sends them: lower the names once.
            pairs = [(name.lower(), value) for name, value in pairs]
            index = dict(pairs)
        self._index = index
        self._pairs_kept = None if len(index) == len(pairs) else tuple(pairs)

    def _pairs(self) -> Iterable[tuple[HeaderName, HeaderName]]:
        kept = self._pairs_kept
        return self._index.items() if kept is None else kept

    def _one(self, key: str, name: str) -> str | None:
        try:
            wanted = key.encode("latin-1")
        except UnicodeEncodeError:
            return None
        value = self._index.get(wanted)
        if not value:
            return None
        kept = self._pairs_kept
        if kept is not None and sum(1 for sent, _ in kept if sent == wanted) > 1:
            raise _repeated(name)
        return _checked(value.decode("latin-1"), name)


def environ_key(name: str) -> str:
    """The WSGI environ key of the lower-case header *name* (``HTTP_X_NAME``, ``CONTENT_TYPE``)."""
    return _CGI_KEYS.get(name) or "HTTP_" + name.upper().replace("-", "_")


class EnvironHeaders(_LazyHeaders):
    """
    A WSGI environ or Django ``META`` as headers: ``HTTP_X_NAME`` keys, plus
    ``CONTENT_TYPE`` and ``CONTENT_LENGTH``.

    The environ is copied (in C, a few hundred nanoseconds) so later edits
    of it do not show; the compiled route of a scheme reads its keys in
    :attr:`environ` directly (:func:`environ_key`).
    """

    __slots__ = ("environ",)

    environ: dict[str, Any]

    def __init__(self, environ: Mapping[str, Any]) -> None:
        if not isinstance(environ, Mapping):
            raise _bad_headers()
        self.environ = dict(environ)
        if len(self.environ) > MAX_HEADER_COUNT and (
            sum(1 for key in self.environ if type(key) is str and key.startswith("HTTP_"))
            > MAX_HEADER_COUNT
        ):
            raise _too_many()

    def _pairs(self) -> Iterable[tuple[HeaderName, HeaderName]]:
        pairs: list[tuple[HeaderName, HeaderName]] = []
        for key, value in self.environ.items():
            if type(key) is not str:
                continue
            if key.startswith("HTTP_"):
                pairs.append((key[5:].replace("_", "-").lower(), value))
            elif key in _CGI_NAMES:
                pairs.append((_CGI_NAMES[key], value))
        return pairs

    def _one(self, key: str, name: str) -> str | None:
        value = self.environ.get(environ_key(key))
        if not value:
            return None
        if type(value) is not str:
            raise _bad_headers()
        return _checked(value, name)


for _public in (Headers,):
    _public.__module__ = "hooksig"  # its public name, hooksig.Headers
del _public
