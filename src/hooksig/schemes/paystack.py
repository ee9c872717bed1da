"""
Paystack: HMAC-SHA512 of the raw body, hex, in ``x-paystack-signature``.

Source: https://paystack.com/docs/payments/webhooks/
(PaystackOSS/doc-code-snippets ``src/doc/payments/webhooks/verifying-transaction``)

The key is your account's secret key.  This is the documented (legacy)
scheme.  A newer ``t=...,v1=<kid>:<hex>`` format was once seen in an
excerpt of a Paystack snippet, but Paystack's published snippets
(PaystackOSS/doc-code-snippets@94af513, re-read for issue #15) and docs
show only this one, and its header name and rollout are UNCONFIRMED: it is
not read until Paystack documents it.  No timestamp is signed.  (The Node
snippet hashes ``JSON.stringify(req.body)``; hooksig hashes the raw body,
as the PHP snippet does.)

Delivery id: none found in Paystack's material (UNCONFIRMED), so the key is
the SHA-256 of the body, never ``data.id`` alone (one transaction has many
events).  Caveat: two byte-identical bodies share a key, and a resend whose
body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="paystack",
    signature_header="x-paystack-signature",
    algorithm="sha512",
    encoding="hex",
    id_source=BodyDigest(),
    secret_hint="your secret key (sk_...), as text",
    docs_url="https://paystack.com/docs/payments/webhooks/",
    evidence=Evidence(
        kind="vector",
        against="the webhook fixture of PaystackOSS/paystack-php's tests",
        tests=("tests/vectors/providers/official/paystack.json",),
    ),
)
