"""
WooCommerce: HMAC-SHA256 of the raw body, base64, in ``X-WC-Webhook-Signature``.

Source: https://developer.woocommerce.com/docs/apis/rest-api/v2/webhooks/
and WooCommerce core, ``plugins/woocommerce/includes/class-wc-webhook.php``
(``WC_Webhook::deliver`` and ``generate_signature``).

The key is the webhook's secret, HTML-entity-decoded by WooCommerce
(``wp_specialchars_decode``), which gives back the secret as you typed it.
The algorithm is SHA-256 unless a site filters
``woocommerce_webhook_hash_algorithm``.  No timestamp is signed.

Delivery id: the SHA-256 of ``X-WC-Webhook-ID`` (the webhook) and the body.
``X-WC-Webhook-Delivery-ID`` is not the key: ``get_new_delivery_id`` in the
file above derives it from the webhook id and the current second, so any
re-send gets a new one and two deliveries of one webhook in the same
second share one.  Caveat: two byte-identical bodies for one webhook share
a key (an update that leaves the resource unchanged within its
``date_modified`` second), and the webhook id header is not signed.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="woocommerce",
    signature_header="X-WC-Webhook-Signature",
    id_source=BodyDigest(headers=("X-WC-Webhook-ID",)),
    algorithm="sha256",
    encoding="base64",
    secret_hint="the webhook's Secret, as typed in WooCommerce, as text",
    docs_url="https://developer.woocommerce.com/docs/apis/rest-api/v2/webhooks/",
    evidence=Evidence(
        kind="vector",
        against="WooCommerce core's `test_generate_signature` fixture",
        tests=("tests/schemes/test_woocommerce.py",),
    ),
)
