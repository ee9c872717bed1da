"""
Recurly: ``recurly-signature: <ms>,<hex>[,<hex>]``, hex HMAC-SHA256 of ``<ms>.<body>``.

Source: https://docs.recurly.com/recurly-subscriptions/docs/signature-verification
and Recurly's clients, recurly/recurly-client-ruby@05fa008
``lib/recurly/webhooks.rb`` and recurly/recurly-client-go@e35e390 ``webhook.go``
(``VerifyWebhookSignature``, a five-minute default tolerance).

The header is an unlabelled list: the timestamp in Unix **milliseconds**,
then one signature per active secret (two during a key rotation).  The
key is the endpoint secret's text, used as is (it looks like hex but is not
decoded).  Only JSON webhooks are signed.  Recurly's own test sends a junk
first signature (``de1ec7ab1e``) beside a good one and expects it to pass;
hooksig refuses a signature that is not 64 hex digits as malformed, and
Recurly itself never sends one.

Delivery id: the notification's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Listed

SCHEME = HmacScheme(
    name="recurly",
    signature_header="recurly-signature",
    signature_format=Listed(separator=",", timestamp_first=True),
    timestamp_unit="ms",
    encoding="hex",
    content="{timestamp}.{body}",
    tolerance=300,
    secret_hint="the webhook endpoint's secret, as text",
    docs_url="https://docs.recurly.com/recurly-subscriptions/docs/signature-verification",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="vector",
        against="recurly-client-ruby's webhook spec vector (Recurly's verifiers are Ruby and Go "
        "only)",
        tests=("tests/vectors/providers/official/recurly.json", "tests/schemes/test_recurly.py"),
    ),
)
