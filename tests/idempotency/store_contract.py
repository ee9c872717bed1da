"""
The Store contract: one suite that every idempotency store must pass.

Subclass `StoreContract` once per store and provide two fixtures: ``store``
(a fresh, empty store) and ``advance`` (a callable that lets at least the
given number of seconds pass on the store's clock: a fake clock where the
store takes one, a real sleep where the clock is the server's).  Override
`stored_keys` to read back what the backend holds.
"""

from __future__ import annotations

import asyncio
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hooksig.errors import DuplicateDelivery
from hooksig.idempotency import Claim, Idempotency, Store

Advance = Callable[[float], None]

HOSTILE_IDS = [
    "\x00",
    "a\x00b",
    "x" * (1 << 20),
    "\ud800",
    "sha256:" + "0" * 64,
    "é" * 150,
    "line\nbreak",
    "\u202egnp.exe",
    "plain-id",
    " ",
]


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class FakeDelivery:
    """The two attributes of hooksig.Delivery the guard reads."""

    scheme: str
    id: str | None


def race(store: Store, keys: list[str], threads: int) -> dict[str, int]:
    """Claim every key from ``threads`` threads at once; return the winners per key."""
    wins = dict.fromkeys(keys, 0)
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads, timeout=30)

    def worker(seed: int) -> None:
        order = list(keys)
        random.Random(seed).shuffle(order)
        try:
            barrier.wait()
            for key in order:
                if store.claim(key, 60.0).acquired:
                    with lock:
                        wins[key] += 1
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in pool)
    return wins


class StoreContract:
    """Behaviour every Store must show; run once per store by subclassing."""

    #: A lease that `advance` can outlast quickly.
    short: ClassVar[float] = 1.0
    #: A lease no test outlasts.
    long: ClassVar[float] = 3600.0
    #: Hypothesis examples for the state-machine model.
    model_examples: ClassVar[int] = 40
    #: Whether the model may move time (only with a fake clock).
    fake_clock: ClassVar[bool] = True

    def stored_keys(self, store: Any) -> list[str]:
        """Return every key the backend holds for this store."""
        raise NotImplementedError

    def test_is_a_store(self, store: Store) -> None:
        """The store satisfies the runtime-checkable Store protocol."""
        assert isinstance(store, Store)

    def test_claim_absent_acquires(self, store: Store) -> None:
        """Claiming an absent key acquires it with a fresh 128-bit token."""
        claim = store.claim("k", self.long)
        assert claim.state == "acquired"
        assert claim.acquired
        assert claim.token is not None
        assert len(claim.token) == 32

    def test_claim_held_is_in_progress(self, store: Store) -> None:
        """A second claim on a live lease says in_progress and gets no token."""
        store.claim("k", self.long)
        assert store.claim("k", self.long) == Claim("in_progress")

    def test_keys_are_independent(self, store: Store) -> None:
        """Claiming one key does not affect another."""
        assert store.claim("a", self.long).acquired
        assert store.claim("b", self.long).acquired

    def test_complete_then_done(self, store: Store) -> None:
        """A completed key answers done to every later claim."""
        token = store.claim("k", self.long).token
        assert token is not None
        assert store.complete("k", token, self.long) is True
        assert store.claim("k", self.long) == Claim("done")

    def test_complete_again_with_same_token(self, store: Store) -> None:
        """Completing twice with the completing token is accepted (a retried call)."""
        token = store.claim("k", self.long).token
        assert token is not None
        assert store.complete("k", token, self.long) is True
        assert store.complete("k", token, self.long) is True
        assert store.claim("k", self.long) == Claim("done")

    def test_wrong_token_refused(self, store: Store) -> None:
        """complete, release and renew with another token are refused and change nothing."""
        token = store.claim("k", self.long).token
        other = store.claim("other", self.long).token
        assert token is not None
        assert other is not None
        assert store.complete("k", other, self.long) is False
        assert store.release("k", other) is False
        assert store.renew("k", other, self.long) is False
        assert store.claim("k", self.long) == Claim("in_progress")
        assert store.complete("k", token, self.long) is True

    def test_absent_key_refused(self, store: Store) -> None:
        """Operations on a key never claimed are refused."""
        assert store.complete("nothing", "0" * 32, self.long) is False
        assert store.release("nothing", "0" * 32) is False
        assert store.renew("nothing", "0" * 32, self.long) is False
        assert store.claim("nothing", self.long).acquired

    def test_release_makes_claimable(self, store: Store) -> None:
        """A released key is claimable again, under a new token."""
        token = store.claim("k", self.long).token
        assert token is not None
        assert store.release("k", token) is True
        again = store.claim("k", self.long)
        assert again.acquired
        assert again.token != token
        assert store.release("k", token) is False

    def test_done_cannot_be_released_or_renewed(self, store: Store) -> None:
        """Once done, the key can be neither released nor renewed."""
        token = store.claim("k", self.long).token
        assert token is not None
        assert store.complete("k", token, self.long)
        assert store.release("k", token) is False
        assert store.renew("k", token, self.long) is False
        assert store.claim("k", self.long) == Claim("done")

    def test_expired_lease_taken_over(self, store: Store, advance: Advance) -> None:
        """A claim on an expired lease takes it over with a new token."""
        old = store.claim("k", self.short).token
        advance(self.short)
        new = store.claim("k", self.long)
        assert new.acquired
        assert new.token != old

    def test_stale_token_refused_after_takeover(self, store: Store, advance: Advance) -> None:
        """The worker whose lease ran out can no longer complete, release or renew."""
        stale = store.claim("k", self.short).token
        assert stale is not None
        advance(self.short)
        fresh = store.claim("k", self.long).token
        assert fresh is not None
        assert store.complete("k", stale, self.long) is False
        assert store.release("k", stale) is False
        assert store.renew("k", stale, self.long) is False
        assert store.complete("k", fresh, self.long) is True

    def test_expired_lease_cannot_complete(self, store: Store, advance: Advance) -> None:
        """A lease that ran out cannot complete, even when nobody took it over."""
        token = store.claim("k", self.short).token
        assert token is not None
        advance(self.short)
        assert store.complete("k", token, self.long) is False
        assert store.renew("k", token, self.long) is False
        assert store.claim("k", self.long).acquired

    def test_renew_extends_live_lease(self, store: Store, advance: Advance) -> None:
        """Renewing a live lease keeps the key held past the original lease."""
        token = store.claim("k", self.short).token
        assert token is not None
        assert store.renew("k", token, self.long) is True
        advance(self.short)
        assert store.claim("k", self.long) == Claim("in_progress")
        assert store.complete("k", token, self.long) is True

    def test_retention_expiry(self, store: Store, advance: Advance) -> None:
        """A done key is forgotten once its retention ends."""
        token = store.claim("k", self.long).token
        assert token is not None
        assert store.complete("k", token, self.short)
        assert store.claim("k", self.long) == Claim("done")
        advance(self.short)
        assert store.claim("k", self.long).acquired

    def test_tokens_are_unique(self, store: Store) -> None:
        """Every acquired claim gets a token no other claim got."""
        tokens = {store.claim(f"k{n}", self.long).token for n in range(50)}
        assert len(tokens) == 50

    def test_threads_one_winner_per_key(self, store: Store) -> None:
        """32 threads claiming the same 20 keys: exactly one winner per key."""
        keys = [f"race-{n}" for n in range(20)]
        wins = race(store, keys, threads=32)
        assert wins == dict.fromkeys(keys, 1)

    def test_async_methods(self, store: Store) -> None:
        """The asyncio methods follow the same protocol as the blocking ones."""

        async def scenario() -> None:
            try:
                first = await store.claim_async("k", self.long)
                assert first.acquired
                assert first.token is not None
                assert await store.claim_async("k", self.long) == Claim("in_progress")
                assert await store.renew_async("k", first.token, self.long) is True
                assert await store.complete_async("k", "0" * 32, self.long) is False
                assert await store.complete_async("k", first.token, self.long) is True
                assert await store.claim_async("k", self.long) == Claim("done")
                second = await store.claim_async("j", self.long)
                assert second.token is not None
                assert await store.release_async("j", second.token) is True
                assert (await store.claim_async("j", self.long)).acquired
            finally:
                closer = getattr(store, "aclose", None)
                if closer is not None:
                    await closer()

        asyncio.run(scenario())

    def test_guard_runs_handler_once(self, store: Store) -> None:
        """Through the guard: the handler runs once; a raising handler is run again."""
        guard = Idempotency(store, lease=self.long, retention=self.long)
        delivery = FakeDelivery("github", "d-1")
        runs = []

        def failing_handler() -> None:
            with guard.claim(delivery):
                runs.append("failed")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            failing_handler()
        with guard.claim(delivery):
            runs.append("ok")
        with pytest.raises(DuplicateDelivery) as caught, guard.claim(delivery):
            runs.append("again")  # pragma: no cover - must not run
        assert caught.value.state == "done"
        assert caught.value.key == "github:d-1"
        assert runs == ["failed", "ok"]

    def test_guard_async(self, store: Store) -> None:
        """Through the async guard: done after a clean exit, released after an error."""
        guard = Idempotency(store, lease=self.long, retention=self.long)

        async def scenario() -> list[str]:
            runs: list[str] = []
            try:
                with pytest.raises(ValueError, match="bad"):
                    async with guard.claim_async("a-1"):
                        raise ValueError("bad")
                async with guard.claim_async("a-1") as lease:
                    await lease.renew()
                    runs.append("ok")
                with pytest.raises(DuplicateDelivery) as caught:
                    async with guard.claim_async("a-1"):
                        runs.append("again")  # pragma: no cover - must not run
                assert caught.value.state == "done"
            finally:
                closer = getattr(store, "aclose", None)
                if closer is not None:
                    await closer()
            return runs

        assert asyncio.run(scenario()) == ["ok"]

    def test_hostile_keys(self, store: Store) -> None:
        """Huge, NUL, surrogate and look-alike ids each get one bounded, printable key."""
        guard = Idempotency(store, lease=self.long, retention=self.long)
        for ident in HOSTILE_IDS:
            with guard.claim(FakeDelivery("stripe", ident)):
                pass
        for ident in HOSTILE_IDS:
            with pytest.raises(DuplicateDelivery), guard.claim(FakeDelivery("stripe", ident)):
                pass  # pragma: no cover - must not run
        stored = self.stored_keys(store)
        assert len(stored) == len(HOSTILE_IDS)
        for key in stored:
            assert len(key.encode("utf-8")) <= 300
            assert key.startswith("stripe:")
            assert not any(ord(ch) < 0x20 or 0xD800 <= ord(ch) <= 0xDFFF for ch in key)
        assert "stripe:plain-id" in stored

    def test_model(self, store: Store, advance: Advance) -> None:
        """A Hypothesis state machine agrees with a dict model of the protocol."""
        run_model(store, advance if self.fake_clock else None, self.model_examples)


def run_model(store: Store, advance: Advance | None, examples: int) -> None:
    """Run the state-machine model against ``store``; move time only if ``advance`` is given."""
    clock = [0.0]
    leases = st.sampled_from([1.0, 2.5, 10.0]) if advance else st.just(3600.0)

    class StoreModel(RuleBasedStateMachine):
        tokens = Bundle("tokens")

        def __init__(self) -> None:
            super().__init__()
            # A fresh namespace per example: the store is shared between them.
            self.ns = uuid.uuid4().hex[:12]
            self.model: dict[str, tuple[str, str, float]] = {}
            self.seen: set[str] = set()

        def live(self, key: str) -> tuple[str, str, float] | None:
            entry = self.model.get(key)
            return entry if entry is not None and entry[2] > clock[0] else None

        @rule(target=tokens, key=st.sampled_from("abc"), lease=leases)
        def claim(self, key: str, lease: float) -> Any:
            result = store.claim(f"{self.ns}:{key}", lease)
            entry = self.live(key)
            if entry is not None:
                assert result == Claim(entry[0])  # type: ignore[arg-type]
                return multiple()
            assert result.acquired
            assert result.token is not None
            assert result.token not in self.seen
            self.seen.add(result.token)
            self.model[key] = ("in_progress", result.token, clock[0] + lease)
            return result.token

        @rule(
            key=st.sampled_from("abc"),
            token=st.one_of(tokens, st.just("f" * 32)),
            retention=leases,
        )
        def complete(self, key: str, token: str, retention: float) -> None:
            entry = self.live(key)
            ok = store.complete(f"{self.ns}:{key}", token, retention)
            assert ok == (entry is not None and entry[1] == token)
            if ok and entry is not None and entry[0] == "in_progress":
                self.model[key] = ("done", token, clock[0] + retention)

        @rule(key=st.sampled_from("abc"), token=st.one_of(tokens, st.just("f" * 32)))
        def release(self, key: str, token: str) -> None:
            entry = self.live(key)
            ok = store.release(f"{self.ns}:{key}", token)
            assert ok == (entry is not None and entry[0] == "in_progress" and entry[1] == token)
            if ok:
                del self.model[key]

        @rule(key=st.sampled_from("abc"), token=tokens, lease=leases)
        def renew(self, key: str, token: str, lease: float) -> None:
            entry = self.live(key)
            ok = store.renew(f"{self.ns}:{key}", token, lease)
            assert ok == (entry is not None and entry[0] == "in_progress" and entry[1] == token)
            if ok:
                self.model[key] = ("in_progress", token, clock[0] + lease)

        @precondition(lambda self: advance is not None)
        @rule(seconds=st.sampled_from([0.5, 1.0, 3.0, 20.0]))
        def wait(self, seconds: float) -> None:
            assert advance is not None
            advance(seconds)
            clock[0] += seconds

        @invariant()
        def tokens_never_repeat(self) -> None:
            live_tokens = [entry[1] for entry in self.model.values()]
            assert len(live_tokens) == len(set(live_tokens))

    run_state_machine_as_test(
        StoreModel,
        settings=settings(
            max_examples=examples,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
