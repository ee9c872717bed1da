"""
Shopify: HMAC-SHA256 of the raw body, base64, in ``X-Shopify-Hmac-Sha256``.

Source: https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
(and Shopify's ``shopify-api`` library, ``lib/webhooks/validate.ts``).

The key is the app's client secret, as text.  Shopify signs no timestamp
(``X-Shopify-Triggered-At`` is sent but not signed): rely on the
idempotency guard.  Events-type webhooks use the unprefixed lowercase
``shopify-*`` names, read here too.

Delivery id: ``X-Shopify-Event-Id``, the id Shopify tells you to detect
duplicates with (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates),
joined with ``X-Shopify-Topic`` (which Shopify sends with it) so that one
event sent to two topics is not taken for a duplicate, or alone without a
topic; for Events-type webhooks, ``shopify-webhook-id``, "the delivery ID
you can use to detect duplicates"
(https://shopify.dev/docs/apps/build/events/verify-deliveries); else the
SHA-256 of the body.  ``X-Shopify-Webhook-Id`` is not used: whether a retry
keeps it is disputed.
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme, Joined

SCHEME = HmacScheme(
    name="shopify",
    signature_header=("X-Shopify-Hmac-Sha256", "shopify-hmac-sha256"),
    algorithm="sha256",
    encoding="base64",
    id_source=FirstOf(
        Joined(HeaderField("X-Shopify-Event-Id"), HeaderField("X-Shopify-Topic")),
        HeaderField("X-Shopify-Event-Id"),
        HeaderField("shopify-webhook-id"),
        BodyDigest(),
    ),
    docs_url="https://shopify.dev/docs/apps/build/webhooks/subscribe/https",
    evidence=Evidence(
        kind="both",
        against="shopify-app-js's webhook validation fixture and @shopify/shopify-api 13.1.0, "
        "both ways, on Node.js",
        tests=(
            "tests/vectors/providers/official/shopify.json",
            "tests/schemes/test_shopify_sdk.py",
        ),
    ),
)
