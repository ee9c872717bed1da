"""
EasyPost: ``X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256(key, body)>``.

Source: https://docs.easypost.com/guides/webhooks-guide and EasyPost's SDK,
EasyPost/easypost-python@8fcf5e4 ``easypost/util.py`` (``validate_webhook``).

The key is the webhook secret normalised to Unicode NFKD, then UTF-8: a
secret with an accent verifies only that way (EasyPost's shared fixture,
secret ``sécret``, proves it).  No timestamp is signed; the event's ``id``
(``evt_...``) is the idempotency key.

Delivery id: the event's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="easypost",
    signature_header="X-Hmac-Signature",
    prefix="hmac-sha256-hex=",
    encoding="hex",
    secret_format="nfkd-utf-8",
    secret_hint="the webhook's secret, as text",
    docs_url="https://docs.easypost.com/guides/webhooks-guide",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="both",
        against="EasyPost's shared client-library fixture (secret sécret, NFKD) and easypost "
        "10.7.0 (`validate_webhook`), both ways",
        tests=(
            "tests/vectors/providers/official/easypost.json",
            "tests/schemes/test_easypost.py",
            "tests/schemes/test_easypost_sdk.py",
        ),
    ),
)
