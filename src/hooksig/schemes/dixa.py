"""
Dixa: ``X-DIXA-SIGNATURE: t=<ms>,v1=<hex HMAC-SHA256(key, t.body)>``, key hex-decoded.

Source: https://docs.dixa.io/docs/webhooks/webhooks-security

The subscription secret is hex; its decoded bytes are the key.  ``t`` is
Unix **milliseconds**.  Dixa sets no window: hooksig's default, 300
seconds, is its own choice.  ``X-DIXA-SUBSCRIPTION-ID`` names the
subscription, not the delivery.

Delivery id: the body's ``event_id``, "id of the event" in every payload
(https://docs.dixa.io/docs/webhooks-payloads), else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="dixa",
    signature_header="X-DIXA-SIGNATURE",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    timestamp_unit="ms",
    encoding="hex",
    content="{timestamp}.{body}",
    secret_format="hex",
    secret_hint="the webhook subscription's secret (hex)",
    docs_url="https://docs.dixa.io/docs/webhooks/webhooks-security",
    id_source=FirstOf(BodyField("event_id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Dixa publishes no vector or SDK; recipe from its webhook security docs",
        tests=("tests/schemes/test_dixa.py",),
    ),
)
