"""
Captured requests for the CLI: HTTP/1.1 text or JSON, read into a :class:`Capture`.

A capture is what a receiver logged: the request line, the headers, a blank
line and the raw body (exact bytes, CRLF or LF line ends), or a JSON object
``{"method", "url" | "path", "headers", "body" | "body_base64"}``.  Every
parse is total: any input gives a :class:`Capture` or a :class:`CaptureError`
whose message names the fault, never another exception.  Only the CLI
imports this module; it is no part of the verification path.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .._primitives import strict_json

#: Largest capture read, in bytes: the verifier's default body limit plus room for headers.
MAX_CAPTURE = 26 * 1024 * 1024
#: Most header lines a capture may have.
MAX_HEADERS = 512
#: Largest request line or header line, in bytes.
MAX_LINE = 64 * 1024

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/[0-9](?:\.[0-9])?")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

Format = Literal["auto", "http", "json"]


class CaptureError(ValueError):
    """A captured request that cannot be read; the CLI reports it with exit code 2."""


@dataclass(frozen=True)
class Capture:
    """
    One captured request: method, target, headers in order, and the raw body.

    Attributes:
        method: the HTTP method, as sent.
        target: the request target: an absolute URL, an absolute path, or ``None``.
        headers: ``(name, value)`` pairs in the order captured, repeats kept.
        body: the body bytes, de-chunked if the capture was chunked.
    """

    method: str
    target: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def url(self) -> str | None:
        """The target if it is an absolute ``http(s)`` URL, else ``None``."""
        if self.target is not None and self.target.lower().startswith(("http://", "https://")):
            return self.target
        return None

    @property
    def path(self) -> str | None:
        """The path and query of the target, or ``None``."""
        if self.target is None:
            return None
        if self.url is None:
            return self.target
        parts = urlsplit(self.target)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def header(self, name: str) -> str | None:
        """The first value of header *name* (case-insensitive), or ``None``."""
        wanted = name.lower()
        return next((v for n, v in self.headers if n.lower() == wanted), None)


def parse(data: bytes, fmt: Format = "auto") -> Capture:
    """
    Read a captured request; ``auto`` takes JSON when the first non-blank byte is ``{``.

    Raises:
        CaptureError: the capture is malformed; the message says how.
    """
    if not isinstance(data, bytes):
        raise CaptureError("a capture is bytes")
    if len(data) > MAX_CAPTURE:
        raise CaptureError(f"the capture is larger than {MAX_CAPTURE} bytes")
    if not data.strip():
        raise CaptureError("the capture is empty")
    if fmt == "json" or (fmt == "auto" and data.lstrip()[:1] == b"{"):
        return _parse_json(data)
    return _parse_http(data)


def _check_method(method: object) -> str:
    """An HTTP method token, or CaptureError."""
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise CaptureError("the method is not an HTTP token")
    return method


def _check_target(target: str, what: str) -> str:
    """An absolute path or absolute http(s) URL, or CaptureError."""
    if not target or not target.isprintable() or " " in target:
        raise CaptureError(f"the {what} is empty or has spaces or control characters")
    if target.lower().startswith(("http://", "https://")):
        try:
            parts = urlsplit(target)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise CaptureError(f"the {what} is not a valid URL") from None
        if not parts.hostname:
            raise CaptureError(f"the {what} has no host")
    elif not target.startswith("/"):
        raise CaptureError(f"the {what} is neither an http(s) URL nor an absolute path")
    return target


def _check_header(name: object, value: object) -> tuple[str, str]:
    """A header pair of an HTTP token and one line of text, value trimmed."""
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise CaptureError("a header name is empty or not an HTTP token")
    if not isinstance(value, str) or _BAD_VALUE.search(value):
        raise CaptureError(f"header {name} has a value that is not text on one line")
    return name, value.strip(" \t")


# -- HTTP/1.1 text ---------------------------------------------------------------------


def _lines(data: bytes) -> tuple[list[bytes], bytes]:
    """Split the head into lines (CRLF or LF) and return it with the raw body."""
    lines: list[bytes] = []
    position = 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:  # the input ends inside the head: no body
            tail = data[position:]
            if tail.strip():
                lines.append(tail)
            return lines, b""
        line = data[position:end]
        line = line.removesuffix(b"\r")
        position = end + 1
        if len(line) > MAX_LINE:
            raise CaptureError(f"a line of the head is longer than {MAX_LINE} bytes")
        if not line:
            if not lines:  # blank lines before the request line are tolerated (RFC 9112 2.2)
                continue
            return lines, data[position:]
        lines.append(line)
        if len(lines) > MAX_HEADERS + 1:
            raise CaptureError(f"more than {MAX_HEADERS} header lines")


def _parse_http(data: bytes) -> Capture:
    """Read an HTTP/1.1 capture: request line, headers, blank line, body."""
    lines, body = _lines(data)
    if not lines:
        raise CaptureError("the capture has no request line")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _VERSION.fullmatch(parts[2]):
        raise CaptureError("the first line is not 'METHOD target HTTP/1.1'")
    method = _check_method(parts[0].decode("latin-1"))
    target = _check_target(parts[1].decode("latin-1"), "request target")
    headers: list[tuple[str, str]] = []
    for raw in lines[1:]:
        if raw[:1] in (b" ", b"\t"):
            raise CaptureError("a header line is folded (obsolete line folding)")
        name, colon, value = raw.partition(b":")
        if not colon:
            raise CaptureError("a header line has no ':'")
        # Header bytes are latin-1 on the wire, as WSGI and ASGI read them.
        headers.append(_check_header(name.decode("latin-1"), value.decode("latin-1")))
    encoding = [v.lower() for n, v in headers if n.lower() == "transfer-encoding"]
    if encoding:
        if encoding != ["chunked"]:
            raise CaptureError("only 'Transfer-Encoding: chunked' is understood")
        if any(n.lower() == "content-length" for n, _ in headers):
            raise CaptureError("the capture has both Content-Length and Transfer-Encoding")
        body = _dechunk(body)
    return Capture(method, target, tuple(headers), body)


def _dechunk(data: bytes) -> bytes:
    """Decode a chunked body strictly (RFC 9112 7.1); trailers are ignored."""
    out = bytearray()
    position = 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            raise CaptureError("the chunked body ends inside a chunk size line")
        size_text = data[position:end].removesuffix(b"\r").split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 16 or not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
            raise CaptureError("a chunk size is not hexadecimal")
        size = int(size_text, 16)
        start = end + 1
        if size == 0:
            return bytes(out)
        chunk = data[start : start + size]
        if len(chunk) != size:
            raise CaptureError("the chunked body is shorter than a chunk size says")
        out += chunk
        position = start + size
        for ending in (b"\r\n", b"\n"):
            if data.startswith(ending, position):
                position += len(ending)
                break
        else:
            raise CaptureError("a chunk is not followed by a line end")


# -- JSON ------------------------------------------------------------------------------


def _json_headers(value: object) -> tuple[tuple[str, str], ...]:
    """Headers from an object (a list value repeats the name) or [name, value] pairs."""
    pairs: list[tuple[object, object]] = []
    if isinstance(value, dict):
        for name, item in value.items():
            items = item if isinstance(item, list) else [item]
            pairs.extend((name, one) for one in items)
    elif isinstance(value, list):
        for pair in value:
            if not isinstance(pair, list) or len(pair) != 2:
                raise CaptureError("'headers' as a list holds [name, value] pairs")
            pairs.append((pair[0], pair[1]))
    else:
        raise CaptureError("'headers' is an object or a list of [name, value] pairs")
    if len(pairs) > MAX_HEADERS:
        raise CaptureError(f"more than {MAX_HEADERS} headers")
    return tuple(_check_header(name, item) for name, item in pairs)


def _json_body(document: dict[str, Any]) -> bytes:
    """The body from 'body' (UTF-8 text) or 'body_base64'."""
    if "body" in document and "body_base64" in document:
        raise CaptureError("give 'body' or 'body_base64', not both")
    if "body_base64" in document:
        encoded = document["body_base64"]
        if not isinstance(encoded, str):
            raise CaptureError("'body_base64' is a string")
        try:
            return base64.b64decode(encoded.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise CaptureError("'body_base64' is not valid base64") from None
    if "body" not in document:
        raise CaptureError("the JSON capture has no 'body' or 'body_base64'")
    text = document["body"]
    if not isinstance(text, str):
        raise CaptureError("'body' is a string (use 'body_base64' for bytes)")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape such as "\ud800"
        raise CaptureError("'body' is not valid Unicode text") from None


def _parse_json(data: bytes) -> Capture:
    """Read a JSON capture object."""
    try:
        document = json.loads(
            data.decode("utf-8-sig"),
            object_pairs_hook=strict_json.reject_duplicate_keys,
            parse_constant=strict_json.reject_constant,
        )
    except UnicodeDecodeError:
        raise CaptureError("the JSON capture is not UTF-8") from None
    except RecursionError:
        raise CaptureError("the JSON capture is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise CaptureError(f"the JSON capture is not valid JSON ({exc.msg})") from None
    except ValueError as exc:  # a repeated key, NaN or Infinity
        raise CaptureError(f"the JSON capture is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise CaptureError("the JSON capture is an object")
    method = _check_method(document.get("method", "POST"))
    if "url" in document and "path" in document:
        raise CaptureError("give 'url' or 'path', not both")
    target: str | None = None
    for key, what in (("url", "url"), ("path", "path")):
        if key in document:
            value = document[key]
            if not isinstance(value, str):
                raise CaptureError(f"'{key}' is a string")
            target = _check_target(value, what)
            if key == "url" and not value.lower().startswith(("http://", "https://")):
                raise CaptureError("'url' is an absolute http(s) URL (use 'path' for a path)")
            if key == "path" and not value.startswith("/"):
                raise CaptureError("'path' starts with '/'")
    headers = _json_headers(document.get("headers", {}))
    return Capture(method, target, headers, _json_body(document))
