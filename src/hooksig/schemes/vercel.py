"""
Vercel: HMAC-SHA1 of the raw body, hex, in ``x-vercel-signature`` (third-party).

Source: https://vercel.com/docs/webhooks (recipe from third-party material: trigger.dev, hookdeck)

Third-party only: the header, the algorithm and the encoding come from
https://trigger.dev/docs/webhooks/providers/vercel and hookdeck's
webhook-skills, not from vercel.com.  No timestamp is signed: rely on the
idempotency guard.
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
