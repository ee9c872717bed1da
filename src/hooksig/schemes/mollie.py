"""
Mollie next-gen webhooks: ``X-Mollie-Signature: [sha256=]<hex HMAC-SHA256(secret, body)>``.

Source: https://docs.mollie.com/reference/webhooks-best-practices (beta) and
Mollie's PHP SDK, mollie/mollie-api-php@0ab576e
``src/Webhooks/SignatureValidator.php`` (strips an optional ``sha256=``).

The ``sha256=`` prefix may be present or not; no other label is accepted.
A request without the header is refused: Mollie's PHP SDK treats it as a
classic (unsigned) webhook, which would let an attacker downgrade; classic
webhooks carry only an id to fetch, see :mod:`hooksig.notice`.  No
timestamp is signed.

Delivery id: the event's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Plain

SCHEME = HmacScheme(
    name="mollie",
    signature_header="X-Mollie-Signature",
    signature_format=Plain("sha256=", optional=True),
    encoding="hex",
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://docs.mollie.com/reference/webhooks-best-practices",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Mollie publishes no vector; recipe from its webhook best practices (beta) and "
        "its PHP SDK's SignatureValidator",
        tests=("tests/schemes/test_mollie.py",),
    ),
)
