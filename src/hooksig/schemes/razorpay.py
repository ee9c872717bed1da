"""
Razorpay: HMAC-SHA256 of the raw body, hex, in ``X-Razorpay-Signature``.

Source: https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/best-practices/security
(and razorpay-python ``razorpay/utility/utility.py``)

The key is the webhook secret, not the key secret used for checkout
signatures.  No timestamp is signed.

Delivery id: ``X-Razorpay-Event-Id``, which Razorpay tells you to use to
ignore repeats over its 24-hour retries
(https://razorpay.com/docs/webhooks/best-practices/); else the SHA-256 of
the body.
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme

SCHEME = HmacScheme(
    name="razorpay",
    signature_header="X-Razorpay-Signature",
    algorithm="sha256",
    encoding="hex",
    id_source=FirstOf(HeaderField("X-Razorpay-Event-Id"), BodyDigest()),
    secret_hint="the webhook secret (not the API key secret), as text",
    docs_url="https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/best-practices/security",
    evidence=Evidence(
        kind="both",
        against="the razorpay SDK's test vector and the SDK, both ways",
        tests=(
            "tests/schemes/test_razorpay.py",
            "tests/schemes/test_razorpay_sdk.py",
        ),
    ),
)
