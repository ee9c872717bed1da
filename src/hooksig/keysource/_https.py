"""
The standard-library fetch: one HTTPS request, no redirects, a deadline, a size cap.

:class:`HttpsFetch` is what a :class:`~hooksig.keysource.KeySource` uses
unless you give it your own fetch.  It speaks HTTPS only, with the system's
trust store (or the :class:`ssl.SSLContext` you pass), never follows a
redirect, gives up after *timeout* seconds in all (connect, TLS, headers
and body; a server that drips bytes is cut off too), and stops reading
past *max_bytes*.  Every failure is :class:`~hooksig.KeyUnavailable`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ConfigurationError, KeyUnavailable

if TYPE_CHECKING:  # loaded on the first fetch: a verifier with given keys never needs them
    import http.client
    import ssl

#: A key document larger than this (64 KiB) is refused: certificates and key sets are small.
DEFAULT_MAX_BYTES = 64 * 1024
#: Seconds a whole fetch may take by default.
DEFAULT_TIMEOUT = 5.0
_CHUNK = 8192


@dataclass(frozen=True)
class KeyRequest:
    """
    One request for a key document: the URL and, for providers whose key API is a POST, the body.

    Attributes:
        url: an ``https`` URL that has passed the provider's rule.
        method: ``"GET"``, or ``"POST"`` (Plaid's key API).
        body: the request body, for a POST.
        headers: extra request headers, as ``(name, value)`` pairs.

    .. versionadded:: 0.1
    """

    url: str
    method: str = "GET"
    body: bytes | None = field(default=None, repr=False)
    headers: tuple[tuple[str, str], ...] = ()


def _unavailable(host: str, what: str, reason: str) -> KeyUnavailable:
    return KeyUnavailable(f"key fetch from {host}: {what}", reason=reason)


class HttpsFetch:
    """
    Fetch a key document over HTTPS with the standard library.

    Args:
        timeout: seconds the whole fetch may take.
        max_bytes: the largest document accepted.
        ssl_context: the TLS settings and trust store; the system's by default.

    Raises:
        ConfigurationError: a bound that is not a positive number.

    .. versionadded:: 0.1
    """

    __slots__ = ("_context", "max_bytes", "timeout")

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ConfigurationError("timeout must be a positive number of seconds")
        if type(max_bytes) is not int or max_bytes < 1:
            raise ConfigurationError("max_bytes must be a positive number of bytes")
        self.timeout = float(timeout)
        self.max_bytes = max_bytes
        self._context = ssl_context

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """The TLS settings in use, as given, else the system's (made on first use)."""
        if self._context is None:
            import ssl

            self._context = ssl.create_default_context()
        return self._context

    def __repr__(self) -> str:
        return f"HttpsFetch(timeout={self.timeout}, max_bytes={self.max_bytes})"

    def __call__(self, request: KeyRequest) -> bytes:
        """
        Return the document at ``request.url``.

        Raises:
            KeyUnavailable: not https, a network or TLS failure, a status other
                than 200 (a redirect included), the deadline, or the size cap.
        """
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if parts.scheme != "https" or not host:
            raise _unavailable(host, "not an https URL", "key_url_refused")
        import http.client

        connection = http.client.HTTPSConnection(
            host, parts.port or 443, timeout=self.timeout, context=self.ssl_context
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "*/*", "Connection": "close", "User-Agent": "hooksig"}
        headers.update(request.headers)
        response: http.client.HTTPResponse | None = None
        with _Deadline(self.timeout) as deadline:
            try:
                connection.connect()
                deadline.watch(connection.sock)
                connection.request(request.method, target, body=request.body, headers=headers)
                response = connection.getresponse()
                if 300 <= response.status < 400:
                    raise _unavailable(host, "a redirect, never followed", "key_redirect_refused")
                if response.status != 200:
                    raise _unavailable(host, f"status {response.status}", "key_fetch_failed")
                body = self._read(response, host)
                if deadline.expired.is_set():
                    raise TimeoutError
                return body
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, TimeoutError) or deadline.expired.is_set():
                    raise _unavailable(host, "timed out", "key_fetch_timeout") from None
                raise _unavailable(host, type(exc).__name__, "key_fetch_failed") from None
            finally:
                if response is not None:
                    response.close()  # the socket is only released once its reader is closed
                connection.close()

    def _read(self, response: http.client.HTTPResponse, host: str) -> bytes:
        """The body, bounded in size (the deadline's timer bounds it in time)."""
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            raise _unavailable(host, "larger than the size limit", "key_too_large")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read1(_CHUNK)  # what has arrived, so a drip meets the deadline
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise _unavailable(host, "larger than the size limit", "key_too_large")
            chunks.append(chunk)


class _Deadline:
    """
    The whole fetch's time limit: when it passes, the connection's socket is shut.

    A socket timeout bounds each read, not their sum; a server that drips its
    headers or body a byte at a time is cut off here instead.
    """

    def __init__(self, seconds: float) -> None:
        import threading

        self.expired = threading.Event()
        self._sockets: list[Any] = []
        self._timer = threading.Timer(seconds, self._cut_off)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: Any) -> None:
        """Shut *sock* at the deadline."""
        self._sockets.append(sock)

    def _cut_off(self) -> None:
        import socket

        self.expired.set()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


for _public in (HttpsFetch, KeyRequest):
    _public.__module__ = "hooksig.keysource"
del _public
