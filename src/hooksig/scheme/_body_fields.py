"""
Signature fields carried in the JSON body instead of in headers (Mailgun, Linear).

A scheme names such a field like a header, with the prefix :data:`BODY_FIELD`
and a dotted path: ``body.signature.token``.  The body is parsed once,
strictly (:mod:`hooksig._primitives.strict_json`: a repeated key is refused,
since two parsers could pick different copies), and only to find these
fields; the signed bytes stay the raw body.  Only fields the provider signs
are read this way, before verification; a delivery id in the body is read
after it (:class:`hooksig.scheme.ids.BodyField`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._primitives import strict_json
from .._primitives.headers import MAX_HEADER_VALUE
from ..errors import ConfigurationError, MalformedSignature

if TYPE_CHECKING:
    from .protocol import Request

#: Prefix of a "header" name that names a field of the JSON body instead.
BODY_FIELD = "body."


def names(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The names in a declaration field that holds one name, several, or none."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def load_json(body: bytes) -> object:
    """
    Parse *body* as strict JSON, for a scheme whose signature is carried in it.

    Raises:
        MalformedSignature: the body is not JSON (``reason="bad_body"``).
    """
    try:
        return strict_json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedSignature(
            "the body is not the JSON that carries the signature", reason="bad_body"
        ) from None


class BodyOrHeaders:
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
            self._body = load_json(self._request.body)
            self._loaded = True
        node = strict_json.field(self._body, names[0][len(BODY_FIELD) :].split("."))
        if node is None or node == "":
            return None  # an empty field is absent, as an empty header is
        if isinstance(node, int) and not isinstance(node, bool):
            node = str(node)  # Linear's webhookTimestamp is a JSON number
        if not isinstance(node, str) or len(node) > MAX_HEADER_VALUE:
            raise MalformedSignature(
                f"field {names[0]} is not a string", reason="bad_field", header=names[0]
            )
        return names[0], node


def place_body_fields(body: bytes, headers: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
    """
    Move the ``body.`` fields a scheme's ``sign()`` returned (Mailgun) into the JSON body.

    Returns the body to send, re-serialised with the fields in place, and
    the headers left; without such fields, *body* and the headers as given.
    A ``body`` entry is a whole body the scheme signed in place of *body*
    (Adyen's notification items, whose signatures sit inside them).

    Raises:
        ConfigurationError: there are such fields and *body* is not a JSON
            object, or a field's parent in it is not an object.

    .. versionadded:: 0.1
    """
    if "body" in headers:
        rest = {name: value for name, value in headers.items() if name != "body"}
        return headers["body"].encode("utf-8"), rest
    fields = {name: value for name, value in headers.items() if name.startswith(BODY_FIELD)}
    rest = {name: value for name, value in headers.items() if name not in fields}
    if not fields:
        return body, rest
    try:
        document = strict_json.loads(body)
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
    return json.dumps(document).encode("utf-8"), rest
