"""
Telnyx: Ed25519 over ``<timestamp>|<body>``, base64, in ``telnyx-signature-ed25519``.

Source: https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
(telnyx 4.189.0 ``telnyx/lib/webhook_verification.py``, hand-written in the SDK).

Recipe: ``Ed25519_verify(public_key, telnyx-timestamp + "|" + body,
base64_decode(telnyx-signature-ed25519))``, with the account's public key
(base64, 32 bytes, from the Mission Control portal):
``Verifier("telnyx", public_key="<base64>")``.  The timestamp is Unix seconds;
the SDK refuses one more than 300 seconds away, in either direction, and so
does hooksig.  Telnyx publishes no vector; the SDK checks hooksig's
signatures and hooksig the SDK's.  The event id (``data.id``) is in the body;
that it is stable across retries is UNCONFIRMED.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf
from hooksig.scheme.asymmetric import AsymmetricScheme

SCHEME = AsymmetricScheme(
    name="telnyx",
    algorithm="ed25519",
    signature_header="telnyx-signature-ed25519",
    encoding="base64",
    timestamp_header="telnyx-timestamp",
    content="{timestamp}|{body}",
    tolerance=300,
    public_key_format="base64",
    signing_key_format="base64",
    secret_hint="public_key=: the account's public key (base64); no secret",
    docs_url="https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks",
    id_source=FirstOf(BodyField("data.id"), BodyDigest()),
    evidence=Evidence(
        kind="sdk",
        against=("telnyx (`verify_webhook_signature`, hand-written in the SDK), both ways"),
        tests=(
            "tests/schemes/test_telnyx.py",
            "tests/schemes/test_telnyx_sdk.py",
        ),
    ),
)
