"""Typeform through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestTypeform(SchemeContract):
    """Typeform: the contract."""

    scheme = "typeform"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """Typeform-Signature is sha256=base64(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"Typeform-Signature": "sha256=" + base64.b64encode(digest).decode()}
    delivery = Verifier("typeform", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"
