"""
Step 3c: public-key verification, and the only module that imports ``cryptography``.

The import happens when a public-key scheme is configured, never at
``import hooksig``; without the ``crypto`` extra that construction raises
:class:`~hooksig.errors.ExtraNotInstalled` with the install command.

Ed25519 public keys are checked here before they reach the backend: a
non-canonical encoding or a point of small order (the all-zero key among
them) would let one signature verify for many messages, so both are
refused at construction.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .errors import ConfigurationError, ExtraNotInstalled

_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


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
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def ed25519_sign(private_key: Any, message: bytes) -> bytes:
    """Sign *message*; Ed25519 is deterministic, so the result is reproducible."""
    signature: bytes = private_key.sign(message)
    return signature
