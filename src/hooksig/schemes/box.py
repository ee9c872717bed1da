"""
Box: HMAC-SHA256 over ``<body><BOX-DELIVERY-TIMESTAMP>``, base64, with primary and secondary keys.

Sources: https://developer.box.com/guides/webhooks/v2/signatures-v2,
https://developer.box.com/guides/webhooks/handle/setup-signatures

Box signs each delivery twice, with the app's primary key into
``BOX-SIGNATURE-PRIMARY`` and with the secondary key into
``BOX-SIGNATURE-SECONDARY``, so either key can be rotated; the delivery is
valid if either matches.  Pass both: ``Verifier("box", secrets=[primary,
secondary])``; ``sign()`` then writes both headers, as Box does.  The
timestamp is RFC 3339 and Box rejects deliveries older than ten minutes.
Box also sends ``BOX-SIGNATURE-VERSION: 1`` and
``BOX-SIGNATURE-ALGORITHM: HmacSHA256``; Box's SDKs refuse a delivery
without them (box-python-sdk-gen ``compute_webhook_signature``), so
``sign()`` sends them too, while verification never lets them choose the
algorithm.

Delivery id: the body's ``id``, which stays the same across retries while
``BOX-DELIVERY-ID`` changes on each (https://developer.box.com/guides/webhooks/v2/);
else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="box",
    signature_header=("BOX-SIGNATURE-PRIMARY", "BOX-SIGNATURE-SECONDARY"),
    all_signature_headers=True,
    algorithm="sha256",
    encoding="base64",
    timestamp_header="BOX-DELIVERY-TIMESTAMP",
    timestamp_unit="rfc3339",
    tolerance=600,
    content="{body}{timestamp}",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    sent_headers=(("BOX-SIGNATURE-VERSION", "1"), ("BOX-SIGNATURE-ALGORITHM", "HmacSHA256")),
    secret_hint="the primary and secondary signature keys, as text: secrets=[primary, secondary]",
    docs_url="https://developer.box.com/guides/webhooks/v2/signatures-v2",
    evidence=Evidence(
        kind="sdk",
        against="box-sdk-gen (`WebhooksManager.validate_message`), both ways",
        tests=(
            "tests/schemes/test_box.py",
            "tests/schemes/test_box_sdk.py",
        ),
    ),
)
