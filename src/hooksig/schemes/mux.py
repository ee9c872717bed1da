"""
Mux: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Mux-Signature: t=<unix>,v1=<hex>``.

Source: https://www.mux.com/docs/core/verify-webhook-signatures

Only scheme ``v1`` is accepted.  Each webhook endpoint has its own secret.
The docs give no tolerance; Mux's own Node SDK (``@mux/mux-node``,
``webhooks.verifySignature``) refuses timestamps over 300 s old, as
hooksig's default does.

Delivery id: the event's ``id`` in the body; Mux retries for 24 hours and
may send a duplicate even after a 2xx
(https://www.mux.com/docs/core/listen-for-webhooks).  A digest of the body
only where it is missing: the ``attempts`` list grows on each attempt.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="mux",
    signature_header="Mux-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    secret_hint="the endpoint's signing secret, as text",
    docs_url="https://www.mux.com/docs/core/verify-webhook-signatures",
    evidence=Evidence(
        kind="both",
        against="mux-node-sdk's webhook test vectors and @mux/mux-node 15.3.0, both ways, "
        "on Node.js",
        tests=("tests/vectors/providers/official/mux.json", "tests/schemes/test_mux_sdk.py"),
    ),
)
