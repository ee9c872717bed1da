"""The Stripe, GitHub and Svix sources against local servers in each API's documented shapes
(test_sources_sdk.py points the official SDKs at the same servers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hooksig import FetchedEvent
from hooksig.errors import ConfigurationError, ProviderApiError
from hooksig.reconcile import EventRef, GitHubSource, Source, StripeSource, SvixSource
from tests.conftest import NOW
from tests.fakeapi import (
    TOKEN,
    FakeApi,
    GitHubDeliveries,
    Reply,
    StripeEvents,
    SvixMessages,
    serving,
)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    """A fake API server, running for the test."""
    with serving() as server:
        yield server


# -- Stripe ---------------------------------------------------------------------------------


def stripe_with(api: FakeApi, count: int) -> StripeEvents:
    """Stripe's API with *count* events a minute apart, the newest at NOW."""
    events = StripeEvents(api)
    for n in range(count):
        events.add(f"evt_{n:04d}", NOW - 60 * (count - 1 - n), "invoice.paid" if n % 3 else "x.y")
    return events


def test_stripe_lists_every_page_in_the_window(api: FakeApi) -> None:
    """250 events in a window, read over three pages with starting_after, newest first."""
    stripe_with(api, 300)
    source = StripeSource(TOKEN, api_base=api.url)
    refs = list(source.events(NOW - 60 * 249, None))
    assert len(refs) == 250
    assert refs[0].id == "evt_0299"
    assert refs[-1].id == "evt_0050"
    assert all(isinstance(r.event, FetchedEvent) and r.ref == r.id for r in refs)
    pages = [c for c in api.calls if c.path == "/v1/events"]
    assert len(pages) == 3
    assert pages[1].query["starting_after"] == ["evt_0200"]
    assert pages[0].query["created[gte]"] == [str(NOW - 60 * 249)]
    event = refs[0].event
    assert event is not None
    assert event.json()["type"] == "invoice.paid"
    assert (event.scheme, event.source, event.created) == ("stripe", "stripe-events-api", NOW)


def test_stripe_until_types_account_and_fetch(api: FakeApi) -> None:
    """created[lte], types[] and Stripe-Account are sent; one event is fetched by id."""
    stripe_with(api, 10)
    source = StripeSource(TOKEN, api_base=api.url, types=["x.y"], account="acct_1")
    ids = [r.id for r in source.events(NOW - 3600, NOW - 120)]
    assert ids == ["evt_0006", "evt_0003", "evt_0000"]
    assert api.calls[0].headers["stripe-account"] == "acct_1"
    assert api.calls[0].query["types[0]"] == ["x.y"]
    fetched = source.fetch(EventRef("evt_0004", "evt_0004"))
    assert fetched.id == "evt_0004"
    assert source.redeliver(EventRef("evt_0004", "evt_0004")) is False
    assert "127.0.0.1" in repr(source)
    assert TOKEN not in repr(source)


@pytest.mark.parametrize(
    "reply",
    [Reply(200, ["not", "a", "page"]), Reply(200, {"data": [{"no": "id"}]}), Reply(401, {})],
)
def test_stripe_bad_answers(api: FakeApi, reply: Reply) -> None:
    """A page that is not a list of events, or an error status, is ProviderApiError."""
    api.route("GET", r"/v1/events", lambda c, m: reply)
    with pytest.raises(ProviderApiError):
        list(StripeSource(TOKEN, api_base=api.url).events(NOW - 60))


def test_wrong_token_is_refused(api: FakeApi) -> None:
    """A wrong key gets the API's 401, as ProviderApiError, and nothing of the key in it."""
    stripe_with(api, 1)
    with pytest.raises(ProviderApiError) as caught:
        list(StripeSource("rk_test_wrong", api_base=api.url).events(NOW - 60))
    assert caught.value.status == 401
    assert "rk_test_wrong" not in str(caught.value)


# -- GitHub ---------------------------------------------------------------------------------


def github_with(api: FakeApi) -> GitHubDeliveries:
    """Deliveries: g-ok (200), g-fail (500 then redelivered 500), g-late (503 then 200), old."""
    hooks = GitHubDeliveries(api)
    payload = {"ref": "refs/heads/main"}
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=aa",
               "X-Hub-Signature": "sha1=bb", "X-GitHub-Delivery": "g"}  # fmt: skip
    hooks.add("g-old", NOW - 10_000, 200, payload, headers)
    hooks.add("g-ok", NOW - 500, 200, payload, headers)
    hooks.add("g-fail", NOW - 400, 500, payload, headers)
    hooks.add("g-fail", NOW - 300, 500, payload, headers, redelivery=True)
    hooks.add("g-late", NOW - 200, 503, payload, headers)
    hooks.add("g-late", NOW - 100, 200, payload, headers, redelivery=True)
    for n in range(150):  # filler, so that the listing spans two pages
        hooks.add(f"g-fill-{n}", NOW - 90 + n * 0.5, 200, payload, headers)
    return hooks


def test_github_groups_deliveries_by_guid(api: FakeApi) -> None:
    """One event per GUID in the window, its latest delivery the ref, failed when none was 2xx."""
    hooks = github_with(api)
    source = GitHubSource(TOKEN, repo="octo/repo", hook_id=42, api_base=api.url)
    refs = {r.id: r for r in source.events(NOW - 1000)}
    assert len(refs) == 153
    assert "g-old" not in refs
    assert (refs["g-ok"].failed, refs["g-fail"].failed, refs["g-late"].failed) == (
        False,
        True,
        False,
    )
    latest_fail = max(d["id"] for d in hooks.deliveries if d["guid"] == "g-fail")
    assert refs["g-fail"].ref == str(latest_fail)
    listing = [c for c in api.calls if c.path == hooks.base]
    assert len(listing) == 2  # followed the Link header's next page
    assert listing[0].headers["x-github-api-version"] == "2022-11-28"
    assert listing[0].headers["accept"] == "application/vnd.github+json"
    assert {r.id for r in source.events(NOW - 1000, NOW - 250)} == {"g-ok", "g-fail"}


def test_github_fetch_leaves_out_the_signatures(api: FakeApi) -> None:
    """A fetched delivery has the payload and the headers GitHub kept, never X-Hub-Signature*."""
    github_with(api)
    source = GitHubSource(TOKEN, repo="octo/repo", hook_id=42, api_base=api.url)
    ref = next(r for r in source.events(NOW - 1000) if r.id == "g-fail")
    event = source.fetch(ref)
    assert (event.id, event.ref, event.scheme) == ("g-fail", ref.ref, "github")
    assert event.json() == {"ref": "refs/heads/main"}
    assert {k.lower() for k in event.headers} == {"x-github-event", "x-github-delivery"}


def test_github_redelivery_posts_an_attempt(api: FakeApi) -> None:
    """redeliver() asks for a new attempt of the ref's delivery."""
    hooks = github_with(api)
    source = GitHubSource(TOKEN, org="octo", hook_id=7, api_base=api.url)
    org_hooks = GitHubDeliveries(api, repo="unused", hook_id=7)
    org_hooks.base = "/orgs/octo/hooks/7/deliveries"
    api.route("POST", r"/orgs/octo/hooks/7/deliveries/(\d+)/attempts",
              lambda c, m: Reply(202, {}))  # fmt: skip
    assert source.redeliver(EventRef("g", "1001")) is True
    assert api.calls[-1].path == "/orgs/octo/hooks/7/deliveries/1001/attempts"
    repo_source = GitHubSource(TOKEN, repo="octo/repo", hook_id=42, api_base=api.url)
    assert repo_source.redeliver(EventRef("g-fail", "1003")) is True
    assert hooks.redelivered == [1003]


@pytest.mark.parametrize(
    "reply",
    [Reply(200, {"not": "a list"}), Reply(200, [{"id": 1}]),
     Reply(200, [{"id": 1, "guid": "g", "delivered_at": "yesterday"}])],
)  # fmt: skip
def test_github_bad_listings(api: FakeApi, reply: Reply) -> None:
    """A listing that is not a list of deliveries is ProviderApiError."""
    api.route("GET", r"/repos/o/r/hooks/1/deliveries", lambda c, m: reply)
    with pytest.raises(ProviderApiError):
        list(GitHubSource(TOKEN, repo="o/r", hook_id=1, api_base=api.url).events(0))


@pytest.mark.parametrize("reply", [Reply(200, ["x"]), Reply(200, {"guid": "g", "request": None})])
def test_github_delivery_without_payload(api: FakeApi, reply: Reply) -> None:
    """A delivery detail without its request payload is ProviderApiError."""
    api.route("GET", r"/repos/o/r/hooks/1/deliveries/5", lambda c, m: reply)
    with pytest.raises(ProviderApiError, match="no payload"):
        GitHubSource(TOKEN, repo="o/r", hook_id=1, api_base=api.url).fetch(EventRef("g", "5"))


@pytest.mark.parametrize(
    "options",
    [{}, {"repo": "o/r", "org": "o"}, {"repo": "o"}, {"repo": "o/r/x"}, {"org": "a b"},
     {"repo": "o/r", "hook_id": 0}, {"repo": "o/r", "hook_id": True}],
)  # fmt: skip
def test_github_options(options: dict[str, object]) -> None:
    """Exactly one of repo and org, well formed, and a positive hook id."""
    options = {"hook_id": 1, **options}
    with pytest.raises(ConfigurationError):
        GitHubSource(TOKEN, **options)  # type: ignore[arg-type]


# -- Svix -----------------------------------------------------------------------------------


def svix_with(api: FakeApi, count: int) -> SvixMessages:
    """Svix's API with *count* messages a second apart, the newest at NOW."""
    messages = SvixMessages(api)
    for n in range(count):
        messages.add(f"msg_{n:04d}", NOW - (count - 1 - n), {"n": n, "type": "user.created"})
    return messages


def test_svix_lists_with_the_iterator(api: FakeApi) -> None:
    """Every page is read with the previous iterator until done; payloads are the bodies."""
    svix_with(api, 230)
    source = SvixSource(TOKEN, app_id="app_fake", server_url=api.url)
    refs = list(source.events(NOW - 300))
    assert [r.id for r in refs][:2] == ["msg_0229", "msg_0228"]
    assert len(refs) == 230
    calls = [c for c in api.calls if c.path.endswith("/msg")]
    assert [c.query.get("iterator") for c in calls] == [None, ["100"], ["200"]]
    assert calls[0].query["with_content"] == ["true"]
    first = refs[0].event
    assert first is not None
    assert first.json() == {"n": 229, "type": "user.created"}
    assert (first.scheme, first.created) == ("standard-webhooks", NOW)
    window = [r.id for r in source.events(NOW - 10, NOW - 5)]
    assert window == [f"msg_{n:04d}" for n in range(223, 219, -1)]  # after, before: exclusive
    assert source.fetch(EventRef("msg_0001", "msg_0001")).json()["n"] == 1


def test_svix_resend_and_recover(api: FakeApi) -> None:
    """Resend goes to the endpoint; recover asks for every failure since a time."""
    messages = svix_with(api, 3)
    source = SvixSource(TOKEN, app_id="app_fake", endpoint_id="ep_mine", server_url=api.url)
    assert source.redeliver(EventRef("msg_0001", "msg_0001")) is True
    assert messages.resent == [("msg_0001", "ep_mine")]
    task = source.recover(NOW - 3600, NOW)
    assert task["task"] == "endpoint.recover"
    assert messages.recovered == [
        {"since": "2023-11-14T21:13:20Z", "until": "2023-11-14T22:13:20Z"}
    ]
    alone = SvixSource(TOKEN, app_id="app_fake", server_url=api.url)
    assert alone.redeliver(EventRef("msg_0001", "msg_0001")) is False
    with pytest.raises(ConfigurationError):
        alone.recover(NOW)
    api.route("POST", r"/api/v1/app/app_odd/endpoint/ep_odd/recover", lambda c, m: Reply(202, []))
    odd = SvixSource(TOKEN, app_id="app_odd", endpoint_id="ep_odd", server_url=api.url)
    with pytest.raises(ProviderApiError):
        odd.recover(NOW - 60)


def test_svix_region_follows_the_token() -> None:
    """A token's region suffix picks the regional API host; none picks the global one."""
    assert "api.eu.svix.com" in repr(SvixSource("testsk_abc.eu", app_id="app_1"))
    assert "api.svix.com" in repr(SvixSource("testsk_abc", app_id="app_1"))
    assert "api.svix.com" in repr(SvixSource("testsk_abc.zz", app_id="app_1"))
    for bad in ({"app_id": "app/../x"}, {"app_id": "app_1", "endpoint_id": "ep/x"}):
        with pytest.raises(ConfigurationError):
            SvixSource("t", **bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "reply",
    [Reply(200, []), Reply(200, {"data": [{"id": "msg_1"}], "done": True}),
     Reply(200, {"data": [{"id": "msg_1", "payload": {}, "timestamp": "x"}], "done": True})],
)  # fmt: skip
def test_svix_bad_answers(api: FakeApi, reply: Reply) -> None:
    """A page that is not a list of messages with content is ProviderApiError."""
    api.route("GET", r"/api/v1/app/app_x/msg", lambda c, m: reply)
    with pytest.raises(ProviderApiError):
        list(SvixSource(TOKEN, app_id="app_x", server_url=api.url).events(NOW - 60))


def test_sources_satisfy_the_protocol() -> None:
    """The three built-in sources are Sources."""
    for source in (
        StripeSource(TOKEN),
        GitHubSource(TOKEN, repo="o/r", hook_id=1),
        SvixSource(TOKEN, app_id="app_1"),
    ):
        assert isinstance(source, Source)
