"""
Lemon Squeezy: HMAC-SHA256 of the raw body, hex, in ``X-Signature``.

Sources: https://docs.lemonsqueezy.com/help/webhooks/signing-requests;
lmsqueezy/laravel@50fcb3f ``src/Http/Middleware/VerifyWebhookSignature.php``
and lmsqueezy/nextjs-billing@bc3bd11 ``src/app/api/webhook/route.ts``.

The docs say "HMAC hex digest" keyed with the signing secret you enter;
Lemon Squeezy's own Laravel package and Next.js template both check
``hash_hmac('sha256', raw body, secret)``, so the hash is SHA-256.  No
timestamp is signed.

Delivery id: none is sent (``data.id`` is the order or subscription, shared
by many events), and a failed delivery is retried three times
(https://docs.lemonsqueezy.com/help/webhooks/webhook-requests), so the key
is the SHA-256 of the body.  Caveat: two byte-identical bodies share a key,
and a resend whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="lemon-squeezy",
    signature_header="X-Signature",
    algorithm="sha256",
    encoding="hex",
    id_source=BodyDigest(),
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://docs.lemonsqueezy.com/help/webhooks/signing-requests",
    evidence=Evidence(
        kind="none",
        against="Lemon Squeezy publishes no vector; recipe from its docs, its Laravel package "
        "and its Next.js template",
        tests=("tests/schemes/test_lemon_squeezy.py",),
    ),
)
