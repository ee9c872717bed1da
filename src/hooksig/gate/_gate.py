"""
The checks a request meets before its body is read, in order: HTTPS, source, rate.

The cheap checks come first, and a refused request takes nothing from the
rate limit, so a flood from outside the allowlist cannot starve the
provider's own deliveries of their share.
"""

from __future__ import annotations

from ..errors import ConfigurationError, InsecureTransport, SourceNotAllowed
from .allowlist import Allowlist
from .limits import UNCOUNTED, Limiter, Permit
from .origin import HeaderPairs, Origin, ProxyChain, direct

__all__ = ["Gate"]


def _text(origin: Origin) -> str | None:
    return None if origin.address is None else str(origin.address)


class Gate:
    """
    One endpoint's checks before the body is read: HTTPS only, a source allowlist, a rate limit.

    ::

        gate = Gate(allowlist=Allowlist("github"), https_only=True,
                    proxies=ProxyChain(["10.0.0.0/8"]), rate_limit=RateLimit(per_second=50))
        with gate.admit(peer, scheme, headers):    # raises when refused
            ...                                    # read, verify and handle the request

    The adapters build one from their ``allowlist=``, ``https_only=``,
    ``proxies=`` and ``rate_limit=`` options; call it yourself to put these
    checks in front of anything else.

    Args:
        allowlist: the addresses requests may come from; ``None`` admits any.
        https_only: refuse a request that did not come over HTTPS.
        proxies: the proxies you run, whose forwarding headers say who the
            client is and whether it used HTTPS; ``None`` reads only the socket.
        rate_limit: a :class:`~hooksig.gate.RateLimit` or
            :class:`~hooksig.gate.RedisRateLimit`; ``None`` admits any number.

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    __slots__ = ("allowlist", "https_only", "proxies", "rate_limit")

    def __init__(
        self,
        *,
        allowlist: Allowlist | None = None,
        https_only: bool = False,
        proxies: ProxyChain | None = None,
        rate_limit: Limiter | None = None,
    ) -> None:
        if allowlist is not None and not isinstance(allowlist, Allowlist):
            raise ConfigurationError("allowlist must be a hooksig.gate.Allowlist")
        if not isinstance(https_only, bool):
            raise ConfigurationError("https_only must be True or False")
        if proxies is not None and not isinstance(proxies, ProxyChain):
            raise ConfigurationError("proxies must be a hooksig.gate.ProxyChain")
        if rate_limit is not None and not isinstance(rate_limit, Limiter):
            raise ConfigurationError("rate_limit must be a RateLimit or RedisRateLimit")
        self.allowlist = allowlist
        self.https_only = https_only
        self.proxies = proxies
        self.rate_limit = rate_limit

    def __repr__(self) -> str:
        return (
            f"Gate(allowlist={self.allowlist!r}, https_only={self.https_only!r}, "
            f"proxies={self.proxies!r}, rate_limit={self.rate_limit!r})"
        )

    @property
    def active(self) -> bool:
        """
        Whether any check is configured.

        .. versionadded:: 0.1
        """
        return self.allowlist is not None or self.https_only or self.rate_limit is not None

    def origin(self, peer: str | None, scheme: str, headers: HeaderPairs) -> Origin:
        """
        Return the request's client and transport, read through the proxy chain if there is one.

        .. versionadded:: 0.1
        """
        if self.proxies is None:
            return direct(peer, scheme)
        return self.proxies.origin(peer, scheme, headers)

    def check(self, peer: str | None, scheme: str, headers: HeaderPairs) -> None:
        """
        Refuse the request if its transport or source is not allowed; the rate is not counted.

        Raises:
            InsecureTransport: ``https_only`` and the client did not use HTTPS.
            SourceNotAllowed: the client is outside the allowlist, or unknown.

        .. versionadded:: 0.1
        """
        if not self.https_only and self.allowlist is None:
            return
        origin = self.origin(peer, scheme, headers)
        if self.https_only and not origin.https:
            raise InsecureTransport("the request did not come over HTTPS", client=_text(origin))
        if self.allowlist is not None and not self.allowlist.allows(origin.address):
            raise SourceNotAllowed("the client address is not allowed", client=_text(origin))

    def admit(self, peer: str | None, scheme: str, headers: HeaderPairs) -> Permit:
        """
        Check the request and count it against the rate limit; return its permit.

        Release the permit (or leave its ``with`` block) once the answer is sent.

        Raises:
            InsecureTransport: as :meth:`check`.
            SourceNotAllowed: as :meth:`check`.
            RateLimited: over the rate or in-flight limit.
            StoreUnavailable: a shared limit's Redis cannot be reached.

        .. versionadded:: 0.1
        """
        self.check(peer, scheme, headers)
        return UNCOUNTED if self.rate_limit is None else self.rate_limit.acquire()

    async def admit_async(self, peer: str | None, scheme: str, headers: HeaderPairs) -> Permit:
        """
        Asyncio form of :meth:`admit`.

        .. versionadded:: 0.1
        """
        self.check(peer, scheme, headers)
        return UNCOUNTED if self.rate_limit is None else await self.rate_limit.acquire_async()
