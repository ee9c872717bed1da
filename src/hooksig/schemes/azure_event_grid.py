"""
Azure Event Grid: no payload signature; a secret in the URL's query, compared in constant time.

Sources: https://learn.microsoft.com/en-us/azure/event-grid/security-authentication,
https://learn.microsoft.com/en-us/azure/event-grid/end-point-validation-event-grid-events-schema
and https://learn.microsoft.com/en-us/azure/event-grid/end-point-validation-cloud-events-schema
(MicrosoftDocs/azure-docs@015ce18, @2179f4c, @03e5750).

Recipe: Event Grid signs nothing.  You give it an ``https`` endpoint URL that
carries a secret as a query parameter (``?code=<secret>`` by default; set
``parameter=``), and every delivery comes to that URL: the secret must be
there, compared in constant time; during a rotation pass old and new as
``secrets=[...]``, as Microsoft advises.  The URL comes from your
``public_url`` joined with the request path.  Anyone who learns the URL can
send Event-Grid-shaped events: keep it secret, as you would a key.  Microsoft
Entra bearer tokens are the other option Event Grid offers; which claims a
receiver must check is UNCONFIRMED first-hand, so hooksig does not verify them.

Challenge: a new subscription is validated with a
``Microsoft.EventGrid.SubscriptionValidationEvent`` (header
``aeg-event-type: SubscriptionValidation``), answered 200 with
``{"validationResponse": "<data.validationCode>"}`` within 30 seconds; the
CloudEvents schema validates with ``OPTIONS`` and ``WebHook-Request-Origin``,
answered with ``WebHook-Allowed-Origin``.  Configure
``challenge=hooksig.schemes.azure_event_grid.validation()``: it answers only
when the URL's secret is right (the validation is sent to the same URL), and,
given ``subscriptions=``, only for those ``aeg-subscription-name`` values, as
Microsoft advises.  Events batch in an array, each with its own ``id``:
there is no single delivery id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hooksig.errors import ConfigurationError, MissingSignature
from hooksig.keys import KeyRing, hmac_ring
from hooksig.scheme import (
    BodyDigest,
    BodyField,
    EachItem,
    Evidence,
    FirstOf,
    IdSource,
    Unsigned,
    bytes_eq,
)
from hooksig.scheme.challenge import Challenge, query
from hooksig.scheme.handshake import MAX_CHALLENGE, HandshakeResponse
from hooksig.scheme.protocol import Content, ParsedSignature, Request

VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent"


def _secret(request: Request, parameter: str) -> bytes:
    if request.url is None:
        raise ConfigurationError(
            "the azure-event-grid scheme reads a secret from the URL: pass url= to verify() "
            "or public_url= to the Verifier"
        )
    values = query(request).get(parameter, [])
    if len(values) != 1 or not values[0]:
        raise MissingSignature(f"query parameter {parameter} is missing", header=parameter)
    return hashlib.sha256(values[0].encode("utf-8")).digest()


def _known(keys: KeyRing, digest: bytes) -> str | None:
    found = None
    for key_id, key in keys.hmac_keys():
        if bytes_eq(hashlib.sha256(key).digest(), digest) and found is None:
            found = key_id
    return found


@dataclass(frozen=True, kw_only=True)
class EventGridScheme(Unsigned):
    """
    Azure Event Grid deliveries, authenticated by a secret query parameter.

    Args:
        parameter: the query parameter holding the secret.

    .. versionadded:: 0.1
    """

    name: str
    parameter: str = "code"
    challenge: Any = None
    secret_hint: str = ""
    docs_url: str = ""
    default_tolerance: float | None = None
    secret_format: str = "utf-8"
    algorithm_text: str = "none: a secret in the URL's query, compared in constant time"
    content_text: str = "nothing"
    secret_value: str = field(default="<secret> (in the URL's query)", init=False)
    signs_url: bool = field(default=True, init=False)
    id_source: IdSource | None = None
    evidence: Evidence | None = None

    @property
    def signature_header(self) -> str:
        """The secret travels in the URL's query: ``query.<parameter>``."""
        return f"query.{self.parameter}"

    def signed_body_part(self, body: bytes) -> object:
        """Nothing of the body: any two bodies are one delivery to this scheme."""
        return b""

    def load_keys(
        self, secrets: Any, *, public_key: object | None = None, signing_key: object | None = None
    ) -> KeyRing:
        """The query secret(s); every one is accepted (rotation)."""
        if public_key is not None or signing_key is not None:
            raise ConfigurationError("the azure-event-grid scheme uses a query secret, not keys")
        return hmac_ring(secrets, "utf-8")

    def parse(self, request: Request) -> ParsedSignature:
        """The secret's digest from the URL's query."""
        return ParsedSignature(
            (("", _secret(request, self.parameter)),),
            header=self.parameter,
            id_source=self.id_source,
        )

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """The query's secret is one of the configured secrets (constant time)."""
        return _known(keys, parsed.candidates[0][1])

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """The secret, as the query parameter of the URL Event Grid calls (``query.<name>``)."""
        signer = keys.signing_key
        if signer is None or not isinstance(signer.material, bytes):
            raise ConfigurationError("signing needs the secret")
        return {f"query.{self.parameter}": signer.material.decode("utf-8")}


def _allowed_origin(request: Request) -> HandshakeResponse | None:
    """CloudEvents' abuse protection: consent to the origin that asked."""
    origin = request.headers.optional("WebHook-Request-Origin")
    if origin is None or not 0 < len(origin) <= 255 or not origin.isprintable():
        return None
    allowed = (("WebHook-Allowed-Origin", origin), ("Allow", "POST, OPTIONS"))
    return HandshakeResponse(200, "text/plain; charset=utf-8", b"", allowed)


def _validation_response(body: bytes) -> HandshakeResponse | None:
    """``{"validationResponse": code}`` for a one-event SubscriptionValidationEvent array."""
    try:
        events = json.loads(body)
    except (ValueError, RecursionError):
        return None
    event = events[0] if isinstance(events, list) and len(events) == 1 else None
    if not isinstance(event, dict) or event.get("eventType") != VALIDATION_EVENT:
        return None
    data = event.get("data")
    code = data.get("validationCode") if isinstance(data, dict) else None
    if not isinstance(code, str) or not 0 < len(code) <= MAX_CHALLENGE:
        return None
    reply = json.dumps({"validationResponse": code}).encode()
    return HandshakeResponse(200, "application/json", reply)


def validation(subscriptions: Sequence[str] = (), parameter: str = "code") -> Challenge:
    """
    Event Grid's subscription validation, answered only with the URL's secret present.

    Args:
        subscriptions: the ``aeg-subscription-name`` values you created; empty accepts any.
        parameter: the query parameter holding the secret (the scheme's).

    .. versionadded:: 0.1
    """
    allowed = {name.upper() for name in subscriptions}

    def answer(request: Request, keys: KeyRing) -> HandshakeResponse | None:
        try:
            digest = _secret(request, parameter)
        except (MissingSignature, ConfigurationError):
            return None
        name = request.headers.optional("aeg-subscription-name")
        if _known(keys, digest) is None or (allowed and (name or "").upper() not in allowed):
            return None
        if request.method == "OPTIONS":
            return _allowed_origin(request)
        kind = request.headers.optional("aeg-event-type")
        if request.method != "POST" or kind != "SubscriptionValidation":
            return None
        return _validation_response(request.body)

    return answer


#: The challenge builder this provider's unsigned check needs.
CHALLENGE = "hooksig.schemes.azure_event_grid.validation()"

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig
from hooksig.schemes.azure_event_grid import validation

scheme = hooksig.schemes.configure("azure-event-grid", challenge=validation())
verifier = hooksig.Verifier(
    scheme,
    secret=os.environ["AZURE_EVENT_GRID_WEBHOOK_SECRET"],  # the ?code= secret
    public_url="https://example.com/hooks/azure-event-grid",
)
"""

SCHEME = EventGridScheme(
    name="azure-event-grid",
    secret_hint="the secret you put in the endpoint URL's query (?code=...), as text",
    docs_url="https://learn.microsoft.com/en-us/azure/event-grid/security-authentication",
    id_source=FirstOf(EachItem(fields=("id",)), BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against=(
            "Event Grid signs nothing; the documented validation event and the "
            "query-secret recipe of Microsoft's docs"
        ),
        tests=("tests/schemes/test_azure_event_grid.py",),
    ),
)
