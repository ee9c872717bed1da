"""
Strict text-to-bytes decoders for signatures and keys; no other module decodes.

The standard library's decoders are forgiving: ``bytes.fromhex`` skips
whitespace, ``base64.b64decode`` drops unknown characters unless told not
to and accepts non-zero padding bits.  A forgiving decoder turns many texts
into one signature, which is how malleability bugs start, so each decoder
here accepts exactly one text for each byte string: the canonical one.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Literal

from ..errors import MalformedSignature

#: ``base64url-nopad``: base64url without its ``=`` padding (Sanity, JWS segments).
Encoding = Literal["hex", "base64", "base64url", "base64url-nopad"]
ENCODINGS: tuple[Encoding, ...] = ("hex", "base64", "base64url", "base64url-nopad")

_HEX = re.compile(r"[0-9a-f]*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def encode(data: bytes, encoding: Encoding) -> str:
    """Encode *data* canonically: lowercase hex, padded base64 and base64url, or unpadded."""
    if encoding == "hex":
        return data.hex()
    if encoding == "base64":
        return base64.b64encode(data).decode("ascii")
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text.rstrip("=") if encoding == "base64url-nopad" else text


def decode(
    text: str, encoding: Encoding, *, size: int | None = None, what: str = "signature"
) -> bytes:
    """
    Decode canonical *text*; when *size* is given the result must be exactly that long.

    Hex must be lowercase and even-length.  Base64 and base64url must be
    padded and have zero padding bits, so re-encoding gives *text* back.

    Raises:
        MalformedSignature: with ``reason`` ``bad_hex``, ``bad_base64``,
            ``empty`` or ``wrong_length``; the message never echoes *text*.
    """
    if not text:
        raise MalformedSignature(f"{what} is empty", reason="empty")
    if size is not None and len(text) != encoded_length(size, encoding):
        raise MalformedSignature(f"{what} has the wrong length", reason="wrong_length")
    if encoding == "hex":
        if len(text) % 2 or not _HEX.fullmatch(text):
            raise MalformedSignature(f"{what} is not lowercase hex", reason="bad_hex")
        return bytes.fromhex(text)
    pattern, alphabet = (_BASE64, None) if encoding == "base64" else (_BASE64URL, b"-_")
    padded = text
    if encoding == "base64url-nopad":
        # No "=" at all; the padding is put back only to decode.
        padded = text + "=" * (-len(text) % 4) if "=" not in text else "="
    if len(padded) % 4 or not pattern.fullmatch(padded):
        raise MalformedSignature(f"{what} is not canonical {encoding}", reason="bad_base64")
    try:
        data = base64.b64decode(padded, altchars=alphabet, validate=True)
    except binascii.Error:
        raise MalformedSignature(
            f"{what} is not canonical {encoding}", reason="bad_base64"
        ) from None
    if encode(data, encoding) != text:
        # Non-zero padding bits: another text decodes to the same bytes.
        raise MalformedSignature(f"{what} is not canonical {encoding}", reason="bad_base64")
    if size is not None and len(data) != size:
        # Base64 texts of one length decode to up to three sizes (31, 32 bytes: 44 characters).
        raise MalformedSignature(f"{what} has the wrong length", reason="wrong_length")
    return data


def encoded_length(size: int, encoding: Encoding) -> int:
    """The length of the canonical text for *size* bytes in *encoding*."""
    if encoding == "hex":
        return 2 * size
    if encoding == "base64url-nopad":
        return (4 * size + 2) // 3
    return 4 * ((size + 2) // 3)


_a2b, _b2a, _fromhex = binascii.a2b_base64, binascii.b2a_base64, bytes.fromhex


def fast_decoder(encoding: Encoding, size: int | None) -> Any:
    """
    Return a decoder of canonical *encoding* text to *size* bytes, or ``None`` where
    :func:`decode` would raise: the same bytes for the same texts, in fewer steps.
    """
    if size is not None and encoding == "hex":

        def hex_(text: str) -> bytes | None:
            if len(text) != 2 * size:
                return None
            try:
                data = _fromhex(text)
            except ValueError:
                return None
            return data if data.hex() == text else None  # lowercase, no whitespace

        return hex_
    if size is not None and encoding == "base64":

        def base64_(text: str) -> bytes | None:
            try:
                data = _a2b(text)
            except (binascii.Error, ValueError):
                return None
            # Canonical: the text is exactly what encoding the bytes gives back.
            ok = len(data) == size and _b2a(data, newline=False) == text.encode("ascii")
            return data if ok else None

        return base64_

    def general(text: str) -> bytes | None:
        try:
            return decode(text, encoding, size=size)
        except MalformedSignature:
            return None

    return general
