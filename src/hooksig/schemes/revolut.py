"""
Revolut: ``Revolut-Signature: v1=<hex HMAC-SHA256(secret, v1.timestamp.body)>``.

Source: https://developer.revolut.com/docs/guides/manage-accounts/webhooks/verify-the-payload-signature
(the same recipe on the Merchant and Crypto Ramp pages).

``Revolut-Request-Timestamp`` is Unix **milliseconds**; the signed text is
the literal ``v1.``, the timestamp text, a dot and the raw body; Revolut
says to refuse timestamps more than five minutes off.  While several
signing secrets are active (rotation) the header carries one ``v1=`` item
per secret, comma-separated.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="revolut",
    signature_header="Revolut-Signature",
    signature_format=Pairs(timestamp_key=None, separator=","),
    version="v1",
    timestamp_header="Revolut-Request-Timestamp",
    timestamp_unit="ms",
    encoding="hex",
    content="v1.{timestamp}.{body}",
    tolerance=300,
    secret_hint="the webhook's signing secret (wsk_...), as text",
    docs_url="https://developer.revolut.com/docs/guides/manage-accounts/webhooks/verify-the-payload-signature",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Revolut prints no signature for its example inputs; those inputs, recomputed",
        tests=("tests/schemes/test_revolut.py",),
    ),
)
