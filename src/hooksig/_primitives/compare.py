"""
The one constant-time comparison, over every key and every candidate.

Time spent must not depend on where two digests differ, nor on which key
or which candidate matched, so nothing here returns early: every expected
digest is compared with every candidate and the results are combined.
Inputs are decoded digests (``bytes``), never hex or base64 text, so two
spellings of one signature cannot compare differently.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from ..errors import MalformedSignature


def bytes_eq(a: bytes, b: bytes) -> bool:
    """
    Compare two byte strings in time that depends only on their lengths.

    Raises:
        TypeError: either argument is not ``bytes`` (``str`` included), so a
            text comparison can never slip in by accident.
    """
    if not isinstance(a, bytes) or not isinstance(b, bytes):
        raise TypeError("bytes_eq compares bytes only")
    return hmac.compare_digest(a, b)


def match_key(expected: Sequence[tuple[str, bytes]], candidates: Sequence[bytes]) -> str | None:
    """
    Return the id of the first key whose digest equals any candidate, else ``None``.

    Args:
        expected: ``(key_id, digest)`` for each key, in key-ring order.
        candidates: the decoded signatures the request offered.

    Every pair is compared, whatever matched first.  Both routes through
    :meth:`hooksig.Verifier.verify` match with this function.

    Raises:
        TypeError: a digest or candidate is not ``bytes`` (see :func:`bytes_eq`).
    """
    found: str | None = None
    for key_id, digest in expected:
        hit = False
        for candidate in candidates:
            # bytes_eq() inline: this loop runs for every delivery.
            if not isinstance(digest, bytes) or not isinstance(candidate, bytes):
                raise TypeError("match_key compares bytes only")
            hit |= hmac.compare_digest(digest, candidate)
        if hit and found is None:
            found = key_id
    return found


def token_digest(text: str) -> bytes:
    """
    SHA-256 of a token as sent in a header, compared as a digest so its length does not show.

    Header text usually arrives latin-1 decoded from the wire, so its latin-1
    bytes are the token's UTF-8; text some framework already decoded is re-encoded.
    """
    try:
        raw = text.encode("latin-1")
        raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raw = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).digest()


def credential_digests(credentials: bytes) -> bytes:
    """
    SHA-256 of the user and of the password in ``user:password`` *credentials*.

    HTTP Basic credentials are compared as these digests, so both parts are
    checked, in constant time, and neither part's length shows.

    Raises:
        MalformedSignature: ``reason="bad_credentials"``: no ``:`` in *credentials*.
    """
    user, colon, password = credentials.partition(b":")
    if not colon:
        raise MalformedSignature("the credentials are not user:password", reason="bad_credentials")
    return hashlib.sha256(user).digest() + hashlib.sha256(password).digest()
