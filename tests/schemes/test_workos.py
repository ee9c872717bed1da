"""WorkOS through the contract (vectors: official/; the SDK cross-check: test_workos_sdk.py)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"id":"event_01","event":"user.created","data":{"id":"user_01","first_name":"Zo\xc3\xab"}}'


class TestWorkOS(SchemeContract):
    """WorkOS through the scheme contract: t= in milliseconds, 180 s window, id in the body."""

    scheme = "workos"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """v1 is hex HMAC-SHA256 of "<t in ms>.<body>"; items are joined by ", "."""
    t = f"{NOW}000"
    digest = hmac.new(SECRET.encode(), f"{t}.".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"WorkOS-Signature": f"t={t}, v1={digest}"}
    delivery = Verifier("workos", secret=SECRET).verify(BODY, headers, now=NOW)
    assert (delivery.timestamp, delivery.id) == (NOW, "event_01")
