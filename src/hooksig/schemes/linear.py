"""
Linear: HMAC-SHA256 of the raw body, hex, in ``Linear-Signature``.

Source: linear SDK ``packages/sdk/src/webhooks/client.ts`` (https://linear.app/developers/webhooks).

Recipe: ``hex(HMAC-SHA256(webhook_secret, body))``.  The timestamp is the
body's ``webhookTimestamp`` field, in milliseconds, so it is covered by the
signature; the SDK refuses one more than 60 seconds from now, and so does
this scheme by default.

Delivery id: ``Linear-Delivery`` (third-party: an Agent-Field source, not
Linear), else the SHA-256 of the body.  Linear retries with backoff (same
page); since ``webhookTimestamp`` is signed and changes per dispatch, a
digest does not recognise a retry (it is handled again).
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme

SCHEME = HmacScheme(
    name="linear",
    signature_header="Linear-Signature",
    algorithm="sha256",
    encoding="hex",
    timestamp_header="body.webhookTimestamp",
    timestamp_unit="ms",
    tolerance=60,
    id_source=FirstOf(HeaderField("Linear-Delivery"), BodyDigest()),
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://linear.app/developers/webhooks",
    evidence=Evidence(
        kind="sdk",
        against="@linear/sdk 98.0.0 (`LinearWebhookClient`), both ways, on Node.js",
        tests=("tests/schemes/test_linear_sdk.py",),
    ),
)
