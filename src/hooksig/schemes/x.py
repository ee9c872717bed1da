"""
X (Twitter): HMAC-SHA256 of the body, base64, in ``x-twitter-webhooks-signature``.

Source: https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks
and https://docs.x.com/x-api/webhooks/quickstart.

Recipe: ``x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>``,
keyed with the app's consumer secret (API secret key).  No timestamp and no
delivery id are sent: rely on the idempotency guard.

Challenge (CRC): X sends ``GET ?crc_token=...`` when the webhook is
registered and then periodically; the answer is
``{"response_token": "sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}``,
within 3 seconds.  The answer is itself a MAC under your secret, so
answering reveals nothing; configure
``challenge=hooksig.scheme.challenge.crc_challenge()`` and the adapters
answer it.  X publishes no CRC example with its expected output.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

#: The challenge builder this provider's unsigned check needs.
CHALLENGE = "crc_challenge()"

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig
from hooksig.scheme.challenge import crc_challenge

scheme = hooksig.schemes.configure("x", challenge=crc_challenge())
verifier = hooksig.Verifier(scheme, secret=os.environ["X_WEBHOOK_SECRET"])  # the consumer secret
"""

SCHEME = HmacScheme(
    name="x",
    signature_header="x-twitter-webhooks-signature",
    prefix="sha256=",
    algorithm="sha256",
    encoding="base64",
    secret_hint="the app's consumer secret (API secret key), as text",
    docs_url="https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against=("X publishes no event or CRC example with its output; recomputed from its docs"),
        tests=("tests/schemes/test_x.py",),
    ),
)
