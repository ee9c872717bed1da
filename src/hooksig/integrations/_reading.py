"""
Read a request body under a size limit, never past it.

The limit is checked twice: against the declared ``Content-Length`` before a
single byte is read, and while reading, for chunked bodies that declare
nothing.  A body over the limit is refused as soon as the limit is crossed;
the rest of it is never read.  An ASGI body is read with a timeout on each
``receive``, and a WSGI body with a timeout on the connection's socket when
the server exposes it, so a client that stalls cannot hold a worker: the
WSGI middleware, and the Flask and Django adapters under WSGI, share that.
"""

from __future__ import annotations

import asyncio
import enum
import math
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    MutableMapping,
)
from contextlib import contextmanager, suppress
from typing import Any, Final, Protocol, TypeAlias

from ..errors import ConfigurationError, PayloadTooLarge

__all__ = [
    "DEFAULT_TIMEOUT",
    "FROM_SETTINGS",
    "Refused",
    "TimeoutSetting",
    "check_complete",
    "checked_timeout",
    "declared_length",
    "given_timeout",
    "read_async",
    "read_refusal",
    "read_stream",
    "receive_chunks",
    "resolved_timeout",
    "socket_timeout",
    "wsgi_socket",
]

#: Bytes asked for per read: large enough to be quick, small enough to stop early.
CHUNK = 64 * 1024

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]

#: The read timeout, in seconds, of an adapter that is given none.
DEFAULT_TIMEOUT = 10.0

#: Environ keys under which WSGI servers expose the connection's socket.
SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


class _FromSettings(enum.Enum):
    FROM_SETTINGS = "FROM_SETTINGS"

    def __repr__(self) -> str:
        return self.value


#: A ``read_timeout`` left to the app-wide setting, then to :data:`DEFAULT_TIMEOUT`.
FROM_SETTINGS: Final = _FromSettings.FROM_SETTINGS

#: A ``read_timeout`` argument: seconds, ``None`` (no timeout), or :data:`FROM_SETTINGS`.
TimeoutSetting: TypeAlias = float | _FromSettings | None


class Refused(Exception):
    """
    The request cannot be read: a bad length, a stalled or vanished client.

    Attributes:
        outcome: the row of :class:`~hooksig.integrations.Outcomes` that answers it.
        reason: a stable code for the log.
    """

    def __init__(self, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def checked_timeout(value: object) -> float | None:
    """
    Return *value* as a read timeout: a positive number of seconds, or ``None``.

    Raises:
        ConfigurationError: *value* is neither.
    """
    if value is None:
        return None
    if not (isinstance(value, int | float) and value > 0):
        raise ConfigurationError("read_timeout must be a positive number of seconds or None")
    return float(value)


def given_timeout(value: TimeoutSetting) -> TimeoutSetting:
    """
    Return *value* checked as a read timeout, or :data:`FROM_SETTINGS` unchanged.

    Raises:
        ConfigurationError: *value* is neither a timeout nor the marker.
    """
    return value if isinstance(value, _FromSettings) else checked_timeout(value)


def resolved_timeout(value: TimeoutSetting, setting: object = FROM_SETTINGS) -> float | None:
    """
    Return the read timeout of a view: its own *value*, else the app's *setting*, else 10 s.

    Raises:
        ConfigurationError: the one that applies is not a timeout.
    """
    if not isinstance(value, _FromSettings):
        return checked_timeout(value)
    if isinstance(setting, _FromSettings):
        return DEFAULT_TIMEOUT
    return checked_timeout(setting)


def wsgi_socket(environ: Mapping[str, Any]) -> object:
    """
    Return the connection's socket from a WSGI *environ*, or ``None``.

    Only over HTTP/1: over HTTP/2 (gunicorn can serve it) the socket carries
    other streams too, and the body does not come from it directly.
    """
    if not str(environ.get("SERVER_PROTOCOL", "")).upper().startswith("HTTP/1"):
        return None
    for key in SOCKET_KEYS:
        sock = environ.get(key)
        if sock is not None:
            return sock
    return None


def read_refusal(error: OSError) -> Refused:
    """
    Return the refusal of a body read that failed with *error*.

    A timeout (``TimeoutError``, which is ``socket.timeout``) or another
    ``OSError`` (mod_wsgi and uWSGI report their timeouts so) is the
    ``timeout`` outcome; a connection the client reset is ``bad_request``.
    """
    if isinstance(error, TimeoutError):
        return Refused("timeout", "read_timeout")
    if isinstance(error, ConnectionError):
        return Refused("bad_request", "client_disconnected")
    return Refused("timeout", "read_error")


@contextmanager
def socket_timeout(sock: object, timeout: float | None) -> Iterator[None]:
    """
    Apply *timeout* to *sock* for the duration of the block, then restore its own.

    Does nothing when *timeout* is ``None`` or infinite, when *sock* has no
    ``gettimeout``/``settimeout``, or when it is non-blocking (timeout 0: the
    server polls it itself).  A server timeout shorter than *timeout* is kept.
    """
    gettimeout = getattr(sock, "gettimeout", None)
    settimeout = getattr(sock, "settimeout", None)
    previous: float | None = None
    applied = False
    if timeout is not None and math.isfinite(timeout) and gettimeout and settimeout:
        try:
            previous = gettimeout()
            if previous != 0:
                settimeout(timeout if previous is None else min(previous, timeout))
                applied = True
        except OSError:  # closed already: the read itself reports it
            applied = False
    try:
        yield
    finally:
        if applied and settimeout is not None:
            with suppress(OSError):
                settimeout(previous)


def declared_length(value: str | None, limit: int) -> int | None:
    """
    Return the declared ``Content-Length``, refusing it if it is over *limit*.

    Raises:
        PayloadTooLarge: the declared length is over the limit; nothing was read.
        Refused: the header is not plain ASCII digits.
    """
    if value is None or value == "":
        return None
    # Plain ASCII digits only: int() would also accept "+5", " 5", "5_0" and non-ASCII digits.
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Refused("bad_request", "bad_content_length")
    length = int(value)
    if length > limit:
        raise PayloadTooLarge(limit)
    return length


def check_complete(body: bytes, declared: int | None) -> bytes:
    """
    Return *body*, or raise if it is shorter than its declared length.

    An empty body where one was declared means something (a form parser, a
    middleware) consumed it before hooksig: a bug in the app, said loudly.
    A partial one means the client vanished mid-body.

    Raises:
        ConfigurationError: the body was consumed before hooksig could verify it.
        Refused: the client sent only part of the body.
    """
    if declared is None or len(body) >= declared:
        return body
    if not body:
        raise ConfigurationError(
            "the request body was consumed before hooksig could verify it: "
            "do not read the form or JSON of a webhook request before verification"
        )
    raise Refused("bad_request", "incomplete_body")


def read_stream(stream: _Readable, declared: int | None, limit: int) -> bytes:
    """
    Read a WSGI input stream: *declared* bytes, or to its end when the server terminates it.

    Pass ``declared=None`` only when the server dechunks and terminates the
    stream (``wsgi.input_terminated``); the read then stops one byte past
    the limit.  A read that fails is refused as :func:`read_refusal` says.

    Raises:
        PayloadTooLarge: the body crossed the limit while being read.
        Refused: the client sent fewer bytes than it declared, stalled, or vanished.
    """
    parts: list[bytes] = []
    size = 0
    remaining = limit + 1 if declared is None else declared
    while remaining > 0:
        try:
            chunk = stream.read(min(CHUNK, remaining))
        except OSError as error:
            raise read_refusal(error) from None
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
        remaining -= len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
    if declared is not None and size < declared:
        raise Refused("bad_request", "incomplete_body")
    return b"".join(parts)


async def receive_chunks(receive: Receive) -> AsyncIterator[bytes]:
    """
    Yield the body chunks of an ASGI ``http.request`` stream.

    Raises:
        Refused: the client disconnected before the body ended.
    """
    while True:
        message = await receive()
        kind = message.get("type")
        if kind == "http.disconnect":
            raise Refused("bad_request", "client_disconnected")
        if kind != "http.request":
            continue
        chunk = message.get("body", b"")
        if chunk:
            yield bytes(chunk)
        if not message.get("more_body", False):
            return


async def read_async(chunks: AsyncIterator[bytes], limit: int, timeout: float | None) -> bytes:
    """
    Read async *chunks* up to *limit*, waiting at most *timeout* seconds for each.

    Raises:
        PayloadTooLarge: the body crossed the limit; the rest is never read.
        Refused: a chunk took longer than *timeout* (``outcome="timeout"``).
    """
    parts: list[bytes] = []
    size = 0
    iterator = aiter(chunks)
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(anext(iterator), timeout)
            except StopAsyncIteration:
                break
            except asyncio.TimeoutError:
                raise Refused("timeout", "read_timeout") from None
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit)
            parts.append(chunk)
    finally:
        close = getattr(iterator, "aclose", None)
        if close is not None:
            await close()
    return b"".join(parts)
