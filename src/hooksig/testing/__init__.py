"""
Helpers for testing your own webhook handlers: signed deliveries for any registered scheme.

Build a verifier that can both sign and verify, then a signed request::

    >>> from hooksig.testing import signed_delivery
    >>> body, headers = signed_delivery("github", b'{"zen": "hi"}', secret="s" * 32)
    >>> sorted(headers)
    ['X-GitHub-Delivery', 'X-Hub-Signature-256']

Nothing here is part of the verification path.
"""

from __future__ import annotations

import time
from typing import Any

from .. import schemes
from ..verifier import Verifier

__all__ = ["TEST_SECRET", "signed_delivery", "signing_verifier"]

#: A fixed 32-byte secret for tests (long enough to raise no warning).
TEST_SECRET = "hooksig-test-secret-0123456789ab"


def _key_options(name: str, secret: str | bytes | None) -> dict[str, Any]:
    scheme = schemes.get(name)
    if hasattr(scheme, "load_keys") and getattr(scheme, "secret_format", None) is not None:
        if getattr(scheme, "secret_format", None) == "whsec":
            import base64

            raw = secret.encode() if isinstance(secret, str) else (secret or TEST_SECRET.encode())
            return {"secret": "whsec_" + base64.b64encode(raw).decode("ascii")}
        return {"secret": secret if secret is not None else TEST_SECRET}
    # Public-key schemes: a fresh key pair, so the test signs what it verifies.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return {"signing_key": seed}


def signing_verifier(name: str, *, secret: str | bytes | None = None, **options: Any) -> Verifier:
    """
    Return a :class:`~hooksig.Verifier` for *name* that can sign as well as verify.

    HMAC schemes get *secret* (default :data:`TEST_SECRET`, put in the
    scheme's own format); public-key schemes get a fresh key pair.

    .. versionadded:: 0.1
    """
    return Verifier(name, **_key_options(name, secret), **options)


def signed_delivery(
    name: str,
    body: bytes,
    *,
    secret: str | bytes | None = None,
    timestamp: int | None = None,
    id: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """
    Return ``(body, headers)`` signed as provider *name* would send them.

    .. versionadded:: 0.1
    """
    verifier = signing_verifier(name, secret=secret)
    stamp = int(time.time()) if timestamp is None else timestamp
    return body, verifier.sign(body, timestamp=stamp, id=id)
