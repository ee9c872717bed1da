"""hooksig.scheme.formats: total, strict grammars for signature headers, timestamps and ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hooksig import ConfigurationError, MalformedSignature, Pairs, Plain, Versioned
from hooksig.scheme import Groups, Listed
from hooksig.scheme.formats import (
    MAX_ID_LENGTH,
    MAX_SIGNATURES,
    MAX_TIMESTAMP_DIGITS,
    check_id,
    id_grammar,
    parse_timestamp,
)


def _reason(call: Callable[..., object], *args: object) -> str:
    with pytest.raises(MalformedSignature) as info:
        call(*args)
    assert info.value.header == "H"
    return info.value.reason


def test_plain_strips_the_prefix() -> None:
    """Plain returns the text after its prefix, labelled with the prefix."""
    assert Plain("sha256=").split("sha256=abcd", "H") == (None, [("sha256=", "abcd")])
    assert Plain().split("abcd", "H") == (None, [("", "abcd")])


@pytest.mark.parametrize("value", ["sha1=abcd", "SHA256=abcd", " sha256=abcd", "abcd", ""])
def test_plain_refuses_another_prefix(value: str) -> None:
    """A value without the configured prefix (sha1= for sha256=) is wrong_prefix."""
    assert _reason(Plain("sha256=").split, value, "H") == "wrong_prefix"


def test_pairs_split_stripe_style() -> None:
    """Pairs reads one timestamp and every other key, in order, keeping unknown versions."""
    assert Pairs().split("t=123,v1=aa,v0=bb,v1=cc", "H") == (
        "123",
        [("v1", "aa"), ("v0", "bb"), ("v1", "cc")],
    )


def test_pairs_split_paddle_style_and_no_timestamp() -> None:
    """Pairs works with another separator, a missing timestamp, and no timestamp key."""
    assert Pairs(timestamp_key="ts", separator=";").split("ts=1;h1=aa", "H") == (
        "1",
        [("h1", "aa")],
    )
    assert Pairs().split("v1=aa", "H") == (None, [("v1", "aa")])
    assert Pairs(timestamp_key=None).split("t=1,v1=aa", "H") == (None, [("t", "1"), ("v1", "aa")])


def test_pairs_keeps_a_stray_equals_in_the_value() -> None:
    """Only the first '=' splits; the rest is left for the strict decoder to refuse."""
    assert Pairs().split("t=1,v1==aa", "H") == ("1", [("v1", "=aa")])


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "bad_item"),
        ("t=1,", "bad_item"),
        (",t=1", "bad_item"),
        ("t=1,,v1=aa", "bad_item"),
        ("t=1, v1=aa", "bad_item"),
        ("t=1,v1", "bad_item"),
        ("t=1,=aa", "bad_item"),
        ("t=1,V1=aa", "bad_item"),
        ("t=1,v\u00e9=aa", "bad_item"),
        ("t=1,-v1=aa", "bad_item"),
        ("t=1,v1=aa,t=2", "repeated_timestamp"),
        ("t=1,v1=aa, t=2,v1=bb", "bad_item"),
        ("t=1,v1=aa,t=2,v1=bb", "repeated_timestamp"),
    ],
)
def test_pairs_strictness(value: str, reason: str) -> None:
    """Empty items, stray spaces, bad keys and a repeated timestamp are malformed."""
    assert _reason(Pairs().split, value, "H") == reason


def test_pairs_signature_count_limit() -> None:
    """MAX_SIGNATURES candidates are read; one more is too_many_signatures."""
    ok = ",".join(["t=1"] + ["v1=aa"] * MAX_SIGNATURES)
    assert len(Pairs().split(ok, "H")[1]) == MAX_SIGNATURES
    assert _reason(Pairs().split, ok + ",v0=aa", "H") == "too_many_signatures"


def test_versioned_split() -> None:
    """Versioned reads 'version,signature' items separated by single spaces."""
    assert Versioned().split("v1,aa v1a,bb v2,cc", "H") == (
        None,
        [("v1", "aa"), ("v1a", "bb"), ("v2", "cc")],
    )
    assert Versioned().split("v1,a,b", "H") == (None, [("v1", "a,b")])


@pytest.mark.parametrize(
    "value", ["", "v1", "v1,aa  v1,bb", " v1,aa", "v1,aa ", ",aa", "V1,aa", "v1;aa"]
)
def test_versioned_strictness(value: str) -> None:
    """Missing commas, bad versions and stray whitespace are bad_item."""
    assert _reason(Versioned().split, value, "H") == "bad_item"


def test_versioned_signature_count_limit() -> None:
    """MAX_SIGNATURES items are read; one more is too_many_signatures."""
    ok = " ".join(["v1,aa"] * MAX_SIGNATURES)
    assert len(Versioned().split(ok, "H")[1]) == MAX_SIGNATURES
    assert _reason(Versioned().split, ok + " v1,aa", "H") == "too_many_signatures"


@pytest.mark.parametrize(
    ("text", "value"), [("0", 0), ("1", 1), ("1700000000", 1_700_000_000), ("9" * 15, 10**15 - 1)]
)
def test_parse_timestamp_accepts_plain_digits(text: str, value: int) -> None:
    """Plain ASCII digits without a leading zero are read as an int."""
    assert parse_timestamp(text, "H") == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "+1700000000",
        "-1700000000",
        "1_700_000_000",
        "\u0661\u0662\u0663",
        "\uff11\uff12",
        "\u00b2",
        "1700000000.5",
        "1.7e9",
        "1e3",
        " 1700000000",
        "1700000000 ",
        "1700000000\n",
        "01700000000",
        "00",
        "9" * (MAX_TIMESTAMP_DIGITS + 1),
        "0x10",
        "nan",
        "inf",
    ],
)
def test_parse_timestamp_refuses_everything_else(text: str) -> None:
    """Sign, underscore, Unicode digits, fraction, exponent, space, leading zero, huge: refused."""
    assert _reason(parse_timestamp, text, "H") == "bad_timestamp"


@pytest.mark.parametrize(
    "text", ["msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "a", "x" * MAX_ID_LENGTH, "a-b~c"]
)
def test_check_id_accepts_printable_ascii(text: str) -> None:
    """Printable ASCII ids up to MAX_ID_LENGTH are returned as-is."""
    assert check_id(text, "H", ".") == text


@pytest.mark.parametrize(
    "text",
    ["", "x" * (MAX_ID_LENGTH + 1), "a b", "a\tb", "a\x00b", "caf\u00e9", "msg.1", "a\nb", "\x7f"],
)
def test_check_id_refuses(text: str) -> None:
    """Empty, over-long, non-ASCII, control, space and separator-bearing ids are bad_id."""
    assert _reason(check_id, text, "H", ".") == "bad_id"


def test_no_id_fits_when_every_printable_character_separates() -> None:
    """Separators covering all printable ASCII leave an id grammar that matches nothing."""
    every = "".join(chr(c) for c in range(0x21, 0x7F))
    assert id_grammar(every).fullmatch("a") is None
    assert _reason(check_id, "a", "H", every) == "bad_id"


def test_labels_seen_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound, a well-formed label is still accepted, only no longer remembered."""
    from hooksig.scheme import formats

    monkeypatch.setattr(formats, "_LABELS_SEEN", set())
    monkeypatch.setattr(formats, "_MAX_LABELS_SEEN", 0)
    assert formats.is_label("zz9")
    assert set() == formats._LABELS_SEEN
    assert not formats.is_label("Zz")


@pytest.mark.parametrize(
    "make",
    [
        lambda: Pairs(separator=""),
        lambda: Pairs(separator="="),
        lambda: Versioned(separator=""),
        lambda: Versioned(separator=","),
        lambda: Listed(separator=""),
        lambda: Groups(separator=""),
        lambda: Groups(Pairs(separator=", "), separator=" "),
    ],
    ids=[
        "pairs-empty",
        "pairs-equals",
        "versioned-empty",
        "versioned-comma",
        "listed-empty",
        "groups-empty",
        "groups-inside-pairs",
    ],
)
def test_a_separator_that_cannot_separate_is_refused(make: Any) -> None:
    """An empty separator, or the item's own mark, is a ConfigurationError at declaration."""
    with pytest.raises(ConfigurationError):
        make()


def test_the_usual_patterns_read_as_split_reads() -> None:
    """Pairs' and Versioned's usual patterns give what the item loop gives for those values."""
    pairs, versioned = Pairs(timestamp_key="ts", separator=";"), Versioned()
    assert pairs.usual is not None
    assert pairs.split("ts=5;h1=ab", "H") == ("5", [("h1", "ab")])
    assert pairs.usual.fullmatch("ts=5;h1=ab") is not None
    assert versioned.split("v1a,xy=", "H") == (None, [("v1a", "xy=")])
    with pytest.raises(MalformedSignature):
        pairs.split("ts=5;ts=6", "H")  # the pattern matches; its second label is the key
    assert Pairs(timestamp_key=None).usual is None
