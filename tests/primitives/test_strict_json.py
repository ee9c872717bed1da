"""hooksig._primitives.strict_json: the one strict JSON reader every body parse goes through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooksig._primitives import strict_json

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_any_json_value_reads_back(value: object) -> None:
    """Whatever json.dumps writes (UTF-8, no NaN), loads reads back equal."""
    assert strict_json.loads(json.dumps(value, ensure_ascii=False).encode("utf-8")) == value


@pytest.mark.parametrize(
    "data",
    [b'{"a": 1, "a": 1}', b"NaN", b"-Infinity", '"x"'.encode("utf-16"), b"\xff", b"{"],
    ids=["duplicate", "nan", "-infinity", "utf-16", "not-utf-8", "truncated"],
)
def test_refusals_are_value_errors(data: bytes) -> None:
    """Every refusal is a ValueError (UnicodeDecodeError and JSONDecodeError included)."""
    with pytest.raises(ValueError):
        strict_json.loads(data)


def test_deep_nesting_is_a_recursion_error() -> None:
    """Nesting past the interpreter's limit raises RecursionError, never a crash."""
    with pytest.raises(RecursionError):
        strict_json.loads(b"[" * 200_000 + b"]" * 200_000)


def test_hooks_for_other_parsers() -> None:
    """The hooks themselves, for parsers with their own options (the CLI's capture reader)."""
    with pytest.raises(ValueError, match="duplicate"):
        json.loads('{"a": 1, "a": 2}', object_pairs_hook=strict_json.reject_duplicate_keys)
    with pytest.raises(ValueError, match="NaN"):
        json.loads("NaN", parse_constant=strict_json.reject_constant)


def test_field_and_string_at() -> None:
    """A dotted path walks objects only; string_at wants a str (or an integer) at its end."""
    document = {"event": {"id": "evt_1", "n": 5, "yes": True, "x": 1.5}, "list": [1]}
    assert strict_json.field(document, ("event", "id")) == "evt_1"
    assert strict_json.field(document, ("list", "0")) is None
    assert strict_json.field(document, ("missing", "id")) is None
    data = json.dumps(document).encode()
    assert strict_json.string_at(data, ("event", "id")) == "evt_1"
    assert strict_json.string_at(data, ("event", "n")) == "5"
    assert strict_json.string_at(data, ("event", "yes")) is None
    assert strict_json.string_at(data, ("event", "x")) is None
    assert strict_json.string_at(data, ("event",)) is None
    assert strict_json.string_at(b"not json", ("event",)) is None
    assert strict_json.string_at(b"[" * 100_000, ("a",)) is None
