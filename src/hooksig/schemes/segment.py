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

Delivery id: the body's ``messageId``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="segment",
    signature_header="X-Signature",
    algorithm="sha1",
    encoding="hex",
    secret_hint="the destination's shared secret, as text",
    docs_url="https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook",
    id_source=FirstOf(BodyField("messageId"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Segment publishes no vector or SDK verifier; recipe from its Webhook destination "
        "docs",
        tests=("tests/schemes/test_segment.py",),
    ),
    alias_evidence={
        "customer-io-cdp": Evidence(
            kind="none",
            against="Customer.io documents Segment's recipe word for word; no vector or SDK",
            tests=("tests/schemes/test_segment.py",),
        ),
    },
)
