"""Refreshing published ranges, against a local server speaking each provider's documented shape."""

from __future__ import annotations

import datetime
import ipaddress
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hooksig.errors import ConfigurationError, ProviderApiError
from hooksig.gate import Allowlist, load_snapshot
from hooksig.gate.refresh import READERS, refresh, write_snapshot
from tests.fakeapi import FakeApi, Reply

TODAY = datetime.date(2026, 12, 6)

#: Each provider's document, in the shape its documentation gives.
DOCUMENTS: dict[str, tuple[Any, list[str]]] = {
    # https://docs.github.com/en/rest/meta/meta (GET /meta): "hooks" among other lists
    "github": (
        {"verifiable_password_authentication": True, "hooks": ["192.0.2.0/28", "2001:db8::/48"],
         "web": ["198.51.100.0/24"], "api": ["198.51.100.0/24"]},
        ["192.0.2.0/28", "2001:db8::/48"],
    ),
    # https://stripe.com/files/ips/ips_webhooks.json
    "stripe": ({"WEBHOOKS": ["192.0.2.10", "192.0.2.11"]}, ["192.0.2.10", "192.0.2.11"]),
    # https://docs.svix.com/webhook-ips.json: one list per region
    "svix": ({"us": ["192.0.2.20"], "eu": ["192.0.2.21", "2001:db8:1::/56"]},
             ["192.0.2.21", "2001:db8:1::/56", "192.0.2.20"]),
    # https://developer.paddle.com/api-reference/ip-addresses/get-ip-addresses
    "paddle": ({"data": {"ipv4_cidrs": ["192.0.2.30/32"]}, "meta": {"request_id": "r"}},
               ["192.0.2.30/32"]),
    # https://ip-ranges.atlassian.com/: items with product, region and direction
    "atlassian": (
        {"creationDate": "2026-12-01T00:00:00", "syncToken": 1, "items": [
            {"network": "192.0.2.64", "mask_len": 26, "cidr": "192.0.2.64/26", "mask": "x",
             "region": ["global"], "product": ["jira"], "direction": ["egress", "ingress"]},
            {"network": "198.51.100.0", "mask_len": 24, "cidr": "198.51.100.0/24", "mask": "x",
             "region": ["global"], "product": ["jira"], "direction": ["ingress"]},
            {"cidr": "2001:db8:2::/48", "product": ["bitbucket"], "direction": ["egress"]},
        ]},
        ["192.0.2.64/26", "2001:db8:2::/48"],
    ),
}  # fmt: skip


@pytest.fixture
def published() -> Iterator[FakeApi]:
    """A server publishing every provider's document at /<provider>, no authentication."""
    with FakeApi(token=None) as api:
        for name, (document, _) in DOCUMENTS.items():
            api.route("GET", f"/{name}", lambda call, m, d=document: Reply(200, d))
        api.route("GET", r"/paddle-sandbox", lambda c, m: Reply(200, DOCUMENTS["paddle"][0]))
        yield api


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_shape_is_read(published: FakeApi, name: str) -> None:
    """Each provider's documented shape yields its ranges (Atlassian: egress only)."""
    entry = refresh(name, url=f"{published.url}/{name}", today=lambda: TODAY)
    assert list(entry.ranges) == DOCUMENTS[name][1]
    assert entry.retrieved == "2026-12-06"
    assert entry.source == load_snapshot()[name].source  # the provider's URL is kept
    assert entry.via == f"read from {published.url}/{name}"


def test_aliases_and_default_date(published: FakeApi) -> None:
    """A scheme alias refreshes its sender; the date defaults to today (UTC)."""
    entry = refresh("bitbucket", url=f"{published.url}/atlassian")
    assert entry.name == "atlassian"
    assert datetime.date.fromisoformat(entry.retrieved) >= TODAY


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("github", {"web": ["192.0.2.0/24"]}),
        ("github", {"hooks": []}),
        ("github", {"hooks": ["not a range"]}),
        ("github", {"hooks": [5]}),
        ("github", ["192.0.2.0/24"]),
        ("stripe", {"WEBHOOKS": "192.0.2.1"}),
        ("svix", {}),
        ("svix", {"us": "192.0.2.1"}),
        ("paddle", {"data": None}),
        ("atlassian", {"items": [{"cidr": "192.0.2.0/24", "direction": ["ingress"]}]}),
    ],
)
def test_unusable_answers_change_nothing(name: str, document: Any) -> None:
    """A document without valid ranges is an error, never an empty allowlist."""
    with FakeApi(token=None) as api:
        api.route("GET", "/doc", lambda c, m: Reply(200, document))
        with pytest.raises(ProviderApiError):
            refresh(name, url=f"{api.url}/doc")


def test_too_many_ranges_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """More ranges than the cap is a broken answer, not an allowlist."""
    monkeypatch.setattr("hooksig.gate.refresh.MAX_RANGES", 2)
    with FakeApi(token=None) as api:
        api.route("GET", "/doc", lambda c, m: Reply(200, {"WEBHOOKS": ["192.0.2.1"] * 3}))
        with pytest.raises(ProviderApiError):
            refresh("stripe", url=f"{api.url}/doc")


def test_errors_and_web_page_providers() -> None:
    """A failing server is ProviderApiError; a provider with a web page only cannot refresh."""
    with FakeApi(token=None) as api, pytest.raises(ProviderApiError) as caught:
        refresh("github", url=f"{api.url}/missing")
    assert caught.value.status == 404
    with pytest.raises(ConfigurationError, match="no machine-readable"):
        refresh("razorpay")
    with pytest.raises(ConfigurationError):
        refresh("shopify")
    with pytest.raises(ConfigurationError):
        refresh("github", url="http://192.0.2.1/meta")  # plain HTTP off loopback


def test_every_refreshable_provider_has_a_reader() -> None:
    """Each snapshot entry with a machine-readable source has a reader, and the reverse."""
    snapshot = load_snapshot()
    refreshable = {name for name, entry in snapshot.items() if entry.source is not None}
    assert refreshable == set(READERS)


def test_write_snapshot_round_trip(published: FakeApi, tmp_path: Path) -> None:
    """A written file loads back, keeps other entries, and feeds an Allowlist."""
    path = tmp_path / "ranges.json"
    stripe = refresh("stripe", url=f"{published.url}/stripe", today=lambda: TODAY)
    write_snapshot(path, [stripe], keep=load_snapshot())
    loaded = load_snapshot(path)
    assert loaded["stripe"] == stripe
    assert loaded["github"] == load_snapshot()["github"]
    assert Allowlist("stripe", snapshot=path).allows(ipaddress.ip_address("192.0.2.11"))
    assert not Allowlist("stripe", snapshot=path).allows(ipaddress.ip_address("54.187.216.72"))
    assert not list(tmp_path.glob("*.tmp-*"))
    assert json.loads(path.read_text())["format"] == 1
