"""
Checkout.com: hex HMAC-SHA256 of the raw body in ``Cko-Signature``.

Source: https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver
(the key is the one set in the workflow's webhook action; "hex-encoded
(Base16)").  The letter case is not stated; receivers in production compare
a lowercase digest, which is what hooksig accepts.

No timestamp is signed.  Checkout.com retries up to 8 times and may
deliver twice: the idempotency guard keys on the event's ``id``
(``evt_...``).  The optional static ``Authorization`` header you may also
configure is a second, token-style check you can make yourself.

Delivery id: the event's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="checkout",
    signature_header="Cko-Signature",
    encoding="hex",
    secret_hint="the signature key set on the workflow's webhook action",
    docs_url="https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Checkout.com publishes no vector or Python verifier; recipe from its webhook "
        "receiver docs",
        tests=("tests/schemes/test_checkout.py",),
    ),
)
