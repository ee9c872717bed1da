"""
What an endpoint does around the delivery: the gate before the body is read, the journal after.

Five options, with one meaning in every adapter: ``allowlist``,
``https_only``, ``proxies`` and ``rate_limit`` make the endpoint's
:class:`~hooksig.gate.Gate`, checked before a byte of the body is read;
``journal`` keeps each verified delivery with its handler's outcome.  This
module checks them and reads, from each server's request, what the gate
looks at: the socket's peer, the connection's scheme, the forwarding headers.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigurationError
from ..gate import Allowlist, Gate, Limiter, ProxyChain
from ..journal import Journal
from ._reading import SOCKET_KEYS

__all__ = ["AROUND", "check_around", "gate_of", "scope_origin", "wsgi_origin"]

#: The options of this module, by name.
AROUND = ("allowlist", "https_only", "proxies", "rate_limit", "journal")

_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "allowlist": (Allowlist, "a hooksig.gate.Allowlist"),
    "https_only": (bool, "True or False"),
    "proxies": (ProxyChain, "a hooksig.gate.ProxyChain"),
    "rate_limit": (Limiter, "a RateLimit or RedisRateLimit"),
    "journal": (Journal, "a hooksig.journal.Journal"),
}

#: The forwarding headers a gate may read, as WSGI environ keys.
_FORWARDING = {
    "HTTP_X_FORWARDED_FOR": "x-forwarded-for",
    "HTTP_X_FORWARDED_PROTO": "x-forwarded-proto",
    "HTTP_FORWARDED": "forwarded",
}

Origin = tuple[str | None, str, Any]


def check_around(name: str, value: object, label: str) -> object:
    """
    Return *value* checked as the option *name*: ``None`` turns it off.

    Raises:
        ConfigurationError: the value has the wrong type.
    """
    if value is None:
        return None
    kind, text = _TYPES[name]
    if not isinstance(value, kind):
        raise ConfigurationError(f"{label} must be {text} or None")
    return value


def gate_of(options: Mapping[str, object]) -> Gate | None:
    """
    Return the gate of an endpoint's checked *options*, or ``None`` when none is set.
    """
    allowlist, limit = options.get("allowlist"), options.get("rate_limit")
    https_only = bool(options.get("https_only"))
    if allowlist is None and limit is None and not https_only:
        return None
    return Gate(
        allowlist=allowlist,  # type: ignore[arg-type]
        https_only=https_only,
        proxies=options.get("proxies"),  # type: ignore[arg-type]
        rate_limit=limit,  # type: ignore[arg-type]
    )


def scope_origin(scope: Mapping[str, Any]) -> Origin:
    """
    Return ``(peer, scheme, headers)`` of an ASGI request, as the server reports them.
    """
    client = scope.get("client")
    peer = client[0] if isinstance(client, Sequence) and client else None
    return peer, str(scope.get("scheme", "http")), scope.get("headers", ())


def wsgi_origin(environ: Mapping[str, Any]) -> Origin:
    """
    Return ``(peer, scheme, forwarding headers)`` of a WSGI request.

    Where the server hands over the connection's socket (gunicorn, Werkzeug),
    HTTPS is what the socket is, whatever ``wsgi.url_scheme`` says: gunicorn
    rewrites that from ``X-Forwarded-Proto`` for peers it trusts.
    """
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    for key in SOCKET_KEYS:
        sock = environ.get(key)
        if sock is not None:
            scheme = "https" if isinstance(sock, ssl.SSLSocket) else "http"
            break
    forwarding = {name: environ[key] for key, name in _FORWARDING.items() if key in environ}
    peer = environ.get("REMOTE_ADDR")
    return (peer if isinstance(peer, str) else None), scheme, forwarding
