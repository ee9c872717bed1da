"""
Answering the endpoint checks some providers send unsigned, before any delivery.

Meta, Microsoft Graph, Azure Event Grid, Asana, X and Braintree check a new
endpoint with a request that carries no signature by design.  Answering one
wrongly is not harmless: an endpoint that echoes whatever it is sent can be
registered by anyone as the receiver of someone else's events, or used to
reflect content.  So a scheme answers only when you configure a challenge
(Okta's, whose check carries the token, by default), and each builder here
answers only under its provider's own rule:

- a secret the request must carry, compared in constant time (Meta's verify
  token, Event Grid's query secret);
- a reply that is itself a MAC under your key, which proves you hold the key
  and reveals nothing (X's CRC, Braintree's ``bt_challenge``);
- a value you accept through a callback during your own registration window
  (Asana's ``X-Hook-Secret``: trust on first use, never silently);
- the scheme's own token, where the check carries it (Okta's ``Authorization``):
  such a challenge is safe to answer by default, and the scheme declares it.

Echoed values are bounded in length, must be printable, and go back as
``text/plain`` with ``X-Content-Type-Options: nosniff`` (Graph's page warns
about reflected scripts).  Configure one with
``hooksig.schemes.configure(name, challenge=...)``; the adapters call
:meth:`hooksig.Verifier.challenge` before verifying, and a challenge never
reaches your handler.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from .._primitives.compare import bytes_eq, match_key, token_digest
from ..errors import ConfigurationError
from ..keys import KeyRing
from .handshake import MAX_CHALLENGE, HandshakeResponse
from .protocol import Request

__all__ = [
    "Challenge",
    "bt_challenge",
    "crc_challenge",
    "echo_header",
    "hook_secret",
    "hub_challenge",
    "query",
    "validation_token",
]

#: ``(request, keys) -> answer``; ``None`` when the request is not the provider's check.
Challenge = Callable[[Request, KeyRing], "HandshakeResponse | None"]

_NOSNIFF = (("X-Content-Type-Options", "nosniff"),)


def query(request: Request) -> dict[str, list[str]]:
    """The request's query parameters (from ``request.url``: a full URL or a path)."""
    if request.url is None:
        return {}
    try:
        text = urlsplit(request.url).query
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=64)
    except (ValueError, UnicodeDecodeError):
        return {}


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values is not None and len(values) == 1 else None


def _echoable(value: str | None) -> str | None:
    if value is None or not 0 < len(value) <= MAX_CHALLENGE or not value.isprintable():
        return None
    return value


def _text(value: str, *extra: tuple[str, str]) -> HandshakeResponse:
    return HandshakeResponse(
        200, "text/plain; charset=utf-8", value.encode("utf-8"), (*_NOSNIFF, *extra)
    )


def _first_key(keys: KeyRing) -> tuple[str, bytes] | None:
    pairs = keys.hmac_keys()
    return pairs[0] if pairs else None


def hub_challenge(verify_token: str) -> Challenge:
    """
    Meta: answer ``GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C`` with ``C``.

    Only when ``T`` equals *verify_token* (compared in constant time).

    Raises:
        ConfigurationError: an empty verify token.

    .. versionadded:: 0.1
    """
    if not isinstance(verify_token, str) or not verify_token:
        raise ConfigurationError("hub_challenge needs your verify token")
    expected = hashlib.sha256(verify_token.encode("utf-8")).digest()

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        params = query(request)
        token = _one(params, "hub.verify_token")
        challenge = _echoable(_one(params, "hub.challenge"))
        if request.method != "GET" or _one(params, "hub.mode") != "subscribe":
            return None
        if token is None or challenge is None:
            return None
        if not bytes_eq(hashlib.sha256(token.encode("utf-8")).digest(), expected):
            return None
        return _text(challenge)

    return answer


def echo_header(*, header: str, reply_field: str, key_header: str = "Authorization") -> Challenge:
    """
    Okta: answer ``GET`` carrying *header* with ``{reply_field: <its value>}`` as JSON.

    Only when *key_header* carries one of the verifier's tokens, compared
    as SHA-256 digests in constant time: the check is as authenticated as a
    delivery of a ``token`` scheme, so the scheme can declare it by default.

    .. versionadded:: 0.1
    """

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        value = _echoable(request.headers.optional(header))
        token = request.headers.optional(key_header)
        if request.method != "GET" or value is None or token is None:
            return None
        # The token construction's own comparison: digests, every key, no early exit.
        expected = [(key_id, hashlib.sha256(key).digest()) for key_id, key in keys.hmac_keys()]
        if match_key(expected, [token_digest(token)]) is None:
            return None
        reply = json.dumps({reply_field: value}).encode("utf-8")
        return HandshakeResponse(200, "application/json", reply, _NOSNIFF)

    return answer


def validation_token() -> Challenge:
    """
    Microsoft Graph: answer ``POST ?validationToken=T`` (empty body) with ``T`` as text.

    Graph sends it when a subscription is created or renewed; the token is
    opaque and unsigned, and the answer proves only that this URL is yours.
    Enable it on the route that receives Graph's notifications only.

    .. versionadded:: 0.1
    """

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        token = _echoable(_one(query(request), "validationToken"))
        if request.method != "POST" or request.body.strip() or token is None:
            return None
        return _text(token)

    return answer


def crc_challenge() -> Challenge:
    """
    X: answer ``GET ?crc_token=T`` with ``{"response_token": "sha256=<base64 HMAC(key, T)>"}``.

    The reply is a MAC under the consumer secret (the verifier's first key).

    .. versionadded:: 0.1
    """

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        token = _echoable(_one(query(request), "crc_token"))
        key = _first_key(keys)
        if request.method != "GET" or token is None or key is None:
            return None
        digest = hmac.digest(key[1], token.encode("utf-8"), "sha256")
        reply = {"response_token": "sha256=" + base64.b64encode(digest).decode("ascii")}
        return HandshakeResponse(200, "application/json", json.dumps(reply).encode("utf-8"))

    return answer


_BT_CHALLENGE = re.compile(r"[a-f0-9]{20,32}")


def bt_challenge() -> Challenge:
    """
    Braintree: answer ``GET ?bt_challenge=C`` with ``<public key>|hex(HMAC-SHA1(SHA1(key), C))``.

    The verifier's first key must be ``Secret(<private key>, key_id=<public key>)``.

    .. versionadded:: 0.1
    """

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        challenge = _one(query(request), "bt_challenge")
        key = _first_key(keys)
        if request.method != "GET" or challenge is None or key is None:
            return None
        if _BT_CHALLENGE.fullmatch(challenge) is None:
            return None
        digest = hmac.new(key[1], challenge.encode("ascii"), "sha1").hexdigest()
        return _text(f"{key[0]}|{digest}")

    return answer


def hook_secret(accept: Callable[[str], bool]) -> Challenge:
    """
    Asana: answer a ``POST`` with ``X-Hook-Secret`` by echoing it, if ``accept(secret)`` says so.

    *accept* stores the secret (for the verifier you build next) and returns
    ``True`` only while you are creating a webhook: Asana sends the handshake
    while your create call is in flight.  Outside that window it returns
    ``False``, and the request is refused like any unsigned one.

    Raises:
        ConfigurationError: *accept* is not callable.

    .. versionadded:: 0.1
    """
    if not callable(accept):
        raise ConfigurationError("hook_secret needs a callable that accepts the secret")

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        secret = _echoable(request.headers.optional("X-Hook-Secret"))
        if request.method != "POST" or secret is None or not accept(secret):
            return None
        return HandshakeResponse(
            200, "text/plain; charset=utf-8", b"", (("X-Hook-Secret", secret),)
        )

    return answer
