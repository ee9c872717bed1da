"""
GoCardless: hex HMAC-SHA256 of the raw body in ``Webhook-Signature``.

Source: https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks
and GoCardless's SDK, gocardless/gocardless-pro-python@d5c83f3
``gocardless_pro/webhooks.py``
(``parse``: key = the endpoint secret's UTF-8, hex digest).

The body batches events, ``{"events": [...], "meta": {"webhook_id": ...}}``;
the SDK's ``parse_with_meta`` reports ``meta.webhook_id``, which hooksig
reads as the delivery id.  No timestamp is signed.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="gocardless",
    signature_header="Webhook-Signature",
    encoding="hex",
    id_header="body.meta.webhook_id",
    secret_hint="the webhook endpoint's secret, as text",
    docs_url="https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
)
