"""hooksig._primitives.crypto: Ed25519 keys checked at load time, and verify that never raises."""

from __future__ import annotations

import base64
import sys

import pytest

import hooksig
from hooksig import ConfigurationError, ExtraNotInstalled
from hooksig._primitives import crypto

# RFC 8032, section 7.1, TEST 1 (empty message).
RFC_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493

#: The eight points of order 1, 2, 4 and 8, as libsodium's blocklist spells them.
SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  # order 4 (all zero)
    "0000000000000000000000000000000000000000000000000000000000000080",  # order 4
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  # order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  # order 8
]

#: Encodings that are not the canonical encoding of a curve point.
NON_CANONICAL = [
    "0100000000000000000000000000000000000000000000000000000000000080",  # x = 0 with sign 1
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p + 1
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  # y = 2^255 - 1
    "0200000000000000000000000000000000000000000000000000000000000000",  # y = 2: off the curve
]


def test_off_curve_example_is_a_non_residue() -> None:
    """Independent check (Euler's criterion) that y = 2 has no x on the curve."""
    d = (-121665 * pow(121666, P - 2, P)) % P
    x2 = (2 * 2 - 1) * pow(d * 2 * 2 + 1, P - 2, P) % P
    assert pow(x2, (P - 1) // 2, P) == P - 1


@pytest.mark.parametrize("raw", SMALL_ORDER + NON_CANONICAL)
def test_weak_public_keys_are_refused(raw: str) -> None:
    """Small-order, all-zero, non-canonical and off-curve keys are refused at load time."""
    assert crypto.weak_ed25519_key(bytes.fromhex(raw))
    with pytest.raises(ConfigurationError, match="small order"):
        crypto.ed25519_public_key(bytes.fromhex(raw))


@pytest.mark.parametrize("raw", SMALL_ORDER + NON_CANONICAL)
def test_weak_public_keys_are_refused_by_the_verifier(raw: str) -> None:
    """The refusal surfaces at Verifier construction (Standard Webhooks whpk_ keys)."""
    key = "whpk_" + base64.b64encode(bytes.fromhex(raw)).decode()
    with pytest.raises(ConfigurationError):
        hooksig.Verifier("standard-webhooks", public_key=key)


def test_sound_public_key_is_accepted() -> None:
    """A real public key is neither weak nor refused."""
    assert not crypto.weak_ed25519_key(RFC_PUBLIC)
    key = crypto.ed25519_public_key(RFC_PUBLIC)
    assert crypto.ed25519_verify(key, RFC_SIGNATURE, b"")


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_public_key_length(size: int) -> None:
    """A public key is exactly 32 bytes."""
    with pytest.raises(ConfigurationError, match="32 bytes"):
        crypto.ed25519_public_key(b"\x01" * size)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_private_seed_length(size: int) -> None:
    """A private key seed is exactly 32 bytes."""
    with pytest.raises(ConfigurationError, match="32 bytes"):
        crypto.ed25519_private_key(b"\x01" * size)


def test_rfc8032_sign_is_deterministic() -> None:
    """Signing RFC 8032 TEST 1 reproduces its signature and public key byte for byte."""
    private = crypto.ed25519_private_key(RFC_SEED)
    assert crypto.ed25519_public_bytes(private) == RFC_PUBLIC
    assert crypto.ed25519_sign(private, b"") == RFC_SIGNATURE


def test_verify_refuses_without_raising() -> None:
    """Wrong length, S >= L, a flipped bit or another message: False, never an exception."""
    key = crypto.ed25519_public_key(RFC_PUBLIC)
    assert not crypto.ed25519_verify(key, RFC_SIGNATURE[:63], b"")
    assert not crypto.ed25519_verify(key, RFC_SIGNATURE + b"\x00", b"")
    assert not crypto.ed25519_verify(key, b"", b"")
    assert not crypto.ed25519_verify(key, RFC_SIGNATURE, b"x")
    flipped = bytes([RFC_SIGNATURE[0] ^ 1]) + RFC_SIGNATURE[1:]
    assert not crypto.ed25519_verify(key, flipped, b"")
    s = int.from_bytes(RFC_SIGNATURE[32:], "little")
    malleable = RFC_SIGNATURE[:32] + (s + L).to_bytes(32, "little")
    assert not crypto.ed25519_verify(key, malleable, b"")


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without cryptography, loading a key raises ExtraNotInstalled with the pip hint."""
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    with pytest.raises(ExtraNotInstalled, match=r'pip install "hooksig\[crypto\]"'):
        crypto.ed25519_public_key(RFC_PUBLIC)
    with pytest.raises(ImportError):
        hooksig.Verifier(
            "standard-webhooks", public_key="whpk_" + base64.b64encode(RFC_PUBLIC).decode()
        )
