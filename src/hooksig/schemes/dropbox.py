"""
Dropbox: HMAC-SHA256 of the raw body, hex, in ``X-Dropbox-Signature``.

Source: https://www.dropbox.com/developers/reference/webhooks ("HMAC-SHA256
of the request body, keyed with your app secret"), and Dropbox's own sample
receiver dropbox/mdwebhook@1b32d5a ``app.py`` (lowercase hex, app secret as
ASCII).  Dropbox publishes no vector; the one in our tests is third-party
(hapi-dropbox-webhooks).
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
