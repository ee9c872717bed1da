"""
Strict text-to-bytes decoders for signatures and keys; no other module decodes.

The standard library's decoders are forgiving: ``bytes.fromhex`` skips
whitespace, ``base64.b64decode`` drops unknown characters unless told not
to and accepts non-zero padding bits.  A forgiving decoder turns many texts
into one signature, which is how malleability bugs start, so each decoder
here accepts exactly one text for each byte string: the canonical one.
"""

from __future__ import annotations

import binascii
import functools
from collections.abc import Callable
from typing import Literal

from ..errors import MalformedSignature

#: ``base64url-nopad``: base64url without its ``=`` padding (Sanity, JWS segments).
Encoding = Literal["hex", "base64", "base64url", "base64url-nopad"]
ENCODINGS: tuple[Encoding, ...] = ("hex", "base64", "base64url", "base64url-nopad")
#: Canonical text to bytes, or :class:`~hooksig.MalformedSignature`.
Decoder = Callable[[str], bytes]

_fromhex = bytes.fromhex
_FROM_URLSAFE = str.maketrans("-_", "+/")
_TO_URLSAFE = str.maketrans("+/", "-_")


def encode(data: bytes, encoding: Encoding) -> str:
    """Encode *data* canonically: lowercase hex, padded base64 and base64url, or unpadded."""
    return encoder(encoding)(data)


@functools.lru_cache(maxsize=8)
def encoder(encoding: Encoding) -> Callable[[bytes], str]:
    """
    :func:`encode` for one *encoding*: the one canonical text of each byte string.

    A text equal to ``encoder(encoding)(data)`` is what :func:`decoder` accepts
    for *data*, and nothing else is: the compiled route compares a digest's
    text with the signature as sent, and decodes only to refuse.
    """
    if encoding == "hex":
        return bytes.hex

    def base64_(data: bytes) -> str:
        text = binascii.b2a_base64(data, newline=False).decode("ascii")
        if encoding == "base64":
            return text
        text = text.translate(_TO_URLSAFE)
        return text.rstrip("=") if encoding == "base64url-nopad" else text

    return base64_


def decode(
    text: str, encoding: Encoding, *, size: int | None = None, what: str = "signature"
) -> bytes:
    """
    Decode canonical *text*; when *size* is given the result must be exactly that long.

    Hex must be lowercase and even-length.  Base64 and base64url must be
    padded and have zero padding bits.  One rule covers all of it: the
    bytes must encode back to *text* exactly.

    Raises:
        MalformedSignature: with ``reason`` ``bad_hex``, ``bad_base64``,
            ``empty`` or ``wrong_length``; the message never echoes *text*.
    """
    return decoder(encoding, size, what)(text)


@functools.lru_cache(maxsize=128)
def decoder(encoding: Encoding, size: int | None, what: str = "signature") -> Decoder:
    """
    :func:`decode` for one *encoding* and *size*, as a function of the text alone.

    Both routes through :meth:`hooksig.Verifier.verify` decode with these
    functions; the compiled route looks its decoders up once.
    """
    length = 0 if size is None else encoded_length(size, encoding)
    canonical = encoder(encoding)  # the rule: the bytes encode back to the text exactly

    def refuse_length(text: str) -> MalformedSignature:
        if not text:
            return MalformedSignature(f"{what} is empty", reason="empty")
        return MalformedSignature(f"{what} has the wrong length", reason="wrong_length")

    if encoding == "hex":

        def hex_(text: str) -> bytes:
            # The length first: a text of the wrong length is refused unread.
            if not text or (length and len(text) != length):
                raise refuse_length(text)
            try:
                data = _fromhex(text)  # skips whitespace: the round trip below refuses it
            except ValueError:
                data = None
            if data is None or canonical(data) != text:
                raise MalformedSignature(f"{what} is not lowercase hex", reason="bad_hex")
            return data

        return hex_

    unpadded = encoding == "base64url-nopad"

    def base64_(text: str) -> bytes:
        if not text or (length and len(text) != length):
            raise refuse_length(text)
        try:
            # Lenient: it skips characters outside the alphabet.  The round trip
            # below is the rule, and refuses every text but the canonical one.
            wire = text if encoding == "base64" else text.translate(_FROM_URLSAFE)
            data = binascii.a2b_base64(wire + "=" * (-len(wire) % 4) if unpadded else wire)
        except (binascii.Error, ValueError):  # ValueError: text that is not ASCII
            data = None
        # Unpadded, a text that kept its "=" is refused here too.
        if data is None or canonical(data) != text:
            # Also non-zero padding bits and missing padding: another text gives these bytes.
            raise MalformedSignature(f"{what} is not canonical {encoding}", reason="bad_base64")
        if size is not None and len(data) != size:
            # Base64 texts of one length decode to up to three sizes (31, 32 bytes: 44 characters).
            raise MalformedSignature(f"{what} has the wrong length", reason="wrong_length")
        return data

    return base64_


def encoded_length(size: int, encoding: Encoding) -> int:
    """The length of the canonical text for *size* bytes in *encoding*."""
    if encoding == "hex":
        return 2 * size
    if encoding == "base64url-nopad":
        return (4 * size + 2) // 3
    return 4 * ((size + 2) // 3)
