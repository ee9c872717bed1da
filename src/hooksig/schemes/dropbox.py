"""
Dropbox: HMAC-SHA256 of the raw body, hex, in ``X-Dropbox-Signature`` (third-party).

Source: https://www.dropbox.com/developers/reference/webhooks
(recipe from third-party material: webhook-verify crate, gists)

Third-party only; the one vector is from the hapi-dropbox-webhooks tests.
Dropbox's setup check is an unsigned ``GET ?challenge=``: hooksig does not
answer it (nothing unsigned is answered); echo it in your route.  No
timestamp is signed: rely on the idempotency guard.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="dropbox",
    signature_header="X-Dropbox-Signature",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the app secret, as text",
    docs_url="https://www.dropbox.com/developers/reference/webhooks",
)
