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

Delivery id: events carry no id, only the payload's sequence numbers and a
random ``entropy`` (https://developer.xero.com/documentation/guides/webhooks/overview/);
Xero retries for up to 24 hours, so the key is the SHA-256 of the body.
Caveat: a retry is recognised only if Xero resends the same body, ``entropy``
included (UNCONFIRMED); otherwise it is handled again.  Deduplicate per
event in your handler.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="xero",
    signature_header="x-xero-signature",
    algorithm="sha256",
    encoding="base64",
    id_source=BodyDigest(),
    secret_hint="the webhook key, as text",
    docs_url="https://developer.xero.com/documentation/guides/webhooks/overview/",
    evidence=Evidence(
        kind="none",
        against="Xero publishes no vector and no SDK verifier; recipe from its docs and "
        "official samples",
        tests=("tests/schemes/test_xero.py",),
    ),
)
