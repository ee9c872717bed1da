"""
Intercom: HMAC-SHA1 of the raw body, hex, in ``X-Hub-Signature: sha1=<hex>``.

Source: https://developers.intercom.com/intercom-api-reference/v1.0/reference/signed-notifications

The key is the subscription's ``hub_secret``; apps built in the current
Developer Hub sign with the app's ``client_secret`` (third-party: a
hookdeck skill).  No timestamp is signed: the idempotency guard keys on
the notification ``id`` (``notif_...``) in the body.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="intercom",
    signature_header="X-Hub-Signature",
    prefix="sha1=",
    algorithm="sha1",
    encoding="hex",
    id_field="id",
    secret_hint="the subscription's hub_secret (or the app's client_secret), as text",
    docs_url="https://developers.intercom.com/intercom-api-reference/v1.0/reference/signed-notifications",
)
