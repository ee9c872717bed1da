"""Coinbase Commerce through the scheme contract, plus an independent recipe check."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestCoinbaseCommerce(SchemeContract):
    """Coinbase Commerce: the contract."""

    scheme = "coinbase-commerce"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = b'{"id": "1", "event": {"id": "evt_contract_1", "type": "charge:created"}}'


def test_recipe_recomputed_independently() -> None:
    """X-CC-Webhook-Signature is hex(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-CC-Webhook-Signature": "" + digest.hex()}
    delivery = Verifier("coinbase-commerce", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
