"""
Razorpay: HMAC-SHA256 of the raw body, hex, in ``X-Razorpay-Signature``.

Source: https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/best-practices/security
(and razorpay-python ``razorpay/utility/utility.py``)

The key is the webhook secret, not the key secret used for checkout
signatures.  No timestamp is signed and the ``x-razorpay-event-id`` header
is UNCONFIRMED: rely on the idempotency guard with the body's ids.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="razorpay",
    signature_header="X-Razorpay-Signature",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook secret (not the API key secret), as text",
    docs_url="https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/best-practices/security",
)
