"""
SendGrid (Signed Event Webhook): ECDSA P-256/SHA-256 over ``<timestamp><body>``, base64 DER.

Sources: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
and sendgrid-python ``sendgrid/helpers/eventwebhook/__init__.py``.

Recipe: ``ECDSA_verify(public_key, X-Twilio-Email-Event-Webhook-Timestamp + body,
base64_decode(X-Twilio-Email-Event-Webhook-Signature))``, the signature in
ASN.1 DER.  The public key is shown as base64 DER SubjectPublicKeyInfo:
``Verifier("sendgrid", public_key="MFkwEwYH...")`` (PEM works too).
SendGrid documents no tolerance, so hooksig's 300-second default applies.

Delivery id: a delivery is a JSON array of events, each with an
``sg_event_id`` "unique for every event", and duplicates are common
(SendGrid's event webhook troubleshooting page).  The key is the SHA-256 of
the sorted ``sg_event_id`` values, so it does not depend on item order or
re-serialisation; a body where an event lacks one gets the SHA-256 of the
body.  Deduplicate per event in your handler too: whether SendGrid resends
a batch with the same events is UNCONFIRMED.
"""

from hooksig.scheme import AsymmetricScheme, BodyDigest, EachItem, Evidence, FirstOf

SCHEME = AsymmetricScheme(
    name="sendgrid",
    algorithm="ecdsa-p256",
    ecdsa_encoding="der",
    signature_header="X-Twilio-Email-Event-Webhook-Signature",
    encoding="base64",
    timestamp_header="X-Twilio-Email-Event-Webhook-Timestamp",
    content="{timestamp}{body}",
    id_source=FirstOf(EachItem(fields=("sg_event_id",)), BodyDigest()),
    public_key_format="pem",
    signing_key_format="pem",
    secret_hint="public_key=: the verification key (base64 DER or PEM); no secret",
    docs_url="https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
    evidence=Evidence(
        kind="both",
        against="SendGrid's documented example and the sendgrid SDK, both ways; "
        "Wycheproof ECDSA P-256",
        tests=(
            "tests/schemes/test_sendgrid.py",
            "tests/schemes/test_sendgrid_sdk.py",
            "tests/primitives/test_wycheproof.py",
        ),
    ),
)
