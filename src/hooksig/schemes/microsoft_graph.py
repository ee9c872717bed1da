"""
Microsoft Graph change notifications: ``clientState`` on every item, and every validation token.

Sources: https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks and
https://learn.microsoft.com/en-us/graph/change-notifications-with-resource-data
(microsoftgraph/microsoft-graph-docs-contrib@01c641a
``concepts/change-notifications-delivery-webhooks.md``, @063894f
``concepts/change-notifications-with-resource-data.md``, @0d92866
``concepts/includes/change-notifications-delivery-notificationurl-validation.md``).

Recipe: the body is ``{"value": [notification, ...]}``; a POST may batch
notifications of several subscriptions.  Each notification's ``clientState``
must equal the secret you set when creating the subscription (compared in
constant time; ``secrets=[...]`` for several subscriptions).  With resource
data ("rich" notifications) the body also has ``validationTokens``, one JWT
per app and tenant: configure ``app_ids=`` and every token is verified
(RS256 under Microsoft's keys from ``https://login.microsoftonline.com/common/discovery/keys``,
fetched by key id; ``aud`` one of your app ids; ``appid``
``0bf30f3b-4a52-48df-9a82-234910c4a086``, Graph's change tracking app;
``iss`` ``https://sts.windows.net/<tid>/`` with ``tid`` a tenant of the
batch; not expired).  A body with tokens and no ``app_ids`` is refused.  The
encrypted resource data itself is not decrypted here.

Challenge: creating or renewing a subscription makes Graph POST to your URL
with ``?validationToken=...``; the answer is the token as ``text/plain``
within 10 seconds.  Configure
``challenge=hooksig.scheme.challenge.validation_token()`` on the route that
receives Graph's notifications.  Graph documents no notification id stable
across retries, and no timestamp: rely on the idempotency guard.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from hooksig.errors import ConfigurationError, InvalidSignature, MalformedSignature
from hooksig.keys import KeyRing, hmac_ring
from hooksig.scheme import BodyDigest, Evidence, IdSource, Unsigned, bytes_eq
from hooksig.scheme.fields import json_document, pick
from hooksig.scheme.jwt import JwtScheme, ParsedToken
from hooksig.scheme.protocol import Content

GRAPH_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086"
KEYS_URL = "https://login.microsoftonline.com/common/discovery/keys"
MAX_ITEMS = 1000
TEST_TENANT = "00000000-0000-0000-0000-000000000000"

TOKENS = JwtScheme(
    name="microsoft-graph",
    algorithm="RS256",
    key_mode="jwks",
    keys_url=KEYS_URL,
    claims={"appid": GRAPH_APP_ID},
    required=("exp", "aud", "iss", "tid", "appid"),
    tolerance=None,
)


@dataclass(frozen=True)
class ParsedNotifications(ParsedToken):
    """The batch's ``clientState`` digests, and its validation tokens."""

    states: tuple[bytes, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GraphScheme(Unsigned):
    """
    Microsoft Graph change notifications.

    Args:
        app_ids: your application ids, the audiences of rich notifications' tokens.
        tokens: the token policy (its ``keys_url`` and ``key_rule`` may be
            pointed at a test server).
        challenge: see :mod:`hooksig.scheme.challenge` (``validation_token()``).

    .. versionadded:: 0.1
    """

    name: str
    app_ids: tuple[str, ...] = ()
    tokens: JwtScheme = TOKENS
    challenge: Any = None
    secret_hint: str = ""
    docs_url: str = ""
    default_tolerance: float | None = field(default=None, init=False)
    secret_format: str = field(default="utf-8", init=False)
    algorithm_text: str = field(
        default="none: the clientState secret (+ RS256 validation tokens)", init=False
    )
    content_text: str = field(default="nothing: every item's clientState is compared", init=False)
    secret_value: str = field(default="<clientState> (in every item)", init=False)
    signs_url: bool = field(default=False, init=False)
    id_source: IdSource | None = None
    evidence: Evidence | None = None
    signature_header: str = field(default="body.value", init=False)

    def signed_body_part(self, body: bytes) -> object:
        """The ``clientState`` values and tokens: the rest of the body is not covered."""
        from hooksig.errors import WebhookError
        from hooksig.scheme import Headers
        from hooksig.scheme.protocol import Request

        try:
            parsed = self.parse(Request(body, Headers()))
        except WebhookError:
            return None
        return parsed.states, parsed.tokens

    def load_keys(
        self, secrets: Any, *, public_key: object | None = None, signing_key: object | None = None
    ) -> KeyRing:
        """The ``clientState`` secrets, and where the tokens' keys come from."""
        states = hmac_ring(secrets, "utf-8")
        if signing_key is not None:
            tokens = self.tokens.load_keys((), signing_key=signing_key)
        elif self.app_ids:
            tokens = self.tokens.load_keys((), public_key=public_key)
        elif public_key is not None:
            raise ConfigurationError("public_key= is for rich notifications: configure app_ids=")
        else:
            tokens = KeyRing((), None)
        return KeyRing((*states.verify_keys, *tokens.verify_keys), states.signing_key)

    def _policy(self) -> JwtScheme:
        return replace(self.tokens, audience=self.app_ids)

    def parse(self, request: Any) -> ParsedNotifications:
        """Every item's ``clientState``, and every token checked up to its signature."""
        document = json_document(request.body)
        items = document.get("value") if isinstance(document, dict) else None
        if not isinstance(items, list) or not 0 < len(items) <= MAX_ITEMS:
            raise MalformedSignature(
                "field body.value is not a list", reason="bad_field", header="body.value"
            )
        states, tenants = [], set()
        for _index, item in enumerate(items):
            state = pick(item, "clientState", signature=True) if isinstance(item, dict) else None
            if state is None:
                raise MalformedSignature(
                    "an item is not an object", reason="bad_field", header="body.value"
                )
            states.append(hashlib.sha256(state.encode("utf-8")).digest())
            tenants.add(pick(item, "tenantId", required=False))
        raw = document.get("validationTokens", [])
        if (
            not isinstance(raw, list)
            or not all(isinstance(t, str) for t in raw)
            or len(raw) > MAX_ITEMS
        ):
            raise MalformedSignature(
                "field body.validationTokens is not a list of tokens", reason="bad_field"
            )
        if raw and not self.app_ids:
            raise MalformedSignature(
                "the notifications carry validation tokens: configure app_ids=",
                reason="unverifiable_tokens",
                header="body.validationTokens",
            )
        policy, kids, claims = self._policy(), [], []
        for token in raw:
            header, found = policy.inspect(token, "body.validationTokens", request)
            tid = found.get("tid")
            if tid not in tenants or found.get("iss") != f"https://sts.windows.net/{tid}/":
                raise InvalidSignature(
                    "a validation token is from another tenant",
                    reason="wrong_issuer",
                    header="body.validationTokens",
                )
            kids.append(header.get("kid") if isinstance(header.get("kid"), str) else None)
            claims.append(found)
        return ParsedNotifications(
            candidates=(("", states[0]),),
            header="body.value",
            id_source=self.id_source,
            tokens=tuple(raw),
            kids=tuple(kids),
            chains=tuple(() for _ in raw),
            claims=tuple(claims),
            states=tuple(states),
        )

    def resolve_keys(self, parsed: Any, request: Any, keys: KeyRing) -> KeyRing:
        """The keys the tokens name, fetched under the fixed Microsoft host."""
        if not parsed.tokens:
            return keys
        found = self._policy().resolve_keys(parsed, request, keys)
        return self._merge(keys, found)

    async def resolve_keys_async(self, parsed: Any, request: Any, keys: KeyRing) -> KeyRing:
        """:meth:`resolve_keys`, awaiting the fetch."""
        if not parsed.tokens:
            return keys
        found = await self._policy().resolve_keys_async(parsed, request, keys)
        return self._merge(keys, found)

    @staticmethod
    def _merge(keys: KeyRing, found: KeyRing) -> KeyRing:
        states = tuple(k for k in keys.verify_keys if k.kind == "hmac")
        return KeyRing(
            (*states, *(k for k in found.verify_keys if k.kind == "jwt")), keys.signing_key
        )

    def match(self, keys: KeyRing, content: Content, parsed: Any) -> str | None:
        """Every ``clientState`` is a configured secret, and every token verifies."""
        secrets = [
            (k.key_id, hashlib.sha256(k.material).digest())
            for k in keys.verify_keys
            if k.kind == "hmac" and isinstance(k.material, bytes)
        ]
        first, failed = None, False
        for state in parsed.states:
            hit = None
            for key_id, digest in secrets:
                if bytes_eq(digest, state) and hit is None:
                    hit = key_id
            failed |= hit is None
            first = first if first is not None else hit
        if parsed.tokens and self._policy().match(keys, content, parsed) is None:
            return None
        return None if failed else first

    def sign(
        self, keys: KeyRing, request: Any, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """A batch as Graph would send it: every item's ``clientState`` set to the first secret."""
        signer = keys.signing_key
        if signer is None or not isinstance(signer.material, bytes):
            raise ConfigurationError("signing needs the clientState secret")
        try:
            document = json.loads(request.body)
        except ValueError:
            document = None
        items = document.get("value") if isinstance(document, dict) else None
        if not isinstance(items, list) or not items:
            document = {
                "value": [
                    {
                        "subscriptionId": id or "hooksig-test",
                        "changeType": "created",
                        "resource": "hooksig/test",
                        "tenantId": TEST_TENANT,
                        "data": document,
                    }
                ]
            }
            items = document["value"]
        for item in items:
            item["clientState"] = signer.material.decode("utf-8")
        return {"body": json.dumps(document)}


#: The challenge builder this provider's unsigned check needs.
CHALLENGE = "validation_token()"

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig
from hooksig.scheme.challenge import validation_token

scheme = hooksig.schemes.configure(
    "microsoft-graph", app_ids=("your-application-id",), challenge=validation_token()
)
# The secret: the subscription's clientState.
verifier = hooksig.Verifier(scheme, secret=os.environ["MICROSOFT_GRAPH_WEBHOOK_SECRET"])
"""

SCHEME = GraphScheme(
    name="microsoft-graph",
    secret_hint="the subscription's clientState, as text (app_ids= for rich notifications)",
    docs_url="https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against=(
            "Microsoft publishes no signed example; the documented notification shape, "
            "tokens made here with the claims its rich-notification page lists"
        ),
        tests=("tests/schemes/test_microsoft_graph.py",),
    ),
)
