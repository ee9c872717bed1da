"""
Answering the handshakes some providers send, after verification only.

Slack, Discord, Zoom and Twitch each check a new endpoint with a special
delivery that must be answered in a set way (echo a challenge, return a
PING, return an HMAC of a token).  A scheme declares its handshake as data
with one of the builders below, and :meth:`hooksig.Verifier.handshake`
runs it on a :class:`~hooksig.Delivery`, which exists only once the
signature has been checked: nothing unsigned is ever answered.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..delivery import Delivery
from ..errors import MalformedPayload
from ..keys import KeyRing

#: The longest challenge or token echoed back, in characters.
MAX_CHALLENGE = 4096


@dataclass(frozen=True)
class HandshakeResponse:
    """
    The answer a provider expects to its handshake: send it instead of running your handler.

    Attributes:
        status: the HTTP status code (200).
        content_type: the ``Content-Type`` of ``body``.
        body: the exact bytes to send.
        extra_headers: other headers the provider expects (Asana's
            ``X-Hook-Secret``, Event Grid's ``WebHook-Allowed-Origin``).

    .. versionadded:: 0.1
    """

    status: int
    content_type: str
    body: bytes
    extra_headers: tuple[tuple[str, str], ...] = ()

    @property
    def headers(self) -> dict[str, str]:
        """Response headers to send, such as ``{"Content-Type": ...}``."""
        return {"Content-Type": self.content_type, **dict(self.extra_headers)}


HandshakeResponse.__module__ = "hooksig"  # its public name, hooksig.HandshakeResponse

# A scheme's answer to its provider's endpoint check: the verified delivery and
# the key ring to the response, or None for an ordinary delivery.
Handshake = Callable[[Delivery, KeyRing], "HandshakeResponse | None"]


def _document(delivery: Delivery) -> dict[str, object] | None:
    """The body as a JSON object (parsed as strictly as ``Delivery.json()``), or ``None``."""
    try:
        document = delivery.json()
    except MalformedPayload:
        return None
    return document if isinstance(document, dict) else None


def _lookup(document: object, path: tuple[str, ...]) -> str | None:
    """The string at *path*, if it is one of a sane length."""
    for part in path:
        document = document.get(part) if isinstance(document, dict) else None
    if isinstance(document, str) and 0 < len(document) <= MAX_CHALLENGE:
        return document
    return None


def _applies(
    delivery: Delivery, when: Mapping[str, object], header: tuple[str, str] | None
) -> dict[str, object] | None:
    """The body, if the header and every *when* field match; else ``None``."""
    if header is not None and delivery.headers.get(header[0]) != header[1]:
        return None
    document = _document(delivery)
    if document is None or any(document.get(key) != value for key, value in when.items()):
        return None
    return document


def _json(value: object) -> HandshakeResponse:
    """A 200 JSON answer."""
    return HandshakeResponse(200, "application/json", json.dumps(value).encode("utf-8"))


def echo_challenge(
    *,
    when: Mapping[str, object] | None = None,
    header: tuple[str, str] | None = None,
    field: tuple[str, ...] = ("challenge",),
    reply: Literal["text", "json"] = "text",
) -> Handshake:
    """
    Answer a delivery whose body matches *when* (and *header*) by echoing a body field.

    Slack: ``when={"type": "url_verification"}``; Twitch:
    ``header=("Twitch-Eventsub-Message-Type", "webhook_callback_verification")``.

    .. versionadded:: 0.1
    """
    conditions = dict(when or {})

    def answer(delivery: Delivery, keys: KeyRing) -> HandshakeResponse | None:
        document = _applies(delivery, conditions, header)
        value = None if document is None else _lookup(document, field)
        if value is None:
            return None
        if reply == "json":
            return _json({field[-1]: value})
        return HandshakeResponse(200, "text/plain; charset=utf-8", value.encode("utf-8"))

    return answer

    return answer


def fixed_reply(*, when: Mapping[str, object], reply: object) -> Handshake:
    """
    Answer a delivery whose body matches *when* with a fixed JSON document (Discord PING).

    .. versionadded:: 0.1
    """
    conditions = dict(when)

    def answer(delivery: Delivery, keys: KeyRing) -> HandshakeResponse | None:
        return None if _applies(delivery, conditions, None) is None else _json(reply)

    return answer


def hmac_token(
    *,
    when: Mapping[str, object],
    field: tuple[str, ...],
    echo_as: str,
    answer_as: str,
    algorithm: str = "sha256",
) -> Handshake:
    """
    Answer with a body token and its hex HMAC under the key that verified the delivery (Zoom).

    The reply is ``{echo_as: token, answer_as: hex(HMAC(key, token))}``.

    .. versionadded:: 0.1
    """
    conditions = dict(when)

    def answer(delivery: Delivery, keys: KeyRing) -> HandshakeResponse | None:
        document = _applies(delivery, conditions, None)
        token = None if document is None else _lookup(document, field)
        key = dict(keys.hmac_keys()).get(delivery.key_id or "")
        if token is None or key is None:
            return None
        digest = hmac.new(key, token.encode("utf-8"), algorithm).hexdigest()
        return _json({echo_as: token, answer_as: digest})

    return answer
