"""
WooCommerce: HMAC-SHA256 of the raw body, base64, in ``X-WC-Webhook-Signature``.

Source: https://developer.woocommerce.com/docs/apis/rest-api/v2/webhooks/
and WooCommerce core, ``plugins/woocommerce/includes/class-wc-webhook.php``
(``WC_Webhook::deliver`` and ``generate_signature``).

The key is the webhook's secret, HTML-entity-decoded by WooCommerce
(``wp_specialchars_decode``), which gives back the secret as you typed it.
The algorithm is SHA-256 unless a site filters
``woocommerce_webhook_hash_algorithm``.  ``deliver`` sets the signature and
``X-WC-Webhook-Delivery-ID`` headers.  No timestamp is signed: rely on the
idempotency guard.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="woocommerce",
    signature_header="X-WC-Webhook-Signature",
    id_header="X-WC-Webhook-Delivery-ID",
    algorithm="sha256",
    encoding="base64",
    secret_hint="the webhook's Secret, as typed in WooCommerce, as text",
    docs_url="https://developer.woocommerce.com/docs/apis/rest-api/v2/webhooks/",
)
