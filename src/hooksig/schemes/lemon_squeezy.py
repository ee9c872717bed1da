"""
Lemon Squeezy: HMAC-SHA256 of the raw body, hex, in ``X-Signature``.

Source: https://docs.lemonsqueezy.com/help/webhooks/signing-requests

The docs say "HMAC hex digest" keyed with the signing secret you enter;
that the hash is SHA-256 comes from third-party material (robingenz.dev,
hookmetry), consistent with every example found.  No timestamp is signed:
rely on the idempotency guard.
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
