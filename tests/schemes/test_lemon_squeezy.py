"""Lemon Squeezy through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestLemonSqueezy(SchemeContract):
    """Lemon Squeezy: the contract."""

    scheme = "lemon-squeezy"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-Signature is hex(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-Signature": "" + digest.hex()}
    delivery = Verifier("lemon-squeezy", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
