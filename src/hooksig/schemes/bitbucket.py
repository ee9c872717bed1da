"""
Bitbucket: HMAC-SHA256 of the raw body, hex, in ``X-Hub-Signature: sha256=<hex>``.

Source: https://confluence.atlassian.com/bitbucketserver/event-payload-938025882.html

Data Center/Server: as quoted from Atlassian's page in @coderabbitai/bitbucket.
Bitbucket Cloud (secrets since 2023): https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/
("Secure webhooks"); Atlassian's KB
https://support.atlassian.com/bitbucket-cloud/kb/bitbucket-cloud-python-sample-code-to-verify-webhook-signature/
checks ``X-Hub-Signature`` with HMAC-SHA256 of the body and the secret.
``X-Request-Id`` (Data Center) is the delivery id; Cloud's id headers are
UNCONFIRMED.  No timestamp is signed: rely on the idempotency guard.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="bitbucket",
    signature_header="X-Hub-Signature",
    prefix="sha256=",
    id_header="X-Request-Id",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the webhook's secret, as text",
    docs_url="https://confluence.atlassian.com/bitbucketserver/event-payload-938025882.html",
)
