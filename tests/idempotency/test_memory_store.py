"""hooksig.idempotency.MemoryStore: bounded and expiring."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

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


def test_a_renewed_or_rewritten_entry_is_judged_by_its_last_write() -> None:
    """At the bound, an entry whose first lease ran out but was renewed, completed
    or claimed again since is live: only the entry written to expire goes."""
    clock = FakeClock()
    store = MemoryStore(max_keys=4, clock=clock)
    renewed = store.claim("renewed", 1.0).token
    completed = store.claim("completed", 1.0).token
    assert renewed is not None
    assert completed is not None
    released = store.claim("released", 1.0).token
    assert released is not None
    assert store.release("released", released)
    assert store.claim("released", 100.0).acquired  # the same key, claimed again
    store.claim("expiring", 1.0)
    assert store.renew("renewed", renewed, 100.0)
    assert store.complete("completed", completed, 100.0)
    clock.advance(2.0)
    assert store.claim("new", 100.0).acquired
    assert len(store) == 4
    for key in ("renewed", "released", "new"):
        assert store.claim(key, 100.0) == Claim("in_progress")
    assert store.claim("completed", 100.0) == Claim("done")


def test_an_expired_done_entry_claimed_again_is_no_longer_evictable() -> None:
    """A done entry that expired and was claimed again is a live claim: never evicted."""
    clock = FakeClock()
    store = MemoryStore(max_keys=2, clock=clock)
    token = store.claim("a", 100.0).token
    assert token is not None
    assert store.complete("a", token, 1.0)
    clock.advance(2.0)
    assert store.claim("a", 100.0).acquired
    store.claim("b", 100.0)
    with pytest.raises(StoreUnavailable, match="full"):
        store.claim("c", 100.0)


def test_many_writes_keep_the_store_bounded_and_exact() -> None:
    """Thousands of claims, renewals and completions past the bound: the same
    answers as a plain model, and never more than max_keys entries."""
    clock = FakeClock()
    store = MemoryStore(max_keys=20, clock=clock)
    for n in range(3000):
        key = f"k{n}"
        token = store.claim(key, 5.0).token
        assert token is not None
        if n % 3 == 0:
            assert store.renew(key, token, 7.0)
        assert store.complete(key, token, 10.0)
        clock.advance(0.5)
        assert len(store) <= 20
    # The completions of the last 10 s (retention) are all remembered.
    for n in range(2981, 3000):
        assert store.claim(f"k{n}", 5.0) == Claim("done")
    assert store.claim("k2980", 5.0).acquired  # its retention ran out


def test_fencing_tokens_are_never_reused() -> None:
    """Each claim gets a token of its own, in one store and across stores (random prefixes)."""
    one, two = MemoryStore(), MemoryStore()
    tokens = [one.claim(f"k{n}", 100.0).token for n in range(2000)]
    tokens += [two.claim(f"k{n}", 100.0).token for n in range(2000)]
    assert None not in tokens
    assert len(set(tokens)) == len(tokens)
    # A key claimed again after its lease ran out gets a new token: the old one is refused.
    clock = [0.0]
    store = MemoryStore(clock=lambda: clock[0])
    first = store.claim("k", 10.0).token
    clock[0] = 11.0
    second = store.claim("k", 10.0).token
    assert first is not None
    assert second is not None
    assert first != second
    assert not store.complete("k", first, 100.0)
    assert store.complete("k", second, 100.0)


def test_shorter_leases_after_a_long_one_are_swept_and_their_leftovers_dropped() -> None:
    """Claims that expire before one written earlier are swept at the bound all
    the same, and what thousands of them leave behind once released is dropped:
    the store's side heap stays near the number of entries."""
    clock = FakeClock()
    store = MemoryStore(max_keys=10, clock=clock)
    assert store.claim("long", 1000.0).acquired
    for n in range(2000):
        token = store.claim("short", 1.0 + n % 3).token
        assert token is not None
        assert store.release("short", token)
    assert len(store._strays) <= 2 * len(store) + 64
    for n in range(9):
        assert store.claim(f"brief-{n}", 1.0).acquired
    clock.advance(2.0)
    assert store.claim("new", 1.0).acquired  # the nine behind "long" were swept
    assert len(store) == 2
    assert store.claim("long", 1.0) == Claim("in_progress")


def test_a_bounded_store_sweeps_and_evicts_exactly_with_any_durations_and_clock() -> None:
    """At the bound the store keeps the rule a plain model states, whatever the
    leases and retentions and even when the clock moves back: expired entries
    go first, then the completed entry written longest ago, never a live claim."""
    clock = [0.0]
    durations = st.sampled_from([1.0, 2.0, 5.0, 30.0])

    class BoundedModel(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.store = MemoryStore(max_keys=4, clock=lambda: clock[0])
            # key -> (done, token, expires_at, when written: the eviction order)
            self.model: dict[str, tuple[bool, str, float, int]] = {}
            self.writes = itertools.count()

        def live(self, name: str) -> tuple[bool, str, float, int] | None:
            entry = self.model.get(name)
            return entry if entry is not None and entry[2] > clock[0] else None

        @rule(name=st.sampled_from("abcdefg"), lease=durations)
        def claim(self, name: str, lease: float) -> None:
            entry = self.live(name)
            expected: Claim | type[StoreUnavailable] | None = None
            if entry is not None:
                expected = Claim("done" if entry[0] else "in_progress")
            elif name not in self.model and len(self.model) >= 4:
                self.model = {k: e for k, e in self.model.items() if e[2] > clock[0]}
                done = [k for k, e in self.model.items() if e[0]]
                if len(self.model) >= 4 and not done:
                    expected = StoreUnavailable
                elif len(self.model) >= 4:
                    del self.model[min(done, key=lambda k: self.model[k][3])]
            if expected is StoreUnavailable:
                with pytest.raises(StoreUnavailable):
                    self.store.claim(name, lease)
                return
            result = self.store.claim(name, lease)
            if expected is not None:
                assert result == expected
                return
            assert result.token is not None
            self.model[name] = (False, result.token, clock[0] + lease, next(self.writes))

        @rule(name=st.sampled_from("abcdefg"), retention=durations)
        def complete(self, name: str, retention: float) -> None:
            entry = self.live(name)
            if entry is None:
                return
            assert self.store.complete(name, entry[1], retention)
            if not entry[0]:
                self.model[name] = (True, entry[1], clock[0] + retention, next(self.writes))

        @rule(name=st.sampled_from("abcdefg"), lease=durations, release=st.booleans())
        def renew_or_release(self, name: str, lease: float, release: bool) -> None:
            entry = self.live(name)
            if entry is None or entry[0]:
                return
            if release:
                assert self.store.release(name, entry[1])
                del self.model[name]
            else:
                assert self.store.renew(name, entry[1], lease)
                self.model[name] = (False, entry[1], clock[0] + lease, entry[3])

        @rule(seconds=st.sampled_from([-3.0, -0.5, 0.5, 1.0, 3.0, 40.0]))
        def wait(self, seconds: float) -> None:
            clock[0] += seconds

        @invariant()
        def holds_what_the_model_holds(self) -> None:
            assert len(self.store) == len(self.model)

    run_state_machine_as_test(
        BoundedModel,
        settings=settings(max_examples=200, stateful_step_count=40, deadline=None),
    )
