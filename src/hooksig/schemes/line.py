"""
LINE Messaging API: base64 HMAC-SHA256 of the raw body in ``x-line-signature``.

Source: https://developers.line.biz/en/reference/messaging-api/#signature-validation
and LINE's SDK, line/line-bot-sdk-python@e1fa933
``linebot/v3/webhook.py``
(``SignatureValidator``: key = the channel secret's UTF-8, padded base64 digest).

LINE signs no timestamp and sends no delivery id header; each event in the
body's ``events`` array carries its own ``webhookEventId``.

Delivery id: derived from every event's ``webhookEventId``, which a redelivery keeps
(https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects), so a
redelivered batch has the same key although its ``deliveryContext.isRedelivery``
changed; a body without events (the console's check) falls back to the SHA-256 of the
body.
"""

from hooksig.scheme import BodyDigest, EachItem, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="line",
    signature_header="x-line-signature",
    encoding="base64",
    secret_hint="the channel secret, as text",
    docs_url="https://developers.line.biz/en/reference/messaging-api/#signature-validation",
    id_source=FirstOf(EachItem(fields=("webhookEventId",), path="events"), BodyDigest()),
    evidence=Evidence(
        kind="both",
        against="line-bot-sdk-python's signature test vector and line-bot-sdk 3.27.0 "
        "(`SignatureValidator`, `WebhookParser`), both ways",
        tests=(
            "tests/vectors/providers/official/line.json",
            "tests/schemes/test_line.py",
            "tests/schemes/test_line_sdk.py",
        ),
    ),
)
