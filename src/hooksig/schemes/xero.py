"""
Xero: HMAC-SHA256 of the raw body, base64, in ``x-xero-signature`` (third-party).

Source: https://developer.xero.com/documentation/guides/webhooks/overview/
(recipe from third-party material: gists, hookdeck)

Third-party only.  Xero's "Intent to Receive" check expects 200 for a
valid signature and 401 for an invalid one: configure your adapter's
failure status to 401 for this endpoint.  No timestamp is signed.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="xero",
    signature_header="x-xero-signature",
    algorithm="sha256",
    encoding="base64",
    secret_hint="the webhook key, as text",
    docs_url="https://developer.xero.com/documentation/guides/webhooks/overview/",
)
