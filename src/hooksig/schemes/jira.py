"""
Jira (Cloud admin webhooks): HMAC-SHA256 of the body, hex, ``X-Hub-Signature: sha256=<hex>``.

Source: https://developer.atlassian.com/cloud/jira/platform/webhooks/
(recipe from third-party material: nango.dev, hookdeck)

Third-party only: the header, prefix and algorithm come from
https://nango.dev/docs/api-integrations/jira/webhooks and hookdeck; the
id header ``X-Atlassian-Webhook-Identifier`` from jira.js docs.  Dynamic
(OAuth/Connect) webhooks carry a JWT instead and are not covered.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="jira",
    signature_header="X-Hub-Signature",
    prefix="sha256=",
    id_header="X-Atlassian-Webhook-Identifier",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the admin webhook's secret, as text",
    docs_url="https://developer.atlassian.com/cloud/jira/platform/webhooks/",
)
