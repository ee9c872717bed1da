"""
Vercel: HMAC-SHA1 of the raw body, hex, in ``x-vercel-signature``.

Source: https://vercel.com/docs/webhooks, as implemented in Vercel's own
integration example vercel/example-marketplace-integration@4b971cf
``app/webhook/route.ts`` (HMAC-SHA1 of the raw body keyed with the
integration's client secret, hex, compared with ``x-vercel-signature``).
vercel/vercel-plugin@19606ac ``commands/status.md`` documents the same
header and HMAC-SHA1 for drains.

Integration webhooks are keyed with the integration's Client Secret, drains
with the drain's secret.  No published test vector was found.  No timestamp
is signed.

Delivery id: the body's ``id``, "the ID of the webhook delivery"
(https://vercel.com/docs/webhooks/webhooks-api); drains send arrays of
records without one, so their key is the SHA-256 of the body.  Whether a
retry keeps ``id`` is UNCONFIRMED.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="vercel",
    signature_header="x-vercel-signature",
    algorithm="sha1",
    encoding="hex",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    secret_hint="the webhook secret (integrations: the Client Secret), as text",
    docs_url="https://vercel.com/docs/webhooks",
    evidence=Evidence(
        kind="none",
        against="Vercel publishes no vector or verifier; recipe from its own integration examples",
        tests=("tests/schemes/test_vercel.py",),
    ),
)
