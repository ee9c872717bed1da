"""Replicate: an alias of standard-webhooks (replicate-python: test_replicate_sdk.py).

The contract runs once, under ``standard-webhooks``; Replicate's published
vector (the Standard Webhooks spec example its tests reuse) is in
``tests/vectors/providers/official/replicate.json``.
"""

from __future__ import annotations

from hooksig import schemes


def test_replicate_is_standard_webhooks() -> None:
    """The name resolves to the Standard Webhooks scheme itself."""
    assert schemes.get("replicate") is schemes.get("standard-webhooks")
