"""Key material for the CLI tests: each scheme's secret text, or a fresh key pair."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from hooksig import schemes
from tests.conftest import SECRET


@dataclass(frozen=True)
class CliKeys:
    """What goes in HOOKSIG_SECRET to sign, and the public key (if any) that verifies."""

    secret: str
    public_key: str | None = None


def ed25519_pair() -> tuple[bytes, bytes]:
    """A fresh Ed25519 (seed, public key)."""
    private = ed25519.Ed25519PrivateKey.generate()
    raw = serialization.Encoding.Raw
    seed = private.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return seed, private.public_key().public_bytes(raw, serialization.PublicFormat.Raw)


def p256_pair() -> tuple[str, str]:
    """A fresh P-256 (PKCS #8 PEM private key, base64 DER public key as SendGrid shows it)."""
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, base64.b64encode(der).decode("ascii")


def rsa_pem() -> str:
    """The toolkit's RSA test key (one per process), as PKCS #8 PEM."""
    from hooksig.testing._keys import _rsa_private_key

    return _rsa_private_key()


def cli_keys(name: str) -> CliKeys:
    """The keys the CLI reads for scheme *name*, in that scheme's own text format."""
    scheme = schemes.get(name)
    info = scheme.info
    # Token and certificate schemes name the kind of key that signs for tests;
    # they verify with its public half, as RSA schemes do.
    kind = getattr(scheme, "signing_key_type", None)
    if kind is not None or info.algorithm.startswith("rsa-"):
        return CliKeys(rsa_pem() if kind != "ecdsa-p256" else p256_pair()[0])
    if info.key_kinds == ("public-key",):
        if info.algorithm == "ecdsa-p256":
            pem, public = p256_pair()
            return CliKeys(pem, public)
        seed, public_raw = ed25519_pair()
        if getattr(scheme, "signing_key_format", None) == "base64":  # Telnyx's keys
            encode = base64.b64encode
            return CliKeys(encode(seed).decode(), encode(public_raw).decode())
        return CliKeys(seed.hex(), public_raw.hex())
    if info.construction == "basic":
        return CliKeys("hooksig-user:" + SECRET)
    in_format = {
        "whsec": "whsec_" + base64.b64encode(SECRET.encode()).decode("ascii"),
        "base64": base64.b64encode(SECRET.encode()).decode("ascii"),
        "hex": SECRET.encode().hex(),
    }
    return CliKeys(in_format.get(info.secret_format or "", SECRET))
