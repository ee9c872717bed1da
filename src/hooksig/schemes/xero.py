"""
Xero: HMAC-SHA256 of the raw body, base64, in ``x-xero-signature``.

Source: https://developer.xero.com/documentation/webhooks/configuring-your-server
("hashed using HMACSHA256 with your webhook signing key and base64 encoded"),
and Xero's own sample receivers (XeroAPI/XeroWebhooksReceiver,
XeroAPI/xero-php-webhook), which key the HMAC with the key's UTF-8 text.

Xero publishes no test vector and no SDK helper for this.  Xero's "Intent
to Receive" check expects 200 for a valid signature and 401 for an invalid
one: configure your adapter's failure status to 401 for this endpoint.  No
timestamp is signed.
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
