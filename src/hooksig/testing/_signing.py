"""
Signing side of the toolkit: verifiers that can sign, `Signer`, and the `SignedDelivery` it makes.
"""

from __future__ import annotations

import base64
import functools
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from .. import schemes
from .._primitives.headers import Headers
from ..delivery import Delivery
from ..errors import ConfigurationError, ExtraNotInstalled, WebhookError
from ..keys import Secret, SecretLike
from ..replay import Clock
from ..url import PublicUrl, UrlPolicy
from ..verifier import Verifier
from ._bodies import Payload, content_type, encode, place_fields, sample_body

__all__ = [
    "TEST_NOW",
    "TEST_SECRET",
    "TEST_URL",
    "SignedDelivery",
    "Signer",
    "signed_delivery",
    "signing_verifier",
]

#: A fixed 32-byte secret for tests (long enough to raise no warning).
TEST_SECRET = "hooksig-test-secret-0123456789ab"
#: The public URL given to schemes that sign the URL (Twilio, Square, HubSpot, ...).
TEST_URL = "https://example.com/hooks"
#: A fixed "now" for reproducible tests: 2023-11-14T22:13:20Z.
TEST_NOW = 1_700_000_000
#: Another secret of the same length, for deliveries signed with the wrong key.
OTHER_SECRET = "hooksig-other-secret-0123456789a"


def _key_options(
    name: str, secret: SecretLike | None, signing_key: object | None, *, forger: bool = False
) -> dict[str, Any]:
    """The Verifier key arguments for *name*: the secret in the scheme's format, or a key."""
    scheme = schemes.get(name)
    if signing_key is not None:
        return {"signing_key": signing_key}
    secret_format = getattr(scheme, "secret_format", None)
    if secret_format in {"whsec", "base64"}:
        if isinstance(secret, Secret) or (
            secret_format == "whsec" and isinstance(secret, str) and secret.startswith("whsec_")
        ):
            return {"secret": secret}
        raw = secret.encode() if isinstance(secret, str) else (secret or TEST_SECRET.encode())
        prefix = "whsec_" if secret_format == "whsec" else ""
        return {"secret": prefix + base64.b64encode(raw).decode("ascii")}
    if secret_format is not None:
        return {"secret": _plain_secret(scheme, secret)}
    return {"signing_key": _fresh_private_key(scheme, forger=forger)}


def _plain_secret(scheme: object, secret: SecretLike | None) -> SecretLike:
    """*secret* (default :data:`TEST_SECRET`) as a hex, Basic or text scheme reads it."""
    if isinstance(secret, Secret):
        return secret
    if getattr(scheme, "secret_format", None) == "hex":
        return (
            secret.encode() if isinstance(secret, str) else secret or TEST_SECRET.encode()
        ).hex()
    if getattr(scheme, "construction", None) == "basic":
        # Basic credentials are user:password: a bare test secret becomes the password.
        text = TEST_SECRET if secret is None else secret
        text = text if isinstance(text, str) else text.decode("latin-1")
        return text if ":" in text else "hooksig-test:" + text
    return secret if secret is not None else TEST_SECRET


@functools.lru_cache(maxsize=2)
def _rsa_private_key(index: int = 0) -> str:
    """RSA keys made once per process (generating 2048-bit keys is slow); *index* picks one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def _fresh_private_key(scheme: object, *, forger: bool = False) -> str | bytes:
    """
    A private key for a public-key scheme: PEM for ECDSA P-256 and RSA, a raw seed for Ed25519.

    ECDSA and Ed25519 keys are fresh; the RSA key is made once per process.
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    except ImportError:
        raise ExtraNotInstalled("crypto", "cryptography") from None

    algorithm = getattr(scheme, "algorithm", None)
    kind = getattr(scheme, "signing_key_type", None) or algorithm
    if kind == "rsa" or (isinstance(algorithm, str) and algorithm.startswith("rsa")):
        return _rsa_private_key(1 if forger else 0)
    if kind == "ecdsa-p256":
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return pem.decode("ascii")
    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def signing_verifier(
    name: str,
    *,
    secret: SecretLike | None = None,
    signing_key: object | None = None,
    **options: Any,
) -> Verifier:
    """
    Return a :class:`~hooksig.Verifier` for *name* that can sign as well as verify.

    HMAC schemes get *secret* (default :data:`TEST_SECRET`), put in the
    scheme's own format: a raw secret is base64-encoded (with ``whsec_``)
    for Standard Webhooks, while a ``whsec_...`` string or a
    :class:`~hooksig.Secret` is used as it is.  Public-key schemes get
    *signing_key*, or a fresh key pair (this needs the ``crypto`` extra).
    Every verifier gets ``public_url=TEST_URL`` unless *options* say
    otherwise.

    Args:
        name: a registered scheme name (``"stripe"``).
        secret: the shared secret for HMAC schemes.
        signing_key: the private key for public-key schemes (an Ed25519
            seed, or a PEM for ECDSA); also signs Standard Webhooks' ``v1a``.
        options: any other :class:`~hooksig.Verifier` option (``clock``,
            ``tolerance``, ``max_body_size``, ``public_url``, ...).

    Raises:
        hooksig.ConfigurationError: unknown scheme or unusable key.
        hooksig.ExtraNotInstalled: a public-key scheme without ``cryptography``.

    .. versionadded:: 0.1
    """
    options.setdefault("public_url", TEST_URL)
    return Verifier(name, **_key_options(name, secret, signing_key), **options)


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

    A signer holds a :class:`~hooksig.Verifier` that can sign (built by
    :func:`signing_verifier`, or yours) and makes a :class:`SignedDelivery`
    per call, with the body, timestamp, id and request path you choose::

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

    Args:
        scheme: a registered scheme name; it also decides what sample bodies
            look like (a form for Twilio, JSON otherwise).
        secret: the shared secret (default :data:`TEST_SECRET`).
        signing_key: the private key, for public-key schemes (default: fresh).
        verifier: sign with this verifier instead of building one; then
            pass no key, clock or option.
        clock: the time used for timestamps (a :class:`FrozenClock` in tests);
            ``time.time()`` by default.
        url: the public URL to sign, for schemes that sign it; by default
            the verifier's ``public_url`` (:data:`TEST_URL` when built here).
        options: more :class:`~hooksig.Verifier` options (``tolerance``,
            ``max_body_size``, ``public_url``, ...).

    Raises:
        hooksig.ConfigurationError: unknown scheme, an unusable key, or
            *verifier* together with key or verifier options.

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
            verifier = signing_verifier(scheme, secret=secret, signing_key=signing_key, **options)
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

        It is the URL your verifier rebuilds for that path: its
        ``public_url`` joined with *path* (see :class:`~hooksig.PublicUrl`).
        With ``url=`` given to the signer, or a verifier with another URL
        policy, *path* replaces the path and query of that URL.

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
        headers = self._verifier.sign(data, timestamp=stamp, id=id, url=url)
        data, headers = place_fields(data, headers)
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

    def headers(
        self, body: bytes, *, timestamp: int | None = None, id: str | None = None
    ) -> dict[str, str]:
        """
        Return only the headers that sign *body* (as :meth:`~hooksig.Verifier.sign` does).

        Args:
            body: the exact body bytes.
            timestamp: the Unix seconds to sign; the clock's time by default.
            id: the delivery id to sign or send.

        .. versionadded:: 0.1
        """
        return self.delivery(body, timestamp=timestamp, id=id).headers


def signed_delivery(
    name: str,
    body: bytes | None = None,
    *,
    secret: str | bytes | None = None,
    timestamp: int | None = None,
    id: str | None = None,
    verifier: Verifier | None = None,
) -> tuple[bytes, dict[str, str]]:
    """
    Return ``(body, headers)`` signed as provider *name* would send them.

    A shortcut for ``Signer(name, ...).delivery(body, ...)`` when the body
    and headers are all you need::

        >>> from hooksig.testing import signed_delivery
        >>> body, headers = signed_delivery("github", b'{"zen": "hi"}', secret="s" * 32)
        >>> sorted(headers)
        ['X-GitHub-Delivery', 'X-Hub-Signature-256']

    Args:
        name: a registered scheme name.
        body: the body to sign; :func:`sample_body` when omitted.  Mailgun's
            signature fields are placed into it, so the returned body may differ.
        secret: the shared secret (default :data:`TEST_SECRET`).
        timestamp: the Unix seconds to sign; now by default.
        id: the delivery id to sign or send.
        verifier: sign with this verifier instead of a fresh
            :func:`signing_verifier` (then *secret* is not used).

    .. versionadded:: 0.1
    """
    if verifier is not None:
        signer = Signer(name, verifier=verifier)
    else:
        signer = Signer(name, secret=secret)
    stamp = int(time.time()) if timestamp is None else timestamp
    delivery = signer.delivery(body, timestamp=stamp, id=id)
    return delivery.body, delivery.headers
