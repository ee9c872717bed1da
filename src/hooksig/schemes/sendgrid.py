"""
SendGrid (Signed Event Webhook): ECDSA P-256/SHA-256 over ``<timestamp><body>``, base64 DER.

Sources: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
and sendgrid-python ``sendgrid/helpers/eventwebhook/__init__.py``.

Recipe: ``ECDSA_verify(public_key, X-Twilio-Email-Event-Webhook-Timestamp + body,
base64_decode(X-Twilio-Email-Event-Webhook-Signature))``, the signature in
ASN.1 DER.  The public key is shown as base64 DER SubjectPublicKeyInfo:
``Verifier("sendgrid", public_key="MFkwEwYH...")`` (PEM works too).
SendGrid documents no tolerance, so hooksig's 300-second default applies.
A delivery batches events, each with its own ``sg_event_id``: there is no
single delivery id.
"""

from hooksig.scheme.asymmetric import AsymmetricScheme

SCHEME = AsymmetricScheme(
    name="sendgrid",
    algorithm="ecdsa-p256",
    ecdsa_encoding="der",
    signature_header="X-Twilio-Email-Event-Webhook-Signature",
    encoding="base64",
    timestamp_header="X-Twilio-Email-Event-Webhook-Timestamp",
    content="{timestamp}{body}",
    public_key_format="pem",
    signing_key_format="pem",
    secret_hint="public_key=: the verification key (base64 DER or PEM); no secret",
    docs_url="https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
)
