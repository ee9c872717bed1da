"""Anthropic: an alias of standard-webhooks (the SDK cross-check: test_anthropic_sdk.py).

The contract runs once, under ``standard-webhooks``.
"""

from __future__ import annotations

from hooksig import schemes


def test_anthropic_is_standard_webhooks() -> None:
    """The name resolves to the Standard Webhooks scheme itself."""
    assert schemes.get("anthropic") is schemes.get("standard-webhooks")
