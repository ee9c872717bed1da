"""Paystack through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestPaystack(SchemeContract):
    """Paystack: the contract."""

    scheme = "paystack"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """x-paystack-signature is hex(HMAC-SHA512(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha512).digest()
    headers = {"x-paystack-signature": "" + digest.hex()}
    delivery = Verifier("paystack", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
