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

Delivery id: an interaction's ``id`` (discord-api-docs
``developers/interactions/receiving-and-responding.mdx``).  Webhook events
(``developers/events/webhook-events.mdx``), which Discord retries for up to
ten minutes, carry none, so their key is the SHA-256 of the body, never of
``X-Signature-Timestamp``.  Caveat: an event body Discord re-serialised for
a retry is handled again.
"""

from hooksig.scheme import AsymmetricScheme, BodyDigest, BodyField, Evidence, FirstOf
from hooksig.scheme.handshake import fixed_reply

SCHEME = AsymmetricScheme(
    name="discord",
    algorithm="ed25519",
    signature_header="X-Signature-Ed25519",
    encoding="hex",
    timestamp_header="X-Signature-Timestamp",
    content="{timestamp}{body}",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    public_key_format="hex",
    signing_key_format="hex",
    handshake=fixed_reply(when={"type": 1}, reply={"type": 1}),
    secret_hint="public_key=: the application's Public Key (hex); no secret",
    docs_url="https://discord.com/developers/docs/interactions/overview",
    evidence=Evidence(
        kind="sdk",
        against="discord-interactions (`verify_key`), both ways; Wycheproof Ed25519",
        tests=(
            "tests/schemes/test_discord.py",
            "tests/schemes/test_discord_sdk.py",
            "tests/primitives/test_wycheproof.py",
        ),
    ),
)
