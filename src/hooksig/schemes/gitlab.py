"""
GitLab: the secret token verbatim in ``X-Gitlab-Token``; or, newer, signed ``webhook-*`` headers.

Source: https://docs.gitlab.com/user/project/integrations/webhooks/
(gitlabhq ``doc/user/project/integrations/webhooks.md``); signing token:
https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230944 and
https://gitlab.com/gitlab-org/gitlab/-/merge_requests/231325.

``gitlab``: no signature, the header carries the secret token itself.  It
is compared in constant time, through SHA-256 digests so that its length
does not leak either.  A token proves only that the sender knows it: use
HTTPS, and the idempotency guard.

``gitlab-signed`` (feature flag ``webhook_signing_token``): Standard
Webhooks style, ``webhook-signature: v1,<base64 HMAC-SHA256(key, id.ts.body)>``
with ``webhook-id`` (the ``Idempotency-Key`` value) and ``webhook-timestamp``.
The signing token is ``whsec_`` + base64 of a 32-byte key (MR 231325), and
GitLab's own test receiver checks it with the Standard Webhooks library
(MR 230944): so it is the Standard Webhooks declaration, with GitLab's
header spellings only.  A token that is not base64 can still be passed as
``bytes`` (used raw).

Delivery id: ``Idempotency-Key`` (GitLab 17.4 and later), which GitLab keeps
across retries and a UI "Resend" (delivery headers, on the page above;
https://gitlab.com/gitlab-org/gitlab/-/merge_requests/160952); else, on older
instances, ``X-Gitlab-Webhook-UUID``, "unique ID per webhook"; else the
SHA-256 of the body.  Never ``X-Gitlab-Event-UUID``, which recursive
webhooks share.  ``gitlab-signed`` signs ``webhook-id``, which is the key.
"""

from dataclasses import replace

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme
from hooksig.schemes import standard_webhooks

SCHEME = HmacScheme(
    name="gitlab",
    signature_header="X-Gitlab-Token",
    construction="token",
    id_source=FirstOf(
        HeaderField("Idempotency-Key"), HeaderField("X-Gitlab-Webhook-UUID"), BodyDigest()
    ),
    secret_hint="the webhook's Secret token, as text",
    docs_url="https://docs.gitlab.com/user/project/integrations/webhooks/",
    evidence=Evidence(
        kind="none",
        against="GitLab publishes no example token header or SDK; recipe from its webhook docs",
        tests=(
            "tests/schemes/test_gitlab.py",
            "tests/schemes/test_gitlab_sdk.py",
        ),
    ),
    alias_evidence=None,  # Standard Webhooks' aliases are not GitLab's
)

SIGNED = replace(
    standard_webhooks.SCHEME,
    name="gitlab-signed",
    signature_header="webhook-signature",
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    asymmetric=None,
    secret_hint="the webhook's signing token, whsec_ + base64 of 32 bytes",
    docs_url="https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230944",
    evidence=Evidence(
        kind="sdk",
        against="the standardwebhooks library, which GitLab's own test receiver uses "
        "(MR 230944), both ways",
        tests=(
            "tests/schemes/test_gitlab.py",
            "tests/schemes/test_gitlab_sdk.py",
        ),
    ),
    alias_evidence=None,  # Standard Webhooks' aliases are not GitLab's
)
