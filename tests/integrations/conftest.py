"""Shared fixtures for the framework adapter tests: verifiers, signed requests, guards."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import hooksig
from hooksig.errors import StoreUnavailable
from hooksig.idempotency import Claim, Idempotency, MemoryStore, SQLiteStore

#: The fixed "now" of every verifier here.
NOW = 1_700_000_000
#: The body limit of the test verifier, small so that "oversized" is cheap.
LIMIT = 4096
RAW_SECRET = b"hooksig-integration-secret-32byt"
SECRET = "whsec_" + base64.b64encode(RAW_SECRET).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another-integration-secret-32byt").decode()
SLACK_SECRET = "slack-signing-secret-0123456789abcdef"
BODY = b'{"type":"invoice.paid","amount":42}'


@dataclass
class Kit:
    """Verifiers and signed requests for one test."""

    verifier: hooksig.Verifier
    slack: hooksig.Verifier
    forger: hooksig.Verifier

    def signed(
        self, body: bytes = BODY, *, id: str = "msg_1", timestamp: int = NOW
    ) -> dict[str, str]:
        """Headers that make *body* authentic."""
        return self.verifier.sign(body, timestamp=timestamp, id=id)

    def forged(self, body: bytes = BODY, *, id: str = "msg_1") -> dict[str, str]:
        """Well-formed headers signed with the wrong secret."""
        return self.forger.sign(body, timestamp=NOW, id=id)

    def stale(self, body: bytes = BODY, *, id: str = "msg_1") -> dict[str, str]:
        """Authentic headers signed an hour ago."""
        return self.signed(body, id=id, timestamp=NOW - 3600)

    def challenge(self) -> tuple[bytes, dict[str, str]]:
        """A signed Slack ``url_verification`` handshake and its headers."""
        body = b'{"type":"url_verification","challenge":"c-7f3a"}'
        return body, self.slack.sign(body, timestamp=NOW)


@dataclass
class Calls:
    """Records each run of a test handler."""

    deliveries: list[hooksig.Delivery] = field(default_factory=list)
    seen: dict[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.deliveries)


class DownStore:
    """A store whose backend is unreachable: every call raises StoreUnavailable."""

    def _down(self) -> StoreUnavailable:
        return StoreUnavailable("the test store is down")

    def claim(self, key: str, lease: float) -> Claim:
        """Fail."""
        raise self._down()

    def complete(self, key: str, token: str, retention: float) -> bool:
        """Fail."""
        raise self._down()

    def release(self, key: str, token: str) -> bool:
        """Fail."""
        raise self._down()

    def renew(self, key: str, token: str, lease: float) -> bool:
        """Fail."""
        raise self._down()

    async def claim_async(self, key: str, lease: float) -> Claim:
        """Fail."""
        raise self._down()

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        """Fail."""
        raise self._down()

    async def release_async(self, key: str, token: str) -> bool:
        """Fail."""
        raise self._down()

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        """Fail."""
        raise self._down()


class FakeSocket:
    """Just the timeout of a connection socket, recording every change."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.set: list[float | None] = []

    def gettimeout(self) -> float | None:
        """The current timeout."""
        return self.timeout

    def settimeout(self, value: float | None) -> None:
        """Change and record the timeout."""
        self.timeout = value
        self.set.append(value)


class Stalling:
    """A body stream that yields *head*, then raises *error* as a timed-out socket read does."""

    def __init__(self, head: bytes, error: OSError, sock: FakeSocket | None = None) -> None:
        self.head = head
        self.error = error
        self.sock = sock
        self.timeouts: list[float | None] = []

    def read(self, size: int | None = -1) -> bytes:
        """Return the head once, then raise; record the socket's timeout at each read."""
        if self.sock is not None:
            self.timeouts.append(self.sock.gettimeout())
        if self.head:
            data, self.head = self.head, b""
            return data
        raise self.error

    def readline(self, size: int | None = -1) -> bytes:
        """Read as read() does (the WSGI input interface)."""
        return self.read(size)

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Read as read() does (the WSGI input interface)."""
        return [self.read()]

    def __iter__(self) -> Iterator[bytes]:
        """Read as read() does (the WSGI input interface)."""
        yield self.read()


#: The ways a body read fails: the error, the answer, the logged reason.
READ_FAILURES = [
    (TimeoutError("timed out"), 408, "read_timeout"),  # socket.timeout is TimeoutError
    (OSError("request data read error"), 408, "read_error"),
    (ConnectionResetError("reset"), 400, "client_disconnected"),
]


def make_kit() -> Kit:
    """The standard-webhooks test verifier (limit 4 KiB), a Slack one, and a forger."""
    return Kit(
        hooksig.Verifier(
            "standard-webhooks", secret=SECRET, clock=lambda: NOW, max_body_size=LIMIT
        ),
        hooksig.Verifier("slack", secret=SLACK_SECRET, clock=lambda: NOW),
        hooksig.Verifier("standard-webhooks", secret=OTHER_SECRET, clock=lambda: NOW),
    )


@pytest.fixture
def kit() -> Kit:
    """A fresh :func:`make_kit`."""
    return make_kit()


@pytest.fixture
def calls() -> Calls:
    """An empty record of handler runs."""
    return Calls()


@pytest.fixture
def guard() -> Idempotency:
    """A guard on a fresh MemoryStore."""
    return Idempotency(MemoryStore(), lease=30)


@pytest.fixture
def sqlite_guard(tmp_path: Path) -> Iterator[Idempotency]:
    """A guard on a fresh SQLite file."""
    store = SQLiteStore(str(tmp_path / "claims.db"))
    yield Idempotency(store, lease=30)
    close = getattr(store, "close", None)
    if close is not None:
        close()


@pytest.fixture
def down_guard() -> Idempotency:
    """A guard whose store is unreachable."""
    return Idempotency(DownStore())


@contextmanager
def held(guard: Idempotency, id: str = "msg_1") -> Iterator[None]:
    """Hold the claim on delivery *id* as another worker would, for the block."""
    with guard.claim(f"standard-webhooks:{id}"):
        yield


def assert_clean_logs(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """Assert that no hooksig record holds a secret, a signature or the body."""
    for record in caplog.records:
        if not record.name.startswith("hooksig"):
            continue
        text = record.getMessage() + repr(record.__dict__)
        for secret in (*secrets, SECRET, RAW_SECRET.decode(), BODY.decode(), "v1,"):
            assert secret not in text


def reasons(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The reason codes of the hooksig records captured."""
    return [
        record.hooksig_reason
        for record in caplog.records
        if record.name.startswith("hooksig") and hasattr(record, "hooksig_reason")
    ]


@pytest.fixture(autouse=True)
def _hooksig_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture hooksig records from INFO up."""
    caplog.set_level(logging.INFO, logger="hooksig")
