"""
GitLab: the secret token verbatim in ``X-Gitlab-Token``; or, newer, signed ``webhook-*`` headers.

Source: https://docs.gitlab.com/user/project/integrations/webhooks/
(gitlabhq ``doc/user/project/integrations/webhooks.md``); signing token:
https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230944 and
https://gitlab.com/gitlab-org/gitlab/-/merge_requests/231325.

``gitlab``: no signature, the header carries the secret token itself.  It
is compared in constant time, through SHA-256 digests so that its length
does not leak either.  A token proves only that the sender knows it: use
HTTPS, and the idempotency guard keyed on ``X-Gitlab-Webhook-UUID``.

``gitlab-signed`` (feature flag ``webhook_signing_token``): Standard
Webhooks style, ``webhook-signature: v1,<base64 HMAC-SHA256(key, id.ts.body)>``
with ``webhook-id`` (the ``Idempotency-Key`` value) and ``webhook-timestamp``.
The signing token is ``whsec_`` + base64 of a 32-byte key (MR 231325), and
GitLab's own test receiver checks it with the Standard Webhooks library
(MR 230944): so it is read as a Standard Webhooks secret, key base64-decoded.
A token that is not base64 can still be passed as ``bytes`` (used raw).
"""

from hooksig.scheme import HmacScheme, Versioned

SCHEME = HmacScheme(
    name="gitlab",
    signature_header="X-Gitlab-Token",
    construction="token",
    id_header="X-Gitlab-Webhook-UUID",
    secret_hint="the webhook's Secret token, as text",
    docs_url="https://docs.gitlab.com/user/project/integrations/webhooks/",
)

SIGNED = HmacScheme(
    name="gitlab-signed",
    signature_header="webhook-signature",
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    signature_format=Versioned(),
    version="v1",
    algorithm="sha256",
    encoding="base64",
    content="{id}.{timestamp}.{body}",
    secret_format="whsec",
    tolerance=300,
    secret_hint="the webhook's signing token, whsec_ + base64 of 32 bytes",
    docs_url="https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230944",
)
