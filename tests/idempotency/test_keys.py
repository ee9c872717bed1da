"""hooksig.idempotency._keys: namespaced, bounded storage keys."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooksig.errors import ConfigurationError
from hooksig.idempotency._keys import HASH_PREFIX, MAX_RAW_BYTES, storage_key
from tests.idempotency.store_contract import FakeDelivery


def _sha(text: str) -> str:
    return HASH_PREFIX + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def test_plain_str_key_is_kept() -> None:
    """A short printable str key is stored as given."""
    assert storage_key("evt_123") == "evt_123"
    assert storage_key("a key with spaces: and colons") == "a key with spaces: and colons"


def test_delivery_is_namespaced_by_scheme() -> None:
    """A delivery's key is scheme:id, so equal ids from two providers never meet."""
    assert storage_key(FakeDelivery("stripe", "evt_1")) == "stripe:evt_1"
    assert storage_key(FakeDelivery("github", "evt_1")) == "github:evt_1"


def test_exactly_max_bytes_is_raw_one_more_is_hashed() -> None:
    """The raw limit counts UTF-8 bytes, not characters."""
    assert storage_key("a" * MAX_RAW_BYTES) == "a" * MAX_RAW_BYTES
    assert storage_key("a" * (MAX_RAW_BYTES + 1)) == _sha("a" * (MAX_RAW_BYTES + 1))
    accented = "é" * (MAX_RAW_BYTES // 2 + 1)  # 101 characters, 202 bytes
    assert storage_key(accented) == _sha(accented)


def test_megabyte_id_is_hashed() -> None:
    """A 1 MB id becomes a fixed-length digest, never stored raw."""
    huge = "x" * (1 << 20)
    key = storage_key(FakeDelivery("stripe", huge))
    assert key == "stripe:" + _sha(huge)
    assert len(key) == len("stripe:sha256:") + 64


@pytest.mark.parametrize(
    "ident",
    ["\x00", "a\x00b", "tab\there", "new\nline", "\x7f", "\x85", "\u2028", "\u202e", "\ufeff"],
)
def test_control_characters_are_hashed(ident: str) -> None:
    """NUL, control, separator, BOM and bidi-override characters never reach a store."""
    assert storage_key(ident) == _sha(ident)


def test_lone_surrogate_is_hashed_without_error() -> None:
    """A lone surrogate cannot be UTF-8 encoded, yet still maps to one key."""
    assert storage_key("\ud800") == _sha("\ud800")
    assert storage_key("\ud800") != storage_key("\udc00")


def test_hash_lookalike_is_hashed_again() -> None:
    """A raw id shaped like a digest is hashed, so it cannot collide with one."""
    long_id = "z" * 500
    lookalike = storage_key(long_id)
    assert storage_key(lookalike) != lookalike
    assert storage_key(lookalike) == _sha(lookalike)


def test_empty_key_refused() -> None:
    """An empty key names nothing and is refused."""
    with pytest.raises(ConfigurationError):
        storage_key("")
    with pytest.raises(ConfigurationError):
        storage_key(FakeDelivery("stripe", ""))


def test_delivery_without_id_refused() -> None:
    """A delivery whose scheme sends no id needs a key of your own."""
    with pytest.raises(ConfigurationError, match="key of your own"):
        storage_key(FakeDelivery("acme", None))


@pytest.mark.parametrize("scheme", ["", "a:b", "x" * 65, "bad\nscheme"])
def test_unusable_scheme_refused(scheme: str) -> None:
    """A scheme name that is empty, long, unprintable or holds ':' is refused."""
    with pytest.raises(ConfigurationError):
        storage_key(FakeDelivery(scheme, "id"))


@pytest.mark.parametrize("bad", [None, 42, b"bytes", object()])
def test_wrong_type_refused(bad: object) -> None:
    """A key is a str or a delivery; anything else is a TypeError."""
    with pytest.raises(TypeError):
        storage_key(bad)  # type: ignore[arg-type]


def test_non_str_delivery_id_refused() -> None:
    """A delivery id that is not a str is a TypeError."""
    with pytest.raises(TypeError):
        storage_key(FakeDelivery("stripe", 42))  # type: ignore[arg-type]


# Every code point, lone surrogates included (plain st.text() leaves them out).
_ANY_TEXT = st.text(st.characters(exclude_categories=()), min_size=1, max_size=400)


@given(_ANY_TEXT)
def test_any_text_gives_a_bounded_printable_key(text: str) -> None:
    """Whatever the text, the key is short, strictly encodable and free of control characters."""
    key = storage_key(text)
    encoded = key.encode("utf-8")
    assert len(encoded) <= max(MAX_RAW_BYTES, len(HASH_PREFIX) + 64)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in key)
    assert key == storage_key(text)


@given(_ANY_TEXT, _ANY_TEXT)
def test_distinct_texts_give_distinct_keys(a: str, b: str) -> None:
    """Two different ids never share a storage key."""
    if a != b:
        assert storage_key(a) != storage_key(b)


@given(st.text(st.characters(max_codepoint=0x7F), max_size=MAX_RAW_BYTES + 5))
def test_ascii_ids_follow_the_same_rule(text: str) -> None:
    """For ASCII ids, the quick check keeps exactly the keys the general rule keeps."""
    raw = (
        0 < len(text) <= MAX_RAW_BYTES
        and not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)
        and not text.startswith(HASH_PREFIX)
    )
    if text:
        assert (storage_key(text) == text) is raw
