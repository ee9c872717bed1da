"""Source allowlists: the dated snapshot of published ranges, aliases, and ranges of your own."""

from __future__ import annotations

import datetime
import ipaddress
import json
from pathlib import Path

import pytest

from hooksig.errors import ConfigurationError
from hooksig.gate import Allowlist, load_snapshot
from hooksig.gate.allowlist import ALIASES, NONE_PUBLISHED, provider_ranges

ip = ipaddress.ip_address


def test_snapshot_entries_are_dated_sourced_and_valid() -> None:
    """Every shipped provider names its page, its date and only valid ranges."""
    snapshot = load_snapshot()
    assert set(snapshot) >= {"github", "stripe", "svix", "paddle", "atlassian", "razorpay"}
    for name, entry in snapshot.items():
        assert entry.name == name
        assert entry.docs.startswith("https://")
        assert entry.source is None or entry.source.startswith("https://")
        datetime.date.fromisoformat(entry.retrieved)
        assert entry.ranges
        for item in entry.ranges:
            ipaddress.ip_network(item, strict=False)


def test_published_addresses_are_allowed_and_others_not() -> None:
    """Known delivery addresses of each provider pass; neighbours do not."""
    cases = {
        "github": ("140.82.115.9", "2606:50c0::1", "140.82.128.1"),
        "stripe": ("54.187.216.72", "3.18.12.63", "54.187.216.73"),
        "svix": ("44.228.126.217", "2a05:d028:17:8000::5", "44.228.126.218"),
        "jira": ("104.192.137.240", "2401:1d80:3000::1", "104.192.144.1"),
    }
    for name, (one, two, outside) in cases.items():
        allowlist = Allowlist(name)
        assert allowlist.allows(ip(one)), name
        assert allowlist.allows(ip(two)), name
        assert not allowlist.allows(ip(outside)), name
        assert not allowlist.allows(None)


def test_user_ranges_and_repr() -> None:
    """Your own ranges add to the providers'; IPv4 and IPv6 alike."""
    allowlist = Allowlist("stripe", ranges=["203.0.113.0/24", "2001:db8::/32"])
    assert allowlist.allows(ip("203.0.113.200"))
    assert allowlist.allows(ip("2001:db8:ffff::1"))
    assert not allowlist.allows(ip("198.51.100.1"))
    assert "stripe" in repr(allowlist)
    only_mine = Allowlist(ranges=["192.0.2.1"])
    assert only_mine.allows(ip("192.0.2.1"))
    assert not only_mine.allows(ip("192.0.2.2"))
    assert len(only_mine.networks) == 1


def test_aliases_name_the_sender() -> None:
    """Jira, Bitbucket and Trello send from Atlassian; Clerk and Resend through Svix."""
    snapshot = load_snapshot()
    for scheme, provider in ALIASES.items():
        assert provider_ranges(scheme, snapshot).name == provider


@pytest.mark.parametrize("name", sorted(NONE_PUBLISHED))
def test_providers_without_published_ranges_say_so(name: str) -> None:
    """A provider that publishes nothing is refused at construction, with the reason."""
    with pytest.raises(ConfigurationError, match="no published ranges"):
        Allowlist(name)


def test_unknown_names_and_bad_ranges_are_refused() -> None:
    """An unknown provider, a malformed range, a str list, or nothing at all are errors."""
    with pytest.raises(ConfigurationError, match="known: "):
        Allowlist("acme")
    with pytest.raises(ConfigurationError):
        Allowlist(ranges=["300.0.0.1"])
    with pytest.raises(ConfigurationError):
        Allowlist(ranges="10.0.0.0/8")
    with pytest.raises(ConfigurationError, match="needs a provider or a range"):
        Allowlist()


def test_a_refreshed_file_replaces_the_shipped_entry(tmp_path: Path) -> None:
    """A ranges file's providers take the place of the shipped ones; the rest stay."""
    path = tmp_path / "ranges.json"
    entry = {"source": "https://api.github.com/meta", "docs": "https://docs.github.com",
             "retrieved": "2026-12-01", "via": None, "ranges": ["198.51.100.0/24"]}  # fmt: skip
    path.write_text(json.dumps({"format": 1, "providers": {"github": entry}}))
    github = Allowlist("github", snapshot=path)
    assert github.allows(ip("198.51.100.7"))
    assert not github.allows(ip("140.82.115.9"))
    assert github.providers[0].retrieved == "2026-12-01"
    assert Allowlist("stripe", snapshot=path).allows(ip("54.187.216.72"))


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": 2, "providers": {}}),
        json.dumps({"format": 1}),
        json.dumps({"format": 1, "providers": {"x": {"ranges": ["1.1.1.1"]}}}),
        json.dumps({"format": 1, "providers": {"x": {"source": None, "docs": "", "retrieved": "",
                                                     "ranges": []}}}),
        json.dumps({"format": 1, "providers": {"x": {"source": None, "docs": "", "retrieved": "",
                                                     "ranges": ["nope"]}}}),
        json.dumps({"format": 1, "providers": {"x": {"source": None, "docs": "", "retrieved": "",
                                                     "ranges": 5}}}),
    ],
)  # fmt: skip
def test_malformed_ranges_files_are_refused(tmp_path: Path, content: str) -> None:
    """A file that is not a well-formed ranges file is a ConfigurationError, naming the file."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=r"bad\.json"):
        load_snapshot(path)


def test_missing_ranges_file(tmp_path: Path) -> None:
    """A file that cannot be read is a ConfigurationError."""
    with pytest.raises(ConfigurationError, match="cannot be read"):
        Allowlist("github", snapshot=tmp_path / "absent.json")
