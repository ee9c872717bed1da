"""
The result of verification, handed to your handler.

A :class:`Delivery` exists only once its signature and timestamp have been
checked, so holding one means the body is authentic.  The body is still the
exact bytes received; :meth:`Delivery.json` parses it on request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from ._primitives.headers import Headers
from .errors import MalformedPayload

_UNSET: Any = object()


class _Fields:
    # Delivery's storage.  The fast path fills one with plain attribute stores
    # (writes to a Delivery raise) and then sets its __class__ to Delivery: the
    # same slots, so only the type changes, and with it, writes are refused.
    # A third of the cost of Delivery(...).  *headers* may be a plain dict of
    # str that Headers accepts as is: it is viewed on first access.
    __slots__ = ("_headers", "_id", "_id_field", "body", "key_id", "scheme", "timestamp")

    def __init__(
        self,
        scheme: str,
        id: str | None,
        timestamp: int | None,
        key_id: str | None,
        body: bytes,
        headers: Mapping[str, str],
        id_field: str | None,
    ) -> None:
        self.scheme = scheme
        self._id = _UNSET if id is None and id_field else id
        self._id_field = id_field
        self.timestamp = timestamp
        self.key_id = key_id
        self.body = body
        self._headers = headers


class Delivery(_Fields):
    """
    An authentic, fresh webhook delivery; immutable.

    Attributes:
        scheme: the registry name of the scheme that verified it.
        id: the provider's delivery or event id, the idempotency key; ``None``
            when the provider sends none.  Providers that put it in the body
            (Stripe's ``evt_...``) have it read from the JSON on first access.
        timestamp: the signed Unix time in seconds, if the scheme has one.
        key_id: the id of the secret or key that matched: evidence for rotation.
        body: the exact bytes received.
        headers: the request headers, read-only and case-insensitive.

    .. versionadded:: 0.1
    """

    __slots__ = ()

    _id: str | None
    _id_field: str | None
    scheme: str
    timestamp: int | None
    key_id: str | None
    body: bytes

    def __init__(
        self,
        scheme: str,
        id: str | None,
        timestamp: int | None,
        key_id: str | None,
        body: bytes,
        headers: Mapping[str, str],
        *,
        id_field: str | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "scheme", scheme)
        setter(self, "_id", _UNSET if id is None and id_field else id)
        setter(self, "_id_field", id_field)
        setter(self, "timestamp", timestamp)
        setter(self, "key_id", key_id)
        setter(self, "body", body)
        setter(self, "_headers", headers if isinstance(headers, Headers) else Headers(headers))

    @property
    def headers(self) -> Headers:
        """Read-only, case-insensitive view of the request headers."""
        headers = self._headers
        if type(headers) is dict:  # the fast path's plain dict, checked, viewed on first use
            headers = Headers(headers)
            object.__setattr__(self, "_headers", headers)
        return headers  # type: ignore[return-value]

    @property
    def id(self) -> str | None:
        """The delivery or event id (see the class docstring)."""
        if self._id is _UNSET:
            value: str | None = None
            import json

            try:
                document = json.loads(self.body)
            except (ValueError, RecursionError):
                document = None
            if isinstance(document, dict) and isinstance(document.get(self._id_field), str):
                value = document[self._id_field]
            object.__setattr__(self, "_id", value)
        result: str | None = self._id
        return result

    def json(self) -> Any:
        """
        Parse the body as JSON.

        Raises:
            MalformedPayload: the body is not UTF-8 JSON.
        """
        import json

        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            raise MalformedPayload("the body is not valid JSON") from None

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


Delivery.__module__ = "hooksig"  # its public name, hooksig.Delivery
