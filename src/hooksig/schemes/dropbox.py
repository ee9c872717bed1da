"""
Dropbox: HMAC-SHA256 of the raw body, hex, in ``X-Dropbox-Signature``.

Source: https://www.dropbox.com/developers/reference/webhooks ("HMAC-SHA256
of the request body, keyed with your app secret"), and Dropbox's own sample
receiver dropbox/mdwebhook@1b32d5a ``app.py`` (lowercase hex, app secret as
ASCII).  Dropbox publishes no vector; the one in our tests is third-party
(hapi-dropbox-webhooks).
Dropbox's setup check is an unsigned ``GET ?challenge=``: hooksig does not
answer it (nothing unsigned is answered); echo it in your route.  No
timestamp is signed.

Delivery id: none, by design.  A notification only says which accounts
changed; the app then reads the changes with its cursor, and the same
account list recurs for every later change (same page).  A digest of the
body would drop genuine notifications, so each delivery gets a random key:
the guard never merges two, and handling one twice is harmless.
"""

from hooksig.scheme import Evidence, HmacScheme, RandomId

SCHEME = HmacScheme(
    name="dropbox",
    signature_header="X-Dropbox-Signature",
    algorithm="sha256",
    encoding="hex",
    id_source=RandomId(),
    secret_hint="the app secret, as text",
    docs_url="https://www.dropbox.com/developers/reference/webhooks",
    evidence=Evidence(
        kind="none",
        against="Dropbox publishes no vector or SDK helper; recipe from its docs and its "
        "mdwebhook sample; one third-party vector",
        tests=("tests/schemes/test_dropbox.py",),
    ),
)
