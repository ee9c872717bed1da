"""
Stripe: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]``.

Source: https://docs.stripe.com/webhooks#verify-manually (and stripe-python's
``WebhookSignature``, which shows the signed payload ``"%d.%s" % (t, body)``).

The ``whsec_...`` endpoint secret is the HMAC key as-is, prefix included:
it is not base64-decoded.  While a secret is being rolled Stripe sends one
``v1`` per active secret.  Test mode adds a ``v0`` entry, which is never
accepted on its own.

Delivery id: the event's id (``evt_...``), the ``id`` field of the JSON body;
there is no id header, and each retry gets a fresh ``t`` and signature
(https://docs.stripe.com/webhooks, "Handle duplicate events").
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="stripe",
    signature_header="Stripe-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    tolerance=300,
    docs_url="https://docs.stripe.com/webhooks#verify-manually",
    evidence=Evidence(
        kind="sdk",
        against="stripe-python (`Webhook.construct_event`), both ways",
        tests=(
            "tests/schemes/test_stripe.py",
            "tests/schemes/test_stripe_sdk.py",
        ),
    ),
)
