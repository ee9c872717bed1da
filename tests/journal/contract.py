"""The journal store contract: one suite for every store (PostgreSQL and Redis: tests/servers)."""

from __future__ import annotations

import threading
from typing import Any

from hooksig.journal import JournalEntry, JournalStore


def entry(key: str = "github:guid-1", *, at: float = 1000.0, **changes: Any) -> JournalEntry:
    """An entry as a Journal would build it."""
    fields: dict[str, Any] = {
        "key": key,
        "scheme": "github",
        "delivery_id": key.split(":", 1)[1],
        "timestamp": None,
        "key_id": "0",
        "body": b'{"zen":"\xff not utf-8"}',
        "headers": {"X-GitHub-Delivery": key.split(":", 1)[1], "X-GitHub-Event": "push"},
        "source": "webhook",
        "outcome": "failed",
        "attempts": 1,
        "last_error": "RuntimeError: database down",
        "received_at": at,
        "updated_at": at,
    }
    fields.update(changes)
    return JournalEntry(**fields)


class JournalStoreContract:
    """Subclass with a ``store`` fixture to run the contract against a store."""

    def test_is_a_store(self, store: JournalStore) -> None:
        """The store satisfies the protocol."""
        assert isinstance(store, JournalStore)

    def test_round_trip(self, store: JournalStore) -> None:
        """Every field comes back as written, bytes and absent values included."""
        written = entry(timestamp=None, key_id=None, delivery_id=None)
        stored = store.write(written)
        assert stored == written
        assert dict(stored.headers) == dict(written.headers)
        assert store.get(written.key) == written
        stamped = entry("stripe:evt_1", timestamp=1_700_000_000, source="stripe-events-api",
                        last_error=None, outcome="handled", headers={})  # fmt: skip
        assert store.write(stamped) == stamped

    def test_a_second_write_counts_an_attempt(self, store: JournalStore) -> None:
        """Outcome, error and time are replaced, attempts grow, the first receipt time stays."""
        store.write(entry(at=1000.0))
        again = store.write(entry(at=2000.0, outcome="handled", last_error=None))
        assert (again.attempts, again.outcome, again.last_error) == (2, "handled", None)
        assert (again.received_at, again.updated_at) == (1000.0, 2000.0)
        third = store.write(entry(at=3000.0, last_error="KeyError: 'x'"))
        assert (third.attempts, third.outcome, third.last_error) == (3, "failed", "KeyError: 'x'")
        assert store.get(third.key) == third

    def test_missing_key(self, store: JournalStore) -> None:
        """An unknown key is None."""
        assert store.get("github:absent") is None

    def test_list_order_and_filters(self, store: JournalStore) -> None:
        """Newest first, filtered by outcome and time, bounded by limit."""
        for n in range(6):
            outcome = "failed" if n % 2 else "handled"
            store.write(entry(f"github:g{n}", at=1000.0 + n, outcome=outcome))
        keys = [e.key for e in store.list(limit=100)]
        assert keys == [f"github:g{n}" for n in range(5, -1, -1)]
        assert [e.key for e in store.list(outcome="failed")] == [
            "github:g5",
            "github:g3",
            "github:g1",
        ]
        assert [e.key for e in store.list(since=1004.0)] == ["github:g5", "github:g4"]
        assert [e.key for e in store.list(outcome="handled", limit=2)] == ["github:g4", "github:g2"]
        assert store.list(outcome="failed", since=2000.0) == []

    def test_prune_by_age_then_count(self, store: JournalStore) -> None:
        """Entries older than the cut go, then all but the newest `keep`."""
        for n in range(10):
            store.write(entry(f"github:g{n}", at=1000.0 + n))
        assert store.prune(before=1003.0, keep=100) == 3
        assert store.prune(before=0.0, keep=4) == 3
        assert [e.key for e in store.list()] == [f"github:g{n}" for n in range(9, 5, -1)]
        assert store.prune(before=0.0, keep=4) == 0

    def test_concurrent_writes_count_every_attempt(self, store: JournalStore) -> None:
        """Eight threads writing one key 20 times each: 160 attempts, none lost."""
        barrier = threading.Barrier(8)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                barrier.wait()
                for _ in range(20):
                    store.write(entry())
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        found = store.get(entry().key)
        assert found is not None
        assert found.attempts == 160
