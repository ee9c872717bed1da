"""
WorkOS: ``WorkOS-Signature: t=<ms>, v1=<hex HMAC-SHA256(secret, t.body)>``.

Source: https://workos.com/docs/events/data-syncing/webhooks and WorkOS's SDK,
workos/workos-python@1a0d410
``src/workos/webhooks/_verification.py``
(``verify_header``: items split on exactly ``", "``, the timestamp in
milliseconds, ``DEFAULT_TOLERANCE = 180`` seconds).

The signed content is the millisecond timestamp text, a dot and the raw
body.  The window is WorkOS's own 180 seconds.  The event id is the body's
``id`` (``event_...``).

Delivery id: the event's ``id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="workos",
    signature_header="WorkOS-Signature",
    signature_format=Pairs(timestamp_key="t", separator=", "),
    version="v1",
    timestamp_unit="ms",
    encoding="hex",
    content="{timestamp}.{body}",
    tolerance=180,
    secret_hint="the webhook endpoint's secret, as text",
    docs_url="https://workos.com/docs/events/data-syncing/webhooks",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    evidence=Evidence(
        kind="both",
        against="workos-python's webhook test vectors and workos 10.8.0 (`verify_header`), both "
        "ways",
        tests=(
            "tests/vectors/providers/official/workos.json",
            "tests/schemes/test_workos.py",
            "tests/schemes/test_workos_sdk.py",
        ),
    ),
)
