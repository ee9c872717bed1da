"""
Keys for tests: fixed secrets, and a verifier holding a key in its scheme's own format.
"""

from __future__ import annotations

import base64
import functools
from typing import Any

from .. import schemes
from ..errors import ExtraNotInstalled
from ..keys import Secret, SecretLike
from ..scheme import NamesSigningKey, Scheme
from ..verifier import Verifier

__all__ = ["OTHER_SECRET", "TEST_SECRET", "signing_verifier"]

#: A fixed 32-byte secret for tests (long enough to raise no warning).
TEST_SECRET = "hooksig-test-secret-0123456789ab"
#: Another secret of the same length, for deliveries signed with the wrong key.
OTHER_SECRET = "hooksig-other-secret-0123456789a"


def _key_options(
    name: str, secret: SecretLike | None, signing_key: object | None
) -> dict[str, Any]:
    """The Verifier key arguments for *name*: the secret in the scheme's format, or a key."""
    scheme = schemes.get(name)
    if signing_key is not None:
        return {"signing_key": signing_key}
    secret_format = scheme.info.secret_format
    if secret_format in {"whsec", "base64"}:
        if isinstance(secret, Secret) or (
            secret_format == "whsec" and isinstance(secret, str) and secret.startswith("whsec_")
        ):
            return {"secret": secret}
        raw = secret.encode() if isinstance(secret, str) else (secret or TEST_SECRET.encode())
        prefix = "whsec_" if secret_format == "whsec" else ""
        return {"secret": prefix + base64.b64encode(raw).decode("ascii")}
    if secret_format is not None:
        return {"secret": _plain_secret(scheme, secret)}
    return {"signing_key": _fresh_private_key(scheme, secret)}


def _plain_secret(scheme: Scheme, secret: SecretLike | None) -> SecretLike:
    """*secret* (default :data:`TEST_SECRET`) as a hex, Basic or text scheme reads it."""
    if isinstance(secret, Secret):
        return secret
    if scheme.info.secret_format == "hex":
        return (
            secret.encode() if isinstance(secret, str) else secret or TEST_SECRET.encode()
        ).hex()
    if scheme.info.construction == "basic":
        # Basic credentials are user:password: a bare test secret becomes the password.
        text = TEST_SECRET if secret is None else secret
        text = text if isinstance(text, str) else text.decode("latin-1")
        return text if ":" in text else "hooksig-test:" + text
    return secret if secret is not None else TEST_SECRET


@functools.lru_cache(maxsize=2)
def _rsa_private_key(index: int = 0) -> str:
    """RSA keys made once per process (generating 2048-bit keys is slow); *index* picks one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def _fresh_private_key(scheme: Scheme, secret: SecretLike | None = None) -> str | bytes:
    """
    A private key for a public-key scheme: PEM for ECDSA P-256 and RSA, a raw seed for Ed25519.

    ECDSA and Ed25519 keys are fresh.  RSA keys are made once per process:
    a signer given :data:`OTHER_SECRET` (a forger) signs with the second one.
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    except ImportError:
        raise ExtraNotInstalled("crypto", "cryptography") from None

    # Token and certificate schemes name the kind of key that signs for tests.
    named = scheme.signing_key_type if isinstance(scheme, NamesSigningKey) else None
    kind = named or scheme.info.algorithm
    if kind == "rsa" or kind.startswith("rsa"):
        return _rsa_private_key(1 if secret == OTHER_SECRET else 0)
    if kind == "ecdsa-p256":
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return pem.decode("ascii")
    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def signing_verifier(
    name: str, secret: SecretLike | None, signing_key: object | None, **options: Any
) -> Verifier:
    """A :class:`~hooksig.Verifier` for *name* that can sign as well as verify."""
    return Verifier(name, **_key_options(name, secret, signing_key), **options)
