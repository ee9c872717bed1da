"""
ClickUp: hex HMAC-SHA256 of the raw body in ``X-Signature``.

Source: https://developer.clickup.com/docs/webhooksignature ("Signatures are
always digested in hexadecimal format"); the key is the ``secret`` returned
when the webhook is created.

No timestamp is signed and no delivery id is sent (the body has
``webhook_id``, ``event`` and ``history_items[].id``): rely on the
idempotency guard with a key you derive from those.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="clickup",
    signature_header="X-Signature",
    encoding="hex",
    secret_hint="the webhook's secret, returned when it is created",
    docs_url="https://developer.clickup.com/docs/webhooksignature",
)
