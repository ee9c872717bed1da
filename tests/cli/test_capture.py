"""Captured requests: HTTP/1.1 and JSON parsing, and hostile captures ending in exit 2."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooksig.cli import _capture
from hooksig.cli._capture import Capture, CaptureError, parse
from tests.cli.conftest import Run

Write = Callable[[str, bytes | str], str]


def test_http_capture_keeps_exact_body_bytes() -> None:
    """The body is every byte after the blank line, CRLFs and trailing newline included."""
    data = b"POST /hooks?x=1 HTTP/1.1\r\nHost: example.com\r\nX-A:  v \r\n\r\nline1\r\nline2\n"
    capture = parse(data)
    assert capture == Capture(
        "POST", "/hooks?x=1", (("Host", "example.com"), ("X-A", "v")), b"line1\r\nline2\n"
    )
    assert capture.path == "/hooks?x=1"
    assert capture.url is None


def test_http_capture_absolute_form_target() -> None:
    """An absolute-form target gives the capture a URL and its path."""
    capture = parse(b"POST https://example.com/a?b=1 HTTP/1.1\n\n{}")
    assert capture.url == "https://example.com/a?b=1"
    assert capture.path == "/a?b=1"
    assert capture.body == b"{}"


def test_http_capture_chunked_body_is_decoded() -> None:
    """A chunked capture gives the decoded body that the provider signed."""
    head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    data = head + b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n"
    assert parse(data).body == b"Wikipedia"


def test_http_capture_repeated_headers_are_kept() -> None:
    """Repeated header lines are kept in order, for the verifier's duplicate policy."""
    capture = parse(b"POST / HTTP/1.1\nX-Sig: a\nx-sig: b\n\n")
    assert capture.headers == (("X-Sig", "a"), ("x-sig", "b"))
    assert capture.header("X-SIG") == "a"


def test_json_capture_forms() -> None:
    """JSON captures take header objects (with list values) or pairs, and text or base64 bodies."""
    one = parse(json.dumps({"path": "/h", "headers": {"A": ["1", "2"]}, "body": "é"}).encode())
    assert one.headers == (("A", "1"), ("A", "2"))
    assert one.body == "é".encode()
    assert one.method == "POST"
    raw = base64.b64encode(b"\x00\xff").decode()
    two = parse(json.dumps({"headers": [["B", "x"]], "body_base64": raw, "method": "PUT"}).encode())
    assert (two.method, two.headers, two.body, two.target) == (
        "PUT",
        (("B", "x"),),
        b"\0\xff",
        None,
    )


def test_format_auto_detection_can_be_overridden() -> None:
    """`--request-format http` reads a body starting with '{' as HTTP, and fails."""
    data = json.dumps({"body": ""}).encode()
    assert parse(data).body == b""
    with pytest.raises(CaptureError, match="first line"):
        parse(data, "http")


HOSTILE_HTTP = [
    b"",
    b"   \r\n\r\n",
    b"GARBAGE",
    b"POST /x\r\n\r\n",
    b"POST /x HTTP/1.1 extra\r\n\r\n",
    b"POST  /x HTTP/1.1\r\n\r\n",
    b"P\xd6ST /x HTTP/1.1\r\n\r\n",
    b"POST x HTTP/1.1\r\n\r\n",
    b"POST ftp://h/x HTTP/1.1\r\n\r\n",
    b"POST http://[::1/x HTTP/1.1\r\n\r\n",
    b"POST http://h:99999/x HTTP/1.1\r\n\r\n",
    b"POST http:///x HTTP/1.1\r\n\r\n",
    b"POST /x HTTP/1.1\r\nNoColon\r\n\r\n",
    b"POST /x HTTP/1.1\r\n: empty name\r\n\r\n",
    b"POST /x HTTP/1.1\r\nBad Name: v\r\n\r\n",
    b"POST /x HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
    b"POST /x HTTP/1.1\r\nA: b\x00c\r\n\r\n",
    b"POST /x HTTP/1.1\r\nA: b\rc\r\n\r\n",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + b"f" * 40 + b"\r\n",
    b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    b"POST /x HTTP/1.1\r\n" + b"A: b\r\n" * 600 + b"\r\n",
    b"POST /x HTTP/1.1\r\nA: " + b"v" * 70_000 + b"\r\n\r\n",
]

HOSTILE_JSON = [
    b"{",
    b"{}}",
    b'{"body": "x", "body": "y"}',
    b'{"body": NaN}',
    b'{"body": 1}',
    b'{"body": "\\ud800"}',
    b'{"body_base64": "***"}',
    b'{"body_base64": 5}',
    b'{"body": "", "body_base64": ""}',
    b'{"headers": {}}',
    b'{"body": "", "headers": "A: b"}',
    b'{"body": "", "headers": [["A"]]}',
    b'{"body": "", "headers": [["A", 1]]}',
    b'{"body": "", "headers": {"A": {"b": 1}}}',
    b'{"body": "", "headers": {"A B": "c"}}',
    b'{"body": "", "headers": {"A": "b\\r\\nInjected: 1"}}',
    b'{"body": "", "url": "/relative"}',
    b'{"body": "", "url": "javascript:alert(1)"}',
    b'{"body": "", "path": "no-slash"}',
    b'{"body": "", "path": "http://h/x"}',
    b'{"body": "", "url": "http://h/", "path": "/x"}',
    b'{"body": "", "url": 7}',
    b'{"body": "", "method": "PO ST"}',
    b'{"body": "", "method": null}',
    b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}",
    b'{"body": "\xff"}',
    b'{"body": "", "headers": [' + b'["A","b"],' * 600 + b'["A","b"]]}',
]


@pytest.mark.parametrize(
    "data", HOSTILE_HTTP + HOSTILE_JSON, ids=range(len(HOSTILE_HTTP + HOSTILE_JSON))
)
def test_hostile_capture_exits_2_with_a_message(data: bytes, run: Run, write: Write) -> None:
    """Every malformed capture gives exit 2 and a one-line message, never a traceback."""
    path = write("capture", data)
    for command in ("verify", "diagnose"):
        result = run(command, "stripe", "--request", path)
        assert result.code == 2, (command, result)
        assert result.err.startswith("hooksig: the captured request: "), result.err
        assert len(result.err.strip().splitlines()) == 1
        assert "Traceback" not in result.err


def test_oversized_capture_is_refused(
    run: Run, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A capture over the size limit is refused before it is parsed."""
    monkeypatch.setattr(_capture, "MAX_CAPTURE", 64)
    path = write("capture", b"POST / HTTP/1.1\r\n\r\n" + b"x" * 100)
    result = run("verify", "stripe", "--request", path)
    assert result.code == 2
    assert "larger than 64 bytes" in result.err


def test_request_and_body_are_exclusive(run: Run, write: Write) -> None:
    """Giving both --request and --body is a usage error."""
    path = write("capture", b"POST / HTTP/1.1\r\n\r\n")
    result = run("verify", "stripe", "--request", path, "--body", path)
    assert result.code == 2
    assert "--request FILE, or as --body FILE" in result.err


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_is_total_on_any_bytes(data: bytes) -> None:
    """Any bytes parse to a Capture or raise CaptureError, nothing else."""
    try:
        capture = parse(data)
    except CaptureError as exc:
        message = str(exc)
    else:
        assert all(isinstance(n, str) and isinstance(v, str) for n, v in capture.headers)
        message = "parsed"
    assert message


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=12,
    )
)
def test_parse_json_is_total_on_any_document(document: object) -> None:
    """Any JSON document parses to a Capture or raises CaptureError."""
    if isinstance(document, dict):
        document.setdefault("body", "")
    with contextlib.suppress(CaptureError):
        assert isinstance(parse(json.dumps(document).encode(), "json").body, bytes)
