"""
hooksig.scheme.UnitScheme: settings, keys, and verifying every unit.

A toy scheme signs ``X-Sig: <hex>`` over the body; the providers built on
UnitScheme (SNS, PayPal, Adyen, Braintree, ...) have their own tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import hooksig
from hooksig import ConfigurationError, InvalidSignature, KeyRing, Request, Secret, Verifier
from hooksig._primitives import crypto
from hooksig.keys import Key
from hooksig.keysource import UrlRule
from hooksig.scheme import Unit, UnitScheme
from hooksig.scheme.units import ParsedUnits, sha1_key
from tests.schemes.fetching import RSA_PEM, Recorder, certificate, private

SECRET = "unit-scheme-secret-0123456789abc"
URL = "https://certs.example/cert.pem"


@dataclass(frozen=True, kw_only=True)
class Toy(UnitScheme):
    """One unit: the body, signed in X-Sig (hex), its certificate (if any) in X-Cert."""

    def _units(self, request: Request) -> ParsedUnits:
        signature = bytes.fromhex(request.headers.require("X-Sig"))
        unit = Unit(
            (request.body,), (signature,), "X-Sig", key_url=request.headers.optional("X-Cert")
        )
        return ParsedUnits((("", signature),), header="X-Sig", units=(unit,))

    def _sign_units(
        self, keys: KeyRing, request: Request, timestamp: Any, id: Any
    ) -> dict[str, str]:
        return {"X-Sig": self._signature(keys, request.body).hex()}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"key_kind": "dsa"}, "key_kind must be"),
        ({"algorithm": "md5"}, "algorithm must be"),
        ({"key_kind": "certificate"}, "needs a key_rule"),
    ],
)
def test_declarations_are_checked(settings: dict[str, Any], message: str) -> None:
    """A key kind, digest or missing rule the frame cannot honour is refused when declared."""
    with pytest.raises(ConfigurationError, match=message):
        Toy(name="toy", **settings)


def test_keys_of_the_wrong_kind_are_refused() -> None:
    """HMAC takes no keys; RSA needs text or bytes and a public key; certificates a source."""
    with pytest.raises(ConfigurationError, match="shared secret"):
        Toy(name="toy").load_keys([SECRET], public_key="k")
    rsa_toy = Toy(name="toy", key_kind="rsa")
    with pytest.raises(ConfigurationError, match="PEM or DER"):
        rsa_toy.load_keys((), signing_key=123)
    with pytest.raises(ConfigurationError, match="needs public_key="):
        rsa_toy.load_keys(())
    with pytest.raises(ConfigurationError, match="PEM or DER"):
        rsa_toy.load_keys((), public_key=123)
    certified = Toy(name="toy", key_kind="certificate", key_rule=UrlRule(host=r"certs\.example"))
    with pytest.raises(ConfigurationError, match="KeySource"):
        certified.load_keys((), public_key=123)
    with pytest.raises(ConfigurationError, match="no test certificate"):
        certified.load_keys((), signing_key=RSA_PEM)
    with pytest.raises(ConfigurationError, match="signing needs"):
        Toy(name="toy").sign(
            KeyRing((), None), Request(b"", hooksig.Headers()), timestamp=None, id=None
        )


def test_hex_secrets_read_as_bytes_too() -> None:
    """A hex-format scheme takes the hex text, or the raw bytes as they are."""
    scheme = Toy(name="toy", secret_format="hex")
    raw = b"raw key bytes, 24 long.."
    from_text = Verifier(scheme, secret=raw.hex())
    from_bytes = Verifier(scheme, secret=Secret(raw, key_id="raw"))
    body = b"{}"
    headers = {"X-Sig": hmac.digest(raw, body, "sha256").hex()}
    assert from_text.verify(body, headers).key_id == "0"
    assert from_bytes.verify(body, headers).key_id == "raw"


def test_an_hmac_scheme_resolves_no_keys() -> None:
    """With secrets there is nothing to fetch: the ring is returned as it is, sync or async."""
    scheme = Toy(name="toy")
    keys = scheme.load_keys([SECRET])
    parsed = scheme.parse(Request(b"{}", hooksig.Headers({"X-Sig": "00"})))
    request = Request(b"{}", hooksig.Headers())
    assert scheme.resolve_keys(parsed, request, keys) is keys
    assert asyncio.run(scheme.resolve_keys_async(parsed, request, keys)) is keys


def _certificate_verifier(pem: bytes) -> Verifier:
    scheme = Toy(name="toy", key_kind="certificate", key_rule=UrlRule(host=r"certs\.example"))
    return Verifier(scheme, public_key=Recorder({URL: pem}).source())


def test_a_certificate_with_a_weak_or_foreign_key_is_refused() -> None:
    """A fetched certificate whose key is RSA-1024 or EC: InvalidSignature, reason weak_key."""
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - refused
    for key in (small, ec.derive_private_key(11, ec.SECP256R1())):
        verifier = _certificate_verifier(certificate(key))
        with pytest.raises(InvalidSignature) as info:
            verifier.verify(b"{}", {"X-Sig": "00" * 256, "X-Cert": URL}, now=1_000)
        assert info.value.reason == "weak_key"


def test_only_the_certificate_a_unit_names_verifies_it() -> None:
    """A unit naming one certificate URL is not verified with another URL's key."""
    key = private(RSA_PEM)
    scheme = Toy(name="toy", key_kind="certificate", key_rule=UrlRule(host=r"certs\.example"))
    signature = crypto.rsa_sign(key, b"{}", "sha256")
    unit = Unit((b"{}",), (signature,), "X-Sig", key_url=URL)
    parsed = ParsedUnits((("", signature),), header="X-Sig", units=(unit,))
    public = key.public_key()
    elsewhere = KeyRing((Key("https://certs.example/other.pem", "rsa", public),), None)
    assert scheme.match(elsewhere, b"", parsed) is None
    named = KeyRing((Key("source", "key-source", None), Key(URL, "rsa", public)), None)
    assert scheme.match(named, b"", parsed) == URL


def test_sha1_key_derives_only_secrets() -> None:
    """Braintree's derivation leaves public keys and a non-secret signer alone."""
    public = private(RSA_PEM).public_key()
    ring = KeyRing((Key("a", "hmac", b"secret"), Key("b", "rsa", public)), None)
    derived = sha1_key(ring)
    assert derived.verify_keys[0].material == hashlib.sha1(b"secret").digest()  # noqa: S324
    assert derived.verify_keys[1].material is public
    assert derived.signing_key is None
    signer = Key("0", "rsa-private", private(RSA_PEM))
    assert sha1_key(KeyRing((), signer)).signing_key is signer
