"""
The two records a scheme works on: the :class:`Request` as received and the
:class:`ParsedSignature` read from it, before any key is tried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .._primitives.headers import Headers


@dataclass(frozen=True)
class Request:
    """
    A delivery as received: raw body and headers, plus URL and method for schemes that sign them.

    .. versionadded:: 0.1
    """

    body: bytes
    headers: Headers
    url: str | None = None
    method: str = "POST"
    params: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True)
class ParsedSignature:
    """
    What a scheme read from the headers, before any key was tried.

    Attributes:
        candidates: ``(label, decoded signature)`` for each signature offered
            in a version the scheme accepts.
        timestamp: the signed time in seconds, if the scheme has one.
        timestamp_text: the timestamp exactly as it was signed.
        id: the provider's delivery id, if the scheme has one.
        header: the signature header that was read.
        id_field: for providers that put the delivery id in the JSON body
            (Stripe), the top-level field that holds it.

    .. versionadded:: 0.1
    """

    candidates: tuple[tuple[str, bytes], ...]
    timestamp: float | None = None
    timestamp_text: str | None = None
    id: str | None = None
    header: str = ""
    id_field: str | None = None


for _public in (
    ParsedSignature,
    Request,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.ParsedSignature
del _public
