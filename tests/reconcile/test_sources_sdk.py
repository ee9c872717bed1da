"""stripe-python and svix pointed at the same fake servers as test_sources.py: the official
SDKs read the same events as the sources, which holds the servers' shapes true."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from hooksig.reconcile import StripeSource, SvixSource
from tests.conftest import NOW
from tests.fakeapi import TOKEN, FakeApi, serving
from tests.reconcile.test_sources import stripe_with, svix_with


@pytest.fixture
def api() -> Iterator[FakeApi]:
    """A fake API server, running for the test."""
    with serving() as server:
        yield server


def test_stripe_python_reads_the_same_events(api: FakeApi) -> None:
    """stripe-python, pointed at the same server, pages through the same events."""
    import stripe

    stripe_with(api, 230)
    saved = (stripe.api_base, stripe.api_key)
    stripe.api_base, stripe.api_key = api.url, TOKEN
    try:
        listing = stripe.Event.list(created={"gte": NOW - 60 * 199}, limit=100)
        sdk_ids = [event.id for event in listing.auto_paging_iter()]
    finally:
        stripe.api_base, stripe.api_key = saved
    ours = [r.id for r in StripeSource(TOKEN, api_base=api.url).events(NOW - 60 * 199)]
    assert sdk_ids == ours
    assert len(ours) == 200


def test_svix_python_reads_the_same_messages(api: FakeApi) -> None:
    """The svix SDK, pointed at the same server, parses the same messages."""
    from svix.api import MessageListOptions, Svix, SvixOptions

    svix_with(api, 120)
    client = Svix(TOKEN, SvixOptions(server_url=api.url))
    after = datetime.datetime.fromtimestamp(NOW - 200, datetime.timezone.utc)
    sdk_ids: list[str] = []
    iterator = None
    while True:
        page = client.message.list(
            "app_fake", MessageListOptions(after=after, with_content=True, iterator=iterator)
        )
        sdk_ids += [message.id for message in page.data]
        assert all(message.payload["type"] == "user.created" for message in page.data)
        if page.done:
            break
        iterator = page.iterator
    ours = [
        r.id for r in SvixSource(TOKEN, app_id="app_fake", server_url=api.url).events(NOW - 200)
    ]
    assert sdk_ids == ours
    assert len(ours) == 120
