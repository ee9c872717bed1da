"""
Zendesk: HMAC-SHA256 over ``<timestamp><body>``, base64, in ``X-Zendesk-Webhook-Signature``.

Source: https://developer.zendesk.com/documentation/webhooks/verifying/

Recipe: ``base64(HMACSHA256(TIMESTAMP + BODY))`` keyed with the webhook's
signing secret, the timestamp from ``X-Zendesk-Webhook-Signature-Timestamp``;
the body may be empty (GET/DELETE webhooks).  The timestamp is RFC 3339, as
in the headers example of
https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request
(``2021-03-25T05:09:27Z``).  Zendesk states no tolerance, so hooksig's
300-second default applies.  An earlier version of the docs (under
``documentation/event-connectors/webhooks/verifying/``) gave
``(BODY)(TIMESTAMP)`` with a matching example; Zendesk replaced it on that
same page with the order above, which hooksig follows.  Re-read for issue
#15: both current pages (``webhooks/verifying`` and
``event-connectors/webhooks/verifying``) say ``TIMESTAMP + BODY``; only
the retired version says otherwise, and its example is kept in the tests
as a delivery hooksig refuses.
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
