"""
Airtable: ``X-Airtable-Content-MAC: hmac-sha256=<hex HMAC-SHA256(key, body)>``.

Source: https://airtable.com/developers/web/api/webhooks-overview (the
notification ping and the MAC secret, ``macSecretBase64``, returned once by
"Create a webhook").  The header's exact form is as received by users:
a real header ``hmac-sha256=0fb79298...`` and the fix "decode the base64
secret into bytes" in community.airtable.com thread 179349 (third-party).

The key is ``macSecretBase64`` base64-decoded.  The POST is only a ping
(``{"base": {"id": ...}, "webhook": {"id": ...}, "timestamp": ...}``): the
changes themselves are fetched from the webhook's ``/payloads`` endpoint
with your token, so verification proves only that "something changed".
No timestamp header is signed (the body's ``timestamp`` is inside the
signed body); the payloads' cursor orders what changed.

Delivery id: none is sent, so the key is the SHA-256 of the ping
(:class:`~hooksig.scheme.BodyDigest`); a ping handled twice only fetches the
same payloads again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="airtable",
    signature_header="X-Airtable-Content-MAC",
    prefix="hmac-sha256=",
    encoding="hex",
    secret_format="base64",
    secret_hint="the webhook's macSecretBase64, as returned (base64)",
    docs_url="https://airtable.com/developers/web/api/webhooks-overview",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Airtable publishes no vector or SDK verifier; recipe from its webhooks overview "
        "and a real header reported by a user (third-party)",
        tests=("tests/schemes/test_airtable.py",),
    ),
)
