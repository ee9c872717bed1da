"""
GoCardless: hex HMAC-SHA256 of the raw body in ``Webhook-Signature``.

Source: https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks
and GoCardless's SDK, gocardless/gocardless-pro-python@d5c83f3
``gocardless_pro/webhooks.py``
(``parse``: key = the endpoint secret's UTF-8, hex digest).

The body batches events, ``{"events": [...], "meta": {"webhook_id": ...}}``;
the SDK's ``parse_with_meta`` reports ``meta.webhook_id``, which hooksig
reads, after verification, as the delivery id.  No timestamp is signed.

Delivery id: ``meta.webhook_id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="gocardless",
    signature_header="Webhook-Signature",
    encoding="hex",
    secret_hint="the webhook endpoint's secret, as text",
    docs_url="https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
    id_source=FirstOf(BodyField("meta.webhook_id"), BodyDigest()),
    evidence=Evidence(
        kind="both",
        against="gocardless-pro-python's webhook test vector and gocardless-pro 3.22.0 "
        "(`parse_with_meta`), both ways",
        tests=(
            "tests/vectors/providers/official/gocardless.json",
            "tests/schemes/test_gocardless.py",
            "tests/schemes/test_gocardless_sdk.py",
        ),
    ),
)
