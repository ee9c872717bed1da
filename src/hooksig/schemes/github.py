"""
GitHub: HMAC-SHA256 of the raw body, hex, in ``X-Hub-Signature-256: sha256=<hex>``.

Source: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries

GitHub signs no timestamp, so a captured delivery stays valid: rely on the
idempotency guard.

Delivery id: ``X-GitHub-Delivery``, a GUID that a redelivery reuses
(https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers);
else the SHA-256 of the body.  One event sent to two hooks on one endpoint
shares the GUID: the second is taken for a duplicate.
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme

SCHEME = HmacScheme(
    name="github",
    # The legacy ``X-Hub-Signature: sha1=...`` header is never read: SHA-1
    # is only sent "for compatibility", and reading it would let a request
    # downgrade the algorithm.
    signature_header="X-Hub-Signature-256",
    prefix="sha256=",
    algorithm="sha256",
    encoding="hex",
    id_source=FirstOf(HeaderField("X-GitHub-Delivery"), BodyDigest()),
    docs_url="https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
    evidence=Evidence(
        kind="vector",
        against='the example in GitHub\'s "Validating webhook deliveries"',
        tests=("tests/schemes/test_github.py",),
    ),
)
