"""
Standard Webhooks (and Svix, Clerk, Resend): ``webhook-signature: v1,<base64> [v1a,<base64> ...]``.

Source: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
and https://docs.svix.com/receiving/verifying-payloads/how-manual

Signed content is ``<webhook-id>.<webhook-timestamp>.<body>``.  ``v1`` is
HMAC-SHA256 keyed with the *base64-decoded* part of the ``whsec_`` secret;
``v1a`` is Ed25519 with ``whpk_``/``whsk_`` keys (the ``crypto`` extra).
A verifier with a secret checks the ``v1`` items and one with a public key
the ``v1a`` items, so a header carrying both verifies with either.  Svix
sends the same headers as ``svix-*``; both spellings are read.

The same recipe, under its providers' names (aliases): Clerk and Resend
(through Svix); OpenAI (openai/openai-python@e43b422
``src/openai/lib/_webhooks.py``:
pass the secret with its ``whsec_`` prefix, as shown, since OpenAI's own
helper would take an unprefixed secret's text as the key); Anthropic and
Dodo Payments (their SDKs call the ``standardwebhooks`` library);
Replicate (replicate/replicate-python@0110c2c
``replicate/webhook.py``:
its helper checks no timestamp unless asked, hooksig always does); and
Render (its example receiver,
render-examples/webhook-receiver@128a764
``app.ts``,
uses the ``standardwebhooks`` library).  ``webhook-id`` stays the same
across a delivery's retries (the specification): it is the idempotency key.
"""

from hooksig.scheme import HmacScheme, Versioned
from hooksig.scheme.asymmetric import AsymmetricScheme

_SIGNATURE = ("webhook-signature", "svix-signature")
_TIMESTAMP = ("webhook-timestamp", "svix-timestamp")
_ID = ("webhook-id", "svix-id")
_URL = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md"

SCHEME = HmacScheme(
    name="standard-webhooks",
    signature_header=_SIGNATURE,
    timestamp_header=_TIMESTAMP,
    id_header=_ID,
    signature_format=Versioned(),
    version="v1",
    algorithm="sha256",
    encoding="base64",
    content="{id}.{timestamp}.{body}",
    secret_format="whsec",
    tolerance=300,
    docs_url=_URL,
    asymmetric=AsymmetricScheme(
        name="standard-webhooks",
        signature_header=_SIGNATURE,
        timestamp_header=_TIMESTAMP,
        id_header=_ID,
        signature_format=Versioned(),
        version="v1a",
        encoding="base64",
        content="{id}.{timestamp}.{body}",
        public_key_format="whpk",
        signing_key_format="whsk",
        tolerance=300,
        docs_url=_URL,
    ),
)
