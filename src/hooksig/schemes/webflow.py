"""
Webflow: hex HMAC-SHA256 of ``<timestamp>:<body>`` in ``x-webflow-signature``.

Source: https://developers.webflow.com/data/docs/working-with-webhooks and
Webflow's SDK, webflow/js-webflow-api@31e9cf3
``src/wrapper/WebhooksClient.ts``
(``verifySignature``).

``x-webflow-timestamp`` is Unix **milliseconds**; Webflow says to refuse
requests older than five minutes (its SDK helper checks no time at all, and
compares with ``===``).  The key is the secret generated when the webhook
was created, or the OAuth application's client secret (the SDK's words).

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="webflow",
    signature_header="x-webflow-signature",
    timestamp_header="x-webflow-timestamp",
    timestamp_unit="ms",
    encoding="hex",
    content="{timestamp}:{body}",
    tolerance=300,
    secret_hint="the webhook's secret, or the OAuth application's client secret",
    docs_url="https://developers.webflow.com/data/docs/working-with-webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="sdk",
        against="webflow-api 3.3.4 (`webhooks.verifySignature`) on Node.js: it accepts hooksig's "
        "signatures and hooksig its own recipe (the SDK has no signer)",
        tests=("tests/schemes/test_webflow.py", "tests/schemes/test_webflow_sdk.py"),
    ),
)
