"""
Mailgun: HMAC-SHA256 over ``<timestamp><token>``, hex, in the JSON body's ``signature`` object.

Source: https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks

Recipe: the body is ``{"signature": {"timestamp": ..., "token": ...,
"signature": hex(HMAC-SHA256(webhook_signing_key, timestamp + token))},
"event-data": {...}}``.  The signature is read from the body (hooksig's
``body.`` fields), and Mailgun sends no signature header: ``sign()`` refuses
the scheme, and ``Verifier.signed_request(body)`` returns the body with its
``signature`` object set, as Mailgun sends it.  Mailgun's tolerance is
UNCONFIRMED; hooksig's 300-second default applies.

Security note: Mailgun signs only the timestamp and the token, not the
event data, so the signature proves the token is Mailgun's but not that
the event data is.

Subaccounts: an event on a subaccount's domain also carries
``signature.parent-signature``, "same as signature" but made with the
primary account's signing key, so one receiver can verify every
subaccount with the parent's key.  Both fields are read and every
configured key is tried against both: pass the subaccount's key, the
parent's key, or both (``secrets=[...]``; ``Delivery.key_id`` says which).

Delivery id: the event's id, ``event-data.id``, unique within a day
(https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-structure);
Mailgun retries for 8 hours, so keep the guard's retention under 24 hours.
A body without it falls back to the signed token, which never collides but
may not recognise a retry (whether Mailgun reuses it is UNCONFIRMED).
"""

from hooksig.scheme import BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="mailgun",
    signature_header=("body.signature.signature", "body.signature.parent-signature"),
    all_signature_headers=True,
    timestamp_header="body.signature.timestamp",
    id_header="body.signature.token",
    id_source=FirstOf(BodyField("event-data.id"), BodyField("signature.token")),
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}{id}",
    secret_hint="the HTTP webhook signing key, as text",
    docs_url="https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks",
    evidence=Evidence(
        kind="sdk",
        against="mailgun (the official Python client), both ways",
        tests=(
            "tests/schemes/test_mailgun.py",
            "tests/schemes/test_mailgun_sdk.py",
        ),
    ),
)
