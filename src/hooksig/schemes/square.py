"""
Square: HMAC-SHA256 over ``<notification URL><body>``, base64, in ``x-square-hmacsha256-signature``.

Source: https://developer.squareup.com/docs/webhooks/step2subscribe
(and square-python-sdk ``src/square/utils/webhooks_helper.py``).

The key is the subscription's signature key as text.  The URL must be the
notification URL configured for the subscription, exactly: pass it as
``public_url=`` (a full URL) or ``url=``; it is never read from the request.
Square signs no timestamp.  The legacy ``x-square-signature`` (HMAC-SHA1)
is known only from third-party code and is not read.

Delivery id: the body's ``event_id``, which Square names as the value to
deduplicate with; a late acknowledgement causes a second send
(https://developer.squareup.com/docs/webhooks/what-it-does).
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="square",
    signature_header="x-square-hmacsha256-signature",
    algorithm="sha256",
    encoding="base64",
    content="{url}{body}",
    id_source=FirstOf(BodyField("event_id"), BodyDigest()),
    secret_hint="the subscription's Signature key, as text",
    docs_url="https://developer.squareup.com/docs/webhooks/step2subscribe",
    evidence=Evidence(
        kind="vector",
        against="square-python-sdk's webhook test vectors",
        tests=("tests/schemes/test_square.py",),
    ),
)
