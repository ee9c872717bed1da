"""
Public-key verification; with :mod:`.x509`, the only code that imports ``cryptography``.

The import happens when a public-key scheme is configured, never at
``import hooksig``; without the ``crypto`` extra that construction raises
:class:`~hooksig.errors.ExtraNotInstalled` with the install command.

Ed25519 public keys are checked here before they reach the backend: a
non-canonical encoding or a point of small order (the all-zero key among
them) would let one signature verify for many messages, so both are
refused at construction.  A signature whose scalar ``S`` is not below the
group order ``L`` is malleable (RFC 8032, 5.1.7) and refused here, whatever
the backend would say.

ECDSA P-256 (SendGrid) keys must be on the P-256 curve; signatures, DER or
raw ``r || s``, must have ``0 < r, s < n`` and, for DER, the one canonical
encoding.

RSA (Wise, AWS SNS, PayPal, Paddle Classic) is PKCS #1 v1.5 only, with a
modulus of at least 2048 bits and a public exponent of 65537 or more; a
signature must be exactly as long as the modulus.  SHA-1 is only used where
a scheme names it (SNS signature version 1, Paddle Classic).
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any, Literal

from ..errors import ConfigurationError, ExtraNotInstalled

#: How an ECDSA signature is serialised: ASN.1 DER, or the fixed-width ``r || s`` of IEEE P1363.
EcdsaEncoding = Literal["der", "raw"]
#: The digest of an RSA PKCS #1 v1.5 signature; ``sha1`` only where a provider still requires it.
RsaHash = Literal["sha256", "sha1"]
#: The smallest RSA modulus accepted, in bits.
MIN_RSA_BITS = 2048

_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
#: The order of the Ed25519 base point (RFC 8032, 5.1).
_L = 2**252 + 27742317777372353535851937790883648493
#: The order of the P-256 base point (SEC 2, 2.4.2).
_P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _ed25519() -> ModuleType:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - exercised by the no-extras test run
        raise ExtraNotInstalled("crypto", "cryptography") from None
    return ed25519


def _decode_point(raw: bytes) -> tuple[int, int] | None:
    """Decompress a point (RFC 8032, 5.1.3); ``None`` if non-canonical or off the curve."""
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = (u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P)) % _P
    if (v * x * x - u) % _P != 0:
        x = (x * _SQRT_M1) % _P
        if (v * x * x - u) % _P != 0:
            return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = a, b
    t = _D * x1 * x2 * y1 * y2 % _P
    x3 = (x1 * y2 + x2 * y1) * pow(1 + t, _P - 2, _P) % _P
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, _P - 2, _P) % _P
    return x3, y3


def weak_ed25519_key(raw: bytes) -> bool:
    """True when *raw* is not a canonical curve point, or a point of order 1, 2, 4 or 8."""
    point = _decode_point(raw)
    if point is None:
        return True
    for _ in range(3):
        point = _add(point, point)
    return point == (0, 1)


def ed25519_public_key(raw: bytes) -> Any:
    """
    Load a 32-byte Ed25519 public key, refusing weak and malformed ones.

    Raises:
        ConfigurationError: wrong length, not on the curve, or small order.
        ExtraNotInstalled: ``cryptography`` is missing.
    """
    module = _ed25519()
    if len(raw) != 32:
        raise ConfigurationError("an Ed25519 public key is 32 bytes")
    if weak_ed25519_key(raw):
        raise ConfigurationError("the Ed25519 public key is malformed or of small order")
    return module.Ed25519PublicKey.from_public_bytes(raw)


def ed25519_private_key(seed: bytes) -> Any:
    """Load an Ed25519 signing key from its 32-byte seed."""
    module = _ed25519()
    if len(seed) != 32:
        raise ConfigurationError("an Ed25519 private key seed is 32 bytes")
    return module.Ed25519PrivateKey.from_private_bytes(seed)


def ed25519_public_bytes(private_key: Any) -> bytes:
    """The raw 32-byte public key of a signing key."""
    from cryptography.hazmat.primitives import serialization

    raw: bytes = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return raw


def ed25519_verify(public_key: Any, signature: bytes, message: bytes) -> bool:
    """Verify one signature; any backend refusal is ``False``, never an exception."""
    from cryptography.exceptions import InvalidSignature

    if len(signature) != 64:
        return False
    if int.from_bytes(signature[32:], "little") >= _L:
        # S >= L: the same signature plus a multiple of L would also verify.
        return False
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def ed25519_sign(private_key: Any, message: bytes) -> bytes:
    """Sign *message*; Ed25519 is deterministic, so the result is reproducible."""
    signature: bytes = private_key.sign(message)
    return signature


def _ec() -> ModuleType:
    """cryptography's ``ec`` module, or :class:`ExtraNotInstalled`."""
    try:
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:  # pragma: no cover - exercised by the no-extras test run
        raise ExtraNotInstalled("crypto", "cryptography") from None
    return ec


def _check_p256(key: Any, ec: ModuleType, kind: type, what: str) -> Any:
    if not isinstance(key, kind) or not isinstance(getattr(key, "curve", None), ec.SECP256R1):
        raise ConfigurationError(f"the {what} is not an ECDSA P-256 key")
    return key


def ecdsa_p256_public_key(data: bytes) -> Any:
    """
    Load a P-256 public key from DER SubjectPublicKeyInfo, PEM, or a SEC 1 point.

    Raises:
        ConfigurationError: unreadable, another key type, or another curve.
        ExtraNotInstalled: ``cryptography`` is missing.
    """
    ec = _ec()
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        elif data[:1] in (b"\x02", b"\x03", b"\x04"):
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ConfigurationError("the public key is not a readable P-256 key") from None
    return _check_p256(key, ec, ec.EllipticCurvePublicKey, "public key")


def _load_private_key(data: bytes, kind: str) -> Any:
    """A PKCS #8 (or SEC 1 / PKCS #1) private key from unencrypted PEM or DER."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return serialization.load_pem_private_key(data, password=None)
        return serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ConfigurationError(f"the signing key is not a readable {kind} key") from None


def ecdsa_p256_private_key(data: bytes) -> Any:
    """Load a P-256 signing key from PKCS #8 / SEC 1 PEM or DER (unencrypted)."""
    ec = _ec()
    key = _load_private_key(data, "P-256")
    return _check_p256(key, ec, ec.EllipticCurvePrivateKey, "signing key")


def _ecdsa_scalars(signature: bytes, encoding: EcdsaEncoding) -> tuple[int, int] | None:
    """``(r, s)`` if canonical and in range, else ``None``."""
    from cryptography.hazmat.primitives.asymmetric import utils

    if encoding == "raw":
        if len(signature) != 64:
            return None
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    else:
        try:
            r, s = utils.decode_dss_signature(signature)
        except ValueError:
            return None
        if r <= 0 or s <= 0 or utils.encode_dss_signature(r, s) != signature:
            return None  # BER, padding, trailing bytes or a negative integer: not canonical DER
    if not (0 < r < _P256_N and 0 < s < _P256_N):
        return None
    return r, s


def ecdsa_p256_verify(
    public_key: Any, signature: bytes, message: bytes, encoding: EcdsaEncoding
) -> bool:
    """Verify an ECDSA P-256/SHA-256 signature; any refusal is ``False``, never an exception."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import utils

    ec = _ec()
    scalars = _ecdsa_scalars(signature, encoding)
    if scalars is None:
        return False
    try:
        public_key.verify(utils.encode_dss_signature(*scalars), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def ecdsa_p256_sign(private_key: Any, message: bytes, encoding: EcdsaEncoding) -> bytes:
    """Sign *message* with ECDSA P-256/SHA-256; the result is randomised, so it never repeats."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import utils

    der: bytes = private_key.sign(message, _ec().ECDSA(hashes.SHA256()))
    if encoding == "der":
        return der
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def ecdsa_p256_public_of(private_key: Any) -> Any:
    """The public key of a P-256 signing key."""
    return private_key.public_key()


def _rsa() -> ModuleType:
    """cryptography's ``rsa`` module, or :class:`ExtraNotInstalled`."""
    try:
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:  # pragma: no cover - exercised by the no-extras test run
        raise ExtraNotInstalled("crypto", "cryptography") from None
    return rsa


def check_rsa_public(key: Any, what: str = "public key") -> Any:
    """
    Return *key* if it is an RSA public key fit for verifying.

    Raises:
        ConfigurationError: another key type, a modulus under 2048 bits, or a small exponent.
    """
    rsa = _rsa()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigurationError(f"the {what} is not an RSA key")
    if key.key_size < MIN_RSA_BITS or key.public_numbers().e < 65537:
        raise ConfigurationError(f"the {what} is a weak RSA key (under {MIN_RSA_BITS} bits)")
    return key


def rsa_public_key(data: bytes) -> Any:
    """
    Load an RSA public key from PEM or DER SubjectPublicKeyInfo.

    Raises:
        ConfigurationError: unreadable, another key type, or too weak.
        ExtraNotInstalled: ``cryptography`` is missing.
    """
    _rsa()
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ConfigurationError("the public key is not a readable RSA key") from None
    return check_rsa_public(key)


@functools.lru_cache(maxsize=16)
def rsa_private_key(data: bytes) -> Any:
    """
    Load an RSA signing key from PKCS #8 / PKCS #1 PEM or DER (unencrypted).

    Loading checks the key's consistency, which takes tens of milliseconds:
    the loaded key (immutable) is kept for the next verifier given the same bytes.
    """
    rsa = _rsa()
    key = _load_private_key(data, "RSA")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigurationError("the signing key is not an RSA key")
    check_rsa_public(key.public_key(), "signing key")
    return key


def _hash(name: RsaHash) -> Any:
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA1() if name == "sha1" else hashes.SHA256()  # noqa: S303 - opt-in per scheme


def rsa_verify(public_key: Any, signature: bytes, message: bytes, digest: RsaHash) -> bool:
    """Verify an RSA PKCS #1 v1.5 signature; any refusal is ``False``, never an exception."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import padding

    if len(signature) != (public_key.key_size + 7) // 8:
        return False
    try:
        public_key.verify(signature, message, padding.PKCS1v15(), _hash(digest))
    except InvalidSignature:
        return False
    return True


def rsa_sign(private_key: Any, message: bytes, digest: RsaHash) -> bytes:
    """Sign *message* with RSA PKCS #1 v1.5; deterministic, so the result is reproducible."""
    from cryptography.hazmat.primitives.asymmetric import padding

    signature: bytes = private_key.sign(message, padding.PKCS1v15(), _hash(digest))
    return signature


def public_key_of(private_key: Any) -> Any:
    """The public key of any signing key."""
    return private_key.public_key()
