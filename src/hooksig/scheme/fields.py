"""
Signed content built from fields: for providers that sign values, not the body's bytes.

AWS SNS signs ``name\\nvalue\\n`` for the message's fields, Adyen a
``:``-joined pick from each notification item, Paddle Classic a
PHP-serialised form, PayPal a line holding the body's CRC32.  Each recipe is
a short function in its provider's module, built from the readers here:

- :func:`json_document` parses the body once, strictly (a repeated key is
  refused: two parsers could pick different copies), under the verifier's
  size limit, which the body has already passed;
- :func:`pick` walks a dotted path and names the field in the error when it
  is missing or not text;
- :func:`form_fields` reads a form body, :func:`multipart_field` one field
  of a ``multipart/form-data`` body;
- :func:`php_serialize` and :func:`crc32_text` are the two encodings
  providers built their recipes on.

A field is named in errors as ``body.<path>``, the same spelling a scheme
uses for a signature carried in the body.
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import MalformedSignature, MissingSignature
from ._body_fields import load_json
from .content import _form
from .protocol import Request

__all__ = [
    "MAX_FIELD_LENGTH",
    "crc32_text",
    "form_fields",
    "json_document",
    "multipart_field",
    "php_serialize",
    "pick",
    "text_of",
]

#: The longest field value read, in characters (a whole SNS message fits: 256 KB).
MAX_FIELD_LENGTH = 512 * 1024
#: A ``multipart/form-data`` body with more parts than this is refused.
MAX_PARTS = 64


def _name(path: str) -> str:
    return f"body.{path}"


def json_document(body: bytes) -> Any:
    """
    The body as JSON, keys unique at every level.

    Raises:
        MalformedSignature: not JSON (``reason="bad_body"``).
    """
    return load_json(body)


def text_of(value: object, path: str) -> str:
    """
    A JSON scalar as the text a provider signed: strings as they are, integers in decimal.

    Raises:
        MalformedSignature: an object, array, float, boolean or null where text
            is expected, or a value too long (``reason="bad_field"``).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH:
        raise MalformedSignature(
            f"field {_name(path)} is not text", reason="bad_field", header=_name(path)
        )
    return value


def pick(
    document: object, path: str, *, required: bool = True, signature: bool = False
) -> str | None:
    """
    The text at the dotted *path* of *document*, or ``None`` when absent and not *required*.

    A JSON ``null`` counts as absent (Lambda-style SNS records send ``"Subject": null``).

    Raises:
        MissingSignature: a required signature field is absent (*signature*).
        MalformedSignature: a required field is absent (``reason="missing_field"``),
            or a field is not text (``reason="bad_field"``).
    """
    node = document
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if node is None:
        if not required:
            return None
        if signature:
            raise MissingSignature(
                f"field {_name(path)} is missing", reason="missing_field", header=_name(path)
            )
        raise MalformedSignature(
            f"field {_name(path)} is missing", reason="missing_field", header=_name(path)
        )
    return text_of(node, path)


def form_fields(request: Request) -> Mapping[str, Sequence[str]]:
    """
    The form fields: ``request.params`` from the framework, else the URL-encoded body.

    Raises:
        MalformedSignature: the body is not a UTF-8 form (``reason="bad_form"``).
    """
    if request.params is not None:
        return request.params
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedSignature("the form body is not UTF-8", reason="bad_form") from None
    params: dict[str, list[str]] = {}
    for name, value in _form(text):
        params.setdefault(name, []).append(value)
    return params


def single(fields: Mapping[str, Sequence[str]], name: str, *, signature: bool = False) -> str:
    """
    The one value of form field *name*.

    Raises:
        MissingSignature: a signature field is absent.
        MalformedSignature: absent, or sent twice (``reason="repeated_field"``).
    """
    values = fields.get(name)
    if isinstance(values, str):
        values = [values]
    if not values:
        error = MissingSignature if signature else MalformedSignature
        raise error(f"field {name} is missing", reason="missing_field", header=name)
    if len(values) != 1:
        raise MalformedSignature(
            f"field {name} was sent more than once", reason="repeated_field", header=name
        )
    return values[0]


def multipart_field(body: bytes, content_type: str, name: str) -> bytes | None:
    """
    The bytes of form field *name* in a ``multipart/form-data`` body, or ``None`` if absent.

    Raises:
        MalformedSignature: the body is not multipart, has too many parts, or
            sends the field twice (``reason="bad_form"``).
    """
    if not content_type.lower().startswith("multipart/form-data"):
        raise MalformedSignature("the body is not multipart/form-data", reason="bad_form")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    import email.parser  # the multipart providers only
    import email.policy

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise MalformedSignature("the multipart body has no parts", reason="bad_form")
    found: bytes | None = None
    for count, part in enumerate(message.iter_parts(), 1):
        if count > MAX_PARTS:
            raise MalformedSignature("the multipart body has too many parts", reason="bad_form")
        if part.get_param("name", header="content-disposition") != name:
            continue
        if found is not None:
            raise MalformedSignature(f"field {name} was sent twice", reason="bad_form")
        payload = part.get_payload(decode=True)
        found = payload if isinstance(payload, bytes) else b""
    return found


def php_serialize(fields: Mapping[str, str]) -> bytes:
    """
    PHP's ``serialize()`` of an array of strings, in the order given.

    ``a:<count>:{s:<bytes>:"<key>";s:<bytes>:"<value>";...}``, lengths in
    UTF-8 bytes (Paddle Classic signs this over the fields sorted by key).
    """
    parts = [f"a:{len(fields)}:{{".encode()]
    for key, value in fields.items():
        for item in (key, value):
            raw = item.encode("utf-8")
            parts.append(b's:%d:"' % len(raw) + raw + b'";')
    parts.append(b"}")
    return b"".join(parts)


def crc32_text(body: bytes) -> str:
    """The CRC-32 of *body* as an unsigned decimal (PayPal's recipe)."""
    return str(binascii.crc32(body) & 0xFFFFFFFF)
