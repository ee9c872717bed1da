"""hooksig._primitives.headers: the case-insensitive view and its duplicate and size policy."""

from __future__ import annotations

from typing import Any

import pytest

from hooksig import Headers, MalformedSignature, MissingSignature
from hooksig._primitives.headers import MAX_HEADER_COUNT, MAX_HEADER_VALUE


def test_mapping_is_case_insensitive() -> None:
    """Names are looked up whatever their case; iteration yields lowercase names."""
    headers = Headers({"X-Hub-Signature-256": "sha256=ab", "Content-Type": "a/b"})
    assert headers["x-hub-signature-256"] == "sha256=ab"
    assert headers["X-HUB-SIGNATURE-256"] == "sha256=ab"
    assert headers.get("content-TYPE") == "a/b"
    assert "CONTENT-TYPE" in headers
    assert "absent" not in headers
    assert sorted(headers) == ["content-type", "x-hub-signature-256"]
    assert len(headers) == 2


def test_contains_refuses_non_str() -> None:
    """A non-str key is never 'in' the headers."""
    headers = Headers({"a": "1"})
    assert b"a" not in headers
    assert 1 not in headers


def test_pairs_of_bytes_decode_as_latin1() -> None:
    """ASGI-style (bytes, bytes) pairs are read as latin-1, which maps every byte."""
    headers = Headers([(b"X-Sig", b"caf\xe9"), ("X-Other", "v")])
    assert headers["x-sig"] == "caf\u00e9"
    assert headers.require("x-other") == "v"


def test_headers_from_headers_shares_the_view() -> None:
    """Wrapping a Headers keeps its values and its record of repeated names."""
    original = Headers([("A", "1"), ("a", "2")])
    copy = Headers(original)
    assert copy["a"] == "1"
    with pytest.raises(MalformedSignature) as info:
        copy.require("A")
    assert info.value.reason == "repeated_header"


def test_first_value_wins_for_lookup_but_require_refuses_repeats() -> None:
    """[] returns the first copy; require() refuses a name sent twice, whatever the case."""
    headers = Headers([("X-Sig", "one"), ("x-sig", "two")])
    assert headers["X-Sig"] == "one"
    with pytest.raises(MalformedSignature) as info:
        headers.require("X-Sig")
    assert (info.value.reason, info.value.header) == ("repeated_header", "X-Sig")
    with pytest.raises(MalformedSignature):
        headers.optional("x-sig")


def test_optional_and_require_absent() -> None:
    """optional() answers None and require() MissingSignature for an absent header."""
    headers = Headers()
    assert headers.optional("X-Sig") is None
    with pytest.raises(MissingSignature) as info:
        headers.require("X-Sig")
    assert (info.value.reason, info.value.header) == ("missing_header", "X-Sig")


def test_value_length_limit() -> None:
    """A value of exactly the limit is read; one character more is refused."""
    assert Headers({"a": "x" * MAX_HEADER_VALUE}).require("a") == "x" * MAX_HEADER_VALUE
    with pytest.raises(MalformedSignature) as info:
        Headers({"a": "x" * (MAX_HEADER_VALUE + 1)}).require("a")
    assert info.value.reason == "header_too_long"


def test_header_count_limit() -> None:
    """MAX_HEADER_COUNT headers are accepted; one more is refused while reading."""
    pairs = [(f"h{i}", "v") for i in range(MAX_HEADER_COUNT)]
    assert len(Headers(pairs)) == MAX_HEADER_COUNT
    with pytest.raises(MalformedSignature) as info:
        Headers([*pairs, ("extra", "v")])
    assert info.value.reason == "too_many_headers"


def test_header_count_limit_stops_an_endless_iterable() -> None:
    """An endless header iterable is refused after MAX_HEADER_COUNT + 1 items, not looped."""

    def endless() -> Any:
        while True:
            yield ("x", "y")

    with pytest.raises(MalformedSignature) as info:
        Headers(endless())
    assert info.value.reason == "too_many_headers"


@pytest.mark.parametrize(
    "bad",
    [
        5,
        None,
        "X-Sig: abc",
        [("only-a-name",)],
        [("a", "b", "c")],
        [(1, "v")],
        [("a", 1)],
        {"a": None},
        {"a": 1.5},
        {1: "v"},
        pytest.param([object()], id="[object()]"),  # repr shows an address: xdist needs one id
    ],
    ids=repr,
)
def test_unusable_input_is_malformed(bad: Any) -> None:
    """Anything but a mapping or pairs of str/bytes is MalformedSignature(bad_headers)."""
    with pytest.raises(MalformedSignature) as info:
        Headers(bad)
    assert info.value.reason == "bad_headers"


def test_first_of_picks_the_first_present_name() -> None:
    """first_of returns the first alternative present, with the name it was found under."""
    headers = Headers({"svix-signature": "v1,x"})
    assert headers.first_of(("webhook-signature", "svix-signature")) == (
        "svix-signature",
        "v1,x",
    )
    assert headers.first_of(("a", "b")) is None


def test_first_of_accepts_agreeing_copies_and_refuses_conflicts() -> None:
    """Two alternative names with the same value are fine; different values are ambiguous."""
    same = Headers({"webhook-id": "msg_1", "svix-id": "msg_1"})
    assert same.first_of(("webhook-id", "svix-id")) == ("webhook-id", "msg_1")
    other = Headers({"webhook-id": "msg_1", "svix-id": "msg_2"})
    with pytest.raises(MalformedSignature) as info:
        other.first_of(("webhook-id", "svix-id"))
    assert (info.value.reason, info.value.header) == ("conflicting_headers", "svix-id")


def test_repr_lists_names_only() -> None:
    """repr shows the sorted names, never the values (which may be signatures)."""
    text = repr(Headers({"B": "secret-value", "a": "x"}))
    assert text == "Headers(['a', 'b'])"


def test_str_subclasses_are_read_as_text() -> None:
    """A str subclass (a framework's header type) is read like str."""

    class HeaderText(str):
        pass

    headers = Headers([(HeaderText("X-Sig"), HeaderText("v"))])
    assert headers.require("x-sig") == "v"
