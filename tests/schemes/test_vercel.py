"""Vercel through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestVercel(SchemeContract):
    """Vercel: the contract."""

    scheme = "vercel"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """x-vercel-signature is hex(HMAC-SHA1(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha1).digest()
    headers = {"x-vercel-signature": "" + digest.hex()}
    delivery = Verifier("vercel", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
