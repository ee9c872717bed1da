"""
Notion: ``X-Notion-Signature: sha256=<hex HMAC-SHA256(verification_token, body)>``.

Source: https://developers.notion.com/reference/webhooks and Notion's SDK,
makenotion/notion-sdk-js@2aca555
``src/webhooks.ts``
(``verifyWebhookSignature``: the ``sha256=`` prefix required, 64 hex digits,
timing-safe compare).

The key is the ``verification_token`` Notion POSTs once, unsigned, right
after a subscription is created, as ``{"verification_token": "..."}``; you
paste it into the integration's settings and pass it here as the secret.
That first POST proves nothing (anyone can send one): hooksig does not
answer or accept it, so capture it by hand from your logs or Notion's UI.
Notion's SDK lower-cases the hex it receives; hooksig accepts lowercase
only, which is what the SDK itself produces.  No timestamp is signed: the
idempotency guard keys on the event's ``id``.

Delivery id: the event's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="notion",
    signature_header="X-Notion-Signature",
    prefix="sha256=",
    encoding="hex",
    secret_hint="the subscription's verification_token, as text",
    docs_url="https://developers.notion.com/reference/webhooks",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="sdk",
        against="@notionhq/client 5.26.0 (`verifyWebhookSignature`, `signWebhookPayload`), both "
        "ways, on Node.js",
        tests=("tests/schemes/test_notion.py", "tests/schemes/test_notion_sdk.py"),
    ),
)
