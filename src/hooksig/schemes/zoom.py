"""
Zoom: HMAC-SHA256 over ``v0:<timestamp>:<body>``, hex, in ``x-zm-signature: v0=<hex>``.

Sources: zoom/webhook-sample ``index.js``; Zoom's Node SDK @zoom/rivet 0.4.0
(``CommonHttpRequest.isEventVerified``, cross-checked in tests/schemes/test_zoom_sdk.py);
https://developers.zoom.us/changelog/platform/webhook-validation-and-verification-changes

The key is the app's secret token.  ``x-zm-request-timestamp`` is Unix
seconds; Zoom's tolerance is UNCONFIRMED, so hooksig's 300-second default
applies.  (Zoom's sample and Rivet hash the re-serialised JSON; hooksig
hashes the raw body, the same text whenever the body is compact JSON.)

Handshake: ``endpoint.url_validation`` (sent on setup and every 72 hours)
is answered ``{"plainToken": t, "encryptedToken": hex(HMAC-SHA256(secret_token, t))}``
by :meth:`hooksig.Verifier.handshake`, with the secret that verified it.

Delivery id: Zoom sends none, and retries three times, 5, 25 and 85 minutes
after the first attempt (https://developers.zoom.us/blog/webhook-delays), so
the key is the SHA-256 of the body, never of ``x-zm-request-timestamp``.
Caveat: the 300-second window refuses a retry that kept the first
timestamp, and a retry Zoom re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme
from hooksig.scheme.handshake import hmac_token

SCHEME = HmacScheme(
    name="zoom",
    signature_header="x-zm-signature",
    prefix="v0=",
    algorithm="sha256",
    encoding="hex",
    timestamp_header="x-zm-request-timestamp",
    content="v0:{timestamp}:{body}",
    id_source=BodyDigest(),
    handshake=hmac_token(
        when={"event": "endpoint.url_validation"},
        field=("payload", "plainToken"),
        echo_as="plainToken",
        answer_as="encryptedToken",
    ),
    secret_hint="the app's Secret Token, as text",
    docs_url="https://developers.zoom.us/docs/api/webhooks/",
    evidence=Evidence(
        kind="sdk",
        against="@zoom/rivet 0.4.0 (Zoom's webhook receiver), both ways, on Node.js",
        tests=("tests/schemes/test_zoom_sdk.py",),
    ),
)
