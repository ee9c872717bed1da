"""
Helpers for the schemes whose keys are obtained at run time (issue #14).

A recording fetch proves that no request left for a hostile delivery; test
keys and certificates are made here with ``cryptography``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hooksig import KeyUnavailable
from hooksig._primitives import x509
from hooksig.keysource import KeyRequest, KeySource
from hooksig.testing._keys import _rsa_private_key

#: The toolkit's RSA test key (PEM) and a second one, for impostors.
RSA_PEM = _rsa_private_key()
OTHER_RSA_PEM = _rsa_private_key(1)
P256 = ec.derive_private_key(0xC0FFEE, ec.SECP256R1())
P256_PEM = P256.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()


def private(pem: str) -> Any:
    """The key object of a PEM private key."""
    return serialization.load_pem_private_key(pem.encode(), password=None)


@dataclass
class Recorder:
    """A fetch that serves *documents* and records every request it is asked to send."""

    documents: dict[str, bytes] = field(default_factory=dict)
    calls: list[KeyRequest] = field(default_factory=list)

    def __call__(self, request: KeyRequest) -> bytes:
        self.calls.append(request)
        if request.url not in self.documents:
            raise KeyUnavailable("not served", reason="key_fetch_failed")
        return self.documents[request.url]

    def source(self, **options: Any) -> KeySource:
        """A KeySource fetching through this recorder."""
        return KeySource(fetch=self, **options)


def certificate(
    key: Any,
    *,
    subject: str = "sns.amazonaws.com",
    not_before: float = 0.0,
    not_after: float = 4_102_444_800.0,
    issuer: tuple[str, Any] | None = None,
    dns_names: tuple[str, ...] = (),
) -> bytes:
    """A PEM certificate for *key*: self-signed, or issued by ``(name, key)``."""
    issuer_name, issuer_key = issuer or (subject, key)
    made = x509.issue_certificate(
        key,
        issuer_key,
        subject=subject,
        issuer=issuer_name,
        not_before=not_before,
        not_after=not_after,
        dns_names=dns_names,
    )
    return x509.pem(made)


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def dumps(document: object) -> bytes:
    """JSON bytes."""
    return json.dumps(document).encode("utf-8")
