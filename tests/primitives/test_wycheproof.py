"""
Project Wycheproof vectors through hooksig's primitive layer.

HMAC: the full-length tags, computed by the key ring's ``hooksig.keys.KeyedMac``
(hooksig's own keyed RFC 2104 states, the message fed in two pieces), compared
through ``hooksig._primitives.compare.match_key``, and run end to end through a
Verifier.  The truncated-tag groups would only
test the standard library's HMAC (hooksig never accepts a truncated tag), so
one test per algorithm checks that a correct truncated tag is refused; see
tests/vectors/README.md.  Ed25519 and ECDSA P-256: through
``hooksig._primitives.crypto``.  Every ``valid`` test must pass and every ``invalid``
one must be refused.

Public keys hooksig refuses at load time (small-order or non-canonical
Ed25519 points; unreadable P-256 keys) count as refusing every signature of
their group: such a group may hold no ``valid`` test.  The current snapshot
has no such group; ``tests/primitives/test_crypto_ed25519.py`` covers the refusal itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pytest

import hooksig
from hooksig import ConfigurationError, InsecureKeyWarning
from hooksig._primitives import crypto
from hooksig._primitives.compare import match_key
from hooksig.keys import MIN_SECRET_BYTES, KeyedMac
from tests.vectors import VECTORS, load_vectors, wycheproof, wycheproof_cases

HMAC_FILES = {
    "sha1": "hmac_sha1_test.json",
    "sha256": "hmac_sha256_test.json",
    "sha512": "hmac_sha512_test.json",
}


def _expect(test: dict[str, Any]) -> bool:
    result = test["result"]
    assert result in ("valid", "acceptable", "invalid")
    # "acceptable" (none in this snapshot) would be legacy-but-secure input: hooksig's
    # policy is to accept it only if the backend does; the strict core treats it as invalid.
    return result == "valid"


def _scheme(algorithm: str) -> hooksig.HmacScheme:
    return hooksig.HmacScheme(
        name=f"wycheproof-{algorithm}", signature_header="X-Mac", algorithm=algorithm
    )  # type: ignore[arg-type]


def _full_length(algorithm: str) -> Callable[[dict[str, Any]], bool]:
    """Keep the groups whose tags are the algorithm's whole digest."""
    size = 8 * hashlib.new(algorithm).digest_size
    return lambda group: group["tagSize"] == size


def _check_hmac(algorithm: str, group: dict[str, Any], test: dict[str, Any]) -> None:
    scheme = _scheme(algorithm)
    key, msg, tag = (bytes.fromhex(test[field]) for field in ("key", "msg", "tag"))
    assert group["tagSize"] == 8 * hashlib.new(algorithm).digest_size
    half = len(msg) // 2
    digest = KeyedMac(key, scheme.algorithm).digest((msg[:half], memoryview(msg)[half:]))
    assert digest == hmac.digest(key, msg, scheme.algorithm)
    assert (match_key([("k", digest)], [tag]) == "k") is _expect(test)
    # The whole pipeline, with the key as a raw bytes secret.
    short = len(key) < MIN_SECRET_BYTES
    with pytest.warns(InsecureKeyWarning) if short else nullcontext():
        verifier = hooksig.Verifier(scheme, secret=key)
    try:
        verifier.verify(msg, {"X-Mac": tag.hex()})
    except hooksig.VerificationError:
        assert not _expect(test)
    else:
        assert _expect(test)


@wycheproof(HMAC_FILES["sha1"], where=_full_length("sha1"))
def test_hmac_sha1(group: dict[str, Any], test: dict[str, Any]) -> None:
    """HMAC-SHA1 vectors: valid tags match, modified tags are refused."""
    _check_hmac("sha1", group, test)


@wycheproof(HMAC_FILES["sha256"], where=_full_length("sha256"))
def test_hmac_sha256(group: dict[str, Any], test: dict[str, Any]) -> None:
    """HMAC-SHA256 vectors: valid tags match, modified tags are refused."""
    _check_hmac("sha256", group, test)


@wycheproof(HMAC_FILES["sha512"], where=_full_length("sha512"))
def test_hmac_sha512(group: dict[str, Any], test: dict[str, Any]) -> None:
    """HMAC-SHA512 vectors: valid tags match, modified tags are refused."""
    _check_hmac("sha512", group, test)


@pytest.mark.parametrize("algorithm", sorted(HMAC_FILES))
def test_hmac_truncated_tag_is_refused(algorithm: str) -> None:
    """A correct tag cut to Wycheproof's truncated size is refused: the digest size is fixed."""
    truncated = [
        (group, test)
        for group, test in wycheproof_cases(HMAC_FILES[algorithm])
        if not _full_length(algorithm)(group) and test["result"] == "valid"
    ]
    assert truncated
    group, test = truncated[0]
    key, msg, tag = (bytes.fromhex(test[field]) for field in ("key", "msg", "tag"))
    assert tag == hmac.digest(key, msg, algorithm)[: group["tagSize"] // 8]
    with pytest.warns(InsecureKeyWarning) if len(key) < MIN_SECRET_BYTES else nullcontext():
        verifier = hooksig.Verifier(_scheme(algorithm), secret=key)
    with pytest.raises(hooksig.MalformedSignature):
        verifier.verify(msg, {"X-Mac": tag.hex()})


@wycheproof("ed25519_test.json")
def test_ed25519(group: dict[str, Any], test: dict[str, Any]) -> None:
    """Ed25519 vectors: valid signatures verify; malleable, truncated, forged ones do not."""
    public = bytes.fromhex(group["publicKey"]["pk"])
    try:
        key = crypto.ed25519_public_key(public)
    except ConfigurationError:
        # Refused at load time (small order / non-canonical): every signature counts as refused.
        assert crypto.weak_ed25519_key(public)
        assert not _expect(test)
        return
    signature, msg = bytes.fromhex(test["sig"]), bytes.fromhex(test["msg"])
    assert crypto.ed25519_verify(key, signature, msg) is _expect(test)


@wycheproof("ecdsa_secp256r1_sha256_test.json")
def test_ecdsa_p256_der(group: dict[str, Any], test: dict[str, Any]) -> None:
    """ECDSA P-256/SHA-256 with DER signatures: only canonical, valid signatures verify."""
    _check_ecdsa(group, test, "der")


@wycheproof("ecdsa_secp256r1_sha256_p1363_test.json")
def test_ecdsa_p256_p1363(group: dict[str, Any], test: dict[str, Any]) -> None:
    """ECDSA P-256/SHA-256 with r||s signatures: only 64-byte, valid signatures verify."""
    _check_ecdsa(group, test, "raw")


def _check_ecdsa(group: dict[str, Any], test: dict[str, Any], encoding: str) -> None:
    assert group["sha"] == "SHA-256"
    try:
        key = crypto.ecdsa_p256_public_key(bytes.fromhex(group["publicKeyDer"]))
    except ConfigurationError:
        assert not _expect(test)
        return
    signature, msg = bytes.fromhex(test["sig"]), bytes.fromhex(test["msg"])
    verified = crypto.ecdsa_p256_verify(key, signature, msg, encoding)  # type: ignore[arg-type]
    assert verified is _expect(test)


def test_ed25519_groups_with_refused_keys_hold_no_valid_test() -> None:
    """Every group whose key hooksig refuses has only invalid tests (so refusing loses nothing)."""
    for group in load_vectors("wycheproof/ed25519_test.json")["testGroups"]:
        if crypto.weak_ed25519_key(bytes.fromhex(group["publicKey"]["pk"])):
            assert all(test["result"] == "invalid" for test in group["tests"])


def test_vector_files_match_the_readme() -> None:
    """Each vector file's sha256 is the one recorded in tests/vectors/README.md."""
    readme = (VECTORS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w.-]+)` \|.*\| `([0-9a-f]{64})` \|$", readme, re.MULTILINE)
    recorded = dict(rows)
    assert len(recorded) == 7
    for name, digest in recorded.items():
        path = VECTORS / "wycheproof" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
    provider = re.search(r"\| sha256 \| `([0-9a-f]{64})` \|", readme)
    assert provider is not None
    data = (VECTORS / "providers" / "provider-vectors.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == provider.group(1)


def test_missing_vector_file_fails_not_skips() -> None:
    """Asking for a vector file that does not exist fails the test (pytest.fail), never skips."""
    with pytest.raises(pytest.fail.Exception, match="missing"):
        load_vectors("wycheproof/no_such_file.json")
