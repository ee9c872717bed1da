"""
Coinbase Commerce: HMAC-SHA256 of the raw body, hex, in ``X-CC-Webhook-Signature``.

Source: https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security
(and coinbase-commerce-node ``lib/Webhook.js``)

The key is the webhook shared secret.  No timestamp is signed.  (Coinbase
CDP's ``X-Hook0-Signature`` is another product.)

Delivery id: the event's id, ``event.id`` in the body
(https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-fields),
read after verification; not the top-level ``id`` (the webhook event), and
a digest of the body only where it is missing, since ``attempt_number``
changes on each attempt.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="coinbase-commerce",
    signature_header="X-CC-Webhook-Signature",
    id_source=FirstOf(BodyField("event.id"), BodyDigest()),
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook shared secret, as text",
    docs_url="https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security",
    evidence=Evidence(
        kind="sdk",
        against="coinbase-commerce (`Webhook.verify_sig`), both ways",
        tests=(
            "tests/schemes/test_coinbase_commerce.py",
            "tests/schemes/test_coinbase_commerce_sdk.py",
        ),
    ),
)
