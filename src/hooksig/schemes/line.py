"""
LINE Messaging API: base64 HMAC-SHA256 of the raw body in ``x-line-signature``.

Source: https://developers.line.biz/en/reference/messaging-api/#signature-validation
and LINE's SDK, line/line-bot-sdk-python@e1fa933
``linebot/v3/webhook.py``
(``SignatureValidator``: key = the channel secret's UTF-8, padded base64 digest).

LINE signs no timestamp and sends no delivery id header; each event in the
body's ``events`` array carries its own ``webhookEventId``.  Rely on the
idempotency guard with a key you derive per event.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="line",
    signature_header="x-line-signature",
    encoding="base64",
    secret_hint="the channel secret, as text",
    docs_url="https://developers.line.biz/en/reference/messaging-api/#signature-validation",
)
