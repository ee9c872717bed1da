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

Delivery id: ``webhook-id`` (``svix-id``), which is signed; the spec makes
it the idempotency key and keeps it on every retry, while the timestamp
changes per attempt.

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
uses the ``standardwebhooks`` library).
"""

from typing import Any

from hooksig.scheme import AsymmetricScheme, Evidence, HmacScheme, Versioned

_URL = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md"

#: What the scheme is checked against, under its own name and its aliases'.
_EVIDENCE: dict[str, Any] = {
    "evidence": Evidence(
        kind="both",
        against="the specification's test vectors and the standardwebhooks and svix "
        "libraries, both ways",
        tests=("tests/schemes/test_standard_webhooks.py",),
    ),
    "alias_evidence": {
        "anthropic": Evidence(
            kind="sdk",
            against="anthropic 2.17.0 (`beta.webhooks.unwrap`, via the standardwebhooks library), "
            "both ways",
            tests=(
                "tests/schemes/test_anthropic.py",
                "tests/schemes/test_anthropic_sdk.py",
            ),
        ),
        "dodo-payments": Evidence(
            kind="sdk",
            against="dodopayments 1.123.0 (`webhooks.unwrap`, via the standardwebhooks library), "
            "both ways",
            tests=(
                "tests/schemes/test_dodo_payments.py",
                "tests/schemes/test_dodo_payments_sdk.py",
            ),
        ),
        "openai": Evidence(
            kind="both",
            against="openai-python's webhook test vector and openai 3.63.0 "
            "(`webhooks.verify_signature`), both ways",
            tests=(
                "tests/vectors/providers/official/openai.json",
                "tests/schemes/test_openai.py",
                "tests/schemes/test_openai_sdk.py",
            ),
        ),
        "render": Evidence(
            kind="none",
            against="Render's own example receiver verifies with the standardwebhooks library "
            "(covered under standard-webhooks); no Render SDK",
            tests=("tests/schemes/test_render.py",),
        ),
        "replicate": Evidence(
            kind="both",
            against="replicate-python's webhook test vector (the Standard Webhooks example) and "
            "replicate 1.0.7 (`Webhooks.validate`), both ways",
            tests=(
                "tests/vectors/providers/official/replicate.json",
                "tests/schemes/test_replicate.py",
                "tests/schemes/test_replicate_sdk.py",
            ),
        ),
    },
}


def _declare(first: str, then: str) -> HmacScheme:
    """The scheme whose headers are read under both prefixes and signed under *first*."""
    headers = {
        f"{option}_header": (f"{first}-{option}", f"{then}-{option}")
        for option in ("signature", "timestamp", "id")
    }
    # What v1 and v1a share: declared once, so the two cannot drift apart.
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
        **_EVIDENCE,
    )


SCHEME = _declare("webhook", "svix")
#: The names Svix, Clerk and Resend send: the same scheme, signed under ``svix-*``.
SVIX = _declare("svix", "webhook")
