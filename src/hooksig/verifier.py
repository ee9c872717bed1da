"""
The :class:`Verifier` that turns a request into a :class:`Delivery`, the pipeline in order.

This module is the flow of DESIGN.md in code: headers view, scheme parse,
signed content, key match, replay window, result.  It holds no provider
knowledge; the scheme does.  There are two routes: the general one, through
the :class:`~hooksig.Scheme` Protocol's methods, and the one a
:class:`~hooksig.scheme.protocol.CompilingScheme` compiles from its own
declaration, which verifies a plainly well-formed delivery in fewer steps
and leaves everything else to the general route.
"""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ._primitives.headers import Headers, HeadersInput
from .delivery import Delivery
from .errors import (
    ConfigurationError,
    InvalidSignature,
    MalformedPayload,
    PayloadTooLarge,
    VerificationError,
)
from .keys import KeyRing, SecretLike
from .replay import Clock, ReplayWindow
from .scheme import BODY_FIELD, place_body_fields
from .scheme.protocol import CompilingScheme, ParsedSignature, Request, Scheme

if TYPE_CHECKING:
    from .scheme.handshake import HandshakeResponse
    from .scheme.protocol import AsyncKeyResolver, CompiledRoute, KeyResolver
    from .url import UrlPolicy

#: Default body limit: GitHub caps payloads at 25 MB, and most providers far lower.
DEFAULT_MAX_BODY = 25 * 1024 * 1024
#: The largest body an endpoint check may have (Event Grid's validation event is ~1 KB).
MAX_CHALLENGE_BODY = 64 * 1024


def _in_thread(resolve: KeyResolver) -> AsyncKeyResolver:
    """A scheme's blocking ``resolve_keys`` for an event loop: the fetch in a worker thread."""

    async def resolve_async(parsed: ParsedSignature, request: Request, keys: KeyRing) -> KeyRing:
        import asyncio

        return await asyncio.to_thread(resolve, parsed, request, keys)

    return resolve_async


def _resolve(scheme: str | Scheme) -> Scheme:
    if isinstance(scheme, str):
        from . import schemes

        return schemes.get(scheme)
    if not isinstance(scheme, Scheme):
        raise ConfigurationError("scheme must be a registry name or a Scheme")
    return scheme


class Verifier:
    """
    Verify (and sign) deliveries for one scheme and one set of keys.

    Args:
        scheme: a registry name (``"stripe"``) or a :class:`~hooksig.Scheme`.
        secret: the shared secret (``str``, ``bytes`` or :class:`~hooksig.Secret`).
        secrets: several secrets for rotation: all verify, the first signs.
        public_key: for public-key schemes, the provider's key.
        signing_key: for public-key schemes, the private key used by :meth:`sign`.
        tolerance: replay window into the past, in seconds; defaults to the
            scheme's (300 s for timestamped schemes).  ``math.inf`` disables it.
        future_tolerance: window into the future; defaults to *tolerance*.
        clock: returns the current Unix time.
        max_body_size: larger bodies raise :class:`~hooksig.PayloadTooLarge` before hashing.
        public_url: for schemes that sign the URL (Twilio, Square, HubSpot,
            Trello), and required by them: where the provider calls you, as a
            base URL such as ``"https://example.com"`` joined with
            ``verify(path=...)``, the webhook's full URL (used as it is when
            the request path is its path; see :class:`~hooksig.PublicUrl`),
            or a :class:`~hooksig.UrlPolicy`: :class:`~hooksig.TrustedProxy`,
            or :class:`~hooksig.PerCallUrl` to pass ``url=`` to every call.
            ``Host`` and ``X-Forwarded-*`` are never read otherwise.

    Raises:
        ConfigurationError: unknown scheme, missing, empty or malformed keys,
            bad options, a scheme that signs the URL without *public_url*, or
            a finite *tolerance* for a scheme that signs no timestamp.

    .. versionadded:: 0.1
    """

    __slots__ = (
        "_compiled",
        "_keys",
        "_max_body",
        "_resolve",
        "_resolve_async",
        "_scheme",
        "_signs_url",
        "_url_policy",
        "_window",
        "clock",
    )

    def __init__(
        self,
        scheme: str | Scheme,
        *,
        secret: SecretLike | None = None,
        secrets: Sequence[SecretLike] | None = None,
        public_key: object | None = None,
        signing_key: object | None = None,
        tolerance: float | None = None,
        future_tolerance: float | None = None,
        clock: Clock = time.time,
        max_body_size: int = DEFAULT_MAX_BODY,
        public_url: str | UrlPolicy | None = None,
    ) -> None:
        self._scheme = _resolve(scheme)
        name = self._scheme.name
        # The URL is looked up only for a scheme that signs it.
        self._signs_url = self._scheme.info.signs_url
        self._url_policy: UrlPolicy | None = None
        if public_url is not None:
            from .url import url_policy  # urllib.parse, loaded only for schemes that sign URLs

            self._url_policy = url_policy(public_url)
        elif self._signs_url:
            raise ConfigurationError(
                f"the {name} scheme signs the URL the provider called: pass "
                "public_url='https://your.host' (joined with each request path) or the "
                "webhook's full URL, a hooksig.TrustedProxy, or hooksig.PerCallUrl() "
                "to give url= to every verify()"
            )
        if self._scheme.default_tolerance is None and (
            tolerance not in (None, math.inf) or future_tolerance not in (None, math.inf)
        ):
            raise ConfigurationError(
                f"the {name} scheme signs no timestamp, so tolerance= has nothing to bound: "
                "leave it out and rely on the idempotency guard"
            )
        if secret is not None and secrets is not None:
            raise ConfigurationError("pass secret= or secrets=, not both")
        if isinstance(secrets, (str, bytes)):
            raise ConfigurationError("secrets= takes a list; use secret= for one secret")
        ring = [secret] if secret is not None else list(secrets or ())
        self._keys = self._scheme.load_keys(ring, public_key=public_key, signing_key=signing_key)
        if type(max_body_size) is not int or max_body_size < 1:
            raise ConfigurationError("max_body_size must be a positive number of bytes")
        self._max_body = max_body_size
        self.clock = clock
        bound = tolerance if tolerance is not None else self._scheme.default_tolerance
        self._window = (
            None
            if bound is None or (bound == math.inf and future_tolerance in (None, math.inf))
            else ReplayWindow(bound, future_tolerance, clock)
        )
        # Keys that depend on the delivery: the scheme's optional resolvers.
        self._resolve: KeyResolver | None = getattr(self._scheme, "resolve_keys", None)
        self._resolve_async: AsyncKeyResolver | None = getattr(
            self._scheme, "resolve_keys_async", None
        ) or (None if self._resolve is None else _in_thread(self._resolve))
        # The scheme's own compiled route, if it offers one (never with a URL policy:
        # a compiled route signs no URL; never where keys depend on the delivery).
        self._compiled: CompiledRoute | None = (
            self._scheme.compile(self._keys)
            if isinstance(self._scheme, CompilingScheme)
            and self._url_policy is None
            and self._resolve is None
            else None
        )

    @property
    def scheme(self) -> Scheme:
        """The scheme this verifier applies."""
        return self._scheme

    @property
    def max_body_size(self) -> int:
        """The body limit in bytes; adapters enforce it while reading."""
        return self._max_body

    @property
    def replay_window(self) -> ReplayWindow | None:
        """
        The window timestamps must fall in; ``None`` where the scheme signs no
        timestamp or ``tolerance=math.inf`` turned it off.

        .. versionadded:: 0.1
        """
        return self._window

    @property
    def url_policy(self) -> UrlPolicy | None:
        """
        Where the URL a provider signed comes from (``public_url=``), if configured.

        .. versionadded:: 0.1
        """
        return self._url_policy

    def __repr__(self) -> str:
        return f"Verifier({self._scheme.name!r}, keys={self._keys!r})"

    def verify(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        url: str | None = None,
        method: str = "POST",
        params: Mapping[str, Sequence[str]] | None = None,
        now: float | None = None,
        path: str | None = None,
    ) -> Delivery:
        """
        Return the :class:`~hooksig.Delivery` if *body* and *headers* are authentic and fresh.

        Args:
            body: the raw body, exactly as received; never a parsed or re-encoded copy.
            headers: a mapping or ``(name, value)`` pairs; names are case-insensitive.
            url: the public URL the provider called, for schemes that sign it.
            method: the HTTP method, for schemes that sign it.
            params: form fields, for schemes that sign them.
            now: the current Unix time, instead of the clock.
            path: the request path and query string as received
                (``"/hooks/twilio?x=1"``), joined to the configured ``public_url``.

        Raises:
            MissingSignature: a needed header is absent.
            MalformedSignature: a header breaks the scheme's grammar.
            InvalidSignature: no key produced any offered signature.
            TimestampOutOfTolerance: authentic, but outside the replay window.
            PayloadTooLarge: the body exceeds ``max_body_size``.
            MalformedPayload: *body* is not bytes.
        """
        compiled = self._compiled
        if compiled is not None and type(body) is bytes and len(body) <= self._max_body:
            try:
                found = compiled(body, headers, now, self.clock, self._window)
            except VerificationError as exc:
                exc.scheme = self._scheme.name
                raise
            if found is not None:
                return found
        return self._verify(self._checked(body), headers, url, method, params, now, path)

    async def verify_async(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        url: str | None = None,
        method: str = "POST",
        params: Mapping[str, Sequence[str]] | None = None,
        now: float | None = None,
        path: str | None = None,
    ) -> Delivery:
        """
        :meth:`verify` for an event loop: a key fetch is awaited, never blocking the loop.

        For a scheme whose keys depend on the delivery (a certificate URL, a
        key id), the fetch goes through the scheme's ``resolve_keys_async``
        (the :class:`~hooksig.keysource.KeySource` ``fetch_async``, else the
        blocking fetch in a worker thread).  Every other scheme verifies
        exactly as :meth:`verify` does, on the calling thread: hashing a
        body is not I/O.  Takes and raises what :meth:`verify` does, and
        :class:`~hooksig.KeyUnavailable` when a needed key cannot be fetched.

        .. versionadded:: 0.1
        """
        scheme, resolve_async = self._scheme, self._resolve_async
        if resolve_async is None:
            return self.verify(
                body, headers, url=url, method=method, params=params, now=now, path=path
            )
        body = self._checked(body)
        current = self.clock() if now is None else now
        try:
            request, parsed = self._parse(body, headers, url, method, params, current, path)
            self._check_fresh(parsed, current)
            keys = await resolve_async(parsed, request, self._keys)
            return self._match(request, parsed, keys, current, headers)
        except VerificationError as exc:
            exc.scheme = scheme.name
            raise

    def _checked(self, body: object) -> bytes:
        if not isinstance(body, bytes):
            if not isinstance(body, (bytearray, memoryview)):
                raise MalformedPayload("the body must be the raw bytes received, not decoded text")
            # The size first: an oversized buffer is refused without being copied.
            size = body.nbytes if isinstance(body, memoryview) else len(body)
            if size > self._max_body:
                raise PayloadTooLarge(self._max_body)
            body = bytes(body)
        if len(body) > self._max_body:
            raise PayloadTooLarge(self._max_body)
        return body

    def _verify(
        self,
        body: bytes,
        headers: HeadersInput,
        url: str | None,
        method: str,
        params: Mapping[str, Sequence[str]] | None,
        now: float | None,
        path: str | None,
    ) -> Delivery:
        # The general route: every step through the scheme's Protocol methods.
        scheme = self._scheme
        current = self.clock() if now is None else now  # the clock may be replaced
        try:
            request, parsed = self._parse(body, headers, url, method, params, current, path)
            keys = self._keys
            resolve = self._resolve
            if resolve is not None:
                # Keys that depend on the delivery: judged fresh first, so that
                # a stale delivery never causes a fetch.
                self._check_fresh(parsed, current)
                keys = resolve(parsed, request, keys)
            return self._match(request, parsed, keys, current, headers)
        except VerificationError as exc:
            exc.scheme = scheme.name
            raise

    def _parse(
        self,
        body: bytes,
        headers: HeadersInput,
        url: str | None,
        method: str,
        params: Mapping[str, Sequence[str]] | None,
        current: float,
        path: str | None,
    ) -> tuple[Request, ParsedSignature]:
        view = Headers.of(headers)
        if url is None and self._url_policy is not None and self._signs_url:
            url = self._url_policy.resolve(path, view)
        request = Request(body, view, url, method, params, current)
        return request, self._scheme.parse(request)

    def _check_fresh(self, parsed: ParsedSignature, current: float) -> None:
        if parsed.timestamp is not None and self._window is not None:
            self._window.check(parsed.timestamp, now=current, header=parsed.header)

    def _match(
        self,
        request: Request,
        parsed: ParsedSignature,
        keys: KeyRing,
        current: float,
        headers: HeadersInput,
    ) -> Delivery:
        scheme = self._scheme
        key_id = None
        for content in scheme.signed_contents(parsed, request):
            found = scheme.match(keys, content, parsed)
            key_id = key_id if key_id is not None else found
        if key_id is None:
            raise InvalidSignature(
                f"no configured key matches the signature in {parsed.header}",
                header=parsed.header,
            )
        self._check_fresh(parsed, current)
        timestamp = parsed.timestamp
        reader = parsed.id_source
        return Delivery(
            scheme.name,
            None if reader is not None else parsed.id,
            None if timestamp is None else int(timestamp),
            key_id,
            request.body,
            headers,  # snapshotted as the compiled route's are, not the view read here
            id_source=reader,
        )

    def sign(
        self,
        body: bytes,
        timestamp: int | None = None,
        id: str | None = None,
        *,
        url: str | None = None,
        method: str = "POST",
        params: Mapping[str, Sequence[str]] | None = None,
        path: str | None = None,
    ) -> dict[str, str]:
        """
        Return the headers the provider would send with *body*, signed with the first key.

        Every header the provider sends and its SDK reads is there (Box's
        version and algorithm, Svix's ``svix-*`` names, ...).  A scheme that
        carries its signature in the body (Mailgun) has no such headers: use
        :meth:`signed_request`, which returns the body to send as well.

        Args:
            body: the body to sign.
            timestamp: Unix seconds to sign; defaults to the clock, for timestamped schemes.
            id: the delivery id, for schemes that sign one; generated when omitted.
            url: the URL to sign, for schemes that sign it (else from ``public_url``).
            method: the HTTP method, for schemes that sign it.
            params: form fields, for schemes that sign them (Twilio).
            path: the request path, joined to ``public_url``.

        Raises:
            ConfigurationError: the scheme carries its signature in the body.
            MalformedPayload: *body* is not bytes.

        .. versionadded:: 0.1
        """
        headers = self._signed(body, timestamp, id, url, method, params, path)
        if any(name == "body" or name.startswith(BODY_FIELD) for name in headers):
            raise ConfigurationError(
                f"the {self._scheme.name} scheme carries its signature in the body: "
                "use Verifier.signed_request(), which returns the body and the headers"
            )
        return headers

    def signed_request(
        self,
        body: bytes,
        timestamp: int | None = None,
        id: str | None = None,
        *,
        url: str | None = None,
        method: str = "POST",
        params: Mapping[str, Sequence[str]] | None = None,
        path: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """
        Return ``(body, headers)`` as the provider would send them, signed with the first key.

        For most schemes the body is *body* unchanged and the headers are
        :meth:`sign`'s.  A scheme that carries its signature in JSON body
        fields (Mailgun's ``signature`` object) gets them set in the body,
        which is then serialized again.  Takes the arguments of :meth:`sign`.

        Raises:
            ConfigurationError: the signature goes in the body, and *body* is not a JSON object.
            MalformedPayload: *body* is not bytes.

        .. versionadded:: 0.1
        """
        signed = self._signed(body, timestamp, id, url, method, params, path)
        return place_body_fields(body, signed)

    def _signed(
        self,
        body: bytes,
        timestamp: int | None,
        id: str | None,
        url: str | None,
        method: str,
        params: Mapping[str, Sequence[str]] | None,
        path: str | None,
    ) -> dict[str, str]:
        # The scheme's sign(): headers, and body.* fields where the signature is in the body.
        if not isinstance(body, bytes):
            raise MalformedPayload("the body must be bytes")
        if timestamp is None:
            timestamp = int(self.clock())
        if url is None and self._url_policy is not None and self._signs_url:
            url = self._url_policy.resolve(path, Headers())
        request = Request(body, Headers(), url, method, params)
        return self._scheme.sign(self._keys, request, timestamp=timestamp, id=id)

    def redactions(self, delivery: Delivery) -> list[str]:
        """
        Return the texts a report about *delivery* must never show.

        They are the values of its signature headers and this verifier's
        shared secrets (as text, hex and base64): scrub them from an error
        message before it is logged or stored, as the journal does.

        .. versionadded:: 0.1
        """
        texts = [
            value
            for name in self._scheme.info.signature_headers
            if (value := delivery.headers.get(name)) is not None
        ]
        for _, key in self._keys.hmac_keys():
            texts += [key.hex(), base64.b64encode(key).decode(), key.decode("utf-8", "replace")]
        return texts

    def handshake(self, delivery: Delivery) -> HandshakeResponse | None:
        """
        Return the answer to a provider's handshake, or ``None`` for an ordinary delivery.

        Slack's ``url_verification``, Discord's PING, Zoom's
        ``endpoint.url_validation`` and Twitch's ``webhook_callback_verification``
        must be answered in a set way; send the returned response instead of
        running your handler.  Pass only a :class:`~hooksig.Delivery` that
        :meth:`verify` returned, so that nothing unsigned is ever answered.

        Raises:
            ConfigurationError: *delivery* was verified by another scheme.

        .. versionadded:: 0.1
        """
        if not isinstance(delivery, Delivery) or delivery.scheme != self._scheme.name:
            raise ConfigurationError("handshake() takes a Delivery this verifier returned")
        hook = self._scheme.handshake
        return None if hook is None else hook(delivery, self._keys)

    async def handshake_async(self, delivery: Delivery) -> HandshakeResponse | None:
        """
        :meth:`handshake` for an event loop: a handshake that makes a request awaits it.

        Amazon SNS's subscription confirmation visits ``SubscribeURL``; the
        scheme's ``handshake_async`` awaits that visit.  Other handshakes
        compute their answer, so this returns what :meth:`handshake` does.

        Raises:
            ConfigurationError: *delivery* was verified by another scheme.

        .. versionadded:: 0.1
        """
        hook = getattr(self._scheme, "handshake_async", None)
        if hook is None:
            return self.handshake(delivery)
        if not isinstance(delivery, Delivery) or delivery.scheme != self._scheme.name:
            raise ConfigurationError("handshake() takes a Delivery this verifier returned")
        answer: HandshakeResponse | None = await hook(delivery, self._keys)
        return answer

    def challenge(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        method: str = "GET",
        url: str | None = None,
        path: str | None = None,
        params: Mapping[str, Sequence[str]] | None = None,
    ) -> HandshakeResponse | None:
        """
        Return the answer to an unsigned endpoint check, or ``None`` to verify as usual.

        Some providers check a new endpoint with a request that carries no
        signature by design: Meta's ``GET ?hub.challenge=``, Microsoft
        Graph's ``?validationToken=``, Azure Event Grid's validation event,
        Asana's ``X-Hook-Secret``, X's CRC, Braintree's ``bt_challenge``;
        Okta's verification ``GET`` carries only its token.  Call this
        before :meth:`verify` with the request as received; it answers only
        when the scheme has a challenge (Okta's by default, the unsigned
        ones once configured) and the request follows the provider's rule
        (a verify token, a reply that is itself a MAC).  The adapters do
        this for you; the handler never sees a challenge.

        Args:
            body: the raw body (checks with a body are small; a larger one is no check).
            headers: the request headers.
            method: the HTTP method.
            url: the full URL called, if known.
            path: the request target as received (path and query string);
                joined to ``public_url`` when one is configured.
            params: form fields, if the framework parsed them.

        .. versionadded:: 0.1
        """
        hook = getattr(self._scheme, "challenge", None)
        if hook is None or not isinstance(body, bytes) or len(body) > MAX_CHALLENGE_BODY:
            return None
        try:
            view = Headers.of(headers)
            if url is None:
                url = self._url_policy.resolve(path, view) if self._url_policy else path
            request = Request(body, view, url, method.upper(), params, self.clock())
            answer: HandshakeResponse | None = hook(request, self._keys)
        except VerificationError:
            return None  # not a well-formed check: verify it as a delivery, and refuse it
        return answer


for _public in (Verifier,):
    _public.__module__ = "hooksig"  # its public name, hooksig.Verifier
del _public
