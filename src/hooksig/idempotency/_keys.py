"""
Turn a delivery, or a key you chose, into a bounded storage key.

Delivery ids come from request headers.  They are authentic once verified,
but a provider (or a compromised sender) can still make them long or strange,
so no id reaches a store raw unless it is short and printable.  Anything
else is replaced by ``sha256:`` and the SHA-256 of its UTF-8 bytes: a fixed
64-hex-digit form that every backend stores the same way.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Protocol

from hooksig.errors import ConfigurationError

__all__ = ["HASH_PREFIX", "MAX_RAW_BYTES", "DeliveryLike", "storage_key"]

MAX_RAW_BYTES = 200
HASH_PREFIX = "sha256:"
_MAX_SCHEME_CHARS = 64


class DeliveryLike(Protocol):
    """
    What the guard reads from a `hooksig.Delivery`: its scheme and its id.

    Any object with these two attributes can be passed to `Idempotency.claim`.

    .. versionadded:: 0.1
    """

    @property
    def scheme(self) -> str:
        """
        The scheme's registry name, such as ``"stripe"``: the key's namespace.

        .. versionadded:: 0.1
        """
        ...

    @property
    def id(self) -> str | None:
        """
        The provider's delivery or event id; ``None`` if the scheme has none.

        .. versionadded:: 0.1
        """
        ...


def storage_key(key: str | DeliveryLike) -> str:
    """
    Return the storage key for ``key``: ``"{scheme}:{id}"`` for a delivery.

    Args:
        key: a delivery (anything with ``scheme`` and ``id``), or a ``str``
            you built yourself and namespaced as you see fit.

    Returns:
        str: non-empty and printable; the scheme (at most 64 characters) and
        ``:``, then the id as given (at most ``MAX_RAW_BYTES`` bytes) or its
        71-character digest form.

    Raises:
        hooksig.ConfigurationError: the key is empty, the delivery has no id
            (its scheme carries none: pass a key of your own), or the scheme
            name is unusable.
        TypeError: ``key`` is neither a ``str`` nor a delivery.

    .. versionadded:: 0.1
    """
    ident: str | None
    if isinstance(key, str):
        namespace, ident = "", key
    else:
        try:
            scheme, ident = key.scheme, key.id
        except AttributeError:
            scheme = None
        if not isinstance(scheme, str):
            raise TypeError("an idempotency key is a str or a delivery with .scheme and .id")
        if ident is None:
            raise ConfigurationError(
                f"the {scheme!r} scheme gave this delivery no id; "
                "pass an idempotency key of your own, such as an id from the body"
            )
        if not isinstance(ident, str):
            raise TypeError("a delivery id must be a str")
        namespace = _namespace(scheme)
    if not ident:
        raise ConfigurationError("an idempotency key must not be empty")
    # Most ids are short printable ASCII: for those, str.isprintable() is
    # exactly the rule of _UNPRINTABLE and the length in characters is the
    # length in bytes, so C calls decide.
    if (
        len(ident) <= MAX_RAW_BYTES
        and ident.isascii()
        and ident.isprintable()
        and not ident.startswith(HASH_PREFIX)
    ):
        return namespace + ident
    return namespace + _bounded(ident)


@functools.lru_cache(maxsize=256)
def _namespace(scheme: str) -> str:
    # Scheme names come from configuration, not from the request, so there
    # are few and each is checked once.  A ':' in one would let "a:b" + "c"
    # and "a" + "b:c" share a key, so refuse it.
    if not scheme or len(scheme) > _MAX_SCHEME_CHARS or ":" in scheme or not _is_printable(scheme):
        raise ConfigurationError("a scheme name used in an idempotency key is unusable")
    return scheme + ":"


def _bounded(text: str) -> str:
    # A raw key that already looks hashed is hashed again, so that no raw key
    # can ever equal the hashed form of a different key.  The length test on
    # characters comes first: it bounds the work before encoding 1 MB.
    if (
        len(text) > MAX_RAW_BYTES
        or text.startswith(HASH_PREFIX)
        or not _is_printable(text)
        or len(text.encode("utf-8")) > MAX_RAW_BYTES
    ):
        return _hashed(text)
    return text


def _hashed(text: str) -> str:
    # surrogatepass: a lone surrogate (from a JSON "\ud800") cannot be UTF-8
    # encoded strictly, but still names one key and must hash the same way.
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return HASH_PREFIX + digest


# Control characters (C0, DEL, C1), surrogates, line and paragraph separators,
# the BOM and the bidirectional overrides: none belongs in an id, and each can
# confuse a log line or a driver.  Fixed code points rather than Unicode
# categories, because categories change between Python versions and two
# workers on different versions must derive the same key from the same id.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)


def _is_printable(text: str) -> bool:
    return _UNPRINTABLE.search(text) is None
