"""
Which key URLs may be fetched: :class:`UrlRule`, checked before any request leaves.

A URL a delivery names (SNS ``SigningCertURL``, PayPal ``PAYPAL-CERT-URL``)
was written by whoever sent the request, so it is fetched only when it has
the shape the provider itself uses: ``https``, a host of the provider's, a
path of the form its keys live at.  Anything else (``http``, another host,
a port, user information, a backslash, a fragment, a query string where
the provider sends none) is refused before a socket is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

from ..errors import MalformedSignature

#: Longest key URL considered, in characters.
MAX_URL_LENGTH = 2048

_PRINTABLE = re.compile(r"[!-~]+")


def _refused(what: str, header: str | None) -> MalformedSignature:
    return MalformedSignature(f"key URL refused: {what}", reason="key_url_refused", header=header)


@dataclass(frozen=True)
class UrlRule:
    """
    The shape of the URLs a provider serves its keys from.

    Args:
        host: a regular expression the whole host name must match
            (lower-cased, as :func:`urllib.parse.urlsplit` gives it).
        path: a regular expression the whole path must match.
        query: a regular expression the whole query string must match, or
            ``None`` where the provider's URLs carry none.
        port: an explicit port the URL may name.  Providers' URLs name
            none; set it only to point a scheme at a local test server.

    The scheme is always ``https``.  The built-in schemes carry their
    providers' rules; replace one only for a test server or a mirror you
    run (``hooksig.schemes.configure(name, key_rule=...)``).

    .. versionadded:: 0.1
    """

    host: str
    path: str = r"/.*"
    query: str | None = None
    port: int | None = None
    _compiled: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        query = None if self.query is None else re.compile(self.query)
        compiled = (re.compile(self.host), re.compile(self.path), query)
        object.__setattr__(self, "_compiled", compiled)

    def check(self, url: object, header: str | None = None) -> SplitResult:
        """
        Return *url* split, if it follows the rule.

        Raises:
            MalformedSignature: ``reason="key_url_refused"``; nothing may be fetched.
        """
        host, path, query = self._compiled
        if not isinstance(url, str) or not 0 < len(url) <= MAX_URL_LENGTH:
            raise _refused("not a URL of a sane length", header)
        if _PRINTABLE.fullmatch(url) is None or "\\" in url:
            raise _refused("not printable ASCII", header)
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise _refused("not a valid URL", header) from None
        if parts.scheme != "https":
            raise _refused("not https", header)
        if "@" in parts.netloc or parts.fragment or url.endswith("#"):
            raise _refused("user information or a fragment", header)
        if not parts.hostname or host.fullmatch(parts.hostname) is None:
            raise _refused("not the provider's host", header)
        if port is not None and port != self.port:
            raise _refused("an explicit port", header)
        if path.fullmatch(parts.path) is None:
            raise _refused("not the provider's key path", header)
        if parts.query or url.endswith("?"):
            if query is None or query.fullmatch(parts.query) is None:
                raise _refused("an unexpected query string", header)
        elif query is not None and query.fullmatch("") is None:
            raise _refused("no query string", header)
        return parts


UrlRule.__module__ = "hooksig.keysource"
