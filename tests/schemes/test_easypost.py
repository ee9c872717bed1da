"""EasyPost: the contract and NFKD secrets (the SDK cross-check: test_easypost_sdk.py)."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import ClassVar

from hooksig import Verifier
from tests.schemes.contract import SchemeContract

SECRET = "s\u00e9cret-webhook-key-0123456789"
BODY = b'{"id":"evt_1","object":"Event","description":"tracker.updated"}'


class TestEasyPost(SchemeContract):
    """EasyPost through the contract: hmac-sha256-hex=<hex>, the event id in the body."""

    scheme = "easypost"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "evt_1"


def test_composed_and_decomposed_secrets_are_one_key() -> None:
    """é as one code point or as e + U+0301 gives the same NFKD key."""
    key = unicodedata.normalize("NFKD", SECRET).encode()
    header = {
        "X-Hmac-Signature": "hmac-sha256-hex=" + hmac.new(key, BODY, hashlib.sha256).hexdigest()
    }
    for secret in (SECRET, unicodedata.normalize("NFD", SECRET)):
        assert Verifier("easypost", secret=secret).verify(BODY, header).id == "evt_1"
