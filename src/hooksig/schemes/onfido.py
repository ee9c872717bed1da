"""
Onfido (Entrust): hex HMAC-SHA256 of the raw body in ``X-SHA2-Signature``.

Source: https://documentation.identity.entrust.com/api/latest/#webhooks and
Onfido's SDK, onfido/onfido-python@04baf27
``onfido/webhook_event_verifier.py``
(``WebhookEventVerifier``: key = the webhook token's UTF-8, hex digest).

No timestamp is signed and no delivery id is sent (the body names the
resource, ``payload.object.id``, and the ``payload.action``): rely on the
idempotency guard with a key derived from those.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="onfido",
    signature_header="X-SHA2-Signature",
    encoding="hex",
    secret_hint="the webhook's token, as text",
    docs_url="https://documentation.identity.entrust.com/api/latest/#webhooks",
)
