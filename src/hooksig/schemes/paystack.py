"""
Paystack: HMAC-SHA512 of the raw body, hex, in ``x-paystack-signature``.

Source: https://paystack.com/docs/payments/webhooks/
(PaystackOSS/doc-code-snippets ``src/doc/payments/webhooks/verifying-transaction``)

The key is your account's secret key.  This is the documented (legacy)
scheme.  A newer ``t=...,v1=<kid>:<hex>`` format was once seen in an
excerpt of a Paystack snippet, but Paystack's published snippets
(PaystackOSS/doc-code-snippets@94af513, re-read for issue #15) and docs
show only this one, and its header name and rollout are UNCONFIRMED: it is
not read until Paystack documents it.  No timestamp is signed: rely on
the idempotency guard.  (The Node snippet hashes
``JSON.stringify(req.body)``; hooksig hashes the raw body, as the PHP
snippet does.)
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="paystack",
    signature_header="x-paystack-signature",
    algorithm="sha512",
    encoding="hex",
    secret_hint="your secret key (sk_...), as text",
    docs_url="https://paystack.com/docs/payments/webhooks/",
)
