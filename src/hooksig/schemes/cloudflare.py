"""
Cloudflare Notifications (generic webhooks): the configured secret itself in ``cf-webhook-auth``.

Source: https://developers.cloudflare.com/notifications/reference/webhook-payload-schema/
("Reject any requests where this header is missing or does not match").

The body is not signed.  A matching secret proves only that the sender
knows a value that travels in every request: anyone who sees one request
can forge any body and replay any old one; the body's ``ts`` is not signed
either.  hooksig compares the secret in constant time, through SHA-256
digests.  Use HTTPS and keep the secret out of logs.  No delivery id is
sent (the body's ``alert_correlation_id`` ties related alerts together).

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="cloudflare",
    signature_header="cf-webhook-auth",
    construction="token",
    secret_hint="the secret configured on the webhook destination",
    docs_url="https://developers.cloudflare.com/notifications/reference/webhook-payload-schema/",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the token is compared as configured, per Cloudflare's "
        "webhook payload docs",
        tests=("tests/schemes/test_cloudflare.py",),
    ),
)
