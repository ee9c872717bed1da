"""
Helpers for testing your own webhook handlers: signed deliveries for any registered scheme.

Build a verifier that can both sign and verify, or a whole signed request::

    >>> from hooksig.testing import signed_delivery
    >>> body, headers = signed_delivery("github", b'{"zen": "hi"}', secret="s" * 32)
    >>> sorted(headers)
    ['X-GitHub-Delivery', 'X-Hub-Signature-256']

Public-key schemes get a fresh key pair (the ``crypto`` extra); schemes
that sign the URL get :data:`TEST_URL`.  Nothing here is part of the
verification path.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from .. import schemes
from ..errors import ExtraNotInstalled
from ..verifier import Verifier

__all__ = ["TEST_SECRET", "TEST_URL", "sample_body", "signed_delivery", "signing_verifier"]

#: A fixed 32-byte secret for tests (long enough to raise no warning).
TEST_SECRET = "hooksig-test-secret-0123456789ab"
#: The public URL given to schemes that sign the URL (Twilio, Square, HubSpot, ...).
TEST_URL = "https://example.com/hooks"


def _key_options(name: str, secret: str | bytes | None) -> dict[str, Any]:
    scheme = schemes.get(name)
    secret_format = getattr(scheme, "secret_format", None)
    if secret_format in {"whsec", "base64"}:
        raw = secret.encode() if isinstance(secret, str) else (secret or TEST_SECRET.encode())
        prefix = "whsec_" if secret_format == "whsec" else ""
        return {"secret": prefix + base64.b64encode(raw).decode("ascii")}
    if secret_format is not None:
        return {"secret": secret if secret is not None else TEST_SECRET}
    # Public-key schemes: a fresh key pair, so the test signs what it verifies.
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    except ImportError:
        raise ExtraNotInstalled("crypto", "cryptography") from None

    if getattr(scheme, "algorithm", None) == "ecdsa-p256":
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {"signing_key": pem.decode("ascii")}
    seed = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return {"signing_key": seed}


def signing_verifier(name: str, *, secret: str | bytes | None = None, **options: Any) -> Verifier:
    """
    Return a :class:`~hooksig.Verifier` for *name* that can sign as well as verify.

    HMAC schemes get *secret* (default :data:`TEST_SECRET`, put in the
    scheme's own format); public-key schemes get a fresh key pair; every
    verifier gets ``public_url=TEST_URL`` unless *options* say otherwise.

    .. versionadded:: 0.1
    """
    options.setdefault("public_url", TEST_URL)
    return Verifier(name, **_key_options(name, secret), **options)


def sample_body(name: str, *, timestamp: int) -> bytes:
    """
    A plausible body for *name*: a form for Twilio, JSON (with Linear's signed time) otherwise.

    .. versionadded:: 0.1
    """
    scheme = schemes.get(name).name
    if scheme.startswith("twilio"):
        return b"CallSid=CA123&From=%2B14155550100&To=%2B14155550199&Body=hello"
    document: dict[str, Any] = {"id": "evt_sample_1", "type": "sample.event", "data": {"ok": True}}
    if scheme == "linear":
        document["webhookTimestamp"] = timestamp * 1000
    return json.dumps(document).encode()


def _place_body_fields(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Move ``body.*`` fields that ``sign()`` returned (Mailgun) into the JSON body."""
    fields = {name: value for name, value in headers.items() if name.startswith("body.")}
    if not fields:
        return body, headers
    document = json.loads(body)
    for name, value in fields.items():
        *parents, leaf = name.split(".")[1:]
        node = document
        for parent in parents:
            node = node.setdefault(parent, {})
        node.setdefault(leaf, value)
    rest = {name: value for name, value in headers.items() if name not in fields}
    return json.dumps(document).encode(), rest


def signed_delivery(
    name: str,
    body: bytes | None = None,
    *,
    secret: str | bytes | None = None,
    timestamp: int | None = None,
    id: str | None = None,
    verifier: Verifier | None = None,
) -> tuple[bytes, dict[str, str]]:
    """
    Return ``(body, headers)`` signed as provider *name* would send them.

    Args:
        body: the body to sign; :func:`sample_body` when omitted.
        verifier: sign with this verifier instead of a fresh :func:`signing_verifier`.

    .. versionadded:: 0.1
    """
    signer = verifier or signing_verifier(name, secret=secret)
    stamp = int(time.time()) if timestamp is None else timestamp
    data = sample_body(name, timestamp=stamp) if body is None else body
    headers = signer.sign(data, timestamp=stamp, id=id)
    return _place_body_fields(data, headers)
