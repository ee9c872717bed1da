"""
Segment (and Customer.io's CDP webhook destination): hex HMAC-SHA1 of the body in ``X-Signature``.

Source: https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook
("the signature is a hex-encoded SHA1 hash of the request body, signed
with the shared secret"); Customer.io's CDP Webhook destination documents
the same recipe word for word:
https://docs.customer.io/cdp/destinations/connections/webhook (alias
``customer-io-cdp``).

Segment signs only when a shared secret is set in the destination's
settings.  SHA-1 is what Segment sends; as an HMAC it is not broken, but
no stronger choice is offered.  No timestamp is signed: rely on the
idempotency guard, keyed on the body's ``messageId``.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="segment",
    signature_header="X-Signature",
    algorithm="sha1",
    encoding="hex",
    id_field="messageId",
    secret_hint="the destination's shared secret, as text",
    docs_url="https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook",
)
