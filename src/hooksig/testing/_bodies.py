"""
What a body looks like to each scheme: its shape, a sample, and when two bodies sign the same.

Most providers sign the raw body, so any bytes will do.  A few do not:
Twilio signs the decoded form fields, Trello signs the body as text,
Linear reads its signed timestamp from a JSON field, Mailgun puts the whole
signature in JSON fields and signs no body at all, and GitLab's token
authenticates the sender only.  This module holds that knowledge once, for
the helpers, the Hypothesis strategies and hooksig's own property tests.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Union

from .. import schemes
from ..scheme import BODY_FIELD, SignsBodyPart
from ..scheme.formats import format_rfc3339

__all__ = [
    "FORM",
    "JSON",
    "Payload",
    "Shape",
    "body_fields",
    "content_type",
    "encode",
    "equivalent_bodies",
    "sample_body",
    "shape",
]

#: What a test may pass as a body: raw bytes, text, or a JSON-able value (or form pairs).
Payload = Union[bytes, str, Mapping[str, Any], Sequence[Any]]  # noqa: UP007 - a runtime alias

#: ``bytes``: any bytes; ``form``: a URL-encoded form; ``text``: UTF-8 text;
#: ``json``: a JSON object (the scheme reads fields of it).
Shape = Literal["bytes", "form", "text", "json"]

#: The field prefix that names a JSON body field instead of a header (``body.signature.token``).
BODY_PREFIX = BODY_FIELD
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def body_fields(name: str) -> tuple[str, ...]:
    """The ``body.*`` names the scheme reads from the JSON body (Mailgun, Linear)."""
    return schemes.get(name).info.body_fields


def shape(name: str) -> Shape:
    """The shape of body scheme *name* can sign (see :data:`Shape`), as its SchemeInfo says."""
    return schemes.get(name).info.body_shape


def content_type(name: str) -> str:
    """The ``Content-Type`` a provider sends with scheme *name*'s bodies."""
    return FORM if shape(name) == "form" else JSON


def _timestamp_value(name: str, timestamp: int) -> object:
    """*timestamp* in the unit the scheme reads from its body (seconds, ms, RFC 3339)."""
    unit = schemes.get(name).info.timestamp_unit
    if unit == "ms":
        return timestamp * 1000
    if unit == "rfc3339":
        return format_rfc3339(timestamp)
    return timestamp


def _set_field(document: dict[str, Any], field: str, value: object) -> None:
    """Set the ``body.a.b`` field *field* of *document* to *value*, making parents as needed."""
    *parents, leaf = field[len(BODY_PREFIX) :].split(".")
    node = document
    for parent in parents:
        child = node.get(parent)
        if not isinstance(child, dict):
            child = node[parent] = {}
        node = child
    node[leaf] = value


def encode(name: str, value: Payload, *, timestamp: int) -> bytes:
    """
    Turn *value* into the body bytes scheme *name* signs.

    Bytes are kept exactly; text is UTF-8 encoded; a mapping or list is a
    form for form schemes (Twilio) and JSON otherwise.  A JSON object gets
    the signed timestamp where the scheme reads it from the body (Linear's
    ``webhookTimestamp``), unless it already has one.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if shape(name) == "form":
        pairs: Any = value.items() if isinstance(value, Mapping) else value
        return urllib.parse.urlencode(list(pairs), doseq=True).encode("ascii")
    if isinstance(value, Mapping):
        document = dict(value)
        where = schemes.get(name).info.timestamp_headers
        if len(where) == 1 and where[0].startswith(BODY_PREFIX):
            leaf = where[0][len(BODY_PREFIX) :]
            if "." not in leaf:
                document.setdefault(leaf, _timestamp_value(name, timestamp))
        value = document
    return json.dumps(value).encode("utf-8")


def sample_body(name: str, *, timestamp: int) -> bytes:
    """
    Return a plausible body for *name*: a form for Twilio, a JSON event otherwise.

    The JSON event carries the signed time where the scheme reads it from
    the body (Linear's ``webhookTimestamp``).

    Args:
        name: a registered scheme name.
        timestamp: the signed time, in Unix seconds.

    .. versionadded:: 0.1
    """
    if shape(name) == "form":
        return b"CallSid=CA123&From=%2B14155550100&To=%2B14155550199&Body=hello"
    document = {"id": "evt_sample_1", "type": "sample.event", "data": {"ok": True}}
    return encode(name, document, timestamp=timestamp)


def _form(body: bytes) -> list[tuple[str, str]] | None:
    """The sorted, de-duplicated form fields of *body*, or None if it is not a UTF-8 form."""
    try:
        pairs = urllib.parse.parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=True, errors="strict"
        )
    except (ValueError, UnicodeDecodeError):
        return None
    return sorted(set(pairs))


def _low_bytes(body: bytes) -> list[int] | None:
    """The low byte of each UTF-16 unit of *body*'s text, or None if it is not UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    units = text.encode("utf-16-le", "surrogatepass")
    return [units[i] for i in range(0, len(units), 2)]


def _field_values(name: str, body: bytes) -> list[object] | None:
    """The values of the scheme's ``body.*`` fields in *body* (an absent one as ``...``)."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    # Signature fields after the first are each optional (Mailgun's parent-signature).
    optional = schemes.get(name).info.signature_headers[1:]
    values: list[object] = []
    for field in body_fields(name):
        node: object = document
        for part in field[len(BODY_PREFIX) :].split("."):
            node = node.get(part, ...) if isinstance(node, dict) else ...
        if node is ... and field not in optional:
            return None
        values.append(node)
    return values


def equivalent_bodies(name: str, one: bytes, two: bytes) -> bool:
    """
    Return whether scheme *name* signs exactly the same content for body *one* and body *two*.

    For most schemes that means equal bytes.  The exceptions are the
    providers whose signature does not cover the body's bytes:

    - Twilio signs the decoded, sorted, de-duplicated form fields, so
      ``a=1&b=2`` and ``b=2&a=1`` are the same delivery;
    - Trello signs the low byte of each UTF-16 unit of the text
      (JavaScript's ``binary`` encoding), so U+2013 and U+0113 collide;
    - Mailgun signs only the ``signature`` fields of its JSON body, so the
      event data may differ;
    - GitLab's plain token authenticates the sender, not the body, so any
      two bodies are equivalent.

    A tampered body that is equivalent to the original still verifies; this
    is the provider's design, not a hooksig bug.  Use this predicate in your
    own properties instead of ``==`` on bodies.

    Args:
        name: a registered scheme name.
        one: a body.
        two: another body.

    Returns:
        ``True`` if a signature for one is a signature for the other.

    .. versionadded:: 0.1
    """
    scheme = schemes.get(name)
    if isinstance(scheme, SignsBodyPart):
        # Schemes that sign fields or a digest of the body say which part they cover.
        part = scheme.signed_body_part(one)
        return part is not None and part == scheme.signed_body_part(two)
    info = scheme.info
    if not info.signs_body:
        return True  # a token, or a content that holds no part of the body (Plivo V2)
    kind = shape(name)
    if kind == "form":
        fields = _form(one)
        return fields is not None and fields == _form(two)
    if kind == "text":
        low = _low_bytes(one)
        return low is not None and low == _low_bytes(two)
    if info.body_fields and "{body}" not in info.signed_content:
        # The scheme signs fields read from the body, not the body (Mailgun).
        values = _field_values(name, one)
        return values is not None and values == _field_values(name, two)
    return one == two
