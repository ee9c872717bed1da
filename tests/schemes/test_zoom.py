"""Zoom through the scheme contract, plus an independent recipe check."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestZoom(SchemeContract):
    """Zoom: the contract."""

    scheme = "zoom"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """x-zm-signature is v0= + hex(HMAC-SHA256(secret token, "v0:" + ts + ":" + body))."""
    digest = hmac.new(SECRET.encode(), f"v0:{NOW}:".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"x-zm-signature": f"v0={digest}", "x-zm-request-timestamp": str(NOW)}
    assert Verifier("zoom", secret=SECRET).verify(BODY, headers, now=NOW).timestamp == NOW
