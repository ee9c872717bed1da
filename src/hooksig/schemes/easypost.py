"""
EasyPost: ``X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256(key, body)>``.

Source: https://docs.easypost.com/guides/webhooks-guide and EasyPost's SDK,
EasyPost/easypost-python@8fcf5e4 ``easypost/util.py`` (``validate_webhook``).

The key is the webhook secret normalised to Unicode NFKD, then UTF-8: a
secret with an accent verifies only that way (EasyPost's shared fixture,
secret ``sécret``, proves it).  No timestamp is signed; the event's ``id``
(``evt_...``) is the idempotency key.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="easypost",
    signature_header="X-Hmac-Signature",
    prefix="hmac-sha256-hex=",
    encoding="hex",
    secret_format="nfkd-utf-8",
    id_field="id",
    secret_hint="the webhook's secret, as text",
    docs_url="https://docs.easypost.com/guides/webhooks-guide",
)
