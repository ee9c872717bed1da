"""
Jira (Cloud admin webhooks): HMAC-SHA256 of the body, hex, ``X-Hub-Signature: sha256=<hex>``.

Source: https://developer.atlassian.com/cloud/jira/platform/webhooks/
(section "Secure admin webhooks"); the same header, prefix and default
HMACSha256 are stated first-hand on Atlassian's Jira Data Center page
https://confluence.atlassian.com/adminjiraserver/managing-webhooks-938846912.html.

The id header ``X-Atlassian-Webhook-Identifier`` is third-party (jira.js
docs).  Dynamic (OAuth/Connect) webhooks carry a JWT instead and are not
covered.
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
