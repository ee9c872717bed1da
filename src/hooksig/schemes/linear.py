"""
Linear: HMAC-SHA256 of the raw body, hex, in ``Linear-Signature``.

Source: linear SDK ``packages/sdk/src/webhooks/client.ts`` (https://linear.app/developers/webhooks).

Recipe: ``hex(HMAC-SHA256(webhook_secret, body))``.  The timestamp is the
body's ``webhookTimestamp`` field, in milliseconds, so it is covered by the
signature; the SDK refuses one more than 60 seconds from now, and so does
this scheme by default.  The ``Linear-Delivery`` id header comes from
third-party material (an Agent-Field source), not from Linear.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="linear",
    signature_header="Linear-Signature",
    algorithm="sha256",
    encoding="hex",
    timestamp_header="body.webhookTimestamp",
    timestamp_unit="ms",
    tolerance=60,
    id_header="Linear-Delivery",  # third-party
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://linear.app/developers/webhooks",
)
