"""
Typeform: HMAC-SHA256 of the raw body, base64, in ``Typeform-Signature: sha256=<base64>``.

Source: https://www.typeform.com/developers/webhooks/secure-your-webhooks/

The key is the secret you set on the webhook, as text.  Typeform signs no
timestamp.

Delivery id: the body's ``event_id`` (third-party: seen in Typeform payload
schemas, Azure's Typeform connector; Typeform's own example-payload page
was not read), else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="typeform",
    signature_header="Typeform-Signature",
    prefix="sha256=",
    algorithm="sha256",
    encoding="base64",
    id_source=FirstOf(BodyField("event_id"), BodyDigest()),
    secret_hint="the secret set on the webhook, as text",
    docs_url="https://www.typeform.com/developers/webhooks/secure-your-webhooks/",
    evidence=Evidence(
        kind="none",
        against="Typeform publishes no vector or verifier; recipe from its docs",
        tests=("tests/schemes/test_typeform.py",),
    ),
)
