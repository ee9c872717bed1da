"""RSA PKCS #1 v1.5 keys and certificate reading in hooksig._primitives (issue #14)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hooksig import ConfigurationError
from hooksig._primitives import crypto, x509
from tests.schemes.fetching import RSA_PEM, certificate, private

KEY = private(RSA_PEM)
SPKI = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo


def test_public_keys_load_from_pem_or_der() -> None:
    """PEM and DER SubjectPublicKeyInfo both load; a signature verifies with either."""
    public = KEY.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    der = public.public_bytes(*SPKI)
    signature = crypto.rsa_sign(KEY, b"message", "sha256")
    for data in (pem, der):
        assert crypto.rsa_verify(crypto.rsa_public_key(data), signature, b"message", "sha256")
    assert not crypto.rsa_verify(crypto.rsa_public_key(der), signature, b"other", "sha256")


def test_unreadable_other_and_weak_keys_are_refused() -> None:
    """Garbage, an EC key, a 1024-bit key and a small exponent: ConfigurationError."""
    with pytest.raises(ConfigurationError, match="not a readable RSA key"):
        crypto.rsa_public_key(b"\x30\x03garbage")
    ec_key = ec.derive_private_key(7, ec.SECP256R1()).public_key().public_bytes(*SPKI)
    with pytest.raises(ConfigurationError, match="not an RSA key"):
        crypto.rsa_public_key(ec_key)
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()  # noqa: S505 - the weak key refused
    with pytest.raises(ConfigurationError, match="weak RSA key"):
        crypto.rsa_public_key(small.public_bytes(*SPKI))
    numbers = KEY.public_key().public_numbers()
    exponent_three = rsa.RSAPublicNumbers(3, numbers.n).public_key()
    with pytest.raises(ConfigurationError, match="weak RSA key"):
        crypto.check_rsa_public(exponent_three)


def test_certificates_are_read_and_judged_at_a_given_time() -> None:
    """Validity is judged at the time given, both ends; more than eight certificates is refused."""
    pem = certificate(KEY, not_before=1_000, not_after=2_000)
    (found,) = x509.load_certificates(pem)
    assert x509.validity_error(found, 1_500) is None
    assert x509.validity_error(found, 999) == "certificate_not_yet_valid"
    assert x509.validity_error(found, 2_001) == "certificate_expired"
    with pytest.raises(ValueError, match="too many"):
        x509.load_certificates(pem * (x509.MAX_CERTIFICATES + 1))
    assert len(x509.load_certificates(pem * x509.MAX_CERTIFICATES)) == x509.MAX_CERTIFICATES
