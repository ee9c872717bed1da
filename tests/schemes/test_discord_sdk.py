"""Discord against discord-interactions' verify_key (with PyNaCl signing), both ways."""

from __future__ import annotations

from hooksig import Verifier
from tests.conftest import NOW
from tests.schemes.test_discord import OTHER_SEED, SEED, _public


def test_discord_interactions_accepts_hooksig_signatures() -> None:
    """discord-interactions' verify_key accepts what hooksig signs, and not a changed body."""
    from discord_interactions import verify_key

    body = '{"type": 1, "data": {"name": "caf\u00e9"}}'.encode()
    headers = Verifier("discord", signing_key=SEED.hex()).sign(body, timestamp=NOW)
    signature, timestamp = headers["X-Signature-Ed25519"], headers["X-Signature-Timestamp"]
    assert verify_key(body, signature, timestamp, _public(SEED))
    assert not verify_key(body + b" ", signature, timestamp, _public(SEED))
    assert not verify_key(body, signature, timestamp, _public(OTHER_SEED))


def test_hooksig_accepts_signatures_discord_interactions_accepts() -> None:
    """A PyNaCl signature of timestamp + body that verify_key accepts verifies with hooksig."""
    from discord_interactions import verify_key
    from nacl.signing import SigningKey

    body = '{"type": 2, "data": {"name": "h\u00e9llo"}}'.encode()
    signature = SigningKey(SEED).sign(str(NOW).encode() + body).signature.hex()
    assert verify_key(body, signature, str(NOW), _public(SEED))
    headers = {"X-Signature-Ed25519": signature, "X-Signature-Timestamp": str(NOW)}
    verifier = Verifier("discord", public_key=_public(SEED))
    assert verifier.verify(body, headers, now=NOW).timestamp == NOW
