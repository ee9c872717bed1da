"""
Which URL the provider signed, for schemes that sign it (Twilio, Square, HubSpot, Trello).

Behind a load balancer the URL your framework sees (``http://10.0.0.7:8000/hook``)
is not the one the provider called (``https://example.com/hook``).  Taking
the public one from ``Host`` or ``X-Forwarded-*`` would let any client
choose the URL that is checked, so hooksig never does that by default: the
URL comes from configuration (:class:`PublicUrl`, what
``Verifier(public_url="https://example.com")`` builds), from a
:class:`TrustedProxy` policy you opt into, naming the hosts you serve, or
from your own code on every call (:class:`PerCallUrl`, then
``verify(url=...)``).  A verifier for a scheme that signs the URL refuses
to be built without one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from ._primitives.headers import Headers
from .errors import ConfigurationError, MalformedSignature, MissingSignature

#: The default port of each URL scheme hooksig accepts.
DEFAULT_PORTS = {"https": 443, "http": 80}


@runtime_checkable
class UrlPolicy(Protocol):
    """
    Turns the request path (and the headers, if you trust them) into the public URL.

    .. versionadded:: 0.1
    """

    def resolve(self, path: str | None, headers: Headers) -> str:
        """Return the absolute URL the provider called; raise a ``VerificationError`` if unsure."""
        ...


def _check_path(path: str) -> str:
    """Accept an absolute path (and query) of printable characters."""
    if not path.startswith("/") or not path.isprintable() or " " in path:
        raise MalformedSignature("the request path is not an absolute path", reason="bad_path")
    return path


def _check_base(base: str) -> str:
    """Accept an http(s) URL without query or fragment."""
    parts = urlsplit(base)
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError("public_url must be an http(s) URL without query or fragment")
    return base


@dataclass(frozen=True)
class PublicUrl:
    """
    A fixed public URL, given as the site's base or as the webhook's whole URL.

    One rule, the same for ``verify(path=...)`` and every adapter: when the
    request path equals the path of *base*, *base* is the whole URL
    (Square's notification URL, Trello's callback URL), followed by the
    request's query string if it has one; otherwise the request path and
    query are appended to *base*.  So ``PublicUrl("https://example.com")``
    and ``PublicUrl("https://example.com/hooks/square")`` both give
    ``https://example.com/hooks/square`` for the path ``/hooks/square``, and
    ``PublicUrl("https://example.com/app")`` gives
    ``https://example.com/app/hooks/square`` behind a proxy that strips
    ``/app``.  Without a path, *base* is the whole URL.

    .. versionadded:: 0.1
    """

    base: str
    _route: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_base(self.base)
        route = urlsplit(self.base).path
        object.__setattr__(self, "_route", "" if route in ("", "/") else route)

    def resolve(self, path: str | None, headers: Headers) -> str:
        """Return *base* for its own path, else *base* joined with *path*; headers are unread."""
        if path is None:
            return self.base
        route, mark, query = _check_path(path).partition("?")
        if route == self._route:
            return self.base + mark + query
        return self.base.rstrip("/") + path


@dataclass(frozen=True)
class PerCallUrl:
    """
    No configured URL: every ``verify()`` and ``sign()`` call passes ``url=``.

    ``Verifier("twilio", secret=..., public_url=PerCallUrl())`` says you
    compute the public URL yourself, as you would for a job that verifies
    stored deliveries; a call without ``url=`` is a
    :class:`~hooksig.ConfigurationError`.  The framework adapters pass only
    the request path, so give them a :class:`PublicUrl` or a
    :class:`TrustedProxy` instead.

    .. versionadded:: 0.1
    """

    def resolve(self, path: str | None, headers: Headers) -> str:
        """Refuse: this policy has no URL of its own."""
        raise ConfigurationError(
            "the scheme signs the URL, and this verifier takes it on every call "
            "(PerCallUrl): pass url= to verify() and sign()"
        )


@dataclass(frozen=True)
class TrustedProxy:
    """
    Read the public host and scheme from proxy headers, which you declare trustworthy.

    Use it only when a proxy you run sets (and overwrites) *host_header*;
    the host must be one of *hosts*, so a forged value is refused.

    Args:
        hosts: the public host names (with ``:port`` if not the default) you serve.
        host_header: the header your proxy sets, ``X-Forwarded-Host`` by default.
        proto_header: the header with ``http``/``https``, or ``None`` to use *scheme*.
        scheme: the public scheme when *proto_header* is ``None`` or absent.

    .. versionadded:: 0.1
    """

    hosts: tuple[str, ...]
    host_header: str = "X-Forwarded-Host"
    proto_header: str | None = "X-Forwarded-Proto"
    scheme: str = "https"

    def __post_init__(self) -> None:
        if isinstance(self.hosts, str) or not self.hosts:
            raise ConfigurationError("TrustedProxy needs a tuple of the host names you serve")
        object.__setattr__(self, "hosts", tuple(host.lower() for host in self.hosts))
        if self.scheme not in DEFAULT_PORTS:
            raise ConfigurationError("scheme must be http or https")

    def resolve(self, path: str | None, headers: Headers) -> str:
        """Build ``scheme://host/path`` from the trusted headers."""
        if path is None:
            raise ConfigurationError("TrustedProxy needs the request path: pass path=")
        host = headers.optional(self.host_header)
        if host is None:
            raise MissingSignature(f"header {self.host_header} is missing", header=self.host_header)
        if host.lower() not in self.hosts:
            raise MalformedSignature(
                f"header {self.host_header} names a host that is not served",
                reason="untrusted_host",
                header=self.host_header,
            )
        scheme = self.scheme
        if self.proto_header is not None:
            proto = headers.optional(self.proto_header)
            if proto is not None:
                if proto not in DEFAULT_PORTS:
                    raise MalformedSignature(
                        f"header {self.proto_header} is not http or https",
                        reason="bad_proto",
                        header=self.proto_header,
                    )
                scheme = proto
        return f"{scheme}://{host.lower()}{_check_path(path)}"


def url_policy(value: str | UrlPolicy | None) -> UrlPolicy | None:
    """Turn ``Verifier(public_url=...)`` into a policy."""
    if value is None or isinstance(value, UrlPolicy):
        return value
    if isinstance(value, str):
        return PublicUrl(value)
    raise ConfigurationError("public_url must be a URL string or a UrlPolicy")


for _public in (UrlPolicy, PublicUrl, PerCallUrl, TrustedProxy):
    _public.__module__ = "hooksig"  # their public names: hooksig.UrlPolicy, ...
