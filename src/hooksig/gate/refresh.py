"""
Fetch a provider's published webhook ranges again, in the shape that provider documents.

Each provider publishes its list in its own shape; :data:`READERS` knows
them.  A refresh never writes an empty or malformed list: a provider whose
answer yields no valid range is an error, and the old ranges stay in use.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .._primitives.api import ApiClient
from ..errors import ConfigurationError, ProviderApiError
from .allowlist import ALIASES, ProviderRanges, load_snapshot
from .origin import networks

__all__ = ["READERS", "refresh", "write_snapshot"]

#: The most ranges one provider may publish before the answer is refused.
MAX_RANGES = 10_000


def _list_at(data: Any, *path: str) -> list[Any]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        raise ProviderApiError(f"the answer has no list at {'.'.join(path)}")
    return data


def _github(data: Any) -> list[Any]:
    # GET https://api.github.com/meta: {"hooks": ["192.30.252.0/22", ...], ...}
    return _list_at(data, "hooks")


def _stripe(data: Any) -> list[Any]:
    # https://stripe.com/files/ips/ips_webhooks.json: {"WEBHOOKS": ["3.18.12.63", ...]}
    return _list_at(data, "WEBHOOKS")


def _svix(data: Any) -> list[Any]:
    # https://docs.svix.com/webhook-ips.json: {"us": [...], "eu": [...], ...}, one list per region.
    if not isinstance(data, dict) or not data:
        raise ProviderApiError("the answer is not a map of regions to addresses")
    return [item for region in sorted(data) for item in _list_at(data, region)]


def _paddle(data: Any) -> list[Any]:
    # GET https://api.paddle.com/ips: {"data": {"ipv4_cidrs": [...]}, "meta": {...}}
    return _list_at(data, "data", "ipv4_cidrs")


def _atlassian(data: Any) -> list[Any]:
    # https://ip-ranges.atlassian.com/: {"items": [{"cidr": ..., "direction": ["egress"]}]}:
    # webhooks leave Atlassian, so only the egress ranges are kept.
    return [
        item.get("cidr")
        for item in _list_at(data, "items")
        if isinstance(item, dict) and "egress" in (item.get("direction") or ())
    ]


#: Provider name -> the reader of its published document.
READERS: dict[str, Callable[[Any], list[Any]]] = {
    "github": _github,
    "stripe": _stripe,
    "svix": _svix,
    "paddle": _paddle,
    "paddle-sandbox": _paddle,
    "atlassian": _atlassian,
}


def refresh(
    name: str,
    *,
    url: str | None = None,
    timeout: float = 10.0,
    today: Callable[[], datetime.date] | None = None,
) -> ProviderRanges:
    """
    Fetch provider *name*'s published ranges now.

    Args:
        name: a provider (or scheme) name of the snapshot.
        url: read this URL instead of the provider's (a mirror, or a test server).
        timeout: seconds for the call.
        today: the date recorded as ``retrieved`` (UTC today by default).

    Raises:
        ConfigurationError: the provider publishes no machine-readable list.
        ProviderApiError: the call failed, or its answer holds no valid range.

    .. versionadded:: 0.1
    """
    key = ALIASES.get(name, name)
    shipped = load_snapshot()
    reader = READERS.get(key)
    entry = shipped.get(key)
    if reader is None or entry is None or entry.source is None:
        raise ConfigurationError(
            f"{name!r} publishes no machine-readable list; edit a ranges file by hand"
        )
    target = url or entry.source
    answer = ApiClient(target, timeout=timeout).get(target)
    items = reader(answer.data)
    if not items or len(items) > MAX_RANGES or not all(isinstance(i, str) for i in items):
        raise ProviderApiError(f"{key}: the answer holds no usable list of ranges")
    try:
        networks(items, key)
    except ConfigurationError as error:
        raise ProviderApiError(f"{key}: the answer holds a malformed range") from error
    date = (today or _utc_today)().isoformat()
    ranges = tuple(dict.fromkeys(items))  # as published, duplicates dropped
    via = None if url is None else f"read from {url}"
    return ProviderRanges(key, ranges, entry.source, entry.docs, date, via)


def _utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def write_snapshot(
    path: str | os.PathLike[str],
    entries: Iterable[ProviderRanges],
    *,
    keep: Mapping[str, ProviderRanges] | None = None,
) -> None:
    """
    Write a ranges file: *entries*, plus the *keep* entries they do not replace.

    The file is written to a temporary name and renamed, so a reader never
    sees half of it.

    .. versionadded:: 0.1
    """
    providers = {name: entry.as_json() for name, entry in (keep or {}).items()}
    providers.update({entry.name: entry.as_json() for entry in entries})
    document = {"format": 1, "providers": dict(sorted(providers.items()))}
    target = os.fspath(path)
    temporary = f"{target}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1)
        file.write("\n")
    os.replace(temporary, target)
