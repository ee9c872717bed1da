"""
Sanity: ``sanity-webhook-signature: t=<ms>,v1=<base64url, unpadded>``.

Source: https://www.sanity.io/docs/webhooks and Sanity's toolkit,
sanity-io/webhook-toolkit@649f5ad ``src/signature.ts``.

``v1`` is HMAC-SHA256 of ``<t>.<body>`` keyed by the secret's text, in
base64url without ``=`` padding; ``t`` is Unix **milliseconds**.  Sanity's
toolkit checks no time (and compares with ``!==``); hooksig applies its
default 300-second window, its own choice.  No delivery id is read.
"""

from hooksig.scheme import HmacScheme, Pairs

SCHEME = HmacScheme(
    name="sanity",
    signature_header="sanity-webhook-signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    timestamp_unit="ms",
    encoding="base64url-nopad",
    content="{timestamp}.{body}",
    secret_hint="the webhook's secret, as text",
    docs_url="https://www.sanity.io/docs/webhooks",
)
