"""
Square: HMAC-SHA256 over ``<notification URL><body>``, base64, in ``x-square-hmacsha256-signature``.

Source: https://developer.squareup.com/docs/webhooks/step2subscribe
(and square-python-sdk ``src/square/utils/webhooks_helper.py``).

The key is the subscription's signature key as text.  The URL must be the
notification URL configured for the subscription, exactly: pass it as
``public_url=``, whole (``https://example.com/hooks/square``, used as it is
for requests to its path) or as your site's base URL (joined with the
request path); it is never read from the request.
Square signs no timestamp.

Delivery id: the body's ``event_id``, which Square names as the value to
deduplicate with; a late acknowledgement causes a second send
(https://developer.squareup.com/docs/webhooks/what-it-does).

``square-sha1`` reads the legacy ``x-square-signature``: HMAC-SHA1 of the
same ``<notification URL><body>``, base64, which Square's earlier
validation guide documented
(https://developer.squareup.com/docs/webhooks-api/validate-notifications-v1
and the older https://developer.squareup.com/docs/webhooks/step3validate).
It is opt-in, its own registry name: ``square`` never reads the SHA-1
header, so a request cannot downgrade the algorithm.  Use it only for a
subscription that still sends nothing else.  Its delivery id is the same
``event_id``.
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

SHA1 = HmacScheme(
    name="square-sha1",
    signature_header="x-square-signature",
    algorithm="sha1",
    encoding="base64",
    content="{url}{body}",
    secret_hint="the subscription's Signature key, as text",
    docs_url="https://developer.squareup.com/docs/webhooks-api/validate-notifications-v1",
    id_source=FirstOf(BodyField("event_id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Square publishes no vector for the legacy header; recipe from its v1 validation "
        "guide, recomputed",
        tests=("tests/schemes/test_square.py",),
    ),
)
