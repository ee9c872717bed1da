"""Dodo Payments: an alias of standard-webhooks (the SDK: test_dodo_payments_sdk.py).

The contract runs once, under ``standard-webhooks``.
"""

from __future__ import annotations

from hooksig import schemes


def test_dodo_payments_is_standard_webhooks() -> None:
    """The name resolves to the Standard Webhooks scheme itself."""
    assert schemes.get("dodo-payments") is schemes.get("standard-webhooks")
