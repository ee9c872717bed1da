"""hooksig.keys: secret formats, checks at construction, redaction and rotation rings."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooksig import (
    ConfigurationError,
    InsecureKeyWarning,
    KeyRing,
    PerCallUrl,
    Secret,
    Verifier,
    schemes,
)
from hooksig.keys import MIN_SECRET_BYTES, Key, KeyedMac, hmac_ring, load_secret
from hooksig.testing._keys import _key_options

RAW = bytes(range(32))
B64 = base64.b64encode(RAW).decode()


def test_secret_repr_and_str_are_redacted() -> None:
    """Neither repr nor str of a Secret shows its value."""
    secret = Secret("super-secret-value-1234", key_id="2024")
    for text in (repr(secret), str(secret)):
        assert "super-secret" not in text
        assert "<redacted>" in text
        assert "'2024'" in text


def test_secret_rejects_other_types() -> None:
    """A Secret is built from str or bytes only."""
    with pytest.raises(ConfigurationError):
        Secret(1234)  # type: ignore[arg-type]


def test_secret_equality_and_hash() -> None:
    """Secrets compare by value and key id; equal secrets hash alike."""
    assert Secret("a", key_id="k") == Secret("a", key_id="k")
    assert Secret("a", key_id="k") != Secret("b", key_id="k")
    assert Secret("a", key_id="k") != Secret("a", key_id="j")
    assert Secret("a") != "a"
    assert hash(Secret("a", key_id="k")) == hash(Secret("a", key_id="k"))
    assert len({Secret("a"), Secret("a")}) == 1


def test_key_and_ring_reprs_are_redacted() -> None:
    """Key and KeyRing reprs show ids and kinds, never material."""
    key = Key("0", "hmac", b"material-bytes")
    assert "material-bytes" not in repr(key)
    assert repr(key) == "Key(key_id='0', kind='hmac', material=<redacted>)"
    assert repr(KeyRing((key,), key)) == "KeyRing(key_ids=['0'])"


def test_hmac_keys_keeps_only_hmac_bytes_in_order() -> None:
    """hmac_keys lists HMAC keys in ring order and skips public keys."""
    ring = KeyRing(
        (Key("a", "hmac", b"1"), Key("b", "ed25519", object()), Key("c", "hmac", b"2")), None
    )
    assert ring.hmac_keys() == (("a", b"1"), ("c", b"2"))


@pytest.mark.parametrize("fmt", ["utf-8", "base64", "whsec"])
def test_bytes_are_always_the_raw_key(fmt: str) -> None:
    """A bytes secret is used as-is whatever the scheme's format."""
    assert load_secret(b"raw-key", fmt) == b"raw-key"  # type: ignore[arg-type]


def test_utf8_format_uses_the_text_as_is() -> None:
    """Stripe-style: the whsec_ string itself, prefix included, is the key."""
    assert load_secret("whsec_abc", "utf-8") == b"whsec_abc"
    assert load_secret("caf\u00e9", "utf-8") == b"caf\xc3\xa9"


def test_base64_format_is_strict() -> None:
    """base64 secrets decode canonically; anything else is a ConfigurationError."""
    assert load_secret(B64, "base64") == RAW
    for bad in (B64.rstrip("="), B64 + "\n", "not base64!", "whsec_" + B64):
        with pytest.raises(ConfigurationError, match="not valid base64"):
            load_secret(bad, "base64")


def test_whsec_format_strips_prefix_and_restores_padding() -> None:
    """Standard Webhooks: optional whsec_ prefix, base64 with or without padding."""
    assert load_secret("whsec_" + B64, "whsec") == RAW
    assert load_secret(B64, "whsec") == RAW
    unpadded = base64.b64encode(b"x" * 31).decode().rstrip("=")
    assert load_secret("whsec_" + unpadded, "whsec") == b"x" * 31


@pytest.mark.parametrize("bad", ["whsec_", "whsec_A", "whsec_!!!!", "whsec_YR=="])
def test_whsec_format_refuses_bad_base64(bad: str) -> None:
    """An empty, truncated, non-base64 or non-canonical whsec_ secret is refused."""
    with pytest.raises(ConfigurationError):
        load_secret(bad, "whsec")


@pytest.mark.parametrize("fmt", ["utf-8", "base64", "whsec"])
def test_empty_secret_is_refused(fmt: str) -> None:
    """An empty secret never becomes an empty HMAC key."""
    with pytest.raises(ConfigurationError, match="empty"):
        load_secret(b"", fmt)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        load_secret("", fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["utf-8", "base64", "whsec"])
@pytest.mark.parametrize("blank", ["\n", "  ", "\t\r\n\x0b\x0c", b" ", b"\n\n"], ids=repr)
def test_blank_secret_is_refused(fmt: str, blank: str | bytes) -> None:
    """A secret that is only ASCII whitespace (an unset variable, an empty file) is refused."""
    with pytest.raises(ConfigurationError, match="whitespace"):
        load_secret(blank, fmt)  # type: ignore[arg-type]


def _takes_a_secret() -> list[str]:
    """Every registered name (aliases too) whose scheme takes a secret, token or credentials."""
    return [
        name for name in schemes.names() if set(schemes.get(name).info.key_kinds) - {"public-key"}
    ]


@pytest.mark.parametrize("name", _takes_a_secret())
def test_verifier_refuses_a_blank_secret(name: str) -> None:
    """Verifier(secret="\\n") is refused at construction by every scheme, not just warned about."""
    url = {"public_url": PerCallUrl()} if schemes.get(name).info.signs_url else {}
    real = _key_options(name, None, None)["secret"]  # a valid secret in the scheme's format
    assert Verifier(name, secret=real, **url).scheme.name == schemes.get(name).name
    for blank in ("\n", "  ", "\t\r\n", "", b" ", b""):
        with pytest.raises(ConfigurationError, match="empty or only whitespace"):
            Verifier(name, secret=blank, **url)
        with pytest.raises(ConfigurationError, match="empty or only whitespace"):
            Verifier(name, secrets=[real, blank], **url)


def test_secret_with_surrounding_whitespace_is_kept_as_given() -> None:
    """Only a blank secret is refused; a real one with a newline is the provider's bytes."""
    assert load_secret("a-real-secret-0123456789\n", "utf-8") == b"a-real-secret-0123456789\n"


def test_ring_needs_a_secret() -> None:
    """An empty list of secrets is a ConfigurationError."""
    with pytest.raises(ConfigurationError, match="needs a secret"):
        hmac_ring([], "utf-8")


def test_ring_ids_default_to_positions_and_first_signs() -> None:
    """Key ids default to positions, explicit ids are kept, and the first key signs."""
    ring = hmac_ring(["a" * 16, Secret(b"b" * 16, key_id="old"), Secret("c" * 16)], "utf-8")
    assert [key.key_id for key in ring.verify_keys] == ["0", "old", "2"]
    assert ring.signing_key is ring.verify_keys[0]
    assert ring.hmac_keys()[1] == ("old", b"b" * 16)


def test_ring_refuses_duplicate_key_ids() -> None:
    """Two secrets with one key id would make key_id ambiguous: refused."""
    with pytest.raises(ConfigurationError, match="key id"):
        hmac_ring([Secret("a" * 16, key_id="1"), "b" * 16], "utf-8")


def test_short_secret_warns_but_works() -> None:
    """A secret under MIN_SECRET_BYTES raises InsecureKeyWarning and is still loaded."""
    with pytest.warns(InsecureKeyWarning, match="secret 0 is 5 bytes"):
        ring = hmac_ring(["12345"], "utf-8")
    assert ring.hmac_keys() == (("0", b"12345"),)


def test_minimum_length_does_not_warn() -> None:
    """Exactly MIN_SECRET_BYTES bytes raises no warning (warnings are errors here)."""
    ring = hmac_ring(["k" * MIN_SECRET_BYTES], "utf-8")
    assert len(ring.verify_keys) == 1


class TestKeyedMac:
    """Each key keyed once (RFC 2104 inner/outer states), copied for every message."""

    @settings(max_examples=200)
    @given(
        key=st.binary(max_size=200),
        pieces=st.lists(st.binary(max_size=300), max_size=4),
        algorithm=st.sampled_from(["sha1", "sha256", "sha512"]),
    )
    def test_equals_the_standard_library(
        self, key: bytes, pieces: list[bytes], algorithm: str
    ) -> None:
        """Any key (longer than a block too), any message in any pieces: hmac.digest's answer."""
        mac = KeyedMac(key, algorithm)
        assert mac.digest(pieces) == hmac.digest(key, b"".join(pieces), algorithm)
        assert mac.digest(pieces) == mac.digest([b"".join(pieces)])  # the states are copied

    def test_secret_prefix_and_token(self) -> None:
        """secret-prefix hashes key || content; a token is the key's digest, whatever is signed."""
        prefix = KeyedMac(b"secret", "sha256", "secret-prefix")
        assert prefix.digest([b"con", b"tent"]) == hashlib.sha256(b"secretcontent").digest()
        token = KeyedMac(b"the token", "sha256", "token")
        assert token.digest([b"anything"]) == hashlib.sha256(b"the token").digest()
        assert token.digest([]) == token.digest([b"other"])

    def test_repr_is_redacted(self) -> None:
        """A keyed state never shows its key."""
        assert repr(KeyedMac(b"k" * 32, "sha256")) == "KeyedMac(<redacted>)"

    def test_the_ring_keys_each_secret_once(self) -> None:
        """hmac_ring gives one KeyedMac per secret, in ring order, under its key id."""
        ring = hmac_ring([Secret("a" * 16, key_id="new"), "b" * 16], "utf-8", algorithm="sha1")
        assert [key_id for key_id, _ in ring.macs] == ["new", "1"]
        assert ring.macs[1][1].digest([b"m"]) == hmac.digest(b"b" * 16, b"m", "sha1")
