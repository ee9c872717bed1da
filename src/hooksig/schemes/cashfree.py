"""
Cashfree Payments: base64 HMAC-SHA256 of ``<timestamp><body>`` in ``x-webhook-signature``.

Source: https://www.cashfree.com/docs/payments/online/webhooks/signature-verification
(``signedPayload := $timestamp.$payload``, PHP concatenation, with the
example timestamp ``1617695238078``) and Cashfree's SDK, PyPI
``cashfree-pg`` 6.0.1 ``cashfree_pg/api_client.py``
(``PGVerifyWebhookSignature``: ``timestamp + rawBody``, keyed by the
client secret's UTF-8, base64).

``x-webhook-timestamp`` is Unix **milliseconds** (as the docs' example);
the timestamp and the body are joined with nothing between.  Cashfree's
SDK checks no time: hooksig's default window, 300 seconds, is its own
choice.  The key is the client secret (the same for Payment Gateway,
Payouts V2, Secure ID and PPI webhooks); keep the previous one configured
(``secrets=[new, old]``) while webhooks signed before a rotation arrive.

Delivery id: the SHA-256 of the body (:class:`~hooksig.scheme.BodyDigest`),
as Cashfree's own idempotency header is a hash unique to each payload
(https://www.cashfree.com/docs/payments/online/webhooks/overview; its name
is UNCONFIRMED, so it is not read): byte-identical bodies share a key.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="cashfree",
    signature_header="x-webhook-signature",
    timestamp_header="x-webhook-timestamp",
    timestamp_unit="ms",
    encoding="base64",
    content="{timestamp}{body}",
    tolerance=300,
    secret_hint="the client secret key, as text",
    docs_url="https://www.cashfree.com/docs/payments/online/webhooks/signature-verification",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Cashfree publishes no fixed vector; its SDK (cashfree-pg 6.0.1, "
        "`PGVerifyWebhookSignature`) pins urllib3<2.1 and is not installed here: the "
        "recipe from its docs and that SDK source, recomputed",
        tests=("tests/schemes/test_cashfree.py",),
    ),
)
