"""hooksig._primitives.encoding: one canonical text per byte string, everything else malformed."""

from __future__ import annotations

import base64
import binascii
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooksig import MalformedSignature
from hooksig._primitives.encoding import (
    ENCODINGS,
    Encoding,
    decode,
    decoder,
    encode,
    encoded_length,
    encoder,
)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_round_trip_every_length(encoding: Encoding) -> None:
    """encode then decode gives the bytes back, with and without a size, for 0..70 bytes."""
    for size in range(1, 71):
        data = os.urandom(size)
        text = encode(data, encoding)
        assert len(text) == encoded_length(size, encoding)
        assert decode(text, encoding) == data
        assert decode(text, encoding, size=size) == data


# Texts near the canonical ones: every character of the alphabets, padding, case, space, é.
_NEAR = st.text(alphabet="0123456789abcdefABCDEF+/-_= \u00e9", max_size=12)


@pytest.mark.parametrize("encoding", ENCODINGS)
@given(data=st.binary(min_size=1, max_size=8), text=_NEAR)
def test_a_text_is_accepted_exactly_when_it_is_the_encoding_of_its_bytes(
    encoding: Encoding, data: bytes, text: str
) -> None:
    """The rule the compiled route compares by: decoder(t) gives d  <=>  encoder(d) is t."""
    canonical, decode_text = encoder(encoding), decoder(encoding, None)
    assert decode_text(canonical(data)) == data  # the encoding of any bytes is accepted...
    try:
        decoded = decode_text(text)
    except MalformedSignature:
        return
    assert canonical(decoded) == text  # ...and nothing but such an encoding is


def test_encode_is_canonical() -> None:
    """Hex is lowercase; base64 and base64url are padded and use their own alphabets."""
    data = bytes([0xFB, 0xFF, 0xBF])
    assert encode(data, "hex") == "fbffbf"
    assert encode(data, "base64") == "+/+/"
    assert encode(data, "base64url") == "-_-_"
    assert encode(b"a", "base64") == "YQ=="


@pytest.mark.parametrize(
    ("text", "encoding", "reason"),
    [
        ("", "hex", "empty"),
        ("", "base64", "empty"),
        ("ABCD", "hex", "bad_hex"),
        ("abc", "hex", "bad_hex"),
        ("ab cd", "hex", "bad_hex"),
        (" abcd", "hex", "bad_hex"),
        ("0x12", "hex", "bad_hex"),
        ("gg", "hex", "bad_hex"),
        ("\u0661\u0662", "hex", "bad_hex"),
        ("YQ", "base64", "bad_base64"),
        ("YR==", "base64", "bad_base64"),
        ("YWI=\n", "base64", "bad_base64"),
        ("YW I=", "base64", "bad_base64"),
        ("-_-_", "base64", "bad_base64"),
        ("+/+/", "base64url", "bad_base64"),
        ("Y===", "base64", "bad_base64"),
        ("====", "base64", "bad_base64"),
        ("YQ==YQ==", "base64", "bad_base64"),
        ("=YQ=", "base64", "bad_base64"),
        ("YWJj\u00e9===", "base64", "bad_base64"),
    ],
)
def test_non_canonical_text_is_malformed(text: str, encoding: Encoding, reason: str) -> None:
    """Uppercase or odd hex, unpadded or non-zero-padding base64, whitespace: malformed."""
    with pytest.raises(MalformedSignature) as info:
        decode(text, encoding)
    assert info.value.reason == reason


def test_non_zero_padding_bits_are_refused_for_every_spelling() -> None:
    """Of the 16 texts the stdlib decodes to b'a' ('YQ==' .. 'Yf=='), only 'YQ==' is accepted."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    spellings = [f"Y{c}==" for c in alphabet if base64.b64decode(f"Y{c}==") == b"a"]
    assert len(spellings) == 16
    assert decode("YQ==", "base64") == b"a"
    for text in spellings[1:]:
        with pytest.raises(MalformedSignature) as info:
            decode(text, "base64")
        assert info.value.reason == "bad_base64"
    assert spellings[0] == "YQ=="


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_size_is_enforced(encoding: Encoding) -> None:
    """A text that decodes to a length other than the expected size is wrong_length."""
    for size in (31, 33, 16, 64):
        text = encode(b"\x01" * size, encoding)
        with pytest.raises(MalformedSignature) as info:
            decode(text, encoding, size=32)
        assert info.value.reason == "wrong_length"


def test_messages_name_what_and_never_echo_the_text() -> None:
    """The message names the field ('secret') and never contains the received text."""
    with pytest.raises(MalformedSignature) as info:
        decode("NOT-HEX-VALUE", "hex", what="secret")
    assert str(info.value).startswith("secret ")
    assert "NOT-HEX-VALUE" not in str(info.value)


def test_stdlib_decoder_errors_are_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the stdlib decoder still raise binascii.Error, it becomes MalformedSignature."""

    def failing(*args: object, **kwargs: object) -> bytes:
        raise binascii.Error("Incorrect padding")

    monkeypatch.setattr("hooksig._primitives.encoding.binascii.a2b_base64", failing)
    with pytest.raises(MalformedSignature) as info:
        decode("YWJj", "base64")
    assert info.value.reason == "bad_base64"


@pytest.mark.parametrize(
    ("size", "encoding", "length"),
    [(20, "hex", 40), (32, "base64", 44), (64, "base64url", 88), (1, "base64", 4), (3, "hex", 6)],
)
def test_encoded_length(size: int, encoding: Encoding, length: int) -> None:
    """encoded_length matches the canonical text length."""
    assert encoded_length(size, encoding) == length
