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
is signed: rely on the idempotency guard.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="vercel",
    signature_header="x-vercel-signature",
    algorithm="sha1",
    encoding="hex",
    secret_hint="the webhook secret (integrations: the Client Secret), as text",
    docs_url="https://vercel.com/docs/webhooks",
)
