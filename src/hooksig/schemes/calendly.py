"""
Calendly: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Calendly-Webhook-Signature: t=...,v1=...``.

Sources: https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures,
https://developer.calendly.com/docs/webhooks/overview

The key is the webhook signing key (you choose it with a personal access
token; OAuth apps get one).  Calendly's tolerance is UNCONFIRMED, so
hooksig's 300-second default applies.
"""

from hooksig.scheme import HmacScheme, Pairs

SCHEME = HmacScheme(
    name="calendly",
    signature_header="Calendly-Webhook-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    secret_hint="the webhook signing key, as text",
    docs_url="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures",
)
