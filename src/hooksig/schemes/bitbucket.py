"""
Bitbucket: HMAC-SHA256 of the raw body, hex, in ``X-Hub-Signature: sha256=<hex>``.

Source: https://confluence.atlassian.com/bitbucketserver/event-payload-938025882.html

Data Center/Server: as quoted from Atlassian's page in @coderabbitai/bitbucket.
Bitbucket Cloud (secrets since 2023): https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/
("Secure webhooks"); Atlassian's KB
https://support.atlassian.com/bitbucket-cloud/kb/bitbucket-cloud-python-sample-code-to-verify-webhook-signature/
checks ``X-Hub-Signature`` with HMAC-SHA256 of the body and the secret.
No timestamp is signed: rely on the idempotency guard.

Delivery id: ``X-Request-UUID`` (Cloud, "the UUID of the request",
https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/) or
``X-Request-Id`` (Data Center, "a unique UUID for each webhook request"),
else the SHA-256 of the body.  ``X-Hook-UUID`` names the webhook, not the
delivery, and is never the key.  Whether a retry keeps the request UUID is
UNCONFIRMED: if it does not, a retry is handled twice (nothing is dropped).
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme

SCHEME = HmacScheme(
    name="bitbucket",
    signature_header="X-Hub-Signature",
    prefix="sha256=",
    id_source=FirstOf(HeaderField("X-Request-UUID"), HeaderField("X-Request-Id"), BodyDigest()),
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook's secret, as text",
    docs_url="https://confluence.atlassian.com/bitbucketserver/event-payload-938025882.html",
    evidence=Evidence(
        kind="vector",
        against='the example in Atlassian\'s Bitbucket Cloud webhook docs ("Secure webhooks"), '
        "as quoted by its users",
        tests=("tests/vectors/providers/official/bitbucket.json",),
    ),
)
