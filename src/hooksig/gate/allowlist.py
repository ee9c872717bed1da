"""
Which addresses may deliver to an endpoint: the provider's published ranges, and yours.

A few providers publish the addresses their webhooks come from; hooksig
ships a dated snapshot of each (``ranges.json``, with the source URL and the
retrieval date) and ``hooksig allowlist refresh`` fetches a fresh one.  An
allowlist only narrows who may knock: every request it lets through is still
verified.  It refuses what a firewall would, before the body is read.
"""

from __future__ import annotations

import bisect
import ipaddress
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ConfigurationError
from .origin import IPAddress, IPNetwork, networks

__all__ = ["ALIASES", "NONE_PUBLISHED", "Allowlist", "ProviderRanges", "load_snapshot"]

#: Scheme names whose deliveries come from another provider's published ranges.
ALIASES: dict[str, str] = {
    "jira": "atlassian",
    "bitbucket": "atlassian",
    "trello": "atlassian",
    "clerk": "svix",  # Clerk and Resend send their webhooks through Svix
    "resend": "svix",
}

#: Providers whose documentation publishes no list of webhook source addresses.
NONE_PUBLISHED: dict[str, str] = {
    "shopify": "Shopify documents no webhook source addresses",
    "twilio": "Twilio publishes fixed addresses only with its paid Static Proxy edition",
    "square": "Square's webhook documentation lists no addresses",
    "standard-webhooks": "Standard Webhooks is a format; ask your sender (svix: Allowlist('svix'))",
}


@dataclass(frozen=True)
class ProviderRanges:
    """
    One provider's published ranges, with where and when they were read.

    Attributes:
        name: the provider (``"github"``).
        ranges: the addresses and CIDR blocks, as published.
        source: the machine-readable URL ``refresh`` reads, or ``None``
            when the provider publishes a web page only.
        docs: the provider's page about these addresses.
        retrieved: the date (``YYYY-MM-DD``, UTC) the ranges were read.
        via: how they were read, when not straight from *source*.

    .. versionadded:: 0.1
    """

    name: str
    ranges: tuple[str, ...]
    source: str | None
    docs: str
    retrieved: str
    via: str | None = None

    def as_json(self) -> dict[str, Any]:
        """
        Return this entry as the snapshot file stores it.

        .. versionadded:: 0.1
        """
        return {
            "source": self.source,
            "docs": self.docs,
            "retrieved": self.retrieved,
            "via": self.via,
            "ranges": list(self.ranges),
        }


def _entries(document: object, where: str) -> dict[str, ProviderRanges]:
    if not isinstance(document, dict) or document.get("format") != 1:
        raise ConfigurationError(f"{where} is not a hooksig ranges file (format 1)")
    providers = document.get("providers")
    if not isinstance(providers, dict):
        raise ConfigurationError(f"{where} has no providers")
    result = {}
    for name, entry in providers.items():
        try:
            ranges = tuple(entry["ranges"])
            networks(ranges, f"{where}: {name}")
            result[name] = ProviderRanges(
                name, ranges, entry["source"], entry["docs"], entry["retrieved"], entry.get("via")
            )
        except (KeyError, TypeError) as error:
            raise ConfigurationError(f"{where}: the {name!r} entry is incomplete") from error
        if not ranges or not all(isinstance(r, str) for r in ranges):
            raise ConfigurationError(f"{where}: the {name!r} entry has no ranges")
    return result


def load_snapshot(path: str | os.PathLike[str] | None = None) -> dict[str, ProviderRanges]:
    """
    Return every provider's ranges in a ranges file: *path*, or the snapshot hooksig ships.

    Raises:
        ConfigurationError: the file cannot be read or is not a ranges file.

    .. versionadded:: 0.1
    """
    where = "the shipped snapshot" if path is None else os.fspath(path)
    try:
        if path is None:
            text = resources.files(__package__).joinpath("ranges.json").read_text("utf-8")
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        document = json.loads(text)
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"{where} cannot be read: {type(error).__name__}") from None
    return _entries(document, where)


def provider_ranges(name: str, snapshot: Mapping[str, ProviderRanges]) -> ProviderRanges:
    """
    Return the ranges of provider (or scheme) *name* from *snapshot*.

    Raises:
        ConfigurationError: the provider publishes none, or is not known.
    """
    key = ALIASES.get(name, name)
    if key in snapshot:
        return snapshot[key]
    if key in NONE_PUBLISHED:
        raise ConfigurationError(f"no published ranges for {name!r}: {NONE_PUBLISHED[key]}")
    known = ", ".join(sorted({*snapshot, *ALIASES}))
    raise ConfigurationError(f"no published ranges for {name!r}; known: {known}")


class _Intervals:
    """
    Networks as sorted, merged integer intervals per IP version: a lookup is one bisect.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, nets: Iterable[IPNetwork], version: int) -> None:
        mine = [net for net in nets if net.version == version]
        merged = ipaddress.collapse_addresses(mine)  # type: ignore[type-var]  # one version only
        pairs = [(int(net.network_address), int(net.broadcast_address)) for net in merged]
        self._starts = [start for start, _ in pairs]
        self._ends = [end for _, end in pairs]

    def __contains__(self, value: int) -> bool:
        index = bisect.bisect_right(self._starts, value) - 1
        return index >= 0 and value <= self._ends[index]


class Allowlist:
    """
    The addresses an endpoint accepts requests from: providers' published ranges and yours.

    ::

        Allowlist("github")                                  # GitHub's hooks ranges
        Allowlist("stripe", ranges=["203.0.113.0/24"])       # plus a network of yours
        Allowlist("github", snapshot="ranges.json")          # ranges you refreshed

    Provider names are the snapshot's (``github``, ``stripe``, ``svix``,
    ``paddle``, ``paddle-sandbox``, ``razorpay``, ``atlassian``) or a scheme
    that sends from one of them (``jira``, ``bitbucket`` and ``trello`` are
    ``atlassian``; ``clerk`` and ``resend`` are ``svix``).  A provider that
    publishes no ranges is refused here, at construction, with the reason.

    Args:
        providers: provider names whose published ranges are allowed.
        ranges: addresses or CIDR blocks of your own (IPv4 or IPv6).
        snapshot: a ranges file written by ``hooksig allowlist refresh``; its
            providers replace the shipped snapshot's.

    Raises:
        ConfigurationError: an unknown provider, a malformed range, an
            unreadable snapshot, or nothing allowed at all.

    .. versionadded:: 0.1
    """

    __slots__ = ("_networks", "_v4", "_v6", "providers")

    def __init__(
        self,
        *providers: str,
        ranges: Iterable[str] = (),
        snapshot: str | os.PathLike[str] | None = None,
    ) -> None:
        shipped = load_snapshot()
        if snapshot is not None:
            shipped.update(load_snapshot(snapshot))
        found = [provider_ranges(name, shipped) for name in providers]
        nets = [net for entry in found for net in networks(entry.ranges, entry.name)]
        nets += networks(ranges, "ranges")
        if not nets:
            raise ConfigurationError("an allowlist needs a provider or a range")
        self.providers: tuple[ProviderRanges, ...] = tuple(found)
        self._networks: tuple[IPNetwork, ...] = tuple(nets)
        self._v4 = _Intervals(nets, 4)
        self._v6 = _Intervals(nets, 6)

    def __repr__(self) -> str:
        names = ", ".join(repr(entry.name) for entry in self.providers)
        return f"Allowlist({names}{', ' if names else ''}<{len(self._networks)} networks>)"

    @property
    def networks(self) -> tuple[IPNetwork, ...]:
        """
        Every allowed network.

        .. versionadded:: 0.1
        """
        return self._networks

    def allows(self, address: IPAddress | None) -> bool:
        """
        Whether *address* is in an allowed network; an unknown address never is.

        .. versionadded:: 0.1
        """
        if address is None:
            return False
        return int(address) in (self._v4 if address.version == 4 else self._v6)
