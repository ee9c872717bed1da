"""Calendly through the scheme contract, plus an independent recipe check."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestCalendly(SchemeContract):
    """Calendly: the contract."""

    scheme = "calendly"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """Calendly-Webhook-Signature is t=<unix>,v1=hex(HMAC-SHA256(key, t + "." + body))."""
    digest = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"Calendly-Webhook-Signature": f"t={NOW},v1={digest}"}
    assert Verifier("calendly", secret=SECRET).verify(BODY, headers, now=NOW).timestamp == NOW
