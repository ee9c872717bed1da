"""Build captured requests as a receiver would log them: HTTP/1.1 text or JSON."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping

from hooksig.testing import Signer


def http_capture(
    body: bytes,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    target: str = "/hooks",
    host: str | None = "example.com",
    content_length: int | None = -1,
    newline: bytes = b"\r\n",
    extra: Iterable[tuple[str, str]] = (),
) -> bytes:
    """The request line, headers, a blank line and the exact body bytes."""
    pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
    lines = [f"POST {target} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host}")
    lines += [f"{name}: {value}" for name, value in [*pairs, *extra]]
    if content_length is not None:
        size = len(body) if content_length < 0 else content_length
        lines.append(f"Content-Length: {size}")
    head = newline.join(line.encode("latin-1") for line in lines)
    return head + newline + newline + body


def json_capture(
    body: bytes,
    headers: Mapping[str, str],
    *,
    url: str | None = None,
    path: str | None = None,
    as_pairs: bool = False,
) -> bytes:
    """A JSON capture: text body when UTF-8, else base64."""
    document: dict[str, object] = {"method": "POST"}
    if url is not None:
        document["url"] = url
    if path is not None:
        document["path"] = path
    document["headers"] = [[k, v] for k, v in headers.items()] if as_pairs else dict(headers)
    try:
        document["body"] = body.decode("utf-8")
    except UnicodeDecodeError:
        document["body_base64"] = base64.b64encode(body).decode("ascii")
    return json.dumps(document).encode()


def signed(
    scheme: str,
    body: bytes | None = None,
    *,
    secret: str | bytes | None = None,
    timestamp: int,
    id: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The body and headers a provider would send, signed with *secret* (default TEST_SECRET)."""
    delivery = Signer(scheme, secret=secret).delivery(body, timestamp=timestamp, id=id)
    return delivery.body, delivery.headers
