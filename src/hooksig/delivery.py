"""
The result of verification, handed to your handler.

A :class:`Delivery` exists only once its signature and timestamp have been
checked, so holding one means the body is authentic.  The body is still the
exact bytes received; :meth:`Delivery.json` parses it on request.  A
delivery is a snapshot: it never follows later edits of the headers it was
given, it pickles, and :meth:`Delivery.to_dict` gives it as plain data for a
task queue.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, NoReturn

from ._primitives import strict_json
from ._primitives.headers import Headers, HeadersInput
from .errors import MalformedPayload

#: Reads a delivery's id from the verified delivery (a body field, a digest...).
IdReader = Callable[["Delivery"], "str | None"]

# Positions in Delivery._fields.
_SCHEME: Final = 0
_ID: Final = 1
_TIMESTAMP: Final = 2
_KEY_ID: Final = 3
_BODY: Final = 4
_HEADERS: Final = 5
_READER: Final = 6
_PLAIN_KEYS = frozenset({"scheme", "id", "timestamp", "key_id", "body_base64", "headers"})


_set = object.__setattr__


def _snapshot(headers: HeadersInput) -> HeadersInput:
    """The headers as they are now, other than a dict: a tuple of pairs, or a view."""
    if type(headers) is list or type(headers) is tuple:
        return tuple(headers)  # pairs: (str, str) or ASGI's (bytes, bytes)
    return headers if isinstance(headers, Headers) else Headers(headers)


class Delivery:
    """
    An authentic, fresh webhook delivery; immutable.

    Attributes:
        scheme: the registry name of the scheme that verified it.
        id: the provider's delivery or event id, the idempotency key.  A
            header's id is read with the signature; an id in the body
            (Stripe's ``evt_...``) or derived from it is read on first access.
        timestamp: the signed Unix time in seconds, if the scheme has one.
        key_id: the id of the secret or key that matched: evidence for rotation.
        body: the exact bytes received.
        headers: the request headers, read-only and case-insensitive.

    Args:
        id_source: reads the id from the delivery, on first access, when *id*
            is ``None`` (:mod:`hooksig.scheme.ids`).

    .. versionadded:: 0.1
    """

    # One tuple holds the fields, set in one step; the id and the headers view
    # are worked out on first access and kept in their own slots.
    __slots__ = ("_fields", "_resolved_id", "_view")

    _fields: tuple[str, str | None, int | None, str | None, bytes, HeadersInput, IdReader | None]
    _resolved_id: str | None
    _view: Headers

    def __init__(
        self,
        scheme: str,
        id: str | None,
        timestamp: int | None,
        key_id: str | None,
        body: bytes,
        headers: HeadersInput,
        id_source: IdReader | None = None,
    ) -> None:
        # The headers as they are now: a dict is copied (a few entries: cheaper than
        # the view, made only if read), pairs are kept as a tuple, anything else viewed.
        snapshot = headers.copy() if type(headers) is dict else _snapshot(headers)
        _set_fields(self, (scheme, id, timestamp, key_id, body, snapshot, id_source))

    @property
    def scheme(self) -> str:
        """The registry name of the scheme that verified this delivery."""
        return self._fields[_SCHEME]

    @property
    def timestamp(self) -> int | None:
        """The signed Unix time in seconds, or ``None``."""
        return self._fields[_TIMESTAMP]

    @property
    def key_id(self) -> str | None:
        """Which secret or key verified this delivery."""
        return self._fields[_KEY_ID]

    @property
    def body(self) -> bytes:
        """The exact bytes received."""
        return self._fields[_BODY]

    @property
    def headers(self) -> Headers:
        """Read-only, case-insensitive view of the request headers."""
        try:
            return self._view
        except AttributeError:
            snapshot = self._fields[_HEADERS]
            view = snapshot if isinstance(snapshot, Headers) else Headers(snapshot)
            object.__setattr__(self, "_view", view)
            return view

    @property
    def id(self) -> str | None:
        """The delivery or event id (see the class docstring)."""
        fields = self._fields
        reader = fields[_READER]
        if reader is None or fields[_ID] is not None:
            return fields[_ID]
        try:
            return self._resolved_id
        except AttributeError:
            value = reader(self)
            object.__setattr__(self, "_resolved_id", value)
            return value

    def json(self) -> Any:
        """
        Parse the body as strict JSON.

        UTF-8 only (no UTF-16 or UTF-32 guessing, no byte-order mark), no
        ``NaN`` or ``Infinity``, no key repeated in an object, and nesting
        bounded by the interpreter's recursion limit.

        Raises:
            MalformedPayload: the body is not such JSON.
        """
        try:
            return strict_json.loads(self.body)
        except (ValueError, RecursionError):
            raise MalformedPayload("the body is not valid JSON") from None

    def to_dict(self) -> dict[str, Any]:
        """
        The delivery as JSON-safe plain data, for a task queue; :meth:`from_dict` reverses it.

        The body is base64 (``body_base64``), so every byte survives; the
        headers are the lower-case names and their values; the id is
        resolved first.

        .. versionadded:: 0.1
        """
        return {
            "scheme": self.scheme,
            "id": self.id,
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "body_base64": base64.b64encode(self.body).decode("ascii"),
            "headers": dict(self.headers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        """
        Rebuild a delivery from :meth:`to_dict`'s plain data.

        Nothing is verified again: pass only data your own code produced
        from a verified delivery (your queue), never data from a request.

        Raises:
            MalformedPayload: *data* is not what :meth:`to_dict` returns.

        .. versionadded:: 0.1
        """
        if not isinstance(data, Mapping) or set(data) != _PLAIN_KEYS:
            raise MalformedPayload("not the plain form of a Delivery (see Delivery.to_dict)")
        scheme, ident, stamp, key_id = data["scheme"], data["id"], data["timestamp"], data["key_id"]
        headers = data["headers"]
        if not (
            isinstance(scheme, str)
            and isinstance(ident, (str, type(None)))
            and (stamp is None or (type(stamp) is int))
            and isinstance(key_id, (str, type(None)))
            and isinstance(data["body_base64"], str)
            and isinstance(headers, Mapping)
            and all(isinstance(item, str) for item in _flat(headers.items()))
        ):
            raise MalformedPayload("a field of the Delivery's plain form has the wrong type")
        try:
            body = base64.b64decode(data["body_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise MalformedPayload("body_base64 is not base64") from None
        return cls(scheme, ident, stamp, key_id, body, dict(headers))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its plain fields, the id resolved: no reader travels.
        view = dict(self.headers)
        return (Delivery, (self.scheme, self.id, self.timestamp, self.key_id, self.body, view))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Delivery is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Delivery is immutable")

    def _key(self) -> tuple[object, ...]:
        return (self.scheme, self.id, self.timestamp, self.key_id, self.body)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Delivery) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Delivery(scheme={self.scheme!r}, id={self.id!r}, timestamp={self.timestamp!r}, "
            f"key_id={self.key_id!r}, body=<{len(self.body)} bytes>)"
        )


def _flat(items: Iterable[tuple[object, object]]) -> Iterable[object]:
    for name, value in items:
        yield name
        yield value


# The one slot every field lives in, set past __setattr__ (which refuses everything).
_set_fields = Delivery.__dict__["_fields"].__set__

Delivery.__module__ = "hooksig"  # its public name, hooksig.Delivery
