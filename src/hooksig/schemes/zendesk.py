"""
Zendesk: HMAC-SHA256 over ``<timestamp><body>``, base64, in ``X-Zendesk-Webhook-Signature``.

Source: https://developer.zendesk.com/documentation/webhooks/verifying/

Recipe: ``base64(HMACSHA256(TIMESTAMP + BODY))`` keyed with the webhook's
signing secret, the timestamp from ``X-Zendesk-Webhook-Signature-Timestamp``;
the body may be empty (GET/DELETE webhooks).  The timestamp's format is not
in our catalog: it is read as RFC 3339 (``2021-09-28T21:10:57Z``), which is
UNCONFIRMED, and the tolerance too, so hooksig's 300-second default applies.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="zendesk",
    signature_header="X-Zendesk-Webhook-Signature",
    algorithm="sha256",
    encoding="base64",
    timestamp_header="X-Zendesk-Webhook-Signature-Timestamp",
    timestamp_unit="rfc3339",
    content="{timestamp}{body}",
    secret_hint="the webhook's signing secret, as text",
    docs_url="https://developer.zendesk.com/documentation/webhooks/verifying/",
)
