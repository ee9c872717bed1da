"""
Paystack: HMAC-SHA512 of the raw body, hex, in ``x-paystack-signature``.

Source: https://paystack.com/docs/payments/webhooks/
(PaystackOSS/doc-code-snippets ``src/doc/payments/webhooks/verifying-transaction``)

The key is your account's secret key.  This is the documented (legacy)
scheme; a newer ``t=...,v1=<kid>:<hex>`` format appears in Paystack's
snippets, but its header name and rollout are UNCONFIRMED, so it is not
read.  No timestamp is signed: rely on the idempotency guard.  (The Node
snippet hashes ``JSON.stringify(req.body)``; hooksig hashes the raw body,
as the PHP snippet does.)
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
