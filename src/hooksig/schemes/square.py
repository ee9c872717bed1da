"""
Square: HMAC-SHA256 over ``<notification URL><body>``, base64, in ``x-square-hmacsha256-signature``.

Source: https://developer.squareup.com/docs/webhooks/step2subscribe
(and square-python-sdk ``src/square/utils/webhooks_helper.py``).

The key is the subscription's signature key as text.  The URL must be the
notification URL configured for the subscription, exactly: pass it as
``public_url=`` (a full URL) or ``url=``; it is never read from the request.
Square signs no timestamp: rely on the idempotency guard, keyed on the
body's ``event_id`` (present in the SDK's test payloads).

``square-sha1`` reads the legacy ``x-square-signature``: HMAC-SHA1 of the
same ``<notification URL><body>``, base64, which Square's earlier
validation guide documented
(https://developer.squareup.com/docs/webhooks-api/validate-notifications-v1
and the older https://developer.squareup.com/docs/webhooks/step3validate).
It is opt-in, its own registry name: ``square`` never reads the SHA-1
header, so a request cannot downgrade the algorithm.  Use it only for a
subscription that still sends nothing else.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="square",
    signature_header="x-square-hmacsha256-signature",
    algorithm="sha256",
    encoding="base64",
    content="{url}{body}",
    id_field="event_id",
    secret_hint="the subscription's Signature key, as text",
    docs_url="https://developer.squareup.com/docs/webhooks/step2subscribe",
)

SHA1 = HmacScheme(
    name="square-sha1",
    signature_header="x-square-signature",
    algorithm="sha1",
    encoding="base64",
    content="{url}{body}",
    id_field="event_id",
    secret_hint="the subscription's Signature key, as text",
    docs_url="https://developer.squareup.com/docs/webhooks-api/validate-notifications-v1",
)
