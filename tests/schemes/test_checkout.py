"""Checkout.com: the scheme contract and a recomputation from Checkout.com's receiver docs."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"id":"evt_az5sblvku4ge3dwpztvyizgcau","type":"payment_approved","data":{"amount":1000}}'


class TestCheckout(SchemeContract):
    """Checkout.com through the scheme contract: hex HMAC-SHA256, event id in the body."""

    scheme = "checkout"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """Cko-Signature is hex HMAC-SHA256(signature key, body)."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = Verifier("checkout", secret=SECRET)
    assert verifier.verify(BODY, {"Cko-Signature": digest}).id == "evt_az5sblvku4ge3dwpztvyizgcau"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"Cko-Signature": digest})
