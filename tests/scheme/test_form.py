"""hooksig.scheme._form: Twilio's form fields, decoded and sorted as they stream."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hooksig
from hooksig import MalformedSignature
from hooksig.scheme import _form, content
from hooksig.scheme._form import MAX_FORM_FIELDS, FormFields

URL = "https://example.com/sms?x=1"
TOKEN = "twilio-auth-token-0123456789abcdef"

#: Pieces of form bodies: separators, escapes (whole, cut, invalid), UTF-8 and non-UTF-8.
TOKENS = [
    b"a", b"b", b"B", b"z", b"=", b"&", b"+", b"%", b"2", b"%2", b"%2B", b"%26", b"%3D", b"%20",
    b"%C3", b"%A9", b"%c3%a9", b"%zz", b"%E2%82%AC", b"%F0%9F%98%80", b"%EF%BF%BF", b"\xc3\xa9",
    b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xff", b"\xc3", b"%00", b"%ff", b"%%",
]  # fmt: skip


def _reference(body: bytes) -> bytes | None:
    """The old builder: the strict parse_qsl of the query on the decoded body, sorted(set())."""
    try:
        pairs = content._form(body.decode("utf-8"))
    except (MalformedSignature, UnicodeDecodeError):
        return None
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    text = "".join(name + value for name in sorted(params) for value in sorted(set(params[name])))
    return text.encode("utf-8")


def _streamed(body: bytes) -> bytes | str:
    try:
        return bytes(FormFields(body).sorted_after(b""))
    except MalformedSignature as exc:
        return str(exc.reason)


@pytest.fixture(params=["whole", "streamed"])
def sizes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run once as configured, and once with tiny chunks so every field streams in pieces."""
    if request.param == "streamed":
        monkeypatch.setattr(_form, "KEEP_FIELD", 0)
        monkeypatch.setattr(_form, "CHUNK", 3)
    return str(request.param)


@settings(max_examples=400, deadline=None)
@given(body=st.lists(st.sampled_from(TOKENS), max_size=24).map(b"".join))
@example(body=b"=\xc3%A9")  # a raw byte that is UTF-8 only with the escape after it
@example(body=b"=a\xc3%A9%C3\xa9")  # raw UTF-8 only if the ASCII escapes between are skipped
def test_same_content_as_parse_qsl(body: bytes) -> None:
    """Any body: the same signed content as parse_qsl + sorted(set()), or both refuse it."""
    saved = (_form.KEEP_FIELD, _form.CHUNK)
    for keep, chunk in (saved, (0, 3), (2, 4)):
        _form.KEEP_FIELD, _form.CHUNK = keep, chunk
        try:
            expected = _reference(body)
            assert _streamed(body) == (expected if expected is not None else "bad_form")
        finally:
            _form.KEEP_FIELD, _form.CHUNK = saved


@pytest.mark.parametrize(
    ("body", "content"),
    [
        (b"", b""),
        (b"b=2&a=1", b"a1b2"),
        (b"a=2&a=1&a=2", b"a1a2"),
        (b"a=%2B+%26&b==x", b"a+ &b=x"),
        (b"%C3%A9=1&z=2&\xc3\xa8=3", "z2\u00e83\u00e91".encode()),
        (b"e=%F0%9F%98%80&e=%EF%BF%BF", "e\uffffe\U0001f600".encode()),
        (b"=&=", b""),
        (b"a=%zz", b"a%zz"),
    ],
)
def test_sorted_decoded_distinct(sizes: str, body: bytes, content: bytes) -> None:
    """Fields are decoded, sorted by code point (name, then value) and de-duplicated."""
    assert bytes(FormFields(body).sorted_after(b"")) == content


@pytest.mark.parametrize(
    "body",
    [b"a", b"a=1&", b"&a=1", b"a=1&&b=2", b"a=%C3", b"a=\xff", b"%C3=1", b"a=%C3&b=%A9"],
)
def test_malformed_forms(sizes: str, body: bytes) -> None:
    """A field without '=', an empty field or a name or value that is not UTF-8 is refused."""
    with pytest.raises(MalformedSignature) as info:
        bytes(FormFields(body).sorted_after(b""))
    assert info.value.reason == "bad_form"


def test_field_count_is_bounded() -> None:
    """MAX_FORM_FIELDS fields are read; one more is refused before anything is decoded."""
    assert FormFields(b"&".join([b"a=1"] * MAX_FORM_FIELDS))
    with pytest.raises(MalformedSignature):
        FormFields(b"&".join([b"a=1"] * (MAX_FORM_FIELDS + 1)))


def test_pieces_are_reread_on_every_pass(sizes: str) -> None:
    """The content can be iterated again (one pass per key and per URL variant)."""
    pieces = FormFields(b"b=%C3%A9&a=1").sorted_after(b"url")
    first, again = bytes(pieces), bytes(pieces)
    assert first == again == "urla1b\u00e9".encode()
    assert bytes(pieces.with_head(b"other")) == "othera1b\u00e9".encode()


def _big_form(size: int) -> tuple[bytes, dict[str, Any]]:
    """A Twilio form with one large Body field of about *size* bytes, escapes here and there."""
    line = "x" * 1000 + " caf\u00e9 & tea\n"
    params = {"MessageSid": "SM1", "From": "+14155550100", "Body": line * (size // len(line))}
    return urlencode(params).encode(), params


def test_parsed_params_with_a_lone_surrogate_are_malformed() -> None:
    """A value that is not text (a lone surrogate) is refused, not an UnicodeEncodeError."""
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url=hooksig.PerCallUrl())
    headers = {"X-Twilio-Signature": "A" * 27 + "="}
    with pytest.raises(MalformedSignature) as info:
        verifier.verify(b"", headers, url=URL, params={"Body": ["\ud800"]})
    assert info.value.reason == "bad_form"
