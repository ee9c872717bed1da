"""
Paddle Classic: recomputed from Paddle's recipe with an independent PHP serialiser.

Paddle's page gives the PHP recipe (ksort, serialize, openssl_verify with SHA-1)
but no alert signed with a published key, so a key is made here and the
serialisation is written out from PHP's documented format.
"""

from __future__ import annotations

import base64
import urllib.parse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from hooksig import InvalidSignature, MalformedSignature, MissingSignature, Verifier
from hooksig.scheme.fields import php_serialize
from tests.schemes.fetching import RSA_PEM, private

KEY = private(RSA_PEM)
PUBLIC = KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
FIELDS = {
    "alert_name": "payment_succeeded",
    "alert_id": "1",
    "balance_gross": "9.99",
    "customer_name": "Zoë",
}


def _php(fields: dict[str, str]) -> bytes:
    """PHP serialize() of string keys and values: s:<byte length>:"..."; (written out by hand)."""
    out = f"a:{len(fields)}:{{"
    for key in sorted(fields):
        for text in (key, fields[key]):
            out += f's:{len(text.encode())}:"{text}";'
    return (out + "}").encode()


def test_the_serialiser_matches_php() -> None:
    """Byte lengths, not characters: "Zoë" is s:4."""
    assert php_serialize({"a": "Zoë"}) == b'a:1:{s:1:"a";s:4:"Zo\xc3\xab";}'
    assert php_serialize(dict(sorted(FIELDS.items()))) == _php(FIELDS)


def test_an_alert_signed_as_paddle_signs_verifies() -> None:
    """RSA PKCS #1 v1.5 SHA-1 over the sorted, serialised fields, base64 in p_signature."""
    signature = KEY.sign(_php(FIELDS), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - Paddle's
    body = urllib.parse.urlencode({**FIELDS, "p_signature": base64.b64encode(signature).decode()})
    verifier = Verifier("paddle-classic", public_key=PUBLIC)
    assert verifier.verify(body.encode(), {}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(body.replace("9.99", "0.01").encode(), {})


def test_sign_round_trips_and_sha256_is_not_sha1() -> None:
    """sign() writes p_signature; a SHA-256 signature does not pass as SHA-1."""
    verifier = Verifier("paddle-classic", signing_key=RSA_PEM)
    body = urllib.parse.urlencode(FIELDS).encode()
    signed, _ = verifier.signed_request(body)
    assert verifier.verify(signed, {})
    sha256 = KEY.sign(_php(FIELDS), padding.PKCS1v15(), hashes.SHA256())
    forged = urllib.parse.urlencode({**FIELDS, "p_signature": base64.b64encode(sha256).decode()})
    with pytest.raises(InvalidSignature):
        verifier.verify(forged.encode(), {})


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"alert_id=1", MissingSignature),
        (b"alert_id=1&alert_id=2&p_signature=AAAA", MalformedSignature),
        (b"alert_id=1&p_signature=***", MalformedSignature),
        (b"%zz", MalformedSignature),
    ],
    ids=["no-signature", "repeated-field", "bad-base64", "bad-form"],
)
def test_malformed_alerts(body: bytes, error: type[Exception]) -> None:
    """Every malformed form is a typed error."""
    with pytest.raises(error):
        Verifier("paddle-classic", public_key=PUBLIC).verify(body, {})
