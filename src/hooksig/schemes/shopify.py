"""
Shopify: HMAC-SHA256 of the raw body, base64, in ``X-Shopify-Hmac-Sha256``.

Source: https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
(and Shopify's ``shopify-api`` library, ``lib/webhooks/validate.ts``).

The key is the app's client secret, as text.  Shopify signs no timestamp
(``X-Shopify-Triggered-At`` is sent but not signed): rely on the
idempotency guard, keyed on ``X-Shopify-Webhook-Id``.  Events-type
webhooks use the unprefixed lowercase ``shopify-*`` names, read here too.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="shopify",
    signature_header=("X-Shopify-Hmac-Sha256", "shopify-hmac-sha256"),
    algorithm="sha256",
    encoding="base64",
    id_header=("X-Shopify-Webhook-Id", "shopify-webhook-id"),
    docs_url="https://shopify.dev/docs/apps/build/webhooks/subscribe/https",
)
