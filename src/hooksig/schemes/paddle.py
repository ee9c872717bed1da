"""
Paddle Billing: HMAC-SHA256 over ``<ts>:<body>``, hex, in ``Paddle-Signature: ts=<unix>;h1=<hex>``.

Source: https://developer.paddle.com/webhooks/about/signature-verification
(and paddle-python-sdk ``paddle_billing/Notifications/PaddleSignature.py``, ``Verifier.py``).

The key is the notification destination's secret key as text, ``pdl_ntfset_``
prefix included.  Several ``h1=`` entries may be sent and any one matching
passes.  Paddle's SDKs enforce a five-second tolerance and its docs ask
manual implementations to do the same, so that is the default here;
widen it with ``tolerance=`` if your clock drifts.  Stricter than the SDK:
an ``h1`` that is not 64 lowercase hex digits is malformed, not skipped.
Paddle Classic (``p_signature``, RSA) is another product and not covered.

Delivery id: the body's ``event_id``, Paddle's stated key for at-least-once
delivery (https://developer.paddle.com/webhooks/about/how-webhooks-work);
several destinations on one endpoint share it, so the event is handled once.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="paddle",
    signature_header="Paddle-Signature",
    signature_format=Pairs(timestamp_key="ts", separator=";"),
    version="h1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}:{body}",
    tolerance=5,
    id_source=FirstOf(BodyField("event_id"), BodyDigest()),
    secret_hint="the notification destination's secret key (pdl_ntfset_...), as text",
    docs_url="https://developer.paddle.com/webhooks/about/signature-verification",
    evidence=Evidence(
        kind="both",
        against="Paddle's documented examples and paddle-python-sdk, both ways",
        tests=(
            "tests/schemes/test_paddle.py",
            "tests/schemes/test_paddle_sdk.py",
        ),
    ),
)
