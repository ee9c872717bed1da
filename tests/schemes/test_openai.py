"""OpenAI: an alias of standard-webhooks, and its published vector (SDK: test_openai_sdk.py).

The contract runs once, under ``standard-webhooks`` (an alias is the same
scheme object); the published vector is in
``tests/vectors/providers/official/openai.json``.
"""

from __future__ import annotations

from hooksig import schemes


def test_openai_is_standard_webhooks() -> None:
    """The name resolves to the Standard Webhooks scheme itself."""
    assert schemes.get("openai") is schemes.get("standard-webhooks")
