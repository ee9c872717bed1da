"""
What the harnesses share: a byte reader, the schemes under test, and a driver.

Harness functions take ``bytes`` and need nothing but hooksig, so the corpus
replay test and the Hypothesis fallback call them without atheris.  Only
:func:`main` imports atheris, to run libFuzzer over a harness.
"""

from __future__ import annotations

import base64
import sys
import warnings
from collections.abc import Callable
from functools import cache

import hooksig

#: The fixed "now" every fuzzed delivery is signed and checked at.
NOW = 1_700_000_000
SECRET = "hooksig-fuzz-secret-0123456789abcdef"
URL = "https://example.com/hooks/fuzz?x=1"
SEED = bytes(range(1, 33))


class Reader:
    """Consume fuzzer bytes as small integers, byte strings and text; never fails."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        """The next byte, or 0 once the data is used up."""
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def below(self, bound: int) -> int:
        """An integer in ``[0, bound)``."""
        return (self.byte() << 8 | self.byte()) % bound if bound > 1 else 0

    def raw(self, limit: int) -> bytes:
        """Up to *limit* bytes, length first."""
        size = self.below(limit + 1)
        chunk = self.data[self.pos : self.pos + size]
        self.pos += len(chunk)
        return chunk

    def text(self, limit: int) -> str:
        """Text as a server might hand it over: latin-1 off the wire, or decoded UTF-8."""
        chunk = self.raw(limit)
        if self.byte() & 1:
            return chunk.decode("utf-8", "replace")
        return chunk.decode("latin-1")


@cache
def scheme_names() -> tuple[str, ...]:
    """Every registered scheme that loads (a provider still being written is left out)."""
    found = []
    for name in hooksig.schemes.names():
        try:
            hooksig.schemes.get(name)
        except Exception:  # noqa: S112 - a provider module still being written
            continue
        found.append(name)
    return tuple(found)


def _p256_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_options() -> list[dict[str, object]]:
    b64 = base64.b64encode(SEED).decode()
    return [
        {"secret": SECRET},
        {"secret": "whsec_" + b64},
        {"secret": b64},
        {"signing_key": SEED.hex()},
        {"signing_key": b64},
        {"signing_key": "whsk_" + base64.b64encode(SEED + _ed25519_public(SEED)).decode()},
        {"signing_key": _p256_pem()},
        {"signing_key": _p256_pem().decode()},
    ]


def _ed25519_public(seed: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


@cache
def verifier(name: str) -> hooksig.Verifier | None:
    """A verifier for *name* that can also sign, or ``None`` if no test key fits."""
    for option in _key_options():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                return hooksig.Verifier(name, clock=lambda: float(NOW), **option)  # type: ignore[arg-type]
        except (hooksig.ConfigurationError, hooksig.HooksigWarning, TypeError):
            continue
    return None


JSON_BODY = b'{"id":"evt_1","type":"ping","webhookTimestamp":1700000000000}'
FORM_BODY = b"Body=hello&From=%2B15005550006&To=%2B15005550001"


def body_for(name: str) -> bytes:
    """A body the provider would send: a form for Twilio, JSON for the rest."""
    return FORM_BODY if name.startswith("twilio") else JSON_BODY


def signs_in_body(scheme: object) -> bool:
    """
    True when a signature, timestamp or id field lives outside the headers: in the
    JSON body (Mailgun, Linear), the form (Braintree) or the URL's query (Event Grid).
    """
    return any(name.startswith(("body.", "form.", "query.")) for name in header_names(scheme))


@cache
def signed(name: str) -> dict[str, str]:
    """Headers that verify :func:`body_for` for *name*, or ``{}`` if the scheme cannot sign."""
    body = body_for(name)
    found = verifier(name)
    if found is None:
        return {}
    try:
        return found.sign(body, timestamp=NOW, id="msg_fuzz1", url=URL)
    except hooksig.WebhookError:
        return {}


def header_names(scheme: object) -> list[str]:
    """Every header name a scheme reads (signature, timestamp, id)."""
    names: list[str] = []
    for attribute in ("signature_header", "timestamp_header", "id_header"):
        value = getattr(scheme, attribute, None)
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, tuple):
            names.extend(value)
    return names or ["X-Signature"]


def main(harness: Callable[[bytes], None]) -> None:
    """Run *harness* under atheris/libFuzzer with the command-line flags given."""
    import gc
    import types

    import atheris

    scheme_names()  # load every provider before instrumenting
    # hooksig's own functions only: the coverage libFuzzer steers by is hooksig's, and
    # instrumenting the standard library and cryptography as well took ten seconds a start.
    for found in gc.get_objects():
        if isinstance(found, types.FunctionType) and (found.__module__ or "").startswith("hooksig"):
            atheris.instrument_func(found)
    atheris.Setup(sys.argv, harness)
    atheris.Fuzz()
