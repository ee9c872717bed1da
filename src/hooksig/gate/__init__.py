"""
Around the receiver, before the body is read: HTTPS only, source allowlists, rate limits.

Each check answers before a byte of the body is read, and none replaces
signature verification: a request that passes is verified as ever.

- :class:`Gate` runs the checks of one endpoint, in order;
- :class:`ProxyChain` says which proxies you run, so the client address and
  scheme are read from their forwarding headers and from no one else's;
- :class:`Allowlist` holds the providers' published ranges (a dated
  snapshot ships with hooksig; ``hooksig allowlist refresh`` updates it) and yours;
- :class:`RateLimit` counts requests per second and in flight in this
  process, :class:`RedisRateLimit` across receivers (extra ``redis``).

Importing this package imports no extra.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._gate import Gate as Gate
from .allowlist import Allowlist as Allowlist
from .allowlist import ProviderRanges as ProviderRanges
from .allowlist import load_snapshot as load_snapshot
from .limits import Limiter as Limiter
from .limits import Permit as Permit
from .limits import RateLimit as RateLimit
from .origin import Origin as Origin
from .origin import ProxyChain as ProxyChain

if TYPE_CHECKING:
    from .redis import RedisRateLimit as RedisRateLimit

__all__ = [
    "Allowlist",
    "Gate",
    "Limiter",
    "Origin",
    "Permit",
    "ProviderRanges",
    "ProxyChain",
    "RateLimit",
    "RedisRateLimit",
    "load_snapshot",
]

for _obj in (Allowlist, Gate, Limiter, Origin, Permit, ProviderRanges, ProxyChain, RateLimit):
    _obj.__module__ = __name__
del _obj


def __getattr__(name: str) -> Any:
    if name != "RedisRateLimit":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    limiter = importlib.import_module(f"{__name__}.redis").RedisRateLimit
    limiter.__module__ = __name__
    globals()[name] = limiter
    return limiter


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
