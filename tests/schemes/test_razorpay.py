"""Razorpay through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InsecureKeyWarning, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract
from tests.vectors import provider_vector


class TestRazorpay(SchemeContract):
    """Razorpay: the contract."""

    scheme = "razorpay"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"


def test_recipe_recomputed_independently() -> None:
    """X-Razorpay-Signature is hex(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-Razorpay-Signature": "" + digest.hex()}
    delivery = Verifier("razorpay", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"


def test_sdk_vector() -> None:
    """The razorpay-python test vector (971-byte mock body) verifies."""
    vector = provider_vector("Razorpay")
    with pytest.warns(InsecureKeyWarning):
        verifier = Verifier("razorpay", secret=vector["secret"])
    assert verifier.verify(vector["body"].encode(), vector["headers"]).key_id == "0"
