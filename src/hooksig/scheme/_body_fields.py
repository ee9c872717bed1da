"""
Signature fields carried in the JSON body instead of in headers (Mailgun, Linear).

A scheme names such a field like a header, with the prefix ``body.`` and a
dotted path: ``body.signature.token``.  The body is parsed once, strictly
(a repeated key is refused, since two parsers could pick different copies),
and only to find these fields; the signed bytes stay the raw body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._primitives.headers import MAX_HEADER_VALUE
from ..errors import ConfigurationError, MalformedSignature

if TYPE_CHECKING:
    from .protocol import Request

#: Prefix of a "header" name that names a field of the JSON body instead.
BODY_FIELD = "body."


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook that refuses repeated keys."""
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("duplicate key")
    return document


def load_json(body: bytes) -> object:
    """
    Parse *body* as JSON, refusing repeated keys.

    Raises:
        MalformedSignature: the body is not JSON (``reason="bad_body"``).
    """
    try:
        return json.loads(body, object_pairs_hook=_reject_duplicates)
    except (ValueError, RecursionError):
        raise MalformedSignature(
            "the body is not the JSON that carries the signature", reason="bad_body"
        ) from None


class Fields:
    """Header lookups where a ``body.a.b`` name reads a field of the JSON body."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._body: object = None
        self._loaded = False

    def first_of(self, names: tuple[str, ...]) -> tuple[str, str] | None:
        """Like :meth:`hooksig.Headers.first_of`; a body field absent or empty is ``None``."""
        if not names[0].startswith(BODY_FIELD):
            return self._request.headers.first_of(names)
        if not self._loaded:
            self._body, self._loaded = load_json(self._request.body), True
        node = self._body
        for part in names[0][len(BODY_FIELD) :].split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or node == "":
            return None  # an empty field is absent, as an empty header is
        if isinstance(node, int) and not isinstance(node, bool):
            node = str(node)  # Linear's webhookTimestamp is a JSON number
        if not isinstance(node, str) or len(node) > MAX_HEADER_VALUE:
            raise MalformedSignature(
                f"field {names[0]} is not a string", reason="bad_field", header=names[0]
            )
        return names[0], node


def place_fields(body: bytes, fields: Mapping[str, str]) -> bytes:
    """
    Set each ``body.a.b`` field of *fields* in the JSON object *body*, as the provider sends it.

    Parent objects are made where absent; the body is serialized again.

    Raises:
        ConfigurationError: *body* is not a JSON object, or a parent field is not an object.
    """
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise ConfigurationError(
            "this scheme carries its signature in JSON body fields: the body must be a JSON object"
        )
    for name, value in fields.items():
        *parents, leaf = name[len(BODY_FIELD) :].split(".")
        node = document
        for parent in parents:
            node = node.setdefault(parent, {})
            if not isinstance(node, dict):
                raise ConfigurationError(f"the body's {parent!r} field is not a JSON object")
        node[leaf] = value
    return json.dumps(document).encode("utf-8")
