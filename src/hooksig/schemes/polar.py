"""
Polar: Standard Webhooks headers and content, keyed by the secret's own text.

Source: https://polar.sh/docs/integrate/webhooks/endpoints (Polar follows
Standard Webhooks) and Polar's SDK,
polarsource/polar-python@4adc73b
``src/polar_sdk/_webhooks/__init__.py``
(``validate_event``).

``webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`` with
``webhook-id`` and ``webhook-timestamp`` (Unix seconds), as Standard
Webhooks; but Polar's SDK base64-*encodes* the secret text before handing
it to a Standard Webhooks verifier, which decodes it again: the HMAC key
is the secret string's UTF-8 bytes, prefix and all.  So this is not an
alias of ``standard-webhooks`` (whose ``whsec_`` secrets are base64-decoded).
The newer ``polar-sdk`` (1.0.2, package ``polar``) tries both the raw text
and its base64 decoding; hooksig uses the raw text only, which both
versions accept.  Window: 300 seconds, as the SDK.

Delivery id: ``webhook-id``, signed, as Standard Webhooks.
"""

from hooksig.scheme import Evidence, HmacScheme, Versioned

SCHEME = HmacScheme(
    name="polar",
    signature_header="webhook-signature",
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    signature_format=Versioned(),
    version="v1",
    encoding="base64",
    content="{id}.{timestamp}.{body}",
    secret_format="utf-8",
    tolerance=300,
    secret_hint="the endpoint's webhook secret, used as text, prefix and all",
    docs_url="https://polar.sh/docs/integrate/webhooks/endpoints",
    evidence=Evidence(
        kind="sdk",
        against="polar-sdk 1.0.2 (`polar.webhooks`), both ways",
        tests=(
            "tests/schemes/test_polar.py",
            "tests/schemes/test_polar_sdk.py",
        ),
    ),
)
