"""
Jira (Cloud admin webhooks): HMAC-SHA256 of the body, hex, ``X-Hub-Signature: sha256=<hex>``.

Source: https://developer.atlassian.com/cloud/jira/platform/webhooks/
(section "Secure admin webhooks"); the same header, prefix and default
HMACSha256 are stated first-hand on Atlassian's Jira Data Center page
https://confluence.atlassian.com/adminjiraserver/managing-webhooks-938846912.html.
Dynamic (OAuth/Connect) webhooks carry a JWT instead and are not covered.

Delivery id: ``X-Atlassian-Webhook-Identifier``, which stays the same on
retries (third-party: jira.js's ``WebhookHeaders``; Jira Cloud retries and
marks them ``X-Atlassian-Webhook-Retry``, per the page above, "Retry
policy"); else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme

SCHEME = HmacScheme(
    name="jira",
    signature_header="X-Hub-Signature",
    prefix="sha256=",
    id_source=FirstOf(HeaderField("X-Atlassian-Webhook-Identifier"), BodyDigest()),
    algorithm="sha256",
    encoding="hex",
    secret_hint="the admin webhook's secret, as text",
    docs_url="https://developer.atlassian.com/cloud/jira/platform/webhooks/",
    evidence=Evidence(
        kind="vector",
        against="the example in Atlassian's Jira Cloud webhook docs (\"Secure admin "
        'webhooks"), as quoted by its users',
        tests=("tests/vectors/providers/official/jira.json",),
    ),
)
