"""
Calendly: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Calendly-Webhook-Signature: t=...,v1=...``.

Sources: https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures,
https://developer.calendly.com/docs/webhooks/overview

The key is the webhook signing key (you choose it with a personal access
token; OAuth apps get one).  Calendly's tolerance is UNCONFIRMED, so
hooksig's 300-second default applies.

Delivery id: Calendly sends none and retries for 24 hours
(https://developer.calendly.com/api-docs/overview/webhooks/webhook-errors),
so the key is the SHA-256 of the body, never of ``t``.  Caveat: two
byte-identical bodies share a key (unlikely: the body carries
``created_at``), and a retry whose body Calendly re-serialised is handled
again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="calendly",
    signature_header="Calendly-Webhook-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    id_source=BodyDigest(),
    secret_hint="the webhook signing key, as text",
    docs_url="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures",
    evidence=Evidence(
        kind="none",
        against="Calendly publishes no vector or SDK; recipe from developer.calendly.com",
        tests=("tests/schemes/test_calendly.py",),
    ),
)
