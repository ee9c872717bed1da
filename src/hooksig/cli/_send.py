"""
``hooksig send``: one HTTP request with the standard library's ``http.client``.

The CLI signs the body as the provider would and this module POSTs it,
without following redirects (a provider does not either), and returns the
receiver's reply for the CLI to print.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

#: The largest answer body read back, in bytes.
MAX_ANSWER = 1024 * 1024


class SendError(Exception):
    """No HTTP answer: the connection failed, timed out, or the answer was not HTTP."""


@dataclass(frozen=True)
class Reply:
    """What the receiver sent back: status, reason, headers and (the start of) the body."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


def check_url(url: str) -> tuple[str, str, int | None, str]:
    """
    Split *url* into ``(scheme, host, port, path and query)``.

    Raises:
        ValueError: not an absolute http(s) URL.
    """
    parts = urlsplit(url)
    port = parts.port  # raises ValueError on a bad port
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the URL must be an absolute http:// or https:// URL")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def send(
    url: str, method: str, body: bytes, headers: list[tuple[str, str]], timeout: float
) -> Reply:
    """
    Send one request and read the answer (at most :data:`MAX_ANSWER` bytes of body).

    Raises:
        ValueError: *url* is not an absolute http(s) URL.
        SendError: no HTTP answer.
    """
    scheme, host, port, path = check_url(url)
    connection_class = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        answer = response.read(MAX_ANSWER)
        return Reply(response.status, response.reason, tuple(response.getheaders()), answer)
    except (OSError, http.client.HTTPException) as exc:  # TimeoutError is an OSError
        raise SendError(f"no answer from {host}: {exc}") from None
    finally:
        connection.close()
