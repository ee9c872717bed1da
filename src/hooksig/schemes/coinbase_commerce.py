"""
Coinbase Commerce: HMAC-SHA256 of the raw body, hex, in ``X-CC-Webhook-Signature``.

Source: https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security
(and coinbase-commerce-node ``lib/Webhook.js``)

The key is the webhook shared secret.  No timestamp is signed: the
idempotency key is the event id, ``event.id`` in the body.  (Coinbase
CDP's ``X-Hook0-Signature`` is another product.)
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="coinbase-commerce",
    signature_header="X-CC-Webhook-Signature",
    id_header="body.event.id",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook shared secret, as text",
    docs_url="https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security",
)
