"""
Signing side of the toolkit: `Signer`, and the `SignedDelivery` it makes.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from .. import schemes
from .._primitives.headers import Headers
from ..delivery import Delivery
from ..errors import ConfigurationError, WebhookError
from ..keys import SecretLike
from ..replay import Clock
from ..url import PublicUrl, UrlPolicy
from ..verifier import Verifier
from ._bodies import Payload, content_type, encode, sample_body
from ._keys import signing_verifier

__all__ = [
    "TEST_NOW",
    "TEST_URL",
    "SignedDelivery",
    "Signer",
]

#: The URL a :class:`Signer` signs for schemes that sign the URL (Twilio, Square,
#: HubSpot, ...) when you give it no URL; a request path replaces its path.
TEST_URL = "https://example.com/hooks"
#: A fixed "now" for reproducible tests: 2023-11-14T22:13:20Z.
TEST_NOW = 1_700_000_000


def _origin(url: str) -> str:
    """The scheme and host of *url*: what a verifier joins request paths to."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


@dataclass(frozen=True, kw_only=True)
class SignedDelivery:
    """
    One delivery as a provider would send it, with the verifier that accepts it.

    :class:`Signer` and the strategies of :mod:`hooksig.testing.strategies`
    make these.  Feed one to your handler through a test client
    (:class:`~hooksig.testing.WebhookClient`), or check it directly with
    :meth:`verify`.

    Attributes:
        scheme: the registry name it was signed for.
        verifier: a verifier that accepts it (unless ``error`` says otherwise).
        body: the raw body bytes.
        headers: the headers to send, signature included.
        now: the time at which to verify it, in Unix seconds.
        timestamp: the time signed, in Unix seconds (for schemes that sign
            none, the time it was made).
        id: the delivery id requested, or ``None`` if the scheme chose one.
        url: the public URL signed, for schemes that sign it.
        path: where to send it: the path and query string of the request.
        method: the HTTP method.
        content_type: the ``Content-Type`` a provider would send.
        error: the :class:`~hooksig.WebhookError` subclass :meth:`verify`
            must raise: ``None`` for a genuine delivery,
            :class:`~hooksig.VerificationError` for a tampered or malformed one,
            :class:`~hooksig.TimestampOutOfTolerance` for a stale one,
            :class:`~hooksig.PayloadTooLarge` for an oversized one.
        fault: what was done to it, in words, for failure reports
            (``"signature changed at 12"``); ``None`` for a genuine delivery.

    .. versionadded:: 0.1
    """

    scheme: str
    verifier: Verifier = field(repr=False)
    body: bytes
    headers: dict[str, str]
    now: float
    timestamp: int
    id: str | None = None
    url: str = TEST_URL
    path: str = "/"
    method: str = "POST"
    content_type: str = "application/json"
    error: type[WebhookError] | None = None
    fault: str | None = None

    @property
    def request(self) -> dict[str, Any]:
        """
        The :meth:`~hooksig.Verifier.verify` keyword arguments besides body and headers.

        That is ``url=`` (harmless to schemes that do not sign it) and, when it
        is not ``POST``, ``method=``; add ``now=`` yourself, or call :meth:`verify`.

        .. versionadded:: 0.1
        """
        kwargs: dict[str, Any] = {"url": self.url}
        if self.method != "POST":
            kwargs["method"] = self.method
        return kwargs

    def verify(self, verifier: Verifier | None = None) -> Delivery:
        """
        Verify this delivery at ``now`` and return the :class:`~hooksig.Delivery`.

        Args:
            verifier: another verifier to try it on; ``verifier`` by default.

        Raises:
            hooksig.VerificationError: the delivery is not authentic or not fresh.
            hooksig.PayloadTooLarge: the body is over the verifier's limit.

        .. versionadded:: 0.1
        """
        chosen = self.verifier if verifier is None else verifier
        return chosen.verify(self.body, self.headers, now=self.now, **self.request)


def _url_with_path(base: str, path: str) -> str:
    """*base* with its path and query replaced by those of *path*."""
    parts = urllib.parse.urlsplit(base)
    new = urllib.parse.urlsplit(path)
    return urllib.parse.urlunsplit(parts._replace(path=new.path, query=new.query))


def _place_query(url: str, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Move ``query.*`` entries of ``sign()`` (Event Grid's secret) into the URL's query."""
    fields = {name[len("query.") :]: v for name, v in headers.items() if name.startswith("query.")}
    if not fields:
        return url, headers
    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    pairs = [pair for pair in pairs if pair[0] not in fields] + list(fields.items())
    rest = {name: value for name, value in headers.items() if not name.startswith("query.")}
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(pairs))), rest


def _path_of(url: str) -> str:
    """The path and query string of *url*."""
    parts = urllib.parse.urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class Signer:
    """
    Sign deliveries as provider *scheme* would send them, for your tests.

    A signer holds a :class:`~hooksig.Verifier` that can sign (built here,
    or yours) and makes a :class:`SignedDelivery` per call, with the body,
    timestamp, id and request path you choose::

        >>> from hooksig.testing import FrozenClock, Signer
        >>> signer = Signer("stripe", clock=FrozenClock(1_700_000_000))
        >>> delivery = signer.delivery({"id": "evt_1", "type": "invoice.paid"})
        >>> delivery.headers["Stripe-Signature"][:13]
        't=1700000000,'
        >>> delivery.verify().json()["type"]
        'invoice.paid'

    Give your handler the same verifier (``signer.verifier``), or sign with
    the verifier your application already uses: ``Signer("github",
    verifier=app_verifier)``.  A public-key scheme's verifier built here
    holds a fresh private key and verifies with its public half.

    For schemes that sign the URL, the URL signed for a request *path* is
    the one the verifier rebuilds from that path, so a delivery posted to
    *path* verifies through any adapter: a verifier built here joins its
    ``public_url`` (the scheme and host of *url*) with the path; yours
    applies its own ``public_url`` rule.

    Args:
        scheme: a registered scheme name; it also decides what sample bodies
            look like (a form for Twilio, JSON otherwise).
        secret: the shared secret (default :data:`TEST_SECRET`), in the
            scheme's own format: a ``whsec_...`` string or a
            :class:`~hooksig.Secret` is used as it is, while a raw secret is
            base64-encoded (with ``whsec_``) for schemes whose secrets are.
        signing_key: the private key, for public-key schemes (an Ed25519
            seed, or a PEM for ECDSA); default: a fresh key pair, which
            needs the ``crypto`` extra.
        verifier: sign with this verifier instead of building one; then
            pass no key, clock or option.
        clock: the time used for timestamps (a :class:`FrozenClock` in tests);
            ``time.time()`` by default.
        url: the URL to sign when no request path is given (default
            :data:`TEST_URL`); a path given to :meth:`delivery` replaces its
            path and query.  With your own verifier or ``public_url=``, the
            verifier's rule is used instead unless you pass *url*.
        options: more :class:`~hooksig.Verifier` options (``tolerance``,
            ``max_body_size``, ``public_url``, ...).

    Raises:
        hooksig.ConfigurationError: unknown scheme, an unusable key, or
            *verifier* together with key or verifier options.
        hooksig.ExtraNotInstalled: a public-key scheme without ``cryptography``.

    .. versionadded:: 0.1
    """

    __slots__ = ("_name", "_url", "_verifier")

    def __init__(
        self,
        scheme: str,
        *,
        secret: SecretLike | None = None,
        signing_key: object | None = None,
        verifier: Verifier | None = None,
        clock: Clock | None = None,
        url: str | None = None,
        **options: Any,
    ) -> None:
        """Build or adopt the signing verifier; see the class docstring."""
        if verifier is not None:
            if secret is not None or signing_key is not None or clock is not None or options:
                raise ConfigurationError("pass verifier= or key and verifier options, not both")
            if verifier.scheme.name != schemes.get(scheme).name:
                raise ConfigurationError(
                    f"the verifier is for {verifier.scheme.name!r}, not {scheme!r}"
                )
        else:
            if clock is not None:
                options["clock"] = clock
            if "public_url" not in options:
                # A base URL: the verifier rebuilds url_for(path) from any request path.
                url = TEST_URL if url is None else url
                options["public_url"] = _origin(url)
            verifier = signing_verifier(scheme, secret, signing_key, **options)
        self._name = scheme
        self._verifier = verifier
        self._url = url

    @property
    def scheme(self) -> str:
        """
        The registry name this signer signs for.

        .. versionadded:: 0.1
        """
        return self._name

    @property
    def verifier(self) -> Verifier:
        """
        The verifier that signs, and accepts what it signs; give it to your handler.

        .. versionadded:: 0.1
        """
        return self._verifier

    def __repr__(self) -> str:
        """Show the scheme and the verifier (whose repr hides the keys)."""
        return f"Signer({self._name!r}, verifier={self._verifier!r})"

    def now(self) -> int:
        """
        Return the current time of the verifier's clock, in whole Unix seconds.

        .. versionadded:: 0.1
        """
        return int(self._verifier.clock())

    def url_for(self, path: str | None = None) -> str:
        """
        Return the public URL a request to *path* is signed with.

        With a URL of the signer's own (*url*, or :data:`TEST_URL` for a
        verifier built here), *path* replaces its path and query.
        Otherwise it is the URL your verifier rebuilds for *path* from its
        ``public_url`` (see :class:`~hooksig.PublicUrl`).

        Args:
            path: the request path and query string (``"/hooks/twilio?x=1"``).

        .. versionadded:: 0.1
        """
        policy: UrlPolicy | None = self._verifier.url_policy
        if self._url is None and isinstance(policy, PublicUrl):
            return policy.resolve(path, Headers())
        base = TEST_URL if self._url is None else self._url
        return base if path is None else _url_with_path(base, path)

    def delivery(
        self,
        body: Payload | None = None,
        *,
        timestamp: int | None = None,
        id: str | None = None,
        path: str | None = None,
    ) -> SignedDelivery:
        """
        Sign *body* and return the whole delivery.

        Args:
            body: bytes are sent exactly; text is UTF-8 encoded; a dict or list
                becomes JSON (a form for Twilio), with the signed timestamp
                added where the scheme reads it from the body (Linear).
                Omitted: :func:`sample_body`.
            timestamp: the Unix seconds to sign; the clock's time by default.
            id: the delivery id to sign or send; the scheme makes one up when omitted.
            path: the request path, for schemes that sign the URL and for
                :class:`~hooksig.testing.WebhookClient` (see :meth:`url_for`).

        Returns:
            A :class:`SignedDelivery` that ``verifier`` accepts at ``timestamp``.

        Raises:
            hooksig.ConfigurationError: the scheme reads its signature from JSON
                body fields (Mailgun) and *body* is not a JSON object.

        .. versionadded:: 0.1
        """
        stamp = self.now() if timestamp is None else timestamp
        data = (
            sample_body(self._name, timestamp=stamp)
            if body is None
            else encode(self._name, body, timestamp=stamp)
        )
        url = self.url_for(path)
        data, headers = self._verifier.signed_request(data, timestamp=stamp, id=id, url=url)
        url, headers = _place_query(url, headers)
        if path is not None and url != self.url_for(path):
            path = _path_of(url)
        return SignedDelivery(
            scheme=self._name,
            verifier=self._verifier,
            body=data,
            headers=headers,
            now=float(stamp),
            timestamp=stamp,
            id=id,
            url=url,
            path=_path_of(url) if path is None else path,
            content_type=content_type(self._name),
        )
