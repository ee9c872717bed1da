"""
Onfido (Entrust): hex HMAC-SHA256 of the raw body in ``X-SHA2-Signature``.

Source: https://documentation.identity.entrust.com/api/latest/#webhooks and
Onfido's SDK, onfido/onfido-python@04baf27
``onfido/webhook_event_verifier.py``
(``WebhookEventVerifier``: key = the webhook token's UTF-8, hex digest).

No timestamp is signed and no delivery id is sent (the body names the
resource, ``payload.object.id``, and the ``payload.action``).

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="onfido",
    signature_header="X-SHA2-Signature",
    encoding="hex",
    secret_hint="the webhook's token, as text",
    docs_url="https://documentation.identity.entrust.com/api/latest/#webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="both",
        against="onfido-python's webhook test vector and onfido-python 6.2.0 "
        "(`WebhookEventVerifier`), both ways",
        tests=(
            "tests/vectors/providers/official/onfido.json",
            "tests/schemes/test_onfido.py",
            "tests/schemes/test_onfido_sdk.py",
        ),
    ),
)
