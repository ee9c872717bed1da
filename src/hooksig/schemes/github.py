"""
GitHub: HMAC-SHA256 of the raw body, hex, in ``X-Hub-Signature-256: sha256=<hex>``.

Source: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries

GitHub signs no timestamp, so a captured delivery stays valid: rely on the
idempotency guard keyed on ``X-GitHub-Delivery`` (a GUID per delivery,
reused by a manual redelivery).
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="github",
    # The legacy ``X-Hub-Signature: sha1=...`` header is never read: SHA-1
    # is only sent "for compatibility", and reading it would let a request
    # downgrade the algorithm.
    signature_header="X-Hub-Signature-256",
    prefix="sha256=",
    algorithm="sha256",
    encoding="hex",
    id_header="X-GitHub-Delivery",
    docs_url="https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
)
