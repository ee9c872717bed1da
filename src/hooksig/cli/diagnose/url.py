"""
URL causes for ``hooksig diagnose``: the URL a proxy changed on the way to the receiver.

Part of :mod:`hooksig.cli.diagnose`.  For schemes that sign the URL (Twilio,
Square, HubSpot, Trello), the URL the receiver sees often differs from the
one the provider called: ``http`` behind TLS termination, an internal host
or port, a trailing slash added by a router.  Candidates come from the
configured URL and from the ``Host``/``X-Forwarded-*``/``Forwarded`` headers
of the capture; here they are only guesses to test, never trusted.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from ...scheme import Scheme
from ...url import DEFAULT_PORTS
from . import causes as text
from .causes import Cause

_HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](?::[0-9]{1,5})?")
#: The order in which changed parts are named in ``url_changed:<how>``.
_PARTS = ("scheme", "host", "port", "trailing_slash")


def signs_url(scheme: Scheme) -> bool:
    """True when *scheme*'s signed content includes the URL, as its SchemeInfo declares."""
    return scheme.info.signs_url


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first value of header *name* (lowercase)."""
    return next((v for n, v in headers if n.lower() == name), None)


def forwarded_hosts(headers: Sequence[tuple[str, str]]) -> list[str]:
    """Host names (with any port) the capture's proxy headers mention, in trust order."""
    found: list[str] = []
    for name in ("x-forwarded-host", "x-original-host", "host"):
        value = _header(headers, name)
        if value:
            found.append(value.split(",")[0].strip())
    forwarded = _header(headers, "forwarded")
    if forwarded:
        for part in forwarded.split(",")[0].split(";"):
            key, _, value = part.strip().partition("=")
            if key.lower() == "host":
                found.insert(0, value.strip('"'))
    return [host.lower() for host in found if _HOST.fullmatch(host)]


def forwarded_port(headers: Sequence[tuple[str, str]]) -> int | None:
    """The port in ``X-Forwarded-Port`` (the first, for a chain of proxies), if it is one."""
    value = (_header(headers, "x-forwarded-port") or "").split(",")[0].strip()
    if value.isascii() and value.isdigit() and 0 < int(value) < 65536:
        return int(value)
    return None


def _split_host(netloc: str) -> tuple[str, int | None]:
    """Host name and port of a Host-header value."""
    parts = urlsplit(f"//{netloc}")
    try:
        return parts.hostname or "", parts.port
    except ValueError:
        return parts.hostname or "", None


def candidates(url: str, headers: Sequence[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """Every repaired URL with the parts it changes, fewest changes first."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return []
    if parts.scheme not in DEFAULT_PORTS or not host:
        return []
    hosts = [host] + [h for h, _ in map(_split_host, forwarded_hosts(headers)) if h]
    ports: list[int | None] = [port, None, 443, 80, forwarded_port(headers)]
    ports += [p for _, p in map(_split_host, forwarded_hosts(headers)) if p]
    path = parts.path or "/"
    toggled = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    out: dict[str, tuple[str, ...]] = {}
    for scheme, new_host, new_port, new_path in itertools.product(
        ("https", "http") if parts.scheme == "https" else ("http", "https"),
        dict.fromkeys(hosts),
        dict.fromkeys(ports),
        (path, toggled),
    ):
        changed = (
            scheme != parts.scheme,
            new_host != host,
            new_port != port,
            new_path != path,
        )
        netloc = new_host if new_port is None else f"{new_host}:{new_port}"
        candidate = urlunsplit((scheme, netloc, new_path, parts.query, ""))
        if any(changed) and candidate not in out:
            out[candidate] = tuple(p for p, c in zip(_PARTS, changed, strict=True) if c)
    return sorted(out.items(), key=lambda item: len(item[1]))


def guessed_urls(path: str | None, headers: Sequence[tuple[str, str]]) -> list[str]:
    """URLs built from the capture's host headers and path, when no URL was configured."""
    if path is None or not path.startswith("/"):
        return []
    return [f"{s}://{h}{path}" for h in forwarded_hosts(headers) for s in ("https", "http")]


def url_repairs(
    url: str | None,
    path: str | None,
    headers: Sequence[tuple[str, str]],
    ok: Callable[[str], bool],
) -> Iterator[tuple[str, Cause]]:
    """Yield ``(url, cause)`` for the first URL that verifies."""
    if url is None:
        for guess in guessed_urls(path, headers):
            if ok(guess):
                yield guess, text.url_not_configured(guess)
                return
        return
    given = forwarded_port(headers)
    for candidate, changed in candidates(url, headers):
        if ok(candidate):
            if given is not None and changed == ("port",) and urlsplit(candidate).port == given:
                yield candidate, text.forwarded_port_ignored(given, candidate)
            else:
                yield candidate, text.url_changed("+".join(changed), candidate)
            return
