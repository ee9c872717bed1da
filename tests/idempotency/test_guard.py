"""hooksig.idempotency.Idempotency: claim, complete on success, release on error, fail closed."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

import pytest

from hooksig.errors import (
    ConfigurationError,
    DuplicateDelivery,
    ExtraNotInstalled,
    StoreUnavailable,
)
from hooksig.idempotency import (
    AsyncLease,
    Claim,
    Idempotency,
    Lease,
    MemoryStore,
    SQLiteStore,
    Store,
)
from tests.idempotency.store_contract import FakeClock, FakeDelivery


class FlakyStore(MemoryStore):
    """A MemoryStore whose chosen operations fail as an unreachable server would."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.down: set[str] = set()

    def _check(self, operation: str) -> None:
        if operation in self.down:
            raise StoreUnavailable(f"{operation}: server gone")

    def claim(self, key: str, lease: float) -> Claim:
        self._check("claim")
        return super().claim(key, lease)

    def complete(self, key: str, token: str, retention: float) -> bool:
        self._check("complete")
        return super().complete(key, token, retention)

    def release(self, key: str, token: str) -> bool:
        self._check("release")
        return super().release(key, token)

    def renew(self, key: str, token: str, lease: float) -> bool:
        self._check("renew")
        return super().renew(key, token, lease)


class Interrupt(BaseException):
    """Stands in for KeyboardInterrupt or a cancellation."""


@pytest.fixture
def clock() -> FakeClock:
    """The shared fake clock."""
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> FlakyStore:
    """A store that works until told otherwise."""
    return FlakyStore(clock)


@pytest.fixture
def guard(store: FlakyStore) -> Idempotency:
    """A fail-closed guard with a 10 s lease and a 100 s retention."""
    return Idempotency(store, lease=10.0, retention=100.0)


def test_defaults_and_repr(store: FlakyStore) -> None:
    """Defaults: a 60 s lease, a week's retention, fail closed."""
    guard = Idempotency(store)
    assert (guard.lease, guard.retention, guard.fail_open) == (60.0, 604800.0, False)
    assert guard.store is store
    assert repr(guard).endswith("lease=60.0, retention=604800.0, fail_open=False)")


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), True, False, "60"])
def test_refuses_bad_durations(store: FlakyStore, bad: object) -> None:
    """Lease and retention must be positive, finite numbers of seconds."""
    with pytest.raises(ConfigurationError):
        Idempotency(store, lease=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Idempotency(store, retention=bad)  # type: ignore[arg-type]


def test_refuses_non_store() -> None:
    """Something without the Store methods is refused at construction."""
    with pytest.raises(ConfigurationError, match="Store"):
        Idempotency(object())  # type: ignore[arg-type]


def test_stores_satisfy_protocol(tmp_path: object) -> None:
    """The built-in standard-library stores are Store instances."""
    assert isinstance(MemoryStore(), Store)
    sqlite = SQLiteStore(f"{tmp_path}/x.db")
    assert isinstance(sqlite, Store)
    sqlite.close()


def test_normal_exit_completes(guard: Idempotency) -> None:
    """Leaving the block normally marks the key done."""
    with guard.claim("k") as lease:
        assert isinstance(lease, Lease)
        assert lease.key == "k"
        assert lease.token is not None
    with pytest.raises(DuplicateDelivery) as caught, guard.claim("k"):
        pass  # pragma: no cover - must not run
    assert caught.value.state == "done"
    assert caught.value.key == "k"


def test_held_elsewhere_is_in_progress(guard: Idempotency) -> None:
    """A key held by another live claim raises DuplicateDelivery('in_progress')."""
    with guard.claim("k"):
        with pytest.raises(DuplicateDelivery) as caught, guard.claim("k"):
            pass  # pragma: no cover - must not run
        assert caught.value.state == "in_progress"


def test_exception_releases_and_propagates(guard: Idempotency) -> None:
    """An exception releases the key, so the redelivery runs the handler."""
    with pytest.raises(KeyError), guard.claim("k"):
        raise KeyError("handler failed")
    with guard.claim("k") as lease:
        assert lease.token is not None


def test_base_exception_releases(guard: Idempotency) -> None:
    """A BaseException (interrupt, cancellation) also releases the key."""
    with pytest.raises(Interrupt), guard.claim("k"):
        raise Interrupt
    with guard.claim("k"):
        pass


def test_delivery_key_and_namespacing(guard: Idempotency) -> None:
    """A delivery is keyed scheme:id; the same id from another scheme is separate."""
    with guard.claim(FakeDelivery("stripe", "evt_1")) as lease:
        assert lease.key == "stripe:evt_1"
    with guard.claim(FakeDelivery("github", "evt_1")) as lease:
        assert lease.key == "github:evt_1"


def test_delivery_without_id_refused(guard: Idempotency) -> None:
    """A delivery without an id is a ConfigurationError at claim()."""
    with pytest.raises(ConfigurationError):
        guard.claim(FakeDelivery("acme", None))


def test_enter_twice_refused(guard: Idempotency) -> None:
    """A claim object is single-use."""
    lease = guard.claim("k")
    with lease:
        pass
    with pytest.raises(RuntimeError, match="once"), lease:
        pass  # pragma: no cover - must not run


def test_lease_lost_before_exit(guard: Idempotency, store: FlakyStore, clock: FakeClock) -> None:
    """A handler that outlives its lease, while another worker takes over, cannot complete."""
    taken: list[Claim] = []

    def slow_handler() -> None:
        with guard.claim("k"):
            clock.advance(11.0)
            taken.append(store.claim("k", 10.0))

    with pytest.raises(DuplicateDelivery) as caught:
        slow_handler()
    assert caught.value.state == "in_progress"
    assert taken[0].acquired
    assert taken[0].token is not None
    assert store.complete("k", taken[0].token, 100.0) is True


def test_renew_keeps_the_lease(guard: Idempotency, store: FlakyStore, clock: FakeClock) -> None:
    """renew() moves the lease end, so a long handler keeps the key."""
    with guard.claim("k") as lease:
        clock.advance(8.0)
        lease.renew()
        clock.advance(8.0)
        assert store.claim("k", 10.0) == Claim("in_progress")
        lease.renew(30.0)
        clock.advance(25.0)
    with pytest.raises(DuplicateDelivery, match="already done"), guard.claim("k"):
        pass  # pragma: no cover - must not run


def test_renew_after_loss_raises(guard: Idempotency, clock: FakeClock) -> None:
    """renew() on a lease that ran out raises DuplicateDelivery('in_progress')."""

    def slow_handler() -> None:
        with guard.claim("k") as lease:
            clock.advance(11.0)
            lease.renew()

    with pytest.raises(DuplicateDelivery) as caught:
        slow_handler()
    assert caught.value.state == "in_progress"


def test_renew_outside_block_refused(guard: Idempotency) -> None:
    """renew() before entering or after leaving is a RuntimeError."""
    lease = guard.claim("k")
    with pytest.raises(RuntimeError):
        lease.renew()
    with lease:
        pass
    with pytest.raises(RuntimeError):
        lease.renew()


def test_renew_bad_duration(guard: Idempotency) -> None:
    """renew() with a non-positive lease is a ConfigurationError."""
    with guard.claim("k") as lease, pytest.raises(ConfigurationError):
        lease.renew(0)


def test_fail_closed_on_claim(guard: Idempotency, store: FlakyStore) -> None:
    """Fail closed: an unreachable store raises StoreUnavailable and the handler does not run."""
    store.down.add("claim")
    runs = []
    with pytest.raises(StoreUnavailable), guard.claim("k"):
        runs.append(1)  # pragma: no cover - must not run
    assert runs == []


def test_fail_closed_on_complete(guard: Idempotency, store: FlakyStore) -> None:
    """Fail closed: a complete that cannot reach the store raises, and the key stays held."""
    with pytest.raises(StoreUnavailable), guard.claim("k"):
        store.down.add("complete")
    store.down.clear()
    assert store.claim("k", 10.0) == Claim("in_progress")


def test_fail_closed_on_renew(guard: Idempotency, store: FlakyStore) -> None:
    """Fail closed: a renew that cannot reach the store raises StoreUnavailable."""

    def handler() -> None:
        with guard.claim("k") as lease:
            store.down.add("renew")
            lease.renew()

    with pytest.raises(StoreUnavailable):
        handler()


def test_release_failure_keeps_handler_error(
    guard: Idempotency, store: FlakyStore, caplog: pytest.LogCaptureFixture
) -> None:
    """An unreachable store on release never hides the handler's own exception."""
    store.down.add("release")
    with (
        caplog.at_level(logging.WARNING, logger="hooksig.idempotency"),
        pytest.raises(KeyError),
        guard.claim("k"),
    ):
        raise KeyError("handler failed")
    assert "unreachable on release" in caplog.text


def test_fail_open_runs_unguarded(store: FlakyStore, caplog: pytest.LogCaptureFixture) -> None:
    """Fail open: with the store down the handler runs, without a token, and nothing raises."""
    guard = Idempotency(store, lease=10.0, fail_open=True)
    store.down.update({"claim", "complete", "renew", "release"})
    runs = []
    with caplog.at_level(logging.WARNING, logger="hooksig.idempotency"), guard.claim("k") as lease:
        assert lease.token is None
        lease.renew()
        runs.append(1)
    assert runs == [1]
    assert "running unguarded" in caplog.text
    store.down.clear()
    assert store.claim("k", 10.0).acquired


def test_fail_open_on_complete(store: FlakyStore) -> None:
    """Fail open: a complete that cannot reach the store is logged, not raised."""
    guard = Idempotency(store, lease=10.0, fail_open=True)
    with guard.claim("k"):
        store.down.add("complete")
    store.down.clear()
    assert store.claim("k", 10.0) == Claim("in_progress")


def test_fail_open_still_refuses_duplicates(store: FlakyStore) -> None:
    """Fail open changes only unreachable stores: duplicates are still refused."""
    guard = Idempotency(store, fail_open=True)
    with guard.claim("k"):
        pass
    with pytest.raises(DuplicateDelivery), guard.claim("k"):
        pass  # pragma: no cover - must not run


def test_async_claim(guard: Idempotency, store: FlakyStore) -> None:
    """async with: done on a clean exit, released on an error, duplicates refused."""

    async def scenario() -> list[str]:
        runs = []
        with pytest.raises(ValueError, match="x"):
            async with guard.claim_async("k"):
                raise ValueError("x")
        async with guard.claim_async("k") as lease:
            assert isinstance(lease, AsyncLease)
            await lease.renew(20.0)
            runs.append("ok")
        with pytest.raises(DuplicateDelivery):
            async with guard.claim_async("k"):
                runs.append("again")  # pragma: no cover - must not run
        return runs

    assert asyncio.run(scenario()) == ["ok"]


def test_async_cancellation_releases(guard: Idempotency) -> None:
    """A task cancelled inside the block releases its key."""

    async def scenario() -> str | None:
        started = asyncio.Event()

        async def handler() -> None:
            async with guard.claim_async("k"):
                started.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(handler())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with guard.claim_async("k") as lease:
            return lease.token

    assert asyncio.run(scenario()) is not None


def test_async_fail_modes(store: FlakyStore, clock: FakeClock) -> None:
    """Async: fail closed raises, fail open runs unguarded, a lost lease cannot complete."""
    closed = Idempotency(store, lease=10.0)
    opened = Idempotency(store, lease=10.0, fail_open=True)

    async def scenario() -> None:
        store.down.add("claim")
        with pytest.raises(StoreUnavailable):
            async with closed.claim_async("k"):
                pass  # pragma: no cover - must not run
        async with opened.claim_async("k") as lease:
            assert lease.token is None
            await lease.renew()
        store.down.clear()

        async def slow_handler() -> None:
            async with closed.claim_async("lost") as lease:
                clock.advance(11.0)
                await lease.renew()

        with pytest.raises(DuplicateDelivery):
            await slow_handler()
        with pytest.raises(DuplicateDelivery):
            async with closed.claim_async("lost-2"):
                clock.advance(11.0)
        with pytest.raises(StoreUnavailable):
            async with closed.claim_async("down"):
                store.down.add("complete")
        store.down.clear()
        store.down.add("release")
        with pytest.raises(KeyError):
            async with closed.claim_async("rel"):
                raise KeyError("x")
        store.down.clear()

    asyncio.run(scenario())


class Forms:
    """`acquire` and `finish` called as a caller would, blocking or on a loop."""

    def __init__(self, guard: Idempotency, mode: str) -> None:
        self.guard, self.mode = guard, mode

    def acquire(self, key: str) -> str | None:
        if self.mode == "blocking":
            return self.guard.acquire(key)
        return asyncio.run(self.guard.acquire_async(key))

    def finish(self, key: str, token: str | None, *, failed: bool = False) -> None:
        if self.mode == "blocking":
            self.guard.finish(key, token, failed=failed)
        else:
            asyncio.run(self.guard.finish_async(key, token, failed=failed))


MODES = pytest.mark.parametrize("mode", ["blocking", "asyncio"])


@MODES
def test_acquire_then_finish_completes_or_releases(
    store: FlakyStore, guard: Idempotency, mode: str
) -> None:
    """Without a with block: finish completes the key, or releases it when the handler failed."""
    forms = Forms(guard, mode)
    token = forms.acquire("k")
    assert token is not None
    with pytest.raises(DuplicateDelivery) as held:
        forms.acquire("k")
    assert held.value.state == "in_progress"
    forms.finish("k", token)
    assert store.claim("k", 1.0) == Claim("done")
    failed = forms.acquire("other")
    forms.finish("other", failed, failed=True)
    assert store.claim("other", 1.0).acquired  # released: the retry runs


@MODES
def test_acquire_takes_the_key_as_given(guard: Idempotency, store: FlakyStore, mode: str) -> None:
    """acquire() stores the storage key it is given: no namespace, no second digest."""
    key = "sha256:" + "0" * 64
    Forms(guard, mode).acquire(key)
    assert [*store._claims] == [key]


@MODES
def test_finish_after_the_lease_ran_out_is_a_duplicate(
    guard: Idempotency, clock: FakeClock, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    """A lease that ran out cannot complete: another worker may hold the key."""
    forms = Forms(guard, mode)
    token = forms.acquire("k")
    clock.advance(11.0)
    with pytest.raises(DuplicateDelivery) as lost:
        forms.finish("k", token)
    assert lost.value.state == "in_progress"
    assert "ran out before its complete" in caplog.text
    forms.finish("k", token, failed=True)  # a failed handler's release: nothing to say


@MODES
def test_finish_on_an_unreachable_store(
    store: FlakyStore, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    """Completing raises StoreUnavailable (fail closed) or logs (fail open); a release only logs."""
    closed = Forms(Idempotency(store), mode)
    token = closed.acquire("k")
    store.down = {"complete", "release"}
    with pytest.raises(StoreUnavailable):
        closed.finish("k", token)
    closed.finish("k", token, failed=True)
    assert "unreachable on release" in caplog.text
    Forms(Idempotency(store, fail_open=True), mode).finish("k", token)
    assert "unreachable on complete; running unguarded" in caplog.text


@MODES
def test_acquire_on_an_unreachable_store(store: FlakyStore, mode: str) -> None:
    """Fail closed raises; fail open answers no token, and finishing that does nothing."""
    store.down = {"claim", "complete"}
    with pytest.raises(StoreUnavailable):
        Forms(Idempotency(store), mode).acquire("k")
    forms = Forms(Idempotency(store, fail_open=True), mode)
    assert forms.acquire("k") is None
    forms.finish("k", None)  # no store call: complete is down and nothing raised


def test_import_pulls_no_extra() -> None:
    """Importing hooksig.idempotency imports neither redis nor psycopg."""
    code = (
        "import sys, hooksig.idempotency as i; "
        "assert 'redis' not in sys.modules and 'psycopg' not in sys.modules, sorted(sys.modules); "
        "assert 'RedisStore' in dir(i)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize(
    ("name", "blocked", "arg", "extra"),
    [
        ("RedisStore", "redis", "redis://127.0.0.1:1/0", "redis"),
        ("PostgresStore", "psycopg", "postgresql://127.0.0.1:1/x", "postgres"),
    ],
)
def test_missing_extra_raised_at_construction(
    name: str, blocked: str, arg: str, extra: str
) -> None:
    """Without the package, the store class loads but construction raises ExtraNotInstalled."""
    code = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "import hooksig.idempotency as i\n"
        f"cls = i.{name}\n"
        "try:\n"
        f"    cls({arg!r})\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error.extra)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [ExtraNotInstalled.__name__, extra]


def test_unknown_attribute() -> None:
    """A name the package does not have is an AttributeError, not an import."""
    import hooksig.idempotency

    with pytest.raises(AttributeError):
        _ = hooksig.idempotency.NoSuchStore  # type: ignore[attr-defined]
