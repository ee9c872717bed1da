"""
Typeform: HMAC-SHA256 of the raw body, base64, in ``Typeform-Signature: sha256=<base64>``.

Source: https://www.typeform.com/developers/webhooks/secure-your-webhooks/

The key is the secret you set on the webhook, as text.  Typeform signs no
timestamp and sends no documented delivery id: rely on the idempotency
guard with the body's ``event_id``.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="typeform",
    signature_header="Typeform-Signature",
    prefix="sha256=",
    algorithm="sha256",
    encoding="base64",
    secret_hint="the secret set on the webhook, as text",
    docs_url="https://www.typeform.com/developers/webhooks/secure-your-webhooks/",
)
