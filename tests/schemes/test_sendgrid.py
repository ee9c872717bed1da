"""SendGrid (ECDSA P-256) through the contract and its published vector (SDK: *_sdk.py)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import ClassVar

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hooksig import ConfigurationError, InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import BODY, SchemeContract
from tests.vectors import provider_vector

SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"


def _pair(secret: int) -> tuple[str, str]:
    private = ec.derive_private_key(secret, ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii"), pem.decode("ascii")


PUBLIC, PRIVATE = _pair(0xC0FFEE)
OTHER_PUBLIC, OTHER_PRIVATE = _pair(0xBEEF)


class TestSendGrid(SchemeContract):
    """SendGrid: the contract, with a P-256 key pair (signatures are randomised)."""

    scheme = "sendgrid"
    keys: ClassVar = {"public_key": PUBLIC, "signing_key": PRIVATE}
    other_keys: ClassVar = {"public_key": OTHER_PUBLIC, "signing_key": OTHER_PRIVATE}
    signs_timestamp = True
    id_source = "derived"

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Another valid signature of another message: well formed, but not this one's."""
        other = self.sign(body=self.body + b" ")
        return {**headers, SIGNATURE: other[SIGNATURE]}


def test_published_vector() -> None:
    """sendgrid-python's test vector (payload ending in CRLF) verifies; a changed one does not."""
    vector = provider_vector("SendGrid (ECDSA P-256)")
    public_key = vector["secret"].split(": ", 1)[1]
    verifier = Verifier("sendgrid", public_key=public_key)
    body = vector["body"].encode()
    assert verifier.verify(body, vector["headers"], now=1600112502).timestamp == 1600112502
    with pytest.raises(InvalidSignature):
        verifier.verify(body.replace(b"dropped", b"dropped "), vector["headers"], now=1600112502)


def test_pem_public_key_is_accepted() -> None:
    """The same key given as PEM (what the SDK builds) verifies too."""
    vector = provider_vector("SendGrid (ECDSA P-256)")
    der = vector["secret"].split(": ", 1)[1]
    pem = f"-----BEGIN PUBLIC KEY-----\n{der}\n-----END PUBLIC KEY-----\n"
    verifier = Verifier("sendgrid", public_key=pem)
    assert verifier.verify(vector["body"].encode(), vector["headers"], now=1600112502)


@pytest.mark.parametrize(
    "key",
    [
        base64.b64encode(
            ec.generate_private_key(ec.SECP384R1())
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).decode(),
        "not base64!",
        "",
    ],
    ids=["p384", "not-base64", "empty"],
)
def test_wrong_public_keys_are_refused(key: str) -> None:
    """Another curve or an unreadable key fails at construction."""
    with pytest.raises(ConfigurationError):
        Verifier("sendgrid", public_key=key)


def test_hooksig_accepts_sdk_style_signatures() -> None:
    """A signature made the SDK's way (ECDSA over timestamp + payload, DER, base64) verifies."""
    private = serialization.load_pem_private_key(PRIVATE.encode(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    der = private.sign(str(NOW).encode() + BODY, ec.ECDSA(hashes.SHA256()))
    headers = {SIGNATURE: base64.b64encode(der).decode(), TIMESTAMP: str(NOW)}
    assert Verifier("sendgrid", public_key=PUBLIC).verify(BODY, headers, now=NOW)
