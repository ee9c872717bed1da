"""The reconciler: only events the guard never saw run the handler, once, as fetched events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import hooksig
from hooksig import FetchedEvent
from hooksig.errors import ConfigurationError, ProviderApiError, StoreUnavailable
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.journal import Journal
from hooksig.reconcile import EventRef, GitHubSource, Reconciler, StripeSource
from tests.conftest import NOW
from tests.fakeapi import TOKEN, FakeApi, GitHubDeliveries, Reply, StripeEvents, serving


@pytest.fixture
def api() -> Iterator[FakeApi]:
    """A fake API server, running for the test."""
    with serving() as server:
        yield server


@pytest.fixture
def stripe(api: FakeApi) -> StripeSource:
    """Stripe with ten events evt_0..evt_9, a minute apart."""
    events = StripeEvents(api)
    for n in range(10):
        events.add(f"evt_{n}", NOW - 600 + 60 * n)
    return StripeSource(TOKEN, api_base=api.url)


def test_only_unseen_events_run_and_only_once(stripe: StripeSource) -> None:
    """Events the receiver handled are skipped; the rest run once; a second run runs none."""
    guard = Idempotency(MemoryStore())
    for n in (1, 4, 7):
        with guard.claim(f"stripe:evt_{n}"):  # the receiver handled these
            pass
    handled: list[FetchedEvent] = []
    reconciler = Reconciler(stripe, handled.append, guard)
    report = reconciler.run(NOW - 3600, clock=lambda: NOW)
    assert sorted(report.handled) == [f"evt_{n}" for n in (0, 2, 3, 5, 6, 8, 9)]
    assert (report.listed, report.seen, report.failed) == (10, 3, [])
    assert all(isinstance(e, FetchedEvent) and not isinstance(e, hooksig.Delivery) for e in handled)
    assert {e.authenticated_by for e in handled} == {"api"}
    again = reconciler.run(NOW - 3600, clock=lambda: NOW)
    assert (again.handled, again.seen) == ([], 10)
    assert len(handled) == 7


def test_a_signed_delivery_and_a_fetched_event_share_a_key(stripe: StripeSource) -> None:
    """A Stripe delivery verified by the receiver and the same event fetched claim one key."""
    guard = Idempotency(MemoryStore())
    verifier = hooksig.Verifier("stripe", secret="whsec_" + "s" * 32)
    body = b'{"id":"evt_3","object":"event"}'
    delivery = verifier.verify(body, verifier.sign(body, timestamp=NOW), now=NOW)
    with guard.claim(delivery):
        pass
    report = Reconciler(stripe, lambda e: None, guard).run(NOW - 3600, clock=lambda: NOW)
    assert "evt_3" not in report.handled
    assert report.seen == 1


def test_failures_are_released_reported_and_journaled(stripe: StripeSource, tmp_path: Path) -> None:
    """A handler that raises leaves the event unclaimed for the next run, and a dead letter."""
    guard = Idempotency(MemoryStore())
    journal = Journal(tmp_path / "j.db")
    calls: list[str] = []

    def flaky(event: FetchedEvent) -> None:
        calls.append(event.id)
        if event.id == "evt_5" and calls.count("evt_5") == 1:
            raise RuntimeError("downstream timeout")

    reconciler = Reconciler(stripe, flaky, guard, journal=journal)
    first = reconciler.run(NOW - 3600, clock=lambda: NOW)
    assert first.failed == [("evt_5", "RuntimeError: downstream timeout")]
    assert len(first.handled) == 9
    letter = journal.get("stripe:evt_5")
    assert letter is not None
    assert (letter.outcome, letter.source) == ("failed", "stripe-events-api")
    second = reconciler.run(NOW - 3600, clock=lambda: NOW)
    assert (second.handled, second.seen) == (["evt_5"], 9)
    entry = journal.get("stripe:evt_5")
    assert entry is not None
    assert (entry.outcome, entry.attempts) == ("handled", 2)
    assert len(journal.list(outcome="handled")) == 10
    assert second.as_json()["handled"] == ["evt_5"]


def test_in_progress_elsewhere_is_left_alone(stripe: StripeSource) -> None:
    """An event being handled by a worker right now is neither run nor counted as seen."""
    guard = Idempotency(MemoryStore())
    with guard.claim("stripe:evt_2"):
        report = Reconciler(stripe, lambda e: None, guard).run(NOW - 3600, clock=lambda: NOW)
    assert (report.in_progress, len(report.handled)) == (1, 9)


def test_redelivery_instead_of_local_handling(api: FakeApi) -> None:
    """With redeliver, GitHub is asked for a new attempt; nothing runs here; the claim is free."""
    hooks = GitHubDeliveries(api)
    for n in range(3):
        hooks.add(f"g{n}", NOW - 100 + n, 500, {"n": n})
    source = GitHubSource(TOKEN, repo="octo/repo", hook_id=42, api_base=api.url)
    guard = Idempotency(MemoryStore())
    with guard.claim("github:g1"):
        pass
    report = Reconciler(source, lambda e: pytest.fail("ran locally"), guard).run(
        NOW - 3600, redeliver=True, clock=lambda: NOW
    )
    assert sorted(report.redelivered) == ["g0", "g2"]
    assert len(hooks.redelivered) == 2
    with guard.claim("github:g0"):  # released: the redelivery will claim it
        pass


def test_redeliver_falls_back_to_local_handling(stripe: StripeSource) -> None:
    """A source that cannot redeliver (Stripe) handles the event here."""
    guard = Idempotency(MemoryStore())
    report = Reconciler(stripe, lambda e: None, guard).run(
        NOW - 3600, redeliver=True, clock=lambda: NOW
    )
    assert (len(report.handled), report.redelivered) == (10, [])


def test_a_fetch_that_fails_is_reported_and_the_run_goes_on(api: FakeApi) -> None:
    """One delivery GitHub cannot return fails alone; the others are handled."""
    hooks = GitHubDeliveries(api)
    hooks.add("g0", NOW - 10, 500, {"n": 0})
    broken = hooks.add("g1", NOW - 9, 500, {"n": 1})
    gone = re.compile(rf"{hooks.base}/{broken}")
    api.routes.insert(0, ("GET", gone, lambda c, m: Reply(404, {"message": "Not Found"})))
    source = GitHubSource(TOKEN, repo="octo/repo", hook_id=42, api_base=api.url)
    ran: list[str] = []
    report = Reconciler(source, lambda e: ran.append(e.id), Idempotency(MemoryStore())).run(
        NOW - 3600, clock=lambda: NOW
    )
    assert ran == ["g0"]
    assert report.failed == [("g1", f"ProviderApiError: GET {hooks.base}/{broken}: HTTP 404")]


def test_a_listing_that_fails_raises(api: FakeApi) -> None:
    """When the listing itself fails, the run stops with ProviderApiError."""
    api.route("GET", r"/v1/events", lambda c, m: Reply(400, {}))
    with pytest.raises(ProviderApiError):
        Reconciler(StripeSource(TOKEN, api_base=api.url), print, Idempotency(MemoryStore())).run(0)


def test_store_outage_stops_the_run(stripe: StripeSource) -> None:
    """An unreachable guard store is raised, never taken for "unseen"."""

    class Down(MemoryStore):
        def claim(self, key: str, lease: float):  # type: ignore[no-untyped-def]
            raise StoreUnavailable("down")

    with pytest.raises(StoreUnavailable):
        Reconciler(stripe, print, Idempotency(Down())).run(NOW - 3600, clock=lambda: NOW)


def test_custom_key_and_bounds(stripe: StripeSource) -> None:
    """A key of your own (from the event) is claimed; max_events bounds a run."""
    guard = Idempotency(MemoryStore())
    with guard.claim("mine:evt_9"):
        pass
    keyed = Reconciler(stripe, lambda e: None, guard, key=lambda e: f"mine:{e.id}")
    assert keyed.run(NOW - 3600, clock=lambda: NOW).seen == 1
    bounded = Reconciler(stripe, lambda e: None, Idempotency(MemoryStore()), max_events=4)
    report = bounded.run(NOW - 3600, clock=lambda: NOW)
    assert (report.listed, len(report.handled)) == (4, 4)


def test_arguments_are_checked(stripe: StripeSource) -> None:
    """Wrong types, and a window that is empty, fail before any call."""
    guard = Idempotency(MemoryStore())
    for args, options in (
        ((object(), print, guard), {}),
        ((stripe, "not callable", guard), {}),
        ((stripe, print, MemoryStore()), {}),
        ((stripe, print, guard), {"journal": "j.db"}),
        ((stripe, print, guard), {"max_events": 0}),
    ):
        with pytest.raises(ConfigurationError):
            Reconciler(*args, **options)  # type: ignore[arg-type]
    reconciler = Reconciler(stripe, print, guard)
    with pytest.raises(ConfigurationError):
        reconciler.run(NOW, NOW - 10)
    with pytest.raises(ConfigurationError):
        reconciler.run(NOW + 10, clock=lambda: NOW)


class ListedOnly:
    """A source of one's own: listings without the events, fetched on demand."""

    scheme = "acme"

    def __init__(self) -> None:
        self.fetched: list[str] = []

    def events(self, since: float, until: float | None = None) -> Iterator[EventRef]:
        yield from (EventRef(f"a{n}", f"ref-{n}", NOW) for n in range(3))

    def fetch(self, ref: EventRef) -> FetchedEvent:
        self.fetched.append(ref.ref)
        return FetchedEvent(scheme="acme", id=ref.id, body=b"{}", source="acme-api")

    def redeliver(self, ref: EventRef) -> bool:
        return False


def test_a_source_of_your_own(tmp_path: Path) -> None:
    """The protocol is enough: unseen events are fetched, and only those."""
    source = ListedOnly()
    guard = Idempotency(MemoryStore())
    with guard.claim("acme:a1"):
        pass
    report = Reconciler(source, lambda e: None, guard).run(NOW - 60, clock=lambda: NOW)
    assert report.handled == ["a0", "a2"]
    assert source.fetched == ["ref-0", "ref-2"]
