"""
Sanity: ``sanity-webhook-signature: t=<ms>,v1=<base64url, unpadded>``.

Source: https://www.sanity.io/docs/webhooks and Sanity's toolkit,
sanity-io/webhook-toolkit@649f5ad ``src/signature.ts``.

``v1`` is HMAC-SHA256 of ``<t>.<body>`` keyed by the secret's text, in
base64url without ``=`` padding; ``t`` is Unix **milliseconds**.  Sanity's
toolkit checks no time (and compares with ``!==``); hooksig applies its
default 300-second window, its own choice.

Delivery id: the ``idempotency-key`` header Sanity sends beside ``sanity-transaction-id``
(seen on real deliveries in third-party receivers, e.g. their captured header types;
that it stays the same across retries is UNCONFIRMED), else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="sanity",
    signature_header="sanity-webhook-signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    timestamp_unit="ms",
    encoding="base64url-nopad",
    content="{timestamp}.{body}",
    secret_hint="the webhook's secret, as text",
    docs_url="https://www.sanity.io/docs/webhooks",
    id_source=FirstOf(HeaderField("idempotency-key"), BodyDigest()),
    evidence=Evidence(
        kind="both",
        against="sanity-io/webhook-toolkit's signature test vector and @sanity/webhook 4.0.4 "
        "(`isValidSignature`, `encodeSignatureHeader`), both ways, on Node.js",
        tests=(
            "tests/vectors/providers/official/sanity.json",
            "tests/schemes/test_sanity.py",
            "tests/schemes/test_sanity_sdk.py",
        ),
    ),
)
