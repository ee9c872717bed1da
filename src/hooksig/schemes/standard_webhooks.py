"""
Standard Webhooks (and Svix, Clerk, Resend): ``webhook-signature: v1,<base64> [v1a,<base64> ...]``.

Source: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
and https://docs.svix.com/receiving/verifying-payloads/how-manual

Signed content is ``<webhook-id>.<webhook-timestamp>.<body>``.  ``v1`` is
HMAC-SHA256 keyed with the *base64-decoded* part of the ``whsec_`` secret;
``v1a`` is Ed25519 with ``whpk_``/``whsk_`` keys (the ``crypto`` extra).
A verifier with a secret checks the ``v1`` items and one with a public key
the ``v1a`` items, so a header carrying both verifies with either.

Svix sends the same headers as ``svix-id``, ``svix-timestamp`` and
``svix-signature`` ("white-labelled" accounts get the ``webhook-`` names),
and so do Clerk (https://clerk.com/docs/webhooks/sync-data, whose
``verifyWebhook()`` reads the ``svix-*`` names only) and Resend
(https://resend.com/docs/webhooks/verify-webhooks-requests).  Every name
verifies both spellings (two that disagree are refused); ``sign()`` writes
``svix-*`` for the ``svix``, ``clerk`` and ``resend`` names, as those
providers send them, and ``webhook-*`` for the others.

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

from typing import Any

from hooksig.scheme import HmacScheme, Versioned
from hooksig.scheme.asymmetric import AsymmetricScheme

_URL = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md"


def _declare(first: str, then: str) -> HmacScheme:
    """The scheme whose headers are read under both prefixes and signed under *first*."""
    headers = {
        f"{option}_header": (f"{first}-{field}", f"{then}-{field}")
        for option, field in (("signature", "signature"), ("timestamp", "timestamp"), ("id", "id"))
    }
    shared: dict[str, Any] = {
        "name": "standard-webhooks",
        **headers,
        "signature_format": Versioned(),
        "encoding": "base64",
        "content": "{id}.{timestamp}.{body}",
        "tolerance": 300,
        "docs_url": _URL,
    }
    return HmacScheme(
        **shared,
        version="v1",
        algorithm="sha256",
        secret_format="whsec",
        asymmetric=AsymmetricScheme(
            **shared, version="v1a", public_key_format="whpk", signing_key_format="whsk"
        ),
    )


SCHEME = _declare("webhook", "svix")
#: The names Svix, Clerk and Resend send: the same scheme, signed under ``svix-*``.
SVIX = _declare("svix", "webhook")
