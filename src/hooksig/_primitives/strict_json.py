"""
The one strict JSON reader: UTF-8 only, no NaN or Infinity, no repeated key.

:func:`json.loads` is forgiving where it matters for signed data: given
bytes it guesses UTF-16 or UTF-32, it accepts ``NaN`` and ``Infinity``, and
a repeated key silently keeps the last copy, so two parsers of one body
can read two different values.  Every place hooksig parses a body (a
:class:`~hooksig.Delivery`'s ``json()``, a body-borne signature field, a
delivery id read from the body) goes through :func:`loads`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["field", "loads", "reject_constant", "reject_duplicate_keys", "string_at"]


def reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """
    A JSON object hook that refuses repeated keys (``object_pairs_hook=``).

    Raises:
        ValueError: a key appears twice in one object.
    """
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("duplicate key")
    return document


def reject_constant(name: str) -> Any:
    """
    A JSON constant hook that refuses ``NaN``, ``Infinity`` and ``-Infinity`` (``parse_constant=``).

    Raises:
        ValueError: always.
    """
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes) -> Any:
    """
    Parse *data* as strict JSON: UTF-8 without a BOM, standard values, unique keys.

    Nesting is bounded by the interpreter's recursion limit: a body nested
    deeper raises ``RecursionError``, which callers treat like bad JSON.

    Raises:
        ValueError: anything else (``UnicodeDecodeError`` and
            ``json.JSONDecodeError`` are ``ValueError`` subclasses).
        RecursionError: nested too deep.
    """
    text = data.decode("utf-8")  # never UTF-16/32, which json.loads(bytes) would guess
    return json.loads(text, object_pairs_hook=reject_duplicate_keys, parse_constant=reject_constant)


def field(document: object, path: Sequence[str]) -> object:
    """The value at *path* (``("event", "id")``) in *document*, or ``None`` where it stops."""
    node = document
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def string_at(data: bytes, path: Sequence[str]) -> str | None:
    """
    The string at *path* in the JSON document *data*, else ``None`` (no JSON, no string).

    An integer there is given as its decimal text (Telegram's ``update_id``
    is a number); ``true``, ``false`` and fractions are not ids.
    """
    try:
        value = field(loads(data), path)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None
