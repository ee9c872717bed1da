"""
DocuSign Connect: ``X-DocuSign-Signature-<n>``, base64 HMAC-SHA256 of the body, one per key.

Source: https://www.docusign.com/blog/developers/manually-authenticating-hmac-signatures-docusign-connect-webhook-configurations
and https://developers.docusign.com/platform/webhooks/connect/hmac/.

With several HMAC keys active, Connect sends one header per key,
``X-DocuSign-Signature-1``, ``-2``, ...; hooksig reads the first
:data:`MAX_KEYS` of them and checks every one against every configured key.
The key is the text DocuSign shows, used as is (it looks like base64 but is
not decoded).  ``x-authorization-digest: HMACSHA256`` names the algorithm;
hooksig never reads it, so the request never chooses.  No timestamp is
signed: rely on the idempotency guard.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme, numbered_headers

#: How many numbered signature headers are read.
MAX_KEYS = 10

SCHEME = HmacScheme(
    name="docusign",
    signature_header=numbered_headers("X-DocuSign-Signature-{n}", MAX_KEYS),
    all_signature_headers=True,
    encoding="base64",
    secret_hint="a Connect HMAC key, exactly as shown",
    docs_url="https://developers.docusign.com/platform/webhooks/connect/hmac/",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="DocuSign publishes no vector; recipe from its Connect HMAC guide and developer "
        "blog",
        tests=("tests/schemes/test_docusign.py",),
    ),
)
