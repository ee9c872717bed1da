"""Intercom through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestIntercom(SchemeContract):
    """Intercom: the contract."""

    scheme = "intercom"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """X-Hub-Signature is sha1=hex(HMAC-SHA1(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha1).digest()
    headers = {"X-Hub-Signature": "sha1=" + digest.hex()}
    delivery = Verifier("intercom", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
