"""
Cal.com: hex HMAC-SHA256 of the raw body in ``X-Cal-Signature-256``.

Source: https://cal.com/docs/developing/guides/automation/webhooks and
Cal.com's source, calcom/cal.com@008952d
``packages/features/webhooks/lib/sendPayload.ts``
(``createWebhookSignature``).

When the webhook has no secret configured, Cal.com sends the literal
``no-secret-provided`` instead of a signature; hooksig refuses it as a
malformed signature (it is not 64 hex digits), so set a secret.  The body
is JSON, or form-encoded text with a custom payload template; the
signature covers the bytes sent either way.  No timestamp.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="cal-com",
    signature_header="X-Cal-Signature-256",
    encoding="hex",
    secret_hint="the webhook's secret, as text",
    docs_url="https://cal.com/docs/developing/guides/automation/webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Cal.com publishes no vector or SDK verifier; recipe from its webhook signing "
        "source (sendPayload.ts)",
        tests=("tests/schemes/test_cal_com.py",),
    ),
)
