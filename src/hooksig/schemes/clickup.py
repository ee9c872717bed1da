"""
ClickUp: hex HMAC-SHA256 of the raw body in ``X-Signature``.

Source: https://developer.clickup.com/docs/webhooksignature ("Signatures are
always digested in hexadecimal format"); the key is the ``secret`` returned
when the webhook is created.

No timestamp is signed and no delivery id is sent (the body has
``webhook_id``, ``event`` and ``history_items[].id``).

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="clickup",
    signature_header="X-Signature",
    encoding="hex",
    secret_hint="the webhook's secret, returned when it is created",
    docs_url="https://developer.clickup.com/docs/webhooksignature",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="ClickUp publishes no vector (its example header is truncated) or SDK; recipe "
        "from its signature docs",
        tests=("tests/schemes/test_clickup.py",),
    ),
)
