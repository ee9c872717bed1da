"""
Read a request: the body under a size limit and a deadline, the headers in a cheap shape.

The limit is checked twice: against the declared ``Content-Length`` before a
single byte is read, and while reading, for chunked bodies that declare
nothing.  A body over the limit is refused as soon as the limit is crossed;
the rest of it is never read.  An ASGI body is read under one deadline for
the whole request, and a WSGI body with a timeout on the connection's socket
when the server exposes it, so a client that stalls cannot hold a worker:
the WSGI middleware, and the Flask and Django adapters under WSGI, share that.

The headers go to the verifier in the shape the server gave them, converted
by nobody: ASGI's pairs as they are, a WSGI environ (or Django's ``META``)
through :meth:`hooksig.Headers.from_environ`; a repeated header is still
refused where the scheme reads it.
"""

from __future__ import annotations

import asyncio
import io
import math
import sys
import types
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Mapping,
    MutableMapping,
    Sequence,
)
from contextlib import AbstractContextManager, nullcontext, suppress
from typing import Any, Protocol, cast
from urllib.parse import quote

from .._primitives.headers import HeadersInput
from ..errors import ConfigurationError, PayloadTooLarge

__all__ = [
    "Refused",
    "asgi_headers",
    "asgi_target",
    "check_complete",
    "declared_length",
    "read_asgi",
    "read_environ",
    "read_refusal",
    "read_stream",
    "read_stream_async",
    "replay_environ",
    "socket_timeout",
    "wsgi_socket",
    "wsgi_target",
]

#: Bytes asked for per read: large enough to be quick, small enough to stop early.
CHUNK = 64 * 1024

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]

#: Environ keys under which WSGI servers expose the connection's socket.
SOCKET_KEYS = ("gunicorn.socket", "werkzeug.socket")


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


def wsgi_socket(environ: Mapping[str, Any]) -> object:
    """
    Return the connection's socket from a WSGI *environ*, or ``None``.

    Only over HTTP/1: over HTTP/2 (gunicorn can serve it) the socket carries
    other streams too, and the body does not come from it directly.
    """
    for key in SOCKET_KEYS:
        sock = environ.get(key)
        if sock is not None:
            protocol = str(environ.get("SERVER_PROTOCOL", ""))
            return sock if protocol.upper().startswith("HTTP/1") else None
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


class _SocketTimeout:
    """The timeout of one body read on a socket, and the socket's own restored after it."""

    __slots__ = ("_applied", "_previous", "_sock", "_timeout")

    def __init__(self, sock: object, timeout: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self._previous: float | None = None
        self._applied = False

    def __enter__(self) -> None:
        sock = self._sock
        gettimeout = getattr(sock, "gettimeout", None)
        settimeout = getattr(sock, "settimeout", None)
        if gettimeout and settimeout:
            try:
                previous = gettimeout()
                # Non-blocking (0: the server polls), or already as short: nothing to arm.
                if previous is None or previous > self._timeout:
                    settimeout(self._timeout)
                    self._previous, self._applied = previous, True
            except OSError:  # closed already: the read itself reports it
                self._applied = False

    def __exit__(self, *exc_info: object) -> None:
        if self._applied:
            with suppress(OSError):
                cast(Any, self._sock).settimeout(self._previous)  # applied: it has one


#: What a read with no timeout to apply runs under.
_UNTIMED = nullcontext()


def socket_timeout(sock: object, timeout: float | None) -> AbstractContextManager[None]:
    """
    Apply *timeout* to *sock* for the duration of the block, then restore its own.

    Does nothing when *timeout* is ``None`` or infinite, when *sock* has no
    ``gettimeout``/``settimeout``, or when it is non-blocking (timeout 0: the
    server polls it itself).  A server timeout no longer than *timeout* is
    kept, and nothing is armed.
    """
    if sock is None or timeout is None or not math.isfinite(timeout):
        return _UNTIMED
    return _SocketTimeout(sock, timeout)


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


def read_environ(environ: MutableMapping[str, Any], limit: int, timeout: float | None) -> bytes:
    """
    Read the body of a WSGI request from ``wsgi.input``, under *limit* and *timeout*.

    A body without a ``Content-Length`` is read only where the server
    dechunks and terminates it (``wsgi.input_terminated``); otherwise a
    chunked body is refused with 411 and any other is empty.  The socket
    times the read where the server exposes it (:func:`socket_timeout`).

    Raises:
        PayloadTooLarge: the body is, or was declared, over *limit*.
        Refused: a bad length, a chunked body the server does not terminate,
            a client that stalled, vanished or sent less than it declared.
    """
    declared = declared_length(environ.get("CONTENT_LENGTH"), limit)
    if declared is None:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked:
            return b""
        if not environ.get("wsgi.input_terminated"):
            raise Refused("length_required", "unterminated_chunked_body")
    timed = socket_timeout(wsgi_socket(environ), timeout)
    if timed is _UNTIMED:  # no socket to time: no context to enter
        return read_stream(environ["wsgi.input"], declared, limit)
    with timed:
        return read_stream(environ["wsgi.input"], declared, limit)


def replay_environ(environ: MutableMapping[str, Any], body: bytes) -> None:
    """
    Give the app *body* again: ``wsgi.input`` becomes the bytes read, of a known length.

    The environ is this request's own; the body is no longer chunked.
    """
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)


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


class _Deadline:
    """
    One timer for a whole body read: it cancels the reading task when it fires.

    This is what ``asyncio.timeout`` does, without its context manager: one
    ``loop.call_at`` per request, the same on every Python version (3.10 has
    no ``asyncio.timeout``), instead of ``asyncio.wait_for`` around each chunk,
    which costs a task per call before 3.12.
    """

    __slots__ = ("_handle", "_task", "fired")

    def __init__(self, timeout: float | None) -> None:
        self.fired = False
        self._task: asyncio.Task[Any] | None = None
        self._handle: asyncio.TimerHandle | None = None
        if timeout is not None:
            loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()
            self._handle = loop.call_at(loop.time() + timeout, self._fire)

    def _fire(self) -> None:
        self.fired = True
        if self._task is not None:
            self._task.cancel()

    def cancel(self) -> None:
        """Disarm the timer (a read that ended in time)."""
        if self._handle is not None:
            self._handle.cancel()

    def timed_out(self) -> bool:
        """
        Whether the ``CancelledError`` being handled is this deadline's.

        On 3.11+ the task's cancellation count is restored, so an enclosing
        ``asyncio.timeout`` or task group is not confused by ours.
        """
        if not self.fired:
            return False
        if sys.version_info >= (3, 11) and self._task is not None:
            self._task.uncancel()
        return True


@types.coroutine
def _resume(
    pending: Generator[Any, Any, MutableMapping[str, Any]], yielded: object
) -> Generator[Any, Any, MutableMapping[str, Any]]:
    # Await *pending*, an awaitable already run to its first suspension (it
    # yielded *yielded* to the event loop): ``yield from`` from that point on.
    while True:
        try:
            sent = yield yielded
        except BaseException as error:  # cancellation or close, handed on
            try:
                yielded = pending.throw(error)
            except StopIteration as done:
                return cast(MutableMapping[str, Any], done.value)
        else:
            try:
                yielded = pending.send(sent)
            except StopIteration as done:
                return cast(MutableMapping[str, Any], done.value)


def _first(receive: Receive) -> tuple[MutableMapping[str, Any] | None, Awaitable[Any] | None]:
    # The first message if the server has it at hand, else the receive that
    # waits for it: a small body usually arrives with the headers, and then
    # no timer need be armed at all.
    pending = receive().__await__()
    try:
        yielded = pending.send(None)
    except StopIteration as done:
        return done.value, None
    return None, _resume(pending, yielded)


def read_asgi(
    receive: Receive, declared: int | None, limit: int, timeout: float | None
) -> bytes | Awaitable[bytes]:
    """
    Read the body of an ASGI ``http.request`` stream, all of it within *timeout* seconds.

    Returns the body itself when the server has it at hand in one message
    (a small delivery usually comes with its headers): no coroutine, no
    timer.  Otherwise returns an awaitable of it, read message by message
    under one deadline for the whole body.

    Raises (or its awaitable raises):
        PayloadTooLarge: the body crossed the limit; the rest is never read.
        Refused: the client disconnected, or the body took longer than
            *timeout* (``outcome="timeout"``).
    """
    message, waiting = _first(receive)
    if (
        message is not None
        and message.get("type") == "http.request"
        and not message.get("more_body", False)
    ):
        body = message.get("body", b"")
        if len(body) > limit:
            raise PayloadTooLarge(limit)
        return check_complete(body if type(body) is bytes else bytes(body), declared)
    return _read_rest(receive, message, waiting, declared, limit, timeout)


async def _read_rest(
    receive: Receive,
    message: MutableMapping[str, Any] | None,
    waiting: Awaitable[MutableMapping[str, Any]] | None,
    declared: int | None,
    limit: int,
    timeout: float | None,
) -> bytes:
    deadline = _Deadline(timeout)
    try:
        body = await _chunks(receive, message, waiting, limit)
    except asyncio.CancelledError:
        if deadline.timed_out():
            raise Refused("timeout", "read_timeout") from None
        raise
    finally:
        deadline.cancel()
    return check_complete(body, declared)


async def _chunks(
    receive: Receive,
    message: MutableMapping[str, Any] | None,
    waiting: Awaitable[MutableMapping[str, Any]] | None,
    limit: int,
) -> bytes:
    # The body message by message, starting from what _first found.
    parts: list[bytes] = []
    size = 0
    while True:
        if message is None:
            message = await (waiting or receive())
            waiting = None
        kind = message.get("type")
        if kind == "http.disconnect":
            raise Refused("bad_request", "client_disconnected")
        if kind == "http.request":
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit)
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)
        message = None


async def read_stream_async(
    chunks: AsyncIterator[bytes], declared: int | None, limit: int, timeout: float | None
) -> bytes:
    """
    Read async *chunks* (a framework's body stream) up to *limit*, within *timeout* seconds.

    Raises:
        PayloadTooLarge: the body crossed the limit; the rest is never read.
        Refused: the body took longer than *timeout* (``outcome="timeout"``).
    """
    parts: list[bytes] = []
    size = 0
    deadline = _Deadline(timeout)
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit)
            parts.append(chunk)
    except asyncio.CancelledError:
        if deadline.timed_out():
            raise Refused("timeout", "read_timeout") from None
        raise
    finally:
        deadline.cancel()
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
    return b"".join(parts)


def asgi_headers(raw: Sequence[tuple[bytes, bytes]]) -> tuple[HeadersInput, str | None]:
    """
    Return the headers of an ASGI scope for the verifier, and its one ``Content-Length``.

    The pairs themselves, as the server sent them: the verifier reads only
    the names its scheme needs from them, and refuses a repeated name where
    it matters.  Only ``Content-Length`` is looked up here.

    Raises:
        Refused: ``Content-Length`` was sent twice with different values.
    """
    pairs = raw if type(raw) is list else list(raw)
    index = dict(pairs)  # in C: each name once, if none repeats
    if len(index) == len(pairs):
        length = index.get(b"content-length")
        return pairs, None if length is None else length.decode("latin-1")
    lengths = {value for name, value in pairs if name.lower() == b"content-length"}
    if len(lengths) > 1:
        raise Refused("bad_request", "conflicting_content_length")
    return pairs, lengths.pop().decode("latin-1") if lengths else None


def wsgi_target(environ: Mapping[str, object]) -> str:
    """
    Return the request target (path and query) of a WSGI request, as close to the wire as known.

    Servers that keep the raw target (gunicorn ``RAW_URI``, uWSGI
    ``REQUEST_URI``) are trusted for it; otherwise the decoded path is
    percent-encoded again.
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return raw
    path = f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
    target = quote(path.encode("latin-1", "replace"), safe="/:@!$&'()*+,;=-._~%")
    query = environ.get("QUERY_STRING")
    return f"{target}?{query}" if query else target


def asgi_target(scope: Mapping[str, object]) -> str:
    """
    Return the request target (path and query) of an ASGI request: ``raw_path`` when sent.
    """
    raw = scope.get("raw_path")
    path = str(scope.get("path", "/"))
    target = (
        raw.decode("latin-1")
        if isinstance(raw, bytes) and raw
        else quote(path.encode("utf-8"), safe="/:@!$&'()*+,;=-._~%")
    )
    query = scope.get("query_string")
    if isinstance(query, bytes):
        query = query.decode("latin-1")
    # Django's AsyncClient gives a str, as Django itself accepts.
    return f"{target}?{query}" if isinstance(query, str) and query else target
