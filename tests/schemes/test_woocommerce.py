"""WooCommerce through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestWoocommerce(SchemeContract):
    """WooCommerce: the contract."""

    scheme = "woocommerce"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"


def test_recipe_recomputed_independently() -> None:
    """X-WC-Webhook-Signature is base64(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-WC-Webhook-Signature": "" + base64.b64encode(digest).decode()}
    delivery = Verifier("woocommerce", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
