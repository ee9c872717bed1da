"""Supabase Auth Hooks: v1,whsec_ secrets and ", "-joined signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import SchemeContract

KEY = bytes(range(32))
SECRET = "v1,whsec_" + base64.b64encode(KEY).decode()
OTHER_KEY = bytes(range(32, 64))
BODY = b'{"user_id":"u1","claims":{"role":"authenticated"}}'


class TestSupabase(SchemeContract):
    """Supabase Auth Hooks through the contract: the signed webhook-id is the delivery id."""

    scheme = "supabase"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"


def _item(key: bytes, msg_id: str) -> str:
    mac = hmac.new(key, f"{msg_id}.{NOW}.".encode() + BODY, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def test_two_secrets_joined_by_comma_space() -> None:
    """v1,<a>, v1,<b>: a verifier with either secret accepts (the library only the last)."""
    headers = {
        "webhook-id": "a1b2c3",
        "webhook-timestamp": str(NOW),
        "webhook-signature": f"{_item(OTHER_KEY, 'a1b2c3')}, {_item(KEY, 'a1b2c3')}",
    }
    for secret in (SECRET, "v1,whsec_" + base64.b64encode(OTHER_KEY).decode()):
        assert Verifier("supabase", secret=secret).verify(BODY, headers, now=NOW).id == "a1b2c3"
    with pytest.raises(InvalidSignature):
        Verifier("supabase", secret=SECRET).verify(BODY + b" ", headers, now=NOW)
