"""
Lemon Squeezy: HMAC-SHA256 of the raw body, hex, in ``X-Signature``.

Sources: https://docs.lemonsqueezy.com/help/webhooks/signing-requests;
lmsqueezy/laravel@50fcb3f ``src/Http/Middleware/VerifyWebhookSignature.php``
and lmsqueezy/nextjs-billing@bc3bd11 ``src/app/api/webhook/route.ts``.

The docs say "HMAC hex digest" keyed with the signing secret you enter;
Lemon Squeezy's own Laravel package and Next.js template both check
``hash_hmac('sha256', raw body, secret)``, so the hash is SHA-256.  No
timestamp is signed: rely on the idempotency guard.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="lemon-squeezy",
    signature_header="X-Signature",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://docs.lemonsqueezy.com/help/webhooks/signing-requests",
)
