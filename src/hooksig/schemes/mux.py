"""
Mux: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Mux-Signature: t=<unix>,v1=<hex>``.

Source: https://www.mux.com/docs/core/verify-webhook-signatures

Only scheme ``v1`` is accepted.  Each webhook endpoint has its own secret.
The docs give no tolerance; Mux's own Node SDK (``@mux/mux-node``,
``webhooks.verifySignature``) refuses timestamps over 300 s old, as
hooksig's default does.
"""

from hooksig.scheme import HmacScheme, Pairs

SCHEME = HmacScheme(
    name="mux",
    signature_header="Mux-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    secret_hint="the endpoint's signing secret, as text",
    docs_url="https://www.mux.com/docs/core/verify-webhook-signatures",
)
