"""hooksig.scheme.fields: reading signed fields out of JSON, forms and multipart bodies."""

from __future__ import annotations

import pytest

from hooksig import MalformedSignature, MissingSignature
from hooksig.scheme import fields


@pytest.mark.parametrize(
    "value", [1.5, True, None, {"a": 1}, ["a"], "x" * (fields.MAX_FIELD_LENGTH + 1)]
)
def test_only_text_and_integers_are_field_text(value: object) -> None:
    """A float, boolean, null, object, array or oversized string is no signed text."""
    with pytest.raises(MalformedSignature) as info:
        fields.text_of(value, "a.b")
    assert info.value.reason == "bad_field"
    assert fields.text_of(12, "a") == "12"


def test_single_reads_one_value() -> None:
    """A bare string counts as one value; absent and repeated fields name the field."""
    assert fields.single({"bt_payload": "abc"}, "bt_payload") == "abc"
    assert fields.single({"f": ["v"]}, "f") == "v"
    with pytest.raises(MissingSignature):
        fields.single({}, "sig", signature=True)
    with pytest.raises(MalformedSignature) as info:
        fields.single({"f": ["a", "b"]}, "f")
    assert info.value.reason == "repeated_field"


def _multipart(*parts: tuple[str, bytes]) -> bytes:
    chunks = [
        b'--B\r\nContent-Disposition: form-data; name="'
        + name.encode()
        + b'"\r\n\r\n'
        + value
        + b"\r\n"
        for name, value in parts
    ]
    return b"".join(chunks) + b"--B--\r\n"


def test_multipart_fields() -> None:
    """The named part's bytes; refused when the body is not multipart, too long, or repeats it."""
    content_type = "multipart/form-data; boundary=B"
    body = _multipart(("json", b'{"a": 1}'), ("other", b"x"))
    assert fields.multipart_field(body, content_type, "json") == b'{"a": 1}'
    assert fields.multipart_field(body, content_type, "missing") is None
    refusals = [
        (body, "application/json"),
        (_multipart(("json", b"1"), ("json", b"2")), content_type),
        (_multipart(*[(f"p{i}", b"x") for i in range(fields.MAX_PARTS + 1)]), content_type),
        (b"no parts at all", content_type),
    ]
    for refused, kind in refusals:
        with pytest.raises(MalformedSignature) as info:
            fields.multipart_field(refused, kind, "json")
        assert info.value.reason == "bad_form"
