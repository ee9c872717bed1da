"""The journal: what it keeps and never keeps, retention, and replays through the guard."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import hooksig
from hooksig._primitives.redact import describe
from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.journal import Journal, JournalEntry, ReplayResult, SQLiteJournal
from hooksig.journal._entry import kept_headers
from tests.conftest import NOW, SECRET

GITHUB = hooksig.Verifier("github", secret=SECRET)
STRIPE = hooksig.Verifier("stripe", secret="whsec_" + "k" * 32)


class Clock:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The journal's clock."""
    return Clock()


@pytest.fixture
def journal(tmp_path: Path, clock: Clock) -> Iterator[Journal]:
    """A journal on a fresh SQLite file, keeping X-GitHub-Event too."""
    journal = Journal(SQLiteJournal(tmp_path / "j.db"), headers=["X-GitHub-Event"], clock=clock)
    yield journal
    journal.close()


def github_delivery(ident: str = "72d3162e-cc78-11e3-81ab-4c9367dc0958") -> hooksig.Delivery:
    """A verified GitHub delivery, with the headers GitHub sends and a cookie."""
    body = b'{"action":"opened"}'
    headers = {
        **GITHUB.sign(body, id=ident),
        "X-GitHub-Event": "issues",
        "Cookie": "sid=abc",
        "Authorization": "Bearer secret-token-value",
        "User-Agent": "GitHub-Hookshot/1",
    }
    return GITHUB.verify(body, headers)


def test_keeps_the_scheme_headers_and_never_the_signature(journal: Journal) -> None:
    """Kept: the id header and the ones you name. Never: signatures, cookies, credentials."""
    stored = journal.record(github_delivery(), outcome="handled")
    assert {name.lower() for name in stored.headers} == {"x-github-delivery", "x-github-event"}
    assert stored.key == "github:72d3162e-cc78-11e3-81ab-4c9367dc0958"
    assert (stored.source, stored.key_id, stored.attempts) == ("webhook", "0", 1)


def test_secret_and_signature_never_reach_the_rows(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Grep every stored byte: no secret, no signature, no credential, even in the error."""
    path = tmp_path / "j.db"
    journal = Journal(path)
    request.addfinalizer(journal.close)
    delivery = github_delivery()
    signature = delivery.headers["X-Hub-Signature-256"]
    stripe_body = b'{"id":"evt_1","object":"event"}'
    stripe_headers = STRIPE.sign(stripe_body, timestamp=NOW)
    stripe_delivery = STRIPE.verify(stripe_body, stripe_headers, now=NOW)
    failure = RuntimeError(f"bad call with {SECRET} and {signature}")
    journal.record(delivery, outcome="failed", error=failure, redact=[SECRET, signature])
    journal.record(stripe_delivery, outcome="failed", error=ValueError("x"))
    journal.close()
    raw = b"".join(p.read_bytes() for p in path.parent.glob("j.db*"))  # the file and any WAL
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT * FROM hooksig_journal").fetchall()
    dumped = repr(rows).encode() + raw
    hex_part = signature.removeprefix("sha256=").encode()
    for forbidden in (SECRET.encode(), hex_part, b"secret-token-value", b"sid=abc",
                      stripe_headers["Stripe-Signature"].encode(),
                      stripe_headers["Stripe-Signature"].split("v1=")[1].encode(),
                      base64.b64encode(SECRET.encode())):  # fmt: skip
        assert forbidden not in dumped
    assert b"[redacted]" in dumped


def test_redaction_and_bounds() -> None:
    """Longest texts first, short ones ignored, the whole capped at 1000 characters."""
    error = RuntimeError("key=abcdefgh, part=abcd, tiny=abc " + "x" * 2000)
    text = describe(error, ["abcd", "abcdefgh", "abc", 5])  # type: ignore[list-item]
    assert text.startswith("RuntimeError: key=[redacted], part=[redacted], tiny=abc ")
    assert len(text) == 1000


def test_header_names_refused_and_unknown_schemes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Naming a signature or credential header fails at construction; a scheme of your own keeps
    only the headers you name."""
    for name in ("X-Hub-Signature-256", "authorization", "Cookie"):
        with pytest.raises(ConfigurationError, match="never stores"):
            kept_headers(GITHUB.scheme, [name])
    with pytest.raises(ConfigurationError):
        Journal(tmp_path / "x.db", headers=["Set-Cookie"])
    with pytest.raises(ConfigurationError):
        Journal(tmp_path / "x.db", headers="X-Event")  # type: ignore[arg-type]
    acme = hooksig.HmacScheme(name="acme-journal", signature_header="X-Sig",
                              id_header="X-Id", timestamp_header="X-Ts")  # fmt: skip
    verifier = hooksig.Verifier(acme, secret=SECRET)
    delivery = verifier.verify(b"{}", verifier.sign(b"{}", id="a1", timestamp=NOW), now=NOW)
    journal = Journal(tmp_path / "acme.db", headers=["X-Extra"])
    request.addfinalizer(journal.close)
    unknown = journal.record(delivery, outcome="handled")
    assert set(unknown.headers) == set()  # unregistered: its names are unknown
    named = journal.record(delivery, outcome="handled", key="acme:a2", scheme=acme)
    assert {n.lower() for n in named.headers} == {"x-id", "x-ts"}


def test_records_fetched_events_and_keyless_deliveries(journal: Journal) -> None:
    """A fetched event keeps its source; a delivery with no id gets a body-digest key."""
    event = hooksig.FetchedEvent(
        scheme="stripe", id="evt_9", body=b"{}", source="stripe-events-api", created=NOW
    )
    stored = journal.record(event, outcome="handled")
    assert (stored.key, stored.source, stored.timestamp) == (
        "stripe:evt_9",
        "stripe-events-api",
        NOW,
    )
    rebuilt = stored.delivery()
    assert isinstance(rebuilt, hooksig.FetchedEvent)
    assert (rebuilt.id, rebuilt.body, rebuilt.source) == ("evt_9", b"{}", "stripe-events-api")
    # A scheme of your own may give no id: the key is then the body's digest.
    keyless = hooksig.Delivery("my-scheme", None, None, None, b'{"id":1}', {})
    assert keyless.id is None
    assert journal.record(keyless, outcome="failed").key.startswith("my-scheme:body-sha256:")
    with pytest.raises(ConfigurationError):
        journal.record(object(), outcome="handled")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        journal.record(event, outcome="dropped")  # type: ignore[arg-type]


def test_list_get_and_entry_json(journal: Journal, clock: Clock) -> None:
    """Dead letters listed newest first; an entry renders as JSON, its body on request."""
    for n in range(3):
        clock.now += 1
        journal.record(github_delivery(f"g{n}"), outcome="failed" if n != 1 else "handled",
                       error=KeyError(n) if n != 1 else None)  # fmt: skip
    failed = journal.list(outcome="failed")
    assert [e.key for e in failed] == ["github:g2", "github:g0"]
    assert journal.list(since=clock.now) == [journal.get("github:g2")]
    data = failed[0].as_json(body=True)
    assert data["body"] == '{"action":"opened"}'
    assert data["last_error"] == "KeyError: 2"
    binary = JournalEntry(**{**failed[0].__dict__, "body": b"\xff\x00"})
    assert binary.as_json(body=True)["body_base64"] == "/wA="
    assert "body" not in failed[0].as_json()
    assert "2 bytes" in repr(binary)
    for bad in ({"outcome": "x"}, {"limit": 0}, {"limit": 10_001}, {"limit": True}):
        with pytest.raises(ConfigurationError):
            journal.list(**bad)  # type: ignore[arg-type]


def test_retention_by_age_and_count(
    tmp_path: Path, clock: Clock, request: pytest.FixtureRequest
) -> None:
    """Entries past max_age go, then the oldest beyond max_entries; pruning runs on write."""
    journal = Journal(tmp_path / "r.db", max_age=100, max_entries=3, prune_interval=10,
                      clock=clock)  # fmt: skip
    request.addfinalizer(journal.close)
    for n in range(5):
        journal.record(github_delivery(f"g{n}"), outcome="handled")
    assert (
        len(journal.list()) == 5
    )  # the first write pruned an empty journal; next prune is due later
    clock.now += 11
    journal.record(github_delivery("g5"), outcome="handled")
    assert [e.key for e in journal.list()] == ["github:g5", "github:g4", "github:g3"]
    clock.now += 200
    assert journal.prune() == 3
    assert journal.list() == []


def test_options_checked(tmp_path: Path) -> None:
    """Bad stores and limits fail at construction."""
    with pytest.raises(ConfigurationError):
        Journal(object())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Journal(tmp_path / "a.db", max_entries=0)
    with pytest.raises(ConfigurationError):
        Journal(tmp_path / "a.db", max_age=0)
    journal = Journal(tmp_path / "a.db")
    assert "max_entries=100000" in repr(journal)
    journal.close()


def test_replay_runs_once_through_the_guard(journal: Journal) -> None:
    """A dead letter replays once; a second replay is a duplicate; the handler got the delivery."""
    guard = Idempotency(MemoryStore())
    delivery = github_delivery()
    seen: list[hooksig.Delivery] = []
    journal.record(delivery, outcome="failed", error=RuntimeError("down"))
    first = journal.replay("github:72d3162e-cc78-11e3-81ab-4c9367dc0958", seen.append, guard)
    second = journal.replay("github:72d3162e-cc78-11e3-81ab-4c9367dc0958", seen.append, guard)
    assert (first.outcome, second.outcome) == ("handled", "duplicate")
    assert seen == [delivery]
    assert dict(seen[0].headers) == {"x-github-delivery": delivery.id, "x-github-event": "issues"}
    entry = journal.get(first.key)
    assert entry is not None
    assert (entry.outcome, entry.attempts, entry.last_error) == ("handled", 2, None)


def test_replay_failures_and_missing(journal: Journal) -> None:
    """A handler that raises again stays a dead letter, its claim released; unknown keys say so."""
    guard = Idempotency(MemoryStore())
    stored = journal.record(github_delivery(), outcome="failed", error=RuntimeError("down"))

    def broken(delivery: object) -> None:
        raise ValueError("still broken")

    result = journal.replay(stored.key, broken, guard)
    assert result == ReplayResult(stored.key, "failed", "ValueError: still broken")
    entry = journal.get(stored.key)
    assert entry is not None
    assert (entry.attempts, entry.last_error) == (2, "ValueError: still broken")
    assert journal.replay(stored.key, lambda d: None, guard).outcome == "handled"  # released
    assert journal.replay("github:nope", lambda d: None, guard).outcome == "missing"
    unguarded = journal.replay(stored.key, lambda d: None)
    assert unguarded.outcome == "handled"


def test_replay_of_a_delivery_running_elsewhere(journal: Journal) -> None:
    """While another worker holds the claim, a replay does not run: in progress."""
    guard = Idempotency(MemoryStore())
    stored = journal.record(github_delivery(), outcome="failed")
    with guard.claim(stored.key):
        result = journal.replay(stored.key, lambda d: pytest.fail("ran twice"), guard)
    assert result.outcome == "in_progress"


def test_replay_store_errors_propagate(journal: Journal) -> None:
    """A guard whose store is down raises StoreUnavailable: nothing is marked."""

    class Down(MemoryStore):
        def claim(self, key: str, lease: float):  # type: ignore[no-untyped-def]
            raise StoreUnavailable("down")

    stored = journal.record(github_delivery(), outcome="failed")
    with pytest.raises(StoreUnavailable):
        journal.replay(stored.key, lambda d: None, Idempotency(Down()))
    entry = journal.get(stored.key)
    assert entry is not None
    assert entry.attempts == 1


def test_async_handlers_need_replay_async(journal: Journal) -> None:
    """An async handler in replay() is refused (its coroutine closed); replay_async runs it."""
    guard = Idempotency(MemoryStore())
    stored = journal.record(github_delivery(), outcome="failed")
    ran: list[str] = []

    async def handle(delivery: hooksig.Delivery) -> None:
        ran.append(str(delivery.id))

    with pytest.raises(ConfigurationError, match="replay_async"):
        journal.replay(stored.key, handle, guard)
    assert asyncio.run(journal.replay_async(stored.key, handle, guard)).outcome == "handled"
    assert asyncio.run(journal.replay_async(stored.key, handle, guard)).outcome == "duplicate"
    assert ran == [stored.delivery_id]


def test_replay_async_paths(journal: Journal) -> None:
    """replay_async: missing, failing, in progress (then done by that worker), unguarded, sync."""
    guard = Idempotency(MemoryStore())
    stored = journal.record(github_delivery(), outcome="failed")

    async def broken(delivery: object) -> None:
        raise RuntimeError("nope")

    async def scenario() -> list[str]:
        outcomes = [(await journal.replay_async("github:x", broken, guard)).outcome]
        outcomes.append((await journal.replay_async(stored.key, broken, guard)).outcome)
        async with guard.claim_async(stored.key):
            outcomes.append((await journal.replay_async(stored.key, broken, guard)).outcome)
        outcomes.append((await journal.replay_async(stored.key, lambda d: None)).outcome)
        outcomes.append((await journal.replay_async(stored.key, lambda d: None, guard)).outcome)
        return outcomes

    assert asyncio.run(scenario()) == ["missing", "failed", "in_progress", "handled", "duplicate"]
    entry = journal.get(stored.key)
    assert entry is not None
    assert entry.attempts == 3


def test_record_async(journal: Journal) -> None:
    """record_async writes as record does."""
    stored = asyncio.run(journal.record_async(github_delivery(), outcome="handled"))
    assert journal.get(stored.key) == stored
