"""
Discord: Ed25519 over ``<timestamp><body>``, hex, in ``X-Signature-Ed25519`` (``hooksig[crypto]``).

Source: https://discord.com/developers/docs/interactions/overview
(discord-api-docs ``developers/interactions/overview.mdx``,
``developers/events/webhook-events.mdx``).

Recipe: ``Ed25519_verify(public_key, X-Signature-Timestamp + body,
hex_decode(X-Signature-Ed25519))``
with the application's public key (hex, from the developer portal):
``Verifier("discord", public_key="<hex>")``.  Discord documents no replay
window, so hooksig's default of 300 seconds applies; Discord also sends
deliberately invalid signatures as routine checks, which must fail (401).

Handshake: a signed PING ``{"type": 1}`` is answered ``{"type": 1}`` by
:meth:`hooksig.Verifier.handshake`.
"""

from hooksig.scheme.asymmetric import AsymmetricScheme
from hooksig.scheme.handshake import fixed_reply

SCHEME = AsymmetricScheme(
    name="discord",
    algorithm="ed25519",
    signature_header="X-Signature-Ed25519",
    encoding="hex",
    timestamp_header="X-Signature-Timestamp",
    content="{timestamp}{body}",
    public_key_format="hex",
    signing_key_format="hex",
    handshake=fixed_reply(when={"type": 1}, reply={"type": 1}),
    secret_hint="public_key=: the application's Public Key (hex); no secret",
    docs_url="https://discord.com/developers/docs/interactions/overview",
)
