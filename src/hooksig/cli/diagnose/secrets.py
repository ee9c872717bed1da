"""
Secret causes for ``hooksig diagnose``: the configured secret read another way.

Part of :mod:`hooksig.cli.diagnose`.  A sender and a receiver often hold the
same secret text and still key the HMAC differently: one strips quotes,
drops the ``whsec_`` prefix, or decodes hex or base64 where the other does
not.  Each guess here is a change you can make with the command's own
flags (edit the secret text, then choose ``--secret-encoding``), and its
key comes from the very function that applies those flags, so the fix a
cause names verifies the capture.  The one mistake no flag reproduces,
Node's ``Buffer.from(secret, "base64")`` over a whole ``whsec_`` secret,
is a fix for the sender.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigurationError
from ...keys import load_secret
from .._io import UsageError, decode_secret
from . import causes as text
from .causes import Cause

PREFIX = "whsec_"
#: The ``--secret-encoding`` values, simplest first.
ENCODINGS = ("scheme", "raw", "hex", "base64")
#: How each encoding is written in Python, for the "in code" half of a fix.
_IN_CODE = {
    "scheme": "secret=text",
    "raw": "secret=text.encode()",
    "hex": "secret=bytes.fromhex(text)",
    "base64": "secret=base64.b64decode(text)",
}
#: Node's base64 alphabet: both the standard and the URL-safe digits.
_NODE_DIGITS = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)} | {"-": 62, "_": 63}  # fmt: skip


@dataclass(frozen=True)
class SecretChange:
    """An edit of the configured secret text, then the ``--secret-encoding`` that reads it."""

    unquote: bool
    drop_prefix: bool
    encoding: str

    def apply(self, secret: str) -> str:
        """The secret text after the edit."""
        if self.unquote:
            secret = secret.strip().strip("'\"").strip()
        return secret.removeprefix(PREFIX) if self.drop_prefix else secret

    def value(self, secret: str) -> str | bytes | None:
        """The ``secret=`` the changed flags give, or None if the text does not decode."""
        try:
            return decode_secret(self.apply(secret), self.encoding)
        except UsageError:
            return None

    def steps(self) -> list[str]:
        """What to do, in order, in words."""
        steps = []
        if self.unquote:
            steps.append("remove the quotes and whitespace around the secret")
        if self.drop_prefix:
            steps.append(f"drop the {PREFIX} prefix from the secret")
        if self.encoding != "scheme":
            steps.append(f"pass --secret-encoding {self.encoding}")
        return steps

    def in_code(self) -> str:
        """The ``secret=`` expression in Python, for the "in code" half of a fix."""
        return _IN_CODE[self.encoding]

    def as_json(self) -> dict[str, Any]:
        """The change as ``details.change`` of the cause."""
        return {
            "remove_quotes": self.unquote,
            "drop_prefix": self.drop_prefix,
            "secret_encoding": self.encoding,
        }


def changes(secret: str) -> list[SecretChange]:
    """Every change that edits *secret* or reads it another way, fewest steps first."""
    bare = secret.strip().strip("'\"").strip()
    found = [
        SecretChange(unquote, drop, encoding)
        for unquote, drop, encoding in itertools.product((False, True), (False, True), ENCODINGS)
        if (unquote, drop, encoding) != (False, False, "scheme")
        and (not unquote or bare not in ("", secret))
        and (not drop or (bare if unquote else secret).startswith(PREFIX))
    ]
    return sorted(found, key=lambda change: len(change.steps()))


def code(change: SecretChange, secret: str) -> str:
    """The cause code of a change that verifies."""
    if change.encoding == "hex":
        return "secret_hex_decoded"
    if change.encoding == "base64":
        return "secret_whsec_decoded" if change.drop_prefix else "secret_base64_decoded"
    if change.encoding == "raw":  # only reached where the scheme decodes: else raw is "scheme"
        prefixed = change.apply(secret).startswith(PREFIX)
        return "secret_whsec_not_decoded" if prefixed else "secret_base64_not_decoded"
    return "secret_whsec_prefix" if change.drop_prefix else "secret_quotes_or_whitespace"


def key_of(value: str | bytes, secret_format: str) -> bytes | None:
    """The HMAC key *value* gives a Verifier of *secret_format*, or None if it gives none."""
    with contextlib.suppress(ConfigurationError):
        return load_secret(value, secret_format)  # type: ignore[arg-type]
    return None


def node_base64(value: str) -> bytes:
    """
    What Node's ``Buffer.from(value, "base64")`` returns: it never refuses its input.

    It reads both base64 alphabets, skips any other character, stops at the
    first ``=``, and decodes a trailing group of two or three digits.
    """
    digits = [_NODE_DIGITS[c] for c in value.partition("=")[0] if c in _NODE_DIGITS]
    out = bytearray()
    for start in range(0, len(digits), 4):
        group = digits[start : start + 4]
        if len(group) < 2:
            break
        bits = 0
        for digit in group:
            bits = bits << 6 | digit
        bits <<= 6 * (4 - len(group))
        out += bits.to_bytes(3, "big")[: len(group) - 1]
    return bytes(out)


def guesses(secret: str, secret_format: str) -> Iterator[tuple[str | bytes, Cause]]:
    """``(secret= value, cause)`` for each other way the sender may have keyed *secret*."""
    for change in changes(secret):
        value = change.value(secret)
        if value is not None:
            yield value, text.secret_cause(code(change, secret), secret_format, change)
    for whole in dict.fromkeys((secret, secret.strip().strip("'\"").strip())):
        if whole.startswith(PREFIX):
            yield node_base64(whole), text.secret_node_decoded(secret_format)
