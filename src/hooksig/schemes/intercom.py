"""
Intercom: HMAC-SHA1 of the raw body, hex, in ``X-Hub-Signature: sha1=<hex>``.

Source: https://developers.intercom.com/intercom-api-reference/v1.0/reference/signed-notifications

The key is the subscription's ``hub_secret``; apps built in the current
Developer Hub sign with the app's ``client_secret`` (third-party: a
hookdeck skill).  No timestamp is signed.

Delivery id: the notification's ``id`` (``notif_...``) in the body
(https://developers.intercom.com/docs/webhooks/webhook-notifications); a
digest of the body only where it is missing, since ``delivery_attempts``
changes on each attempt.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="intercom",
    signature_header="X-Hub-Signature",
    prefix="sha1=",
    algorithm="sha1",
    encoding="hex",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    secret_hint="the subscription's hub_secret (or the app's client_secret), as text",
    docs_url="https://developers.intercom.com/intercom-api-reference/v1.0/reference/signed-notifications",
    evidence=Evidence(
        kind="none",
        against="Intercom's docs example omits its secret and its SDKs have no verifier; "
        "recipe from its docs",
        tests=("tests/schemes/test_intercom.py",),
    ),
)
