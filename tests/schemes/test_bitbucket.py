"""Bitbucket through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestBitbucket(SchemeContract):
    """Bitbucket: the contract."""

    scheme = "bitbucket"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"


def test_recipe_recomputed_independently() -> None:
    """X-Hub-Signature is sha256=hex(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-Hub-Signature": "sha256=" + digest.hex()}
    delivery = Verifier("bitbucket", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
