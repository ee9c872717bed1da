"""hooksig.idempotency.MemoryStore: bounded and expiring."""

from __future__ import annotations

import pytest

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency import Claim, MemoryStore
from tests.idempotency.store_contract import FakeClock


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_refuses_bad_max_keys(bad: object) -> None:
    """max_keys must be a positive integer."""
    with pytest.raises(ConfigurationError):
        MemoryStore(max_keys=bad)  # type: ignore[arg-type]


def test_sweeps_expired_before_evicting() -> None:
    """At the bound, expired entries go first and live ones stay."""
    clock = FakeClock()
    store = MemoryStore(max_keys=3, clock=clock)
    store.claim("old-1", 1.0)
    store.claim("old-2", 1.0)
    store.claim("live", 100.0)
    clock.advance(2.0)
    assert store.claim("new", 100.0).acquired
    assert len(store) == 2
    assert store.claim("live", 100.0) == Claim("in_progress")


def test_evicts_the_stalest_done_entry() -> None:
    """With no expired entry, the done entry written longest ago is forgotten."""
    store = MemoryStore(max_keys=3, clock=FakeClock())
    for key in ("done-1", "done-2"):
        token = store.claim(key, 100.0).token
        assert token is not None
        assert store.complete(key, token, 100.0)
    store.claim("live", 100.0)
    assert store.claim("new", 100.0).acquired
    assert len(store) == 3
    assert store.claim("done-2", 100.0) == Claim("done")
    assert store.claim("live", 100.0) == Claim("in_progress")
    assert store.claim("done-1", 100.0).acquired  # forgotten: it runs again


def test_full_of_live_claims_is_unavailable() -> None:
    """Live claims are never evicted: a full store refuses new keys instead."""
    store = MemoryStore(max_keys=2, clock=FakeClock())
    store.claim("a", 100.0)
    store.claim("b", 100.0)
    with pytest.raises(StoreUnavailable, match="full"):
        store.claim("c", 100.0)
    assert store.claim("a", 100.0) == Claim("in_progress")


def test_never_exceeds_bound() -> None:
    """However many keys are completed, the store holds at most max_keys."""
    store = MemoryStore(max_keys=50, clock=FakeClock())
    for n in range(500):
        token = store.claim(f"k{n}", 100.0).token
        assert token is not None
        store.complete(f"k{n}", token, 100.0)
        assert len(store) <= 50


def test_repr() -> None:
    """The repr shows the bound."""
    assert repr(MemoryStore(max_keys=7)) == "MemoryStore(max_keys=7)"
